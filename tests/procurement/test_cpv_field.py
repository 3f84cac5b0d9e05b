"""CpvCodesField and its CpvPickerWidget, in a form rendered by the GOV.UK renderer."""

from django import forms
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from portal.procurement.cpv import CpvCodesField, CpvPickerWidget, KnownCpvCodesField, known_codes


class OpportunityCodesForm(forms.Form):
    cpv_codes = CpvCodesField()


class OptionalCodesForm(forms.Form):
    cpv_codes = CpvCodesField(required=False, max_codes=3)


def clean(value, form_class=OpportunityCodesForm):
    form = form_class({"cpv_codes": value})
    form.is_valid()
    return form


class CleaningTests(SimpleTestCase):
    def test_codes_separated_by_commas_spaces_semicolons_or_new_lines(self):
        form = clean("72212000, 48000000\r\n30200000;32420000  72000000")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(
            form.cleaned_data["cpv_codes"],
            ["30200000", "32420000", "48000000", "72000000", "72212000"],
        )

    def test_a_list_of_codes(self):
        field = CpvCodesField()
        self.assertEqual(field.clean(["72212000", "48000000"]), ["48000000", "72212000"])

    def test_check_digits_are_dropped_and_repeats_kept_once(self):
        form = clean("72212000-4\n72212000\n48000000-8")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["cpv_codes"], ["48000000", "72212000"])

    def test_any_8_digit_code_is_accepted_even_unlisted(self):
        self.assertEqual(clean("45123456").cleaned_data["cpv_codes"], ["45123456"])

    def test_each_bad_code_is_named(self):
        form = clean("72212000, 7221, 72212000-45, software, 7221")
        self.assertFalse(form.is_valid())
        self.assertEqual(
            form.errors["cpv_codes"],
            [
                "“7221” is not a CPV code: a CPV code is 8 digits, like 72000000.",
                "“72212000-45” is not a CPV code: a CPV code is 8 digits, like 72000000.",
                "“software” is not a CPV code: a CPV code is 8 digits, like 72000000.",
            ],
        )

    def test_required(self):
        for empty in ("", "  \n ,", None):
            form = clean(empty)
            self.assertEqual(
                form.errors["cpv_codes"], ["Enter at least one CPV code, for example 72212000"]
            )

    def test_optional_and_at_most(self):
        self.assertEqual(clean("", OptionalCodesForm).cleaned_data["cpv_codes"], [])
        form = clean("72000000 48000000 30000000 32000000", OptionalCodesForm)
        self.assertEqual(form.errors["cpv_codes"], ["Enter no more than 3 CPV codes"])

    def test_has_changed_compares_the_codes(self):
        field = CpvCodesField()
        self.assertFalse(field.has_changed(["48000000", "72212000"], "72212000-4, 48000000"))
        self.assertTrue(field.has_changed(["48000000"], "72212000"))
        self.assertTrue(field.has_changed(["48000000"], "nonsense"))


class KnownCodesTests(TestCase):
    """Codes the vocabulary must hold: what a business supplies."""

    def test_divisions_groups_and_finer_codes_the_vocabulary_holds(self):
        self.assertEqual(
            known_codes("72000000, 72200000\n72212000-4"), ["72000000", "72200000", "72212000"]
        )

    def test_a_division_or_group_may_be_typed_as_its_leading_digits(self):
        self.assertEqual(known_codes(["72", "722", "72000000"]), ["72000000", "72200000"])

    def test_an_unknown_code_is_named_in_the_error(self):
        with self.assertRaises(ValidationError) as raised:
            known_codes(["72000000", "99999999", "45123456"])
        self.assertEqual(
            raised.exception.messages,
            [
                "99999999 is not a CPV code we know. Choose codes from the list, like "
                "72000000 for IT services.",
                "45123456 is not a CPV code we know. Choose codes from the list, like "
                "72000000 for IT services.",
            ],
        )

    def test_what_is_not_a_code_is_named_in_the_error(self):
        with self.assertRaises(ValidationError) as raised:
            known_codes("7 software 722120001")
        self.assertEqual(len(raised.exception.messages), 3)
        self.assertIn("“software” is not a CPV code", raised.exception.messages[1])

    def test_one_query_and_none_without_codes(self):
        with self.assertNumQueries(1):
            known_codes("72 48 30200000")
        with self.assertNumQueries(0):
            self.assertEqual(known_codes(""), [])
            self.assertEqual(known_codes(None), [])

    def test_the_field_is_optional_and_cleans_to_known_codes(self):
        field = KnownCpvCodesField(max_codes=2)
        self.assertEqual(field.clean(""), [])
        self.assertEqual(field.clean("722 72"), ["72000000", "72200000"])
        with self.assertRaises(ValidationError):
            field.clean("72 48 30")
        with self.assertRaises(ValidationError):
            field.clean("99999999")


class RenderingTests(TestCase):
    def test_renders_a_govuk_textarea_with_hint_link_and_picker_attributes(self):
        html = str(OpportunityCodesForm(initial={"cpv_codes": ["72212000", "48000000"]}))
        self.assertInHTML('<label class="govuk-label" for="id_cpv_codes">CPV codes</label>', html)
        self.assertIn('class="govuk-textarea"', html)
        self.assertIn('data-module="cpv-picker"', html)
        self.assertIn('data-search-url="/contracts/cpv/"', html)
        self.assertIn('aria-describedby="id_cpv_codes_helptext"', html)
        self.assertIn(">\n72212000\n48000000</textarea>", html)
        self.assertIn('href="/contracts/cpv/"', html)
        self.assertIn("Find CPV codes (opens in new tab)", html)
        # The chosen codes are named, so a poster sees what they entered.
        self.assertIn('data-code="72212000"', html)
        self.assertIn("72212000 Programming services of application software", html)

    def test_a_form_sent_back_with_errors_keeps_the_text_and_names_the_good_codes(self):
        form = clean("72212000, 7221, 45123456")
        html = str(form)
        self.assertIn("govuk-textarea--error", html)
        self.assertIn('aria-invalid="true"', html)
        self.assertIn(">\n72212000, 7221, 45123456</textarea>", html)
        self.assertIn("72212000 Programming services of application software", html)
        self.assertIn('data-code="45123456" data-description=""', html)
        self.assertIn("Not in our list of CPV codes", html)
        self.assertNotIn('data-code="7221"', html)

    def test_naming_the_chosen_codes_costs_one_query_and_none_without_codes(self):
        with self.assertNumQueries(1):
            str(OpportunityCodesForm(initial={"cpv_codes": ["72212000", "48000000"]}))
        with self.assertNumQueries(0):
            str(OpportunityCodesForm())

    def test_the_widget_stands_alone(self):
        html = CpvPickerWidget().render("codes", "72212000", attrs={"id": "codes"})
        self.assertIn('<textarea name="codes"', html)
        self.assertIn('data-cpv-chosen-for="codes"', html)
