from html.parser import HTMLParser

from django.test import TestCase
from django.test.signals import template_rendered
from django.urls import reverse

from portal.places.forms import CouncilChoiceField, CouncilForm
from portal.places.models import Council, Region


class SelectParser(HTMLParser):
    """Reads a rendered <select> into its attributes and [(group label, [(value, text)])]."""

    def __init__(self):
        super().__init__()
        self.attrs = {}
        self.groups = []
        self.ungrouped = []
        self._group = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.attrs = attrs
        elif tag == "optgroup":
            self._group = (attrs["label"], [])
            self.groups.append(self._group)
        elif tag == "option":
            self._option = [attrs["value"], ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data

    def handle_endtag(self, tag):
        if tag == "optgroup":
            self._group = None
        elif tag == "option" and self._option is not None:
            option = (self._option[0], self._option[1].strip())
            (self._group[1] if self._group else self.ungrouped).append(option)
            self._option = None


def parse_select(html):
    parser = SelectParser()
    parser.feed(html)
    return parser


class CouncilChoiceFieldTests(TestCase):
    def test_select_has_one_group_per_region_in_itl_order(self):
        select = parse_select(str(CouncilForm()["council"].as_widget()))

        self.assertEqual(
            [label for label, _ in select.groups],
            list(Region.objects.order_by("itl_code").values_list("name", flat=True)),
        )
        self.assertEqual(sum(len(options) for _, options in select.groups), 361)

    def test_councils_within_a_region_are_in_name_order_with_gss_code_values(self):
        select = parse_select(str(CouncilForm()["council"].as_widget()))
        north_east = dict(select.groups)["North East"]

        self.assertEqual(len(north_east), 12)
        self.assertIn(("E08000037", "Gateshead"), north_east)
        names = [name for _, name in north_east]
        self.assertEqual(names, sorted(names))

    def test_first_option_asks_for_a_choice(self):
        select = parse_select(str(CouncilForm()["council"].as_widget()))

        self.assertEqual(select.ungrouped, [("", "Choose a council")])

    def test_select_carries_what_the_script_needs(self):
        select = parse_select(str(CouncilForm()["council"].as_widget()))

        self.assertEqual(select.attrs["data-module"], "council-picker")
        self.assertEqual(select.attrs["data-search-url"], reverse("places:council-search"))
        self.assertEqual(select.attrs["data-many-results"], "{count} results available")
        self.assertIn("govuk-select", select.attrs["class"])

    def test_rendering_the_select_takes_one_query(self):
        form = CouncilForm()
        with self.assertNumQueries(1):
            str(form["council"].as_widget())

    def test_switched_off_councils_are_not_offered(self):
        Council.objects.filter(gss_code="E08000037").update(active=False)

        select = parse_select(str(CouncilForm()["council"].as_widget()))

        self.assertNotIn(("E08000037", "Gateshead"), dict(select.groups)["North East"])
        self.assertFalse(CouncilForm({"council": "E08000037"}).is_valid())

    def test_a_gss_code_cleans_to_its_council(self):
        form = CouncilForm({"council": "W06000015"})

        self.assertTrue(form.is_valid())
        self.assertEqual(form.cleaned_data["council"], Council.objects.get(name="Cardiff"))

    def test_empty_and_unknown_choices_ask_for_the_council(self):
        for value in ["", "E99999999", "Cardiff"]:
            with self.subTest(value=value):
                form = CouncilForm({"council": value})
                self.assertFalse(form.is_valid())
                self.assertEqual(
                    form.errors["council"], ["Select the council where your business is"]
                )

    def test_field_can_be_limited_to_some_councils(self):
        field = CouncilChoiceField(queryset=Council.objects.filter(region__name="Wales"))
        select = parse_select(field.widget.render("council", None))

        self.assertEqual([label for label, _ in select.groups], ["Wales"])
        self.assertEqual(len(select.groups[0][1]), 22)


class CouncilSelectKeptTests(TestCase):
    """The picker's options are rendered once per process and language, then reused."""

    def render_both_ways(self, value):
        form = CouncilForm({"council": value} if value is not None else None)
        field = form["council"]
        kept = str(field)
        widget = field.field.widget
        usual = super(type(widget), widget).render(
            field.html_name, field.value(), attrs=field.build_widget_attrs({"id": field.auto_id})
        )
        return kept, usual

    def test_renders_the_same_select_as_the_widget_templates(self):
        for value in (None, "", "W06000015", "E99999999"):
            with self.subTest(value=value):
                kept, usual = self.render_both_ways(value)
                self.assertHTMLEqual(kept, usual)

    def test_the_chosen_council_is_selected_and_only_it(self):
        kept, _ = self.render_both_ways("W06000015")

        self.assertEqual(kept.count(" selected"), 1)
        self.assertIn('<option value="W06000015" selected>Cardiff</option>', kept)

    def test_a_second_page_renders_no_option_template(self):
        str(CouncilForm()["council"])
        rendered = []

        def record(sender, template, **kwargs):
            rendered.append(template.name)

        template_rendered.connect(record)
        try:
            with self.assertNumQueries(0):
                html = str(CouncilForm(initial={"council": "E08000037"})["council"])
        finally:
            template_rendered.disconnect(record)

        self.assertEqual(rendered, [])
        self.assertIn('<option value="E08000037" selected>Gateshead</option>', html)

    def test_a_renamed_council_shows_at_once(self):
        str(CouncilForm()["council"])
        cardiff = Council.objects.get(gss_code="W06000015")
        cardiff.name = "Caerdydd"
        cardiff.save()

        self.assertIn(">Caerdydd</option>", str(CouncilForm()["council"]))
