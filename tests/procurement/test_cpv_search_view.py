"""The CPV search page (no JavaScript) and the picker's suggestions (JSON)."""

from django.test import TestCase
from django.urls import reverse

from portal.procurement.cpv import clear_cpv_cache
from portal.procurement.models import CpvCode

URL = reverse("procurement:cpv-search")


class SearchPageTests(TestCase):
    def setUp(self):
        clear_cpv_cache()
        self.addCleanup(clear_cpv_cache)

    def test_without_a_search_it_lists_the_divisions_to_browse(self):
        response = self.client.get(URL)

        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "base.html")
        self.assertContains(
            response, '<h1 class="govuk-heading-l">Find a CPV code</h1>', html=True
        )
        self.assertContains(response, 'name="q"')
        self.assertContains(response, "Browse by division")
        self.assertContains(response, f'href="{URL}?q=72"')
        self.assertContains(
            response, "IT services: consulting, software development, Internet and support"
        )
        self.assertContains(response, "govuk-table__row", count=46)
        self.assertIn("HX-Request", response["Vary"])

    def test_a_search_shows_a_table_of_codes_and_the_count(self):
        response = self.client.get(URL, {"q": "software development"})

        total = (
            CpvCode.objects.filter(description__icontains="software")
            .filter(description__icontains="development")
            .count()
        )
        self.assertContains(response, f"{total} CPV codes match ‘software development’")
        self.assertContains(response, '<td class="govuk-table__cell">72230000</td>', html=True)
        self.assertContains(response, "Custom software development services")
        self.assertContains(response, 'value="software development"')
        self.assertNotContains(response, 'role="listbox"')
        self.assertContains(response, "<title>CPV codes matching ‘software development’ – ")

    def test_one_match_is_counted_in_the_singular(self):
        response = self.client.get(URL, {"q": "72212211"})
        self.assertContains(response, "1 CPV code matches ‘72212211’")

    def test_no_match_says_what_to_try(self):
        response = self.client.get(URL, {"q": "quantum teleportation"})

        self.assertContains(response, "0 CPV codes match ‘quantum teleportation’")
        self.assertContains(response, "Check the spelling, use fewer words")
        self.assertContains(response, "Any 8-digit CPV code can be used on an opportunity")
        self.assertNotContains(response, "govuk-table")

    def test_results_are_paginated_50_a_page_keeping_the_search(self):
        total = CpvCode.objects.filter(code__startswith="72").count()
        self.assertGreater(total, 100)

        first = self.client.get(URL, {"q": "72"})
        self.assertContains(first, '<td class="govuk-table__cell">', count=100)
        self.assertContains(first, 'href="?q=72&amp;page=2"')
        self.assertContains(first, '<td class="govuk-table__cell">72000000</td>', html=True)

        last_page = (total + 49) // 50
        last = self.client.get(URL, {"q": "72", "page": last_page})
        self.assertContains(
            last, '<td class="govuk-table__cell">', count=2 * (total - 50 * (last_page - 1))
        )
        # A page past the end, or not a number, shows the last or the first page.
        self.assertEqual(self.client.get(URL, {"q": "72", "page": 999}).status_code, 200)
        self.assertEqual(self.client.get(URL, {"q": "72", "page": "x"}).status_code, 200)

    def test_the_search_is_escaped(self):
        response = self.client.get(URL, {"q": "<script>alert(1)</script>"})
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;")

    def test_queries_stay_bounded(self):
        self.client.get(URL)  # the divisions are read once per process
        with self.assertNumQueries(0):
            self.client.get(URL)
        with self.assertNumQueries(2):  # count, then the page
            self.client.get(URL, {"q": "software"})
        with self.assertNumQueries(2):
            self.client.get(URL, {"q": "7", "page": 3})

    def test_only_get_and_head(self):
        self.assertEqual(self.client.post(URL, {"q": "software"}).status_code, 405)
        self.assertEqual(self.client.head(URL).status_code, 200)


class SuggestionTests(TestCase):
    """What the picker asks for as the poster types: ``format=json``."""

    def get(self, query, **headers):
        return self.client.get(URL, {"q": query, "format": "json"}, headers=headers)

    def codes(self, query):
        return [result["code"] for result in self.get(query).json()["results"]]

    def test_the_picker_gets_at_most_20_codes_as_json(self):
        response = self.get("software dev")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        results = response.json()["results"]
        self.assertEqual(len(results), 20)
        self.assertIn(
            {"code": "72230000", "description": "Custom software development services"},
            results,
        )

    def test_broadest_codes_first(self):
        codes = self.codes("722")
        self.assertLess(codes.index("72200000"), codes.index("72210000"))

    def test_empty_or_unmatched_search_gives_no_codes(self):
        for query in ("", "   ", "zzzz"):
            response = self.get(query)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json(), {"results": []})

    def test_the_description_is_data_not_markup(self):
        CpvCode.objects.filter(code="72230000").update(description="<b>Custom</b> & co")
        results = self.get("72230000").json()["results"]
        self.assertEqual(results, [{"code": "72230000", "description": "<b>Custom</b> & co"}])

    def test_an_htmx_request_without_format_gets_the_whole_page(self):
        response = self.client.get(URL, {"q": "software"}, headers={"HX-Request": "true"})
        self.assertContains(response, "<h1")

    def test_one_query(self):
        with self.assertNumQueries(1):
            self.get("software")
        with self.assertNumQueries(0):
            self.get("")
