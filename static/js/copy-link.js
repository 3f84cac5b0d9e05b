// "Copy link": the button in each <div data-module="copy-link">
// (templates/diagnostics/save_and_leave.html) copies the link in the element named by
// data-copy-target to the clipboard and says so in the live region named by
// data-copy-status. The div is hidden until this script shows it: without JavaScript the
// link is there in full, broken across lines so it never overflows, to select, copy or
// bookmark.
//
// No inline styles or scripts (strict CSP): only the hidden attribute and text.

async function copyText(text, element) {
  // The Clipboard API needs a secure context (https, or http on localhost).
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, document not focused): try the older way below.
    }
  }
  // Elsewhere (http on a machine's name or address): select the link's text and copy the
  // selection. If that is refused too, the text stays selected for the person to copy.
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

function enhance(container) {
  const button = container.querySelector("button");
  const target = document.getElementById(container.dataset.copyTarget || "");
  const status = document.getElementById(container.dataset.copyStatus || "");
  if (!button || !target || !status) return;
  const link = target.querySelector("a[href]");
  const text = link ? link.href : target.textContent.trim();

  button.addEventListener("click", async () => {
    // Emptied first, so saying the same words again is announced again.
    status.textContent = "";
    const copied = await copyText(text, link || target);
    status.textContent = copied ? container.dataset.copied : container.dataset.copyFailed;
  });
  container.hidden = false;
}

for (const container of document.querySelectorAll("[data-module='copy-link']")) {
  enhance(container);
}
