from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

# The GOV.UK class each kind of widget needs, and the one it adds when the field has
# an error. Order matters: the first isinstance match wins, so subclasses come first.
WIDGET_KINDS = (
    (forms.HiddenInput, "hidden", "", ""),
    (forms.MultipleHiddenInput, "hidden", "", ""),
    (forms.CheckboxSelectMultiple, "checkboxes", "govuk-checkboxes__input", ""),
    (forms.RadioSelect, "radios", "govuk-radios__input", ""),
    (forms.CheckboxInput, "checkbox", "govuk-checkboxes__input", ""),
    (forms.FileInput, "file", "govuk-file-upload", "govuk-file-upload--error"),
    (forms.Textarea, "textarea", "govuk-textarea", "govuk-textarea--error"),
    (forms.Select, "select", "govuk-select", "govuk-select--error"),
    (forms.SelectDateWidget, "multiple", "govuk-select", "govuk-select--error"),
    (forms.MultiWidget, "multiple", "govuk-input", "govuk-input--error"),
    (Input, "input", "govuk-input", "govuk-input--error"),
)

# Classes given to a RadioSelect or CheckboxSelectMultiple that style the group
# (govuk-radios--inline, govuk-checkboxes--small) rather than each input.
GROUP_MODIFIER_PREFIXES = ("govuk-radios--", "govuk-checkboxes--")


EMAIL_ADDRESS_LABEL = _("Email address")


class EmailAddressField(forms.EmailField):
    """An email address asked for the GOV.UK way: its label, the browser's autocomplete and
    the pattern's error messages. A form may pass more (``help_text``, ``error_messages``)."""

    widget = forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    default_error_messages = {
        "required": _("Enter your email address"),
        "invalid": _("Enter an email address in the correct format, like name@example.com"),
        "max_length": _("Email address must be 254 characters or fewer"),
    }

    def __init__(self, *, label=EMAIL_ADDRESS_LABEL, max_length=254, label_classes="", **kwargs):
        super().__init__(label=label, max_length=max_length, **kwargs)
        if label_classes:
            self.label_classes = label_classes


def _join_classes(*class_lists):
    """Space-separated classes without repeats, in the order first seen."""
    classes = []
    for class_list in class_lists:
        for name in (class_list or "").split():
            if name not in classes:
                classes.append(name)
    return " ".join(classes)


class GovukBoundField(forms.BoundField):
    """A bound field that gives its widget the GOV.UK Design System's classes.

    Django already adds ``aria-invalid`` and ``aria-describedby`` (``<id>_helptext``,
    ``<id>_error``); the field template gives the hint and error message those ids.

    A form may set two optional attributes on a field (``self.fields["name"].x = ...``):
    ``label_classes`` (for example ``govuk-label--m`` or ``govuk-fieldset__legend--m``)
    and ``page_heading = True`` to make the label or legend the page's ``<h1>``.
    """

    @property
    def govuk_kind(self):
        """input, textarea, select, file, checkbox, checkboxes, radios, multiple, hidden."""
        for widget_class, kind, _class, _error_class in WIDGET_KINDS:
            if isinstance(self.field.widget, widget_class):
                return kind
        return "input"

    def _widget_classes(self, widget):
        for widget_class, _kind, css_class, error_class in WIDGET_KINDS:
            if isinstance(widget, widget_class):
                return css_class, error_class
        return "", ""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css_class, error_class = self._widget_classes(widget)
        if not css_class:
            return attrs
        own_classes = _join_classes(widget.attrs.get("class"), attrs.get("class"))
        if isinstance(widget, forms.RadioSelect):
            # Each option's input gets exactly the input class; group modifiers go on
            # the wrapper (see group_classes).
            own_classes = " ".join(
                name
                for name in own_classes.split()
                if not name.startswith(GROUP_MODIFIER_PREFIXES)
            )
            error_class = ""
        attrs["class"] = _join_classes(css_class, own_classes, error_class if self.errors else "")
        return attrs

    @property
    def group_classes(self):
        """The wrapper's modifier classes for radios and checkboxes."""
        return " ".join(
            name
            for name in self.field.widget.attrs.get("class", "").split()
            if name.startswith(GROUP_MODIFIER_PREFIXES)
        )

    @property
    def label_classes(self):
        classes = getattr(self.field, "label_classes", "")
        if not classes and self.page_heading:
            classes = "govuk-fieldset__legend--l" if self.use_fieldset else "govuk-label--l"
        return classes

    @property
    def page_heading(self):
        return bool(getattr(self.field, "page_heading", False))

    @property
    def error_anchor(self):
        """The id the error summary links to: the field's first input."""
        if self.id_for_label:
            return self.id_for_label
        subwidgets = self.subwidgets
        if subwidgets and subwidgets[0].data.get("attrs", {}).get("id"):
            return subwidgets[0].data["attrs"]["id"]
        return self.auto_id


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with the GOV.UK Design System's markup.

    Templates come from the project's templates folder, so a field is
    ``templates/includes/forms/field.html`` (label, hint, error message, input)
    and a whole form ``templates/includes/forms/form.html``.
    """

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
    bound_field_class = GovukBoundField

    def render(self, template_name, context, request=None):
        """Django's one-line input templates written out in Python, the rest through
        the templates. A radio or checkbox is an include of an include of two
        templates: the profile page's 36 options cost more than the rest of the page."""
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"], option=template_name in OPTION_TEMPLATES)
        if template_name == SELECT_TEMPLATE and _plain_options(context["widget"]):
            return render_select(context["widget"])
        return super().render(template_name, context, request)


# Django's input templates (django/forms/templates/django/forms/widgets/), each no more
# than input.html with attrs.html, or input_option.html for a radio or checkbox.
# The project overrides none of them; one it overrides must leave this set.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "url",
        "tel",
        "search",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "input_option",
        "radio_option",
        "checkbox_option",
    )
)


SELECT_TEMPLATE = "django/forms/widgets/select.html"
SELECT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"

OPTION_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input_option", "radio_option", "checkbox_option")
)


def _attributes(attrs: dict) -> str:
    """attrs.html: `` name="value"`` each, `` name`` for True, nothing for False."""
    html = []
    for attribute, value in attrs.items():
        if value is True:
            html.append(f" {conditional_escape(attribute)}")
        elif value is not False:
            html.append(f' {conditional_escape(attribute)}="{conditional_escape(str(value))}"')
    return "".join(html)


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == SELECT_OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    )


def render_select(widget: dict) -> str:
    """What select.html renders, its options as select_option.html would (each include
    keeps the template's final newline)."""
    name = conditional_escape(widget["name"])
    html = [f'<select name="{name}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            value = conditional_escape(str(option["value"]))
            attributes = _attributes(option["attrs"])
            label = conditional_escape(option["label"])
            html.append(f'\n  <option value="{value}"{attributes}>{label}</option>\n')
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def render_input(widget: dict, *, option: bool = False) -> str:
    """What input.html (within input_option.html's label, when ``wrap_label``) renders
    for a widget's context: the same characters, escaped the same way."""
    attrs = widget["attrs"]
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    html = [f'<input type="{kind}" name="{name}"']
    if widget["value"] is not None:
        html.append(f' value="{conditional_escape(str(widget["value"]))}"')
    html.append(_attributes(attrs))
    html.append(">")
    if option and widget.get("wrap_label"):
        label_for = f' for="{conditional_escape(attrs["id"])}"' if attrs.get("id") else ""
        # input.html ends in a newline, which input_option.html keeps inside the label.
        label = conditional_escape(widget["label"])
        return f"<label{label_for}>{''.join(html)}\n {label}</label>"
    return "".join(html)


# The largest id a database integer column holds (bigint).
LARGEST_ID = 2**63 - 1


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a whole number: Django's own check refuses it
    return not -LARGEST_ID - 1 <= number <= LARGEST_ID


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with a number too large for a database integer refused as an invalid
    choice rather than sent to the database (where it fails, a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name and _out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with numbers too large for a database integer refused as invalid
    choices rather than sent to the database."""

    def _check_values(self, value):
        if not self.to_field_name:
            for candidate in value:
                if _out_of_range(candidate):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": candidate},
                    )
        return super()._check_values(value)
