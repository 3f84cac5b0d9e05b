// GOV.UK Frontend's start-up, as a file because the Content Security Policy allows no
// inline script. base.html loads it first thing in <body>, as a classic (blocking)
// script, so the js-enabled classes are on <body> before anything is painted and the
// styles for enhanced components never flash. The components themselves come from
// the GOV.UK Frontend ES module (its URL, with any hash the static files storage adds,
// is in data-govuk-frontend) once the document has been parsed.

// In a function, so its names stay out of the global scope other scripts share.
(() => {
  const script = document.currentScript;
  const supported = "noModule" in HTMLScriptElement.prototype;

  document.body.classList.add("js-enabled");
  if (supported) {
    document.body.classList.add("govuk-frontend-supported");
  }

  function parsed() {
    return new Promise((resolve) => {
      if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", resolve, { once: true });
      } else {
        resolve();
      }
    });
  }

  if (supported && script && script.dataset.govukFrontend) {
    Promise.all([import(script.dataset.govukFrontend), parsed()]).then(([{ initAll }]) => {
      // A component found twice (htmx swapped in content around one) says so with an
      // InitError; anything else is a real problem.
      const onError = (error) => {
        if (error.name !== "InitError") console.error(error);
      };
      initAll({ onError });
      // htmx 4 fires htmx:after:process on the root of everything it swaps in; its
      // parent is the scope, as GOV.UK Frontend only looks below the scope it is given.
      document.addEventListener("htmx:after:process", (event) => {
        const root = event.target;
        if (root instanceof Element && root !== document.body) {
          initAll({ scope: root.parentElement || root, onError });
        }
      });
    }).catch((error) => {
      // Without GOV.UK Frontend the page is the no-JavaScript one: the service
      // navigation, laid out folded for the script to come (app.scss), opens again.
      document.body.classList.remove("govuk-frontend-supported");
      console.error(error);
    });
  }
})();
