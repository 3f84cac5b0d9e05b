// The council picker: turns each <select data-module="council-picker"> (rendered by
// portal/places/forms.py CouncilSelect) into an autocomplete that follows the ARIA 1.2
// combobox pattern. It filters the select's own options, so it needs no network, and
// writes the choice back into the select, which stays in the form (hidden) and is what
// gets posted. Without JavaScript the grouped select works as it is.
//
// No inline styles or scripts (strict CSP): only classes and the hidden attribute.

const ANNOUNCE_DELAY_MS = 400;

// Lower case, accents and punctuation gone: "Ynys Môn" and "ynys mon" match, as do
// "Kingston upon Hull, City of" and "kingston upon hull city of".
function normalise(text) {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

// 0: the name starts with the query, 1: one of its words does, 2: it contains it.
function rank(option, query) {
  if (option.key.startsWith(query)) return 0;
  if (option.key.includes(` ${query}`)) return 1;
  if (option.key.includes(query)) return 2;
  return -1;
}

class CouncilPicker {
  constructor(select) {
    this.select = select;
    this.options = Array.from(select.options)
      .filter((option) => option.value !== "")
      .map((option) => ({
        value: option.value,
        label: option.textContent.trim(),
        group: option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "",
        key: normalise(option.textContent),
      }));
    this.results = [];
    this.activeIndex = -1;
    this.announceTimer = null;
    this.build();
    this.bind();
  }

  build() {
    const select = this.select;
    const id = select.id || `council-picker-${Math.random().toString(36).slice(2)}`;
    const label = document.querySelector(`label[for="${id}"]`);
    // The input takes the select's id, so the label, and the error summary's link,
    // now lead to it.
    select.id = `${id}-select`;
    select.hidden = true;
    select.tabIndex = -1;

    this.wrapper = document.createElement("div");
    this.wrapper.className = "waymark-autocomplete";

    this.input = document.createElement("input");
    this.input.type = "text";
    this.input.id = id;
    const invalid =
      select.classList.contains("govuk-select--error") ||
      select.getAttribute("aria-invalid") === "true";
    this.input.className = invalid ? "govuk-input govuk-input--error" : "govuk-input";
    if (invalid) this.input.setAttribute("aria-invalid", "true");
    this.input.autocomplete = "off";
    this.input.spellcheck = false;
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", `${id}-listbox`);
    if (select.required) this.input.setAttribute("aria-required", "true");

    const instructions = document.createElement("span");
    instructions.id = `${id}-instructions`;
    instructions.className = "govuk-visually-hidden";
    instructions.textContent = select.dataset.instructions || "";
    const describedBy = [select.getAttribute("aria-describedby"), instructions.id];
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

    const chosen = select.selectedOptions[0];
    if (chosen && chosen.value !== "") this.input.value = chosen.textContent.trim();

    this.wrapper.append(this.input, this.listbox, instructions, this.status);
    select.after(this.wrapper);
  }

  bind() {
    this.input.addEventListener("input", () => {
      this.syncSelect();
      this.filter(this.input.value);
    });
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("blur", () => {
      this.close();
      const match = this.exactMatch();
      if (match) this.input.value = match.label;
    });
    // Keep the focus in the input while an option is clicked.
    this.listbox.addEventListener("mousedown", (event) => event.preventDefault());
    this.listbox.addEventListener("click", (event) => {
      const item = event.target.closest("[role='option']");
      if (item) this.choose(this.results[Number(item.dataset.index)]);
    });
  }

  onKeydown(event) {
    const open = !this.listbox.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) {
          this.filter(this.input.value, { showAllWhenEmpty: true });
          if (this.results.length) this.activate(0);
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
      case "Enter":
        if (open && this.activeIndex >= 0) {
          event.preventDefault();
          this.choose(this.results[this.activeIndex]);
        } else {
          // The form is about to be submitted with whatever the input says.
          this.close();
          this.syncSelect();
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.syncSelect();
        }
        break;
      default:
        break;
    }
  }

  filter(text, { showAllWhenEmpty = false } = {}) {
    const query = normalise(text);
    if (query) {
      this.results = this.options
        .map((option) => ({ option, rank: rank(option, query) }))
        .filter((match) => match.rank >= 0)
        .sort((a, b) => a.rank - b.rank || a.option.label.localeCompare(b.option.label))
        .map((match) => match.option);
    } else {
      this.results = showAllWhenEmpty ? this.options.slice() : [];
    }
    this.render();
    if (query || showAllWhenEmpty) {
      this.open();
      this.announce(this.results.length);
    } else {
      this.close();
      this.announce(null);
    }
  }

  render() {
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");
    const items = this.results.map((option, index) => {
      const item = document.createElement("li");
      item.id = `${this.input.id}-option-${index}`;
      item.className = "waymark-autocomplete__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      item.append(option.label);
      if (option.group) {
        const hint = document.createElement("span");
        hint.className = "waymark-autocomplete__hint";
        hint.textContent = option.group;
        item.append(" ", hint);
      }
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

  choose(option) {
    if (!option) return;
    this.input.value = option.label;
    this.setSelectValue(option.value);
    this.close();
  }

  exactMatch() {
    const typed = normalise(this.input.value);
    return typed ? this.options.find((option) => option.key === typed) : undefined;
  }

  // What the select posts always agrees with what the input shows: a council when the
  // text names one, nothing otherwise (so the server asks again rather than keeping a
  // choice the person has typed over).
  syncSelect() {
    const match = this.exactMatch();
    this.setSelectValue(match ? match.value : "");
  }

  setSelectValue(value) {
    if (this.select.value === value) return;
    this.select.value = value;
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  open() {
    if (!this.results.length) {
      this.listbox.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
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

  // Wait for typing to pause, so a screen reader hears one count, not one per key.
  announce(count) {
    clearTimeout(this.announceTimer);
    if (count === null) {
      this.status.textContent = "";
      return;
    }
    const { noResults, oneResult, manyResults } = this.select.dataset;
    let message = (manyResults || "{count} results available").replace("{count}", count);
    if (count === 0) message = noResults || "No results found";
    if (count === 1) message = oneResult || "1 result available";
    this.announceTimer = setTimeout(() => {
      this.status.textContent = message;
    }, ANNOUNCE_DELAY_MS);
  }
}

function enhance(root) {
  for (const select of root.querySelectorAll("select[data-module='council-picker']")) {
    if (select.dataset.councilPickerReady || select.disabled) continue;
    select.dataset.councilPickerReady = "true";
    new CouncilPicker(select);
  }
}

enhance(document);
// Content that htmx swaps in may bring a picker of its own (htmx 4 fires this on the
// root of whatever it has just processed).
document.addEventListener("htmx:after:process", (event) => {
  if (event.target instanceof Element) enhance(event.target);
});
