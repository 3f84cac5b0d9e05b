// The council and CPV pickers: GOV.UK's accessible-autocomplete over fields that work
// without JavaScript (templates/includes/picker_script.html loads this module, which
// loads the library from data-autocomplete).
//
// - <select data-module="council-picker"> (portal/places/forms.py CouncilSelect) is
//   enhanced in place: it stays in the form, hidden, and is what gets posted.
// - <textarea data-module="cpv-picker"> (portal/procurement/cpv.py CpvPickerWidget)
//   gets a search box whose suggestions come from the CPV search page as JSON, and a
//   list of the chosen codes with "Remove" buttons. The textarea stays in the form,
//   hidden, and always holds the chosen codes (one a line).
//
// Their words come from the field's data- attributes, translated by the server. No
// inline scripts or styles (strict CSP): the library sets its styles through the DOM.

const ANNOUNCE_DELAY_MS = 400;
const CODE = /^(\d{8})(?:-\d)?$/;
const SEPARATORS = /[\s,;]+/;

function words(field, key, fallback) {
  return field.dataset[key] || fallback;
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

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

// What the library reads out, in the field's words; the field's hint and error
// message join its instructions, as the library replaces the input's aria-describedby.
function libraryWords(field) {
  const described = (field.getAttribute("aria-describedby") || "")
    .split(" ")
    .map((id) => document.getElementById(id))
    .filter(Boolean)
    .map((element) => element.textContent.trim());
  const noResults = () => words(field, "noResults", "No results found");
  return {
    tNoResults: noResults,
    tStatusNoResults: noResults,
    tStatusSelectedOption: (option, count, index) =>
      words(field, "selectedOption", "{option} {position} of {count} is highlighted")
        .replace("{option}", option)
        .replace("{position}", index + 1)
        .replace("{count}", count),
    tStatusResults: (count, selected) => {
      const results =
        count === 1
          ? words(field, "oneResult", "1 result available")
          : words(field, "manyResults", "{count} results available").replace("{count}", count);
      return selected ? `${results}. ${selected}` : results;
    },
    tAssistiveHint: () => [...described, words(field, "instructions", "")].join(" "),
  };
}

// The library's input takes the field's id (so the label and the error summary's link
// lead to it) and shows the field's error.
function markInvalid(field, input) {
  if (field.getAttribute("aria-invalid") === "true") {
    input.setAttribute("aria-invalid", "true");
    input.classList.add("autocomplete__input--error");
  }
}

// A live region of the picker's own, for what the library does not say.
function announcer(after) {
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("aria-atomic", "true");
  after.after(status);
  let timer = null;
  return (message) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      status.textContent = message;
    }, ANNOUNCE_DELAY_MS);
  };
}

// The council picker ------------------------------------------------------------------

// 0: the name starts with the query, 1: one of its words does, 2: it contains it.
function rank(council, query) {
  if (council.key.startsWith(query)) return 0;
  if (council.key.includes(` ${query}`)) return 1;
  if (council.key.includes(query)) return 2;
  return -1;
}

function enhanceCouncilPicker(autocomplete, select) {
  const id = select.id;
  const councils = Array.from(select.options)
    .filter((option) => option.value !== "")
    .map((option) => ({
      value: option.value,
      label: option.textContent.trim(),
      region: option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "",
      key: normalise(option.textContent),
    }));
  const named = (text) => councils.find((council) => council.key === normalise(text || ""));

  // What the select posts always agrees with what the input shows: a council when the
  // text names one, nothing otherwise (so the server asks again rather than keeping a
  // choice the person has typed over).
  const choose = (council) => {
    const value = council ? council.value : "";
    if (select.value === value) return;
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  };

  const chosen = select.selectedOptions[0];
  autocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: chosen && chosen.value ? chosen.textContent.trim() : "",
    autoselect: false,
    minLength: 1,
    // Over the page, not in it: the page below does not jump as the list opens and
    // closes (a click on "Continue" would miss the button it moved).
    displayMenu: "overlay",
    source: (text, populate) => {
      const query = normalise(text);
      populate(
        councils
          .map((council) => ({ council, rank: rank(council, query) }))
          .filter((match) => query && match.rank >= 0)
          .sort((a, b) => a.rank - b.rank || a.council.label.localeCompare(b.council.label))
          .map((match) => match.council),
      );
    },
    templates: {
      // The library starts from the chosen council's name, a string.
      inputValue: (council) => (typeof council === "string" ? council : council?.label || ""),
      suggestion: (council) =>
        typeof council === "string"
          ? escapeHtml(council)
          : `${escapeHtml(council.label)} <span class="waymark-autocomplete__hint">${escapeHtml(council.region)}</span>`,
    },
    onConfirm: (council) => {
      const input = document.getElementById(id);
      choose(council || named(input && input.value));
    },
    ...libraryWords(select),
  });
  markInvalid(select, document.getElementById(id));
}

// The CPV picker ------------------------------------------------------------------------

class CpvPicker {
  constructor(autocomplete, textarea) {
    this.textarea = textarea;
    this.searchUrl = textarea.dataset.searchUrl;
    this.id = textarea.id;
    // code -> description (null when the code is not in our list), in the order chosen.
    this.chosen = new Map();
    this.container = textarea.parentElement.querySelector(`[data-cpv-chosen-for="${this.id}"]`);
    const leftover = this.readChosen();

    // The text box is hidden (GOV.UK's textarea style would show it despite the hidden
    // attribute), and gives its id to the search box; the browser cannot point at a
    // hidden field it finds empty, so the server asks instead.
    textarea.id = `${this.id}-codes`;
    textarea.hidden = true;
    textarea.classList.add("govuk-!-display-none");
    textarea.tabIndex = -1;
    textarea.required = false;
    this.container.dataset.cpvChosenFor = textarea.id;

    const element = document.createElement("div");
    textarea.after(element);
    autocomplete({
      element,
      id: this.id,
      name: "",
      defaultValue: leftover.join(" "),
      minLength: 1,
      autoselect: false,
      displayMenu: "overlay",
      // Leaving the box adds nothing: a code is added only when chosen.
      confirmOnBlur: false,
      source: (query, populate) => this.suggest(query, populate),
      templates: {
        // A chosen code goes into the list below, and the box is emptied for the next.
        inputValue: () => "",
        // (The library starts from the text sent back, a string.)
        suggestion: (result) =>
          typeof result === "string"
            ? escapeHtml(result)
            : `${escapeHtml(result.description)} <span class="waymark-autocomplete__hint">${result.code}</span>`,
      },
      onConfirm: (result) => {
        if (result && typeof result === "object") this.choose(result);
      },
      ...libraryWords(textarea),
    });
    this.input = document.getElementById(this.id);
    markInvalid(textarea, this.input);
    this.announce = announcer(element);
    this.bind(element);
    this.writeCodes();
    this.renderChosen();
  }

  // The codes the server sent back (their names are in the list beside the textarea);
  // text that is not a code is returned, for the search box, so it is not lost from view.
  readChosen() {
    const listed = new Map();
    for (const item of this.container.querySelectorAll("[data-code]")) {
      listed.set(item.dataset.code, item.dataset.description || null);
    }
    const leftover = [];
    for (const term of this.textarea.value.split(SEPARATORS)) {
      const match = CODE.exec(term);
      if (match) {
        this.chosen.set(match[1], listed.get(match[1]) ?? null);
      } else if (term) {
        leftover.push(term);
      }
    }
    return leftover;
  }

  bind(element) {
    // Before the library's own handler: Enter in the search box never sends the form,
    // and adds a whole code typed in; Escape with the list closed empties the box.
    element.addEventListener(
      "keydown",
      (event) => {
        if (event.target !== this.input) return;
        const typed = this.input.value.trim();
        if (event.key === "Enter" && typed) {
          event.preventDefault();
          const code = CODE.exec(typed);
          if (code) {
            event.stopPropagation();
            this.clearSearch();
            this.chooseTyped(code[1]);
          }
        } else if (event.key === "Escape" && this.input.getAttribute("aria-expanded") !== "true") {
          this.clearSearch();
        }
      },
      { capture: true },
    );
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

  clearSearch() {
    this.input.value = "";
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Suggestions for what the box says, unless it says something else by the time
  // they come (the library would show them anyway).
  async suggest(query, populate) {
    const results = await this.lookup(query);
    if (results !== null && this.input && this.input.value === query) populate(results);
  }

  // The codes matching a search, from the CPV search page; null when it failed.
  async lookup(query) {
    const url = new URL(this.searchUrl, window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "json");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return null;
      return (await response.json()).results;
    } catch (error) {
      console.error(error);
      return null;
    }
  }

  // A whole code typed in: named when it is in our list, added as it is when not (any
  // 8-digit code is valid).
  async chooseTyped(code) {
    const results = (await this.lookup(code)) || [];
    this.choose(results.find((result) => result.code === code) || { code, description: null });
  }

  choose(result) {
    if (this.chosen.has(result.code)) {
      this.announce(words(this.textarea, "alreadyChosen", "{code}").replace("{code}", result.code));
      return;
    }
    this.chosen.set(result.code, result.description);
    this.writeCodes();
    this.renderChosen();
    this.announce(words(this.textarea, "added", "{code}").replace("{code}", result.code));
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
}

// Start-up --------------------------------------------------------------------------------

function enhance(autocomplete, root) {
  for (const field of root.querySelectorAll(
    "select[data-module='council-picker'], textarea[data-module='cpv-picker']",
  )) {
    if (field.dataset.pickerReady || field.disabled) continue;
    field.dataset.pickerReady = "true";
    if (field.tagName === "SELECT") {
      enhanceCouncilPicker(autocomplete, field);
    } else {
      new CpvPicker(autocomplete, field);
    }
  }
}

const library = document.querySelector("script[data-autocomplete]").dataset.autocomplete;
// The library is a UMD bundle: imported, it defines window.accessibleAutocomplete.
import(library).then(() => {
  const autocomplete = window.accessibleAutocomplete;
  enhance(autocomplete, document);
  // Content that htmx swaps in may bring a picker of its own (htmx 4 fires this on the
  // root of whatever it has just processed).
  document.addEventListener("htmx:after:process", (event) => {
    if (event.target instanceof Element) enhance(autocomplete, event.target);
  });
});
