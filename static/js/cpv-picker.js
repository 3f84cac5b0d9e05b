// The CPV picker: turns each <textarea data-module="cpv-picker"> (rendered by
// portal/procurement/cpv.py CpvPickerWidget) into a search box that suggests CPV codes,
// following the ARIA 1.2 combobox pattern, and a list of the chosen codes with "Remove"
// buttons. Suggestions come from the CPV search page (data-search-url): asked with the
// HX-Request header, it answers with a fragment, a listbox of options. The textarea
// stays in the form, hidden, and always holds the chosen codes (one a line): it is what
// gets posted. Without JavaScript the textarea works as it is.
//
// No inline styles or scripts (strict CSP): only classes and the hidden attribute.

const SEARCH_DELAY_MS = 250;
const ANNOUNCE_DELAY_MS = 400;
const CODE = /^(\d{8})(?:-\d)?$/;
const SEPARATORS = /[\s,;]+/;

function words(element, key, fallback) {
  return element.dataset[key] || fallback;
}

class CpvPicker {
  constructor(textarea) {
    this.textarea = textarea;
    this.searchUrl = textarea.dataset.searchUrl;
    // code -> description (null when the code is not in our list), in the order chosen.
    this.chosen = new Map();
    this.results = [];
    this.activeIndex = -1;
    this.searchTimer = null;
    this.announceTimer = null;
    this.request = null;
    this.readChosen();
    this.build();
    this.bind();
    this.writeCodes();
    this.renderChosen();
  }

  // The codes the server sent back (their names are in the list beside the textarea);
  // text that is not a code goes into the search box, so it is not lost from view.
  readChosen() {
    const listed = new Map();
    const container = this.chosenContainer();
    if (container) {
      for (const item of container.querySelectorAll("[data-code]")) {
        listed.set(item.dataset.code, item.dataset.description || null);
      }
    }
    this.leftover = [];
    for (const term of this.textarea.value.split(SEPARATORS)) {
      if (!term) continue;
      const match = CODE.exec(term);
      if (match) {
        this.chosen.set(match[1], listed.get(match[1]) ?? null);
      } else {
        this.leftover.push(term);
      }
    }
  }

  chosenContainer() {
    const id = this.textarea.id;
    return this.textarea.parentElement.querySelector(`[data-cpv-chosen-for="${id}"]`);
  }

  build() {
    const textarea = this.textarea;
    const id = textarea.id || `cpv-picker-${Math.random().toString(36).slice(2)}`;
    const label = document.querySelector(`label[for="${id}"]`);
    this.container = this.chosenContainer() || document.createElement("div");
    if (!this.container.isConnected) textarea.after(this.container);
    // The search box takes the textarea's id, so the label, and the error summary's
    // link, now lead to it.
    textarea.id = `${id}-codes`;
    // GOV.UK's textarea style would show it despite the hidden attribute.
    textarea.hidden = true;
    textarea.classList.add("govuk-!-display-none");
    textarea.tabIndex = -1;
    // The browser cannot point at a hidden field it finds empty: the server asks instead.
    const required = textarea.required;
    textarea.required = false;
    this.container.dataset.cpvChosenFor = textarea.id;

    this.wrapper = document.createElement("div");
    this.wrapper.className = "waymark-autocomplete";

    this.input = document.createElement("input");
    this.input.type = "text";
    this.input.id = id;
    const invalid =
      textarea.classList.contains("govuk-textarea--error") ||
      textarea.getAttribute("aria-invalid") === "true";
    this.input.className = invalid ? "govuk-input govuk-input--error" : "govuk-input";
    if (invalid) this.input.setAttribute("aria-invalid", "true");
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.input.value = this.leftover.join(" ");
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", `${id}-listbox`);
    if (required) this.input.setAttribute("aria-required", "true");

    const instructions = document.createElement("span");
    instructions.id = `${id}-instructions`;
    instructions.className = "govuk-visually-hidden";
    instructions.textContent = words(textarea, "instructions", "");
    const describedBy = [textarea.getAttribute("aria-describedby"), instructions.id];
    this.input.setAttribute("aria-describedby", describedBy.filter(Boolean).join(" "));

    this.listbox = document.createElement("ul");
    this.listbox.id = `${id}-listbox`;
    this.listbox.className = "waymark-autocomplete__list";
    this.listbox.setAttribute("role", "listbox");
    if (label) this.listbox.setAttribute("aria-label", label.textContent.trim());
    this.listbox.hidden = true;

    this.status = document.createElement("div");
    this.status.className = "govuk-visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.status.setAttribute("aria-atomic", "true");

    this.wrapper.append(this.input, this.listbox, instructions, this.status);
    textarea.after(this.wrapper);
  }

  bind() {
    this.input.addEventListener("input", () => this.scheduleSearch());
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => this.close());
    // Keep the focus in the search box while an option is clicked.
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const item = event.target.closest("[role='option']");
      if (item) this.choose(this.results[Number(item.dataset.index)]);
    });
    // Text left in the search box is sent too, so the server names it if it is not a
    // code rather than the form dropping it unseen. (The textarea keeps codes only.)
    const form = this.textarea.form;
    if (form) {
      form.addEventListener("formdata", (event) => {
        const typed = this.input.value.trim();
        if (typed) event.formData.set(this.textarea.name, `${this.textarea.value}\n${typed}`);
      });
    }
    this.container.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-remove-code]");
      if (button) this.remove(button.dataset.removeCode);
    });
  }

  onKeydown(event) {
    const open = !this.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) {
          if (this.results.length) {
            this.open();
            this.activate(0);
          } else {
            this.search();
          }
        } else {
          this.activate(Math.min(this.activeIndex + 1, this.results.length - 1));
        }
        break;
      case "ArrowUp":
        if (open) {
          event.preventDefault();
          this.activate(this.activeIndex - 1);
        }
        break;
      case "Enter": {
        const typed = this.input.value.trim();
        if (open && this.activeIndex >= 0) {
          event.preventDefault();
          this.choose(this.results[this.activeIndex]);
        } else if (CODE.test(typed)) {
          // A whole code typed in: add it, listed or not (any 8-digit code is valid).
          event.preventDefault();
          this.chooseTyped(CODE.exec(typed)[1]);
        } else if (typed) {
          // Words in the search box: show the suggestions rather than send the form.
          event.preventDefault();
          this.search();
        }
        break;
      }
      case "Escape":
        if (open) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.results = [];
        }
        break;
      default:
        break;
    }
  }

  scheduleSearch() {
    clearTimeout(this.searchTimer);
    if (!this.input.value.trim()) {
      if (this.request) this.request.abort();
      this.results = [];
      this.render();
      this.close();
      this.announce("");
      return;
    }
    this.searchTimer = setTimeout(() => this.search(), SEARCH_DELAY_MS);
  }

  async search() {
    clearTimeout(this.searchTimer);
    const query = this.input.value.trim();
    if (!query) return;
    const results = await this.lookup(query);
    if (results === null || this.input.value.trim() !== query) return;
    this.results = results;
    this.render();
    if (document.activeElement === this.input) this.open();
    this.announceCount(this.results.length);
  }

  // A whole code typed in: named when it is in our list, added as it is when not.
  async chooseTyped(code) {
    const typed = this.input.value;
    let listed = this.results.find((result) => result.code === code);
    if (!listed) {
      const results = await this.lookup(code, { latest: false });
      listed = (results || []).find((result) => result.code === code);
    }
    // Whatever was typed while the name was looked up stays in the search box.
    this.choose(listed || { code, description: null }, { keepSearch: this.input.value !== typed });
  }

  // The suggestions for a query: the options of the search page's fragment, or null
  // when the request failed or (for the latest search) a newer one replaced it.
  async lookup(query, { latest = true } = {}) {
    const request = new AbortController();
    if (latest) {
      if (this.request) this.request.abort();
      this.request = request;
    }
    let html;
    try {
      const url = new URL(this.searchUrl, window.location.href);
      url.searchParams.set("q", query);
      const response = await fetch(url, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
        signal: request.signal,
      });
      if (!response.ok) return null;
      html = await response.text();
    } catch (error) {
      if (error.name !== "AbortError") console.error(error);
      return null;
    }
    if (latest && request !== this.request) return null;
    const fragment = document.createElement("template");
    fragment.innerHTML = html;
    const options = fragment.content.querySelectorAll("[role='option'][data-code]");
    return Array.from(options, (option) => ({
      code: option.dataset.code,
      description: option.dataset.description || null,
      node: option,
    }));
  }

  render() {
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    const items = this.results.map((result, index) => {
      const item = document.importNode(result.node, true);
      item.id = `${this.input.id}-option-${index}`;
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      return item;
    });
    this.listbox.replaceChildren(...items);
  }

  activate(index) {
    const items = this.listbox.children;
    if (this.activeIndex >= 0 && items[this.activeIndex]) {
      items[this.activeIndex].setAttribute("aria-selected", "false");
    }
    this.activeIndex = index;
    if (index < 0 || !items[index]) {
      this.activeIndex = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    items[index].setAttribute("aria-selected", "true");
    items[index].scrollIntoView({ block: "nearest" });
    this.input.setAttribute("aria-activedescendant", items[index].id);
  }

  choose(result, { keepSearch = false } = {}) {
    if (!result) return;
    const template = this.chosen.has(result.code) ? "alreadyChosen" : "added";
    if (!this.chosen.has(result.code)) {
      this.chosen.set(result.code, result.description);
      this.writeCodes();
      this.renderChosen();
    }
    if (!keepSearch) {
      this.input.value = "";
      this.results = [];
      this.render();
      this.close();
    }
    this.announce(words(this.textarea, template, "{code}").replace("{code}", result.code));
  }

  remove(code) {
    if (!this.chosen.has(code)) return;
    const buttons = Array.from(this.container.querySelectorAll("button[data-remove-code]"));
    const position = buttons.findIndex((button) => button.dataset.removeCode === code);
    this.chosen.delete(code);
    this.writeCodes();
    this.renderChosen();
    // Focus goes to the next "Remove" button, or the one before, or the search box.
    const left = this.container.querySelectorAll("button[data-remove-code]");
    const next = left[Math.min(position, left.length - 1)];
    (next || this.input).focus();
    this.announce(words(this.textarea, "removed", "{code} removed").replace("{code}", code));
  }

  writeCodes() {
    const value = Array.from(this.chosen.keys()).join("\n");
    if (this.textarea.value === value) return;
    this.textarea.value = value;
    this.textarea.dispatchEvent(new Event("change", { bubbles: true }));
  }

  renderChosen() {
    const children = [];
    if (this.chosen.size) {
      const heading = document.createElement("p");
      heading.className = "govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-1";
      heading.textContent = words(this.textarea, "chosenHeading", "CPV codes chosen");
      const list = document.createElement("ul");
      list.className = "govuk-list";
      for (const [code, description] of this.chosen) {
        const name = description || `(${words(this.textarea, "noDescription", "not listed")})`;
        const item = document.createElement("li");
        item.dataset.code = code;
        item.dataset.description = description || "";
        item.append(`${code} ${name} `);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "waymark-link-button";
        button.dataset.removeCode = code;
        button.append(words(this.textarea, "remove", "Remove"));
        const hidden = document.createElement("span");
        hidden.className = "govuk-visually-hidden";
        hidden.textContent = ` ${code} ${name}`;
        button.append(hidden);
        item.append(button);
        list.append(item);
      }
      children.push(heading, list);
    }
    this.container.replaceChildren(...children);
  }

  open() {
    if (!this.results.length) {
      this.close();
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.activate(-1);
  }

  announceCount(count) {
    let message = words(this.textarea, "manyResults", "{count} results available");
    message = message.replace("{count}", count);
    if (count === 0) message = words(this.textarea, "noResults", "No results found");
    if (count === 1) message = words(this.textarea, "oneResult", "1 result available");
    this.announce(message);
  }

  // Wait for typing to pause, so a screen reader hears one message, not one per key.
  announce(message) {
    clearTimeout(this.announceTimer);
    if (!message) {
      this.status.textContent = "";
      return;
    }
    this.announceTimer = setTimeout(() => {
      this.status.textContent = message;
    }, ANNOUNCE_DELAY_MS);
  }
}

function enhance(root) {
  for (const textarea of root.querySelectorAll("textarea[data-module='cpv-picker']")) {
    if (textarea.dataset.cpvPickerReady || textarea.disabled) continue;
    textarea.dataset.cpvPickerReady = "true";
    new CpvPicker(textarea);
  }
}

enhance(document);
// Content that htmx swaps in may bring a picker of its own (htmx 4 fires this on the
// root of whatever it has just processed).
document.addEventListener("htmx:after:process", (event) => {
  if (event.target instanceof Element) enhance(event.target);
});
