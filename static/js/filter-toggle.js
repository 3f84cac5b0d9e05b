// The "Filter" button of the support and contracts lists (frontend/scss/_filter-layout.scss).
// Below tablet width the filters come after the results, folded away; without
// JavaScript the "Filter" link jumps to them (#filters) and CSS unfolds them. This
// makes the link a button that unfolds and folds them, says so (aria-expanded), and
// takes focus to them, as they are far below it; applying the filters, or Escape,
// folds them again and brings focus back to the button, beside the updated results.
// A link to one of the filters (the "Change" of "Showing support for …") unfolds them
// too. From tablet width the button is not shown and the filters always are.
//
// No inline styles or scripts (strict CSP): classes only.

const OPEN = "waymark-filter-layout__filters--open";
const PANEL = ".waymark-filter-layout__filters";
// Each enhanced panel's way to unfold itself, for the links that lead into it.
const unfold = new WeakMap();

// The panel that holds the element a "#…" address names, if any.
function panelOf(hash) {
  if (!hash || hash.length < 2) return null;
  const target = document.getElementById(decodeURIComponent(hash.slice(1)));
  return target && target.closest(PANEL);
}

function enhance(layout) {
  const link = layout.querySelector(".waymark-filter-layout__toggle");
  const panel = layout.querySelector(PANEL);
  const heading = panel && panel.querySelector(".waymark-filter-layout__heading");
  if (!link || !panel || !heading) return;

  const button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.textContent = link.textContent;
  button.setAttribute("aria-controls", panel.id);
  link.replaceWith(button);
  heading.tabIndex = -1;
  layout.dataset.filterToggleInit = "";

  const folded = () => button.offsetParent !== null; // the button shows: a narrow screen
  const show = (open) => {
    panel.classList.toggle(OPEN, open);
    button.setAttribute("aria-expanded", String(open));
  };
  unfold.set(panel, () => show(true));
  // Arrived at an address that leads into them (…#filters from the link without
  // JavaScript): unfolded, as the page was asked to.
  show(panelOf(window.location.hash) === panel);

  button.addEventListener("click", () => {
    const open = !panel.classList.contains(OPEN);
    show(open);
    if (open) {
      // To the top of the filters, as the link without JavaScript goes.
      heading.focus({ preventScroll: true });
      panel.scrollIntoView();
    }
  });

  const close = () => {
    if (!panel.classList.contains(OPEN) || !folded()) return;
    show(false);
    button.focus();
  };
  layout.addEventListener("submit", close);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
}

const SELECTOR = "[data-module='waymark-filter-layout']";

function enhanceAll(root) {
  const layouts = [...root.querySelectorAll(SELECTOR)];
  if (root instanceof Element && root.matches(SELECTOR)) layouts.push(root);
  for (const layout of layouts) {
    if (!layout.hasAttribute("data-filter-toggle-init")) enhance(layout);
  }
}

enhanceAll(document);
// Unfolded before the browser follows the link, so that it can scroll to its target.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a[href^='#']");
  const panel = link && panelOf(link.hash);
  if (panel && unfold.has(panel)) unfold.get(panel)();
});
// Going back through the history htmx pushed swaps the page in again, link and all
// (htmx 4 fires this on the root of whatever it has just processed).
document.addEventListener("htmx:after:process", (event) => {
  if (event.target instanceof Element) enhanceAll(event.target);
});
