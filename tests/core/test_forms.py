"""{{ form }} renders GOV.UK markup through portal.lib.forms and templates/includes/forms."""

import re

from django import forms
from django.template import Context, Template
from django.test import SimpleTestCase


class ExampleForm(forms.Form):
    name = forms.CharField(label="Business name", help_text="As registered, if it is")
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"class": "govuk-!-width-two-thirds"})
    )
    size = forms.ChoiceField(
        label="Size", choices=[("", "Choose a size"), ("micro", "Micro"), ("small", "Small")]
    )
    description = forms.CharField(label="What your business does", widget=forms.Textarea)
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("pre-start", "Pre-start"), ("start-up", "Start-up")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text="Choose one",
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds of support",
        choices=[("grant", "Grant"), ("loan", "Loan")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree to the terms", help_text="You must agree")
    next_page = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something is wrong with the whole form")


def render(form):
    return str(form)


def bound_with_errors():
    form = ExampleForm(data={"email": "not an email", "size": "micro", "next_page": "/x/"})
    assert not form.is_valid()
    return form


def group(html, field_id):
    """The form group that holds the element with this id (for/id)."""
    groups = re.split(r'(?=<div class="govuk-form-group)', html)
    return next(g for g in groups if f'id="{field_id}' in g)


class UnboundFormTests(SimpleTestCase):
    def setUp(self):
        self.html = render(ExampleForm())

    def test_text_input_has_label_hint_and_class(self):
        name = group(self.html, "id_name")
        self.assertIn('<div class="govuk-form-group">', name)
        self.assertIn('<label class="govuk-label" for="id_name">Business name</label>', name)
        self.assertIn(
            '<div class="govuk-hint" id="id_name_helptext">As registered, if it is</div>', name
        )
        self.assertIn('class="govuk-input"', name)
        self.assertIn('aria-describedby="id_name_helptext"', name)

    def test_widget_classes_are_kept_after_the_govuk_class(self):
        self.assertIn('class="govuk-input govuk-!-width-two-thirds"', group(self.html, "id_email"))

    def test_select_and_textarea(self):
        self.assertRegex(
            group(self.html, "id_size"), r'<select name="size"[^>]* class="govuk-select"'
        )
        self.assertRegex(
            group(self.html, "id_description"),
            r'<textarea name="description"[^>]*class="govuk-textarea"',
        )

    def test_radios_are_a_fieldset_with_a_legend(self):
        stage = group(self.html, "id_stage")
        self.assertIn(
            '<fieldset class="govuk-fieldset" aria-describedby="id_stage_helptext">', stage
        )
        self.assertRegex(stage, r'<legend class="govuk-fieldset__legend">\s*Stage\s*</legend>')
        self.assertIn(
            'class="govuk-radios govuk-radios--inline" data-module="govuk-radios"', stage
        )
        self.assertEqual(stage.count('class="govuk-radios__item"'), 2)
        self.assertRegex(
            stage,
            r'<input type="radio" name="stage" value="pre-start" '
            r'class="govuk-radios__input"[^>]* id="id_stage_0"',
        )
        self.assertIn(
            '<label class="govuk-label govuk-radios__label" for="id_stage_0">Pre-start</label>',
            stage,
        )
        self.assertNotIn("govuk-radios--inline govuk-radios__input", stage)

    def test_checkboxes_are_a_fieldset_with_a_legend(self):
        kinds = group(self.html, "id_kinds")
        self.assertIn('<fieldset class="govuk-fieldset">', kinds)
        self.assertIn('class="govuk-checkboxes" data-module="govuk-checkboxes"', kinds)
        self.assertRegex(
            kinds,
            r'<input type="checkbox" name="kinds" value="loan" id="id_kinds_1" '
            r'class="govuk-checkboxes__input">',
        )
        self.assertIn(
            '<label class="govuk-label govuk-checkboxes__label" for="id_kinds_1">Loan</label>',
            kinds,
        )

    def test_single_checkbox_has_its_label_beside_it(self):
        agree = group(self.html, "id_agree")
        self.assertIn('<div class="govuk-checkboxes__item">', agree)
        self.assertRegex(
            agree, r'<input type="checkbox" name="agree"[^>]*class="govuk-checkboxes__input"'
        )
        self.assertIn(
            '<label class="govuk-label govuk-checkboxes__label" for="id_agree">'
            "I agree to the terms</label>",
            agree,
        )
        self.assertIn('class="govuk-hint govuk-checkboxes__hint" id="id_agree_helptext"', agree)

    def test_hidden_fields_have_no_form_group(self):
        self.assertIn('<input type="hidden" name="next_page" id="id_next_page">', self.html)
        self.assertNotIn("Next page", self.html)

    def test_no_errors_no_error_classes(self):
        self.assertNotIn("error", self.html.replace("id_", ""))


class BoundFormWithErrorsTests(SimpleTestCase):
    def setUp(self):
        self.form = bound_with_errors()
        self.html = render(self.form)

    def test_field_in_error_has_error_group_message_and_input_class(self):
        email = group(self.html, "id_email")
        self.assertIn('<div class="govuk-form-group govuk-form-group--error">', email)
        self.assertIn(
            '<p class="govuk-error-message" id="id_email_error">'
            '<span class="govuk-visually-hidden">Error:</span> Enter a valid email address.</p>',
            email,
        )
        self.assertIn('class="govuk-input govuk-!-width-two-thirds govuk-input--error"', email)
        self.assertIn('aria-invalid="true"', email)
        self.assertIn('aria-describedby="id_email_error"', email)
        self.assertIn('value="not an email"', email)

    def test_hint_then_error_in_aria_describedby(self):
        self.assertIn(
            'aria-describedby="id_name_helptext id_name_error"', group(self.html, "id_name")
        )
        self.assertIn(
            'aria-describedby="id_stage_helptext id_stage_error"', group(self.html, "id_stage")
        )

    def test_select_textarea_keep_value_and_get_error_classes(self):
        self.assertNotIn("govuk-select--error", group(self.html, "id_size"))
        self.assertIn('<option value="micro" selected>Micro</option>', group(self.html, "id_size"))
        self.assertIn(
            'class="govuk-textarea govuk-textarea--error"', group(self.html, "id_description")
        )

    def test_error_summary_links_each_error_to_its_field(self):
        summary = Template('{% include "includes/error_summary.html" %}').render(
            Context({"form": self.form})
        )
        self.assertIn('data-module="govuk-error-summary"', summary)
        self.assertIn('<div role="alert">', summary)
        self.assertIn('<h2 class="govuk-error-summary__title">There is a problem</h2>', summary)
        self.assertIn("<li>Something is wrong with the whole form</li>", summary)
        self.assertIn('<a href="#id_email">Enter a valid email address.</a>', summary)
        # Radios and checkboxes link to their first input.
        self.assertIn('<a href="#id_stage_0">This field is required.</a>', summary)
        self.assertIn('<a href="#id_kinds_0">This field is required.</a>', summary)
        self.assertIn('<a href="#id_agree">This field is required.</a>', summary)

    def test_no_error_summary_without_errors(self):
        summary = Template('{% include "includes/error_summary.html" %}').render(
            Context({"form": ExampleForm()})
        )
        self.assertEqual(summary.strip(), "")


class LabelOptionsTests(SimpleTestCase):
    def test_label_can_be_the_page_heading(self):
        form = ExampleForm()
        form.fields["name"].page_heading = True
        form.fields["stage"].page_heading = True
        form.fields["email"].label_classes = "govuk-label--m"
        html = render(form)

        self.assertIn(
            '<h1 class="govuk-label-wrapper">\n'
            '  <label class="govuk-label govuk-label--l" for="id_name">',
            html,
        )
        self.assertIn('<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">', html)
        self.assertIn('<h1 class="govuk-fieldset__heading">Stage</h1>', html)
        self.assertIn('<label class="govuk-label govuk-label--m" for="id_email">', html)
