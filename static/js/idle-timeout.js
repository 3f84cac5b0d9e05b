// The staff idle timeout's warning (portal/accounts/idle.py, WCAG 2.2.1 Timing
// adjustable). The server ends a staff session after a while without a request; this
// asks it how long is left (asking does not count as activity, so another tab's use
// counts), opens the dialog when the warning time comes, counts down, and on "Stay
// signed in" tells the server. When time is up it goes to the sign-in page, which
// comes back to this page after signing in.
(() => {
  const dialog = document.getElementById("idle-timeout-warning");
  if (!dialog || typeof dialog.showModal !== "function") return;

  const warning = Number(dialog.dataset.warning) * 1000;
  const countdown = document.getElementById("idle-timeout-countdown");
  const announcement = document.getElementById("idle-timeout-announcement");
  const stay = document.getElementById("idle-timeout-stay");
  const csrf = dialog.querySelector("input[name=csrfmiddlewaretoken]").value;
  let endsAt = Date.now() + Number(dialog.dataset.timeout) * 1000;
  let timer = null;
  let lastAnnounced = null;

  // Every word shown is the template's, translated (templates/includes/idle_timeout.html):
  // a count of minutes or seconds is picked from its <template>.
  const counts = document.getElementById("idle-timeout-words").content;

  function counted(unit, count) {
    const worded = counts.querySelector(`[data-${unit}="${count}"]`);
    return worded ? worded.textContent.trim() : String(count);
  }

  function words(milliseconds) {
    const seconds = Math.max(0, Math.ceil(milliseconds / 1000));
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    if (!minutes) return counted("seconds", rest);
    if (!rest) return counted("minutes", minutes);
    return dialog.dataset.minutesAndSeconds
      .replace("%(minutes)s", counted("minutes", minutes))
      .replace("%(seconds)s", counted("seconds", rest));
  }

  function signIn() {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${dialog.dataset.signInUrl}?next=${encodeURIComponent(next)}`);
  }

  async function ask(url, options) {
    const response = await fetch(url, { credentials: "same-origin", ...options });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(delay, 250));
  }

  // Before warning, and before signing out, ask the server: the person may have used
  // another tab meanwhile.
  async function check() {
    let status;
    try {
      status = await ask(dialog.dataset.statusUrl, { headers: { Accept: "application/json" } });
    } catch {
      status = { signed_in: true, seconds_left: Math.round((endsAt - Date.now()) / 1000) };
    }
    if (!status.signed_in || status.seconds_left === null || status.seconds_left <= 0) {
      if (!status.signed_in || status.seconds_left !== null) signIn();
      return;
    }
    endsAt = Date.now() + status.seconds_left * 1000;
    if (endsAt - Date.now() > warning) {
      if (dialog.open) dialog.close();
      schedule(endsAt - Date.now() - warning);
    } else {
      open();
    }
  }

  function tick() {
    const left = endsAt - Date.now();
    if (!dialog.open) return;
    if (left <= 0) {
      check();
      return;
    }
    countdown.textContent = words(left);
    const minute = Math.ceil(left / 60000);
    if (minute !== lastAnnounced && (left % 60000 < 1000 || lastAnnounced === null)) {
      lastAnnounced = minute;
      announcement.textContent = dialog.dataset.announcement.replace("%(time)s", words(left));
    }
    setTimeout(tick, 1000 - (left % 1000 || 1000) + 20);
  }

  function open() {
    if (!dialog.open) {
      lastAnnounced = null;
      dialog.showModal();
      stay.focus();
    }
    tick();
    schedule(endsAt - Date.now());
  }

  stay.addEventListener("click", async () => {
    try {
      const status = await ask(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      if (!status.signed_in) {
        signIn();
        return;
      }
      endsAt = Date.now() + status.seconds_left * 1000;
    } catch {
      // The server did not answer: keep counting; the next check will tell.
    }
    dialog.close();
    schedule(endsAt - Date.now() - warning);
  });

  // Escape would close the dialog without telling the server: treat it as "stay".
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay.click();
  });

  schedule(endsAt - Date.now() - warning);
})();
