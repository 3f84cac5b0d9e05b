"""The public list page: full page and htmx fragment, filters, counts, sort, pages,
bad input, and what leaves the list."""

from datetime import timedelta
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.procurement.models import CpvCode
from tests.factories import create_opportunity, get_council, get_region

LIST = reverse("procurement:list")
GATESHEAD = "E08000037"


def titles(response) -> list[str]:
    return [opportunity.title for opportunity in response.context["opportunities"]]


def counts(response, facet: str) -> dict[str, int]:
    options = response.context["facets"][facet].options
    if facet == "suitability":
        return {option.id: option.count for option in options}
    return {option.value: option.count for option in options}


class ListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        CpvCode.objects.update_or_create(
            code="72000000",
            defaults={
                "description": "IT services: consulting, software development, Internet and "
                "support"
            },
        )
        CpvCode.objects.update_or_create(
            code="45000000", defaults={"description": "Construction work"}
        )
        gateshead = get_council(gss_code=GATESHEAD)
        cls.hosting = create_opportunity(
            title="Cloud hosting for the library service",
            buyer_name="Gateshead Council",
            councils=[gateshead],
            cpv_codes=["72415000"],
            value_min=Decimal("20000"),
            value_max=Decimal("30000"),
            sme_suitable=True,
            deadline=now + timedelta(days=10),
        )
        cls.roads = create_opportunity(
            title="Resurfacing the A1 junctions",
            regions=[get_region(itl_code="TLC")],
            cpv_codes=["45233000"],
            value_max=Decimal("0"),
            deadline=now + timedelta(hours=2),
        )
        cls.website = create_opportunity(
            title="Website for a Manchester charity",
            councils=[get_council(gss_code="E08000003")],
            buyer_type="private",
            vcse_suitable=True,
            deadline=now + timedelta(days=40),
        )
        cls.passed = create_opportunity(
            title="Deadline passed", deadline=now - timedelta(hours=1), councils=[gateshead]
        )
        cls.closed = create_opportunity(title="Closed early", status="closed")
        cls.draft = create_opportunity(title="Still a draft", status="draft")

    def test_lists_open_opportunities_before_their_deadline_closing_soonest_first(self):
        response = self.client.get(LIST)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "procurement/list.html")
        self.assertEqual(
            titles(response),
            [
                "Resurfacing the A1 junctions",
                "Cloud hosting for the library service",
                "Website for a Manchester charity",
            ],
        )
        self.assertContains(response, "3 open opportunities found")

    def test_summary_cards_show_value_deadline_division_place_and_tags(self):
        response = self.client.get(LIST)
        self.assertContains(response, "£20,000 to £30,000")
        # 0 is "not stated": never £0.
        self.assertContains(response, "Value not stated")
        self.assertNotContains(response, "£0")
        self.assertContains(response, "Closes in 10 days")
        self.assertContains(response, "IT services: consulting, software development")
        self.assertContains(response, "Construction work")
        self.assertContains(response, "Gateshead")
        self.assertContains(response, "Suitable for SMEs</strong>", html=False)
        self.assertContains(response, "Suitable for VCSEs</strong>", html=False)
        self.assertContains(response, reverse("procurement:detail", args=[self.hosting.public_id]))

    def test_closing_within_and_council_together(self):
        response = self.client.get(LIST, {"closing": "14", "council": GATESHEAD})
        self.assertEqual(
            titles(response),
            ["Resurfacing the A1 junctions", "Cloud hosting for the library service"],
        )
        self.assertContains(response, "2 open opportunities found")
        self.assertEqual(counts(response, "closing"), {"": 2, "7": 1, "14": 2, "30": 2})

    def test_each_filter_narrows_the_list(self):
        cases = {
            "q=library+hosting": ["Cloud hosting for the library service"],
            "division=45": ["Resurfacing the A1 junctions"],
            "value=under_25k": ["Cloud hosting for the library service"],
            "value=under_25k&value_not_stated=1": [
                "Resurfacing the A1 junctions",
                "Cloud hosting for the library service",
                "Website for a Manchester charity",
            ],
            "sme=1": ["Cloud hosting for the library service"],
            "vcse=1": ["Website for a Manchester charity"],
            "buyer=private": ["Website for a Manchester charity"],
            "region=north-east": [
                "Resurfacing the A1 junctions",
                "Cloud hosting for the library service",
            ],
            "stage=planning": [],
        }
        for query, expected in cases.items():
            with self.subTest(query=query):
                self.assertEqual(titles(self.client.get(f"{LIST}?{query}")), expected)

    def test_facet_counts_apply_every_other_filter(self):
        response = self.client.get(LIST, {"division": "72", "sme": "1"})
        self.assertEqual(titles(response), ["Cloud hosting for the library service"])
        self.assertEqual(counts(response, "division")["45"], 0)
        self.assertEqual(counts(response, "division")["72"], 1)
        # Division 72 holds two: the SME one, and the VCSE one the SME filter hides.
        self.assertEqual(counts(response, "suitability"), {"sme": 1, "vcse": 0})
        self.assertEqual(counts(response, "buyer"), {"": 1, "public": 1, "private": 0})
        response = self.client.get(LIST, {"division": "72"})
        self.assertEqual(counts(response, "suitability"), {"sme": 1, "vcse": 1})
        self.assertEqual(counts(response, "buyer"), {"": 2, "public": 1, "private": 1})

    def test_chosen_division_shows_its_groups(self):
        CpvCode.objects.update_or_create(
            code="72400000", defaults={"description": "Internet services"}
        )
        response = self.client.get(LIST, {"division": "72"})
        groups = counts(response, "group")
        self.assertEqual(groups.pop("724"), 1)
        self.assertEqual(set(groups.values()), {0})
        self.assertContains(response, 'name="group" type="checkbox" value="724"')
        response = self.client.get(LIST)
        self.assertEqual(counts(response, "group"), {})

    def test_a_chosen_group_stays_on_show_when_its_division_is_unchosen(self):
        response = self.client.get(LIST, {"group": "724"})
        self.assertEqual(titles(response), ["Cloud hosting for the library service"])
        self.assertContains(response, 'name="group" type="checkbox" value="724" checked')

    def test_the_cpv_filter_asks_what_you_supply_and_takes_division_and_group_codes(self):
        response = self.client.get(LIST)
        self.assertContains(response, "What do you supply?")
        self.assertContains(response, "Kind of work (CPV division)")
        # Codes as the diagnostic's profile holds them, as a founder's link carries them.
        response = self.client.get(LIST, {"division": "72000000", "group": "72400000"})
        self.assertEqual(titles(response), ["Cloud hosting for the library service"])
        self.assertContains(response, 'name="division" type="checkbox" value="72" checked')
        self.assertContains(response, 'name="group" type="checkbox" value="724" checked')
        self.assertContains(response, "More precisely (CPV group)")
        self.assertNotContains(response, "so it was ignored")

    def test_htmx_request_returns_only_the_results_fragment(self):
        full = self.client.get(LIST, {"closing": "14"})
        fragment = self.client.get(LIST, {"closing": "14"}, HTTP_HX_REQUEST="true")
        self.assertEqual(fragment.status_code, 200)
        self.assertEqual(titles(fragment), titles(full))
        html = fragment.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="search-results">'))
        self.assertNotIn("<html", html)
        self.assertNotIn('name="council"', html)
        self.assertIn('id="results-count" hx-swap-oob="innerHTML"', html)
        self.assertIn('id="count-closing-7" hx-swap-oob="innerHTML"', html)
        self.assertIn("HX-Request", fragment["Vary"])
        self.assertIn("HX-Request", full["Vary"])

    def test_history_restore_gets_the_whole_page(self):
        response = self.client.get(
            LIST, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
        )
        self.assertContains(response, "<html")

    def test_form_keeps_the_state_and_works_without_javascript(self):
        response = self.client.get(
            LIST, {"q": "hosting", "council": GATESHEAD, "closing": "14", "sort": "newest"}
        )
        self.assertContains(response, 'method="get" action="/contracts/"')
        self.assertContains(response, 'value="hosting"')
        self.assertContains(response, f'<option value="{GATESHEAD}" selected>')
        self.assertContains(
            response, 'id="closing-14" name="closing" type="radio" value="14" checked'
        )
        self.assertContains(response, '<input type="hidden" name="sort" value="newest">')
        self.assertContains(response, "Apply filters")

    def test_sort_links_keep_the_filters(self):
        response = self.client.get(LIST, {"buyer": "public", "sort": "value"})
        links = {link["value"]: link for link in response.context["sort_links"]}
        self.assertEqual(set(links), {"closing", "newest", "value"})
        self.assertTrue(links["value"]["current"])
        self.assertEqual(links["newest"]["query"], "buyer=public&sort=newest")
        self.assertEqual(links["closing"]["query"], "buyer=public")
        self.assertEqual(
            titles(response),
            ["Cloud hosting for the library service", "Resurfacing the A1 junctions"],
        )
        with_words = self.client.get(LIST, {"q": "hosting"})
        self.assertIn("relevance", [link["value"] for link in with_words.context["sort_links"]])

    def test_bad_values_are_ignored_with_a_message_never_a_500(self):
        response = self.client.get(
            LIST,
            {
                "closing": "999",
                "council": "nowhere",
                "division": ["7", "72"],
                "value": "lots",
                "page": "many",
                "sort": "'; drop table",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some of the filters in the link could not be used")
        self.assertContains(response, "“999” is not a closing date choice, so it was ignored.")
        self.assertContains(response, "We do not know the council “NOWHERE”, so it was ignored.")
        self.assertEqual(
            titles(response),
            ["Cloud hosting for the library service", "Website for a Manchester charity"],
        )

    def test_alert_link_carries_the_normalised_filters(self):
        response = self.client.get(
            LIST, {"council": GATESHEAD.lower(), "closing": "14", "page": "1", "sort": "newest"}
        )
        self.assertEqual(response.context["querystring"], f"council={GATESHEAD}&closing=14")
        self.assertContains(
            response, f"{reverse('procurement:alert-create')}?council={GATESHEAD}&amp;closing=14"
        )

    def test_post_is_not_allowed(self):
        self.assertEqual(self.client.post(LIST).status_code, 405)

    def test_service_navigation_links_to_the_list(self):
        response = self.client.get(reverse("catalogue:search"))
        self.assertContains(response, "Contract opportunities")
        self.assertContains(response, f'href="{LIST}"')
        own = self.client.get(LIST)
        self.assertContains(own, 'aria-current="page"')


class ClosedLeaveTheListTests(TestCase):
    def test_an_opportunity_leaves_the_list_after_its_deadline_but_its_page_stays(self):
        opportunity = create_opportunity(
            title="Closes in a minute", deadline=timezone.now() + timedelta(seconds=2)
        )
        self.assertEqual(titles(self.client.get(LIST)), ["Closes in a minute"])
        opportunity.deadline = timezone.now() - timedelta(seconds=1)
        opportunity.save(update_fields=["deadline"])
        self.assertEqual(titles(self.client.get(LIST)), [])
        page = self.client.get(reverse("procurement:detail", args=[opportunity.public_id]))
        self.assertContains(page, "This opportunity is closed")


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        for number in range(45):
            create_opportunity(
                title=f"Opportunity {number:02d}", deadline=now + timedelta(days=1, hours=number)
            )

    def test_twenty_a_page_without_overlap(self):
        first = titles(self.client.get(LIST))
        second = titles(self.client.get(LIST, {"page": "2"}))
        third = titles(self.client.get(LIST, {"page": "3"}))
        self.assertEqual(len(first), 20)
        self.assertEqual(len(second), 20)
        self.assertEqual(len(third), 5)
        self.assertEqual(len(set(first + second + third)), 45)
        self.assertEqual(first[0], "Opportunity 00")

    def test_page_beyond_the_end_shows_the_last_page(self):
        response = self.client.get(LIST, {"page": "99"})
        self.assertEqual(response.context["page_obj"].number, 3)

    def test_pagination_links_keep_the_filters(self):
        response = self.client.get(LIST, {"closing": "30"})
        self.assertContains(response, "?closing=30&amp;page=2")
