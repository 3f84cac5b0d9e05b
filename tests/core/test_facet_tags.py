"""The facet options written by portal/core/templatetags/facets.py: GOV.UK checkboxes and
radios, escaped, with their counts."""

from django.template import engines
from django.test import SimpleTestCase

from portal.lib.facets import FacetGroup, Option


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load facets %}" + source).render(context)


class FacetOptionsTests(SimpleTestCase):
    def test_a_checkbox_with_its_count_checked_when_chosen(self):
        group = FacetGroup(
            "kind", "Type", [Option("kind", "grant", "Grant", 4, True, "kind-grant")]
        )

        html = render("{% facet_options group %}", group=group)

        self.assertInHTML(
            '<div class="govuk-checkboxes__item">'
            '<input class="govuk-checkboxes__input" id="kind-grant" name="kind" type="checkbox"'
            ' value="grant" checked>'
            '<label class="govuk-label govuk-checkboxes__label" for="kind-grant">Grant'
            ' <span id="count-kind-grant">(4)</span></label></div>',
            html,
        )

    def test_radios_are_radios_and_say_no_divider(self):
        options = [
            Option("closing", "", "Any time", 9, True, "closing-any", divider="or"),
            Option("closing", "7", "Within 7 days", 2, False, "closing-7"),
        ]
        group = FacetGroup("closing", "Closing", options, kind="radios")

        html = render("{% facet_options group %}", group=group)

        self.assertEqual(html.count('type="radio"'), 2)
        self.assertIn('class="govuk-radios__input" id="closing-7"', html)
        self.assertNotIn("divider", html)

    def test_a_divider_comes_before_its_checkbox(self):
        options = [
            Option("sme", "1", "SMEs", 1, False, "sme"),
            Option("value_not_stated", "1", "Value not stated", 3, False, "vns", divider="and"),
        ]

        html = render("{% facet_options group %}", group=FacetGroup("x", "X", options))

        self.assertLess(html.index('id="sme"'), html.index("govuk-checkboxes__divider"))
        self.assertLess(html.index(">and</div>"), html.index('id="vns"'))

    def test_labels_and_values_are_escaped(self):
        option = Option("q", 'a"b', "<R&D>", 1, False, "q-1")

        html = render("{% facet_options group %}", group=FacetGroup("q", "Q", [option]))

        self.assertIn('value="a&quot;b"', html)
        self.assertIn("&lt;R&amp;D&gt; <span", html)

    def test_the_counts_swapped_in_out_of_band(self):
        group = FacetGroup(
            "kind", "Type", [Option("kind", "loan", "Loan", 12, False, "kind-loan")]
        )

        html = render("{% facet_counts groups %}", groups=[group])

        self.assertEqual(html, '<span id="count-kind-loan" hx-swap-oob="innerHTML">(12)</span>')
