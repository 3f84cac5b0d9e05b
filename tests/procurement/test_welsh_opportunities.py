"""Opportunities in Welsh: posters add a Welsh title and description; Welsh pages and
emails show them, or the English marked lang="en"; the list's search on a Welsh page
finds the Welsh fields; the OCDS export gives them as OCDS's language variants."""

from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from portal.procurement.models import Opportunity
from portal.procurement.queries.filters import OpportunityFilters
from portal.procurement.queries.search import listed_opportunities
from portal.procurement.services import alerts
from tests.factories import create_cluster_body_poster, create_opportunity
from tests.procurement.schemas import errors
from tests.procurement.test_posting_views import opportunity_form_data
from tests.queries import assert_queries_do_not_grow, fetch
from tests.welsh import get_welsh, welsh_url, with_welsh


def found(words: str, *, language: str = "cy", sort: str = "") -> list[str]:
    with translation.override(language):
        query = QueryDict(mutable=True)
        query.update({"q": words, **({"sort": sort} if sort else {})})
        filters = OpportunityFilters.from_querydict(query)
        return [opportunity.title for opportunity in listed_opportunities(filters)]


class WelshFieldsInThePostingFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()

    def setUp(self):
        self.client.force_login(self.poster)

    def test_a_poster_saves_the_welsh_title_and_description(self):
        self.client.post(
            reverse("procurement:opportunity-create"),
            opportunity_form_data(
                title_cy="Adolygiad seiberddiogelwch", description_cy="Adolygiad o'r systemau."
            ),
        )

        opportunity = Opportunity.objects.get()
        self.assertEqual(
            (opportunity.title_cy, opportunity.description_cy),
            ("Adolygiad seiberddiogelwch", "Adolygiad o'r systemau."),
        )

    def test_the_form_has_a_welsh_fieldset_with_hints(self):
        response = self.client.get(reverse("procurement:opportunity-create"))

        self.assertContains(response, "Welsh (optional)")
        self.assertContains(response, 'name="title_cy"')
        self.assertContains(response, 'name="description_cy"')
        self.assertContains(response, "Welsh pages show the English title when this is empty.")


@with_welsh
class WelshOpportunityPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.translated = create_opportunity(
            title="Cloud hosting for the library",
            description="Three years of hosting.",
            title_cy="Gwe-letya cwmwl i'r llyfrgell",
            description_cy="Tair blynedd o westeio.",
        )
        cls.english_only = create_opportunity(
            title="Resurfacing the A1", description="Road works."
        )

    def test_a_welsh_page_shows_the_welsh_text(self):
        url = welsh_url("procurement:detail", self.translated.public_id)

        response = get_welsh(self.client, url)

        self.assertContains(
            response, '<h1 class="govuk-heading-l">Gwe-letya cwmwl i&#x27;r llyfrgell</h1>'
        )
        self.assertContains(response, '<div class="govuk-body"><p>Tair blynedd o westeio.</p>')
        self.assertNotContains(response, "Cloud hosting for the library")

    def test_a_welsh_page_shows_english_marked_as_english_when_there_is_no_welsh(self):
        url = welsh_url("procurement:detail", self.english_only.public_id)

        response = get_welsh(self.client, url)

        self.assertContains(
            response, '<h1 class="govuk-heading-l" lang="en">Resurfacing the A1</h1>'
        )
        self.assertContains(response, '<div class="govuk-body" lang="en"><p>Road works.</p>')

    def test_an_english_page_is_as_it_was(self):
        response = self.client.get(self.translated.get_absolute_url())

        self.assertContains(
            response, '<h1 class="govuk-heading-l">Cloud hosting for the library</h1>'
        )
        self.assertNotContains(response, "llyfrgell")
        self.assertNotContains(response, 'lang="en">')

    def test_the_welsh_list_shows_welsh_titles_and_marks_english_ones(self):
        response = get_welsh(self.client, welsh_url("procurement:list"))

        self.assertContains(response, ">Gwe-letya cwmwl i&#x27;r llyfrgell</a>")
        self.assertContains(response, '><span lang="en">Resurfacing the A1</span></a>')

    def test_the_welsh_list_searches_the_welsh_title(self):
        response = get_welsh(self.client, welsh_url("procurement:list"), {"q": "llyfrgell"})

        self.assertEqual(
            [opportunity.title for opportunity in response.context["opportunities"]],
            ["Cloud hosting for the library"],
        )

    def test_the_welsh_list_runs_the_same_queries_at_10_and_200_opportunities(self):
        def more(count):
            for number in range(count):
                create_opportunity(title=f"Hosting {number}", title_cy=f"Gwe-letya {number}")

        more(10)
        url = welsh_url("procurement:list")
        assert_queries_do_not_grow(
            {
                "words": fetch(self.client, url, {"q": "gwe"}, HTTP_ACCEPT_LANGUAGE="cy"),
                "no words": fetch(self.client, url, HTTP_ACCEPT_LANGUAGE="cy"),
            },
            grow=lambda: more(190),
        )


class WelshOpportunitySearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_opportunity(
            title="Cloud hosting for the library",
            description="Three years of hosting.",
            title_cy="Gwe-letya cwmwl i'r llyfrgell",
            description_cy="Tair blynedd o westeio.",
        )
        create_opportunity(title="Cyber security review", description="Untranslated.")

    def test_welsh_words_find_the_welsh_fields_on_a_welsh_page_only(self):
        self.assertEqual(found("llyfrgell"), ["Cloud hosting for the library"])
        self.assertEqual(found("blynedd"), ["Cloud hosting for the library"])  # description
        self.assertEqual(found("llyfrgell", language="en-gb"), [])

    def test_english_words_still_find_untranslated_opportunities_on_a_welsh_page(self):
        self.assertEqual(found("security"), ["Cyber security review"])
        self.assertEqual(found("hosted", sort="relevance"), ["Cloud hosting for the library"])

    def test_the_index_follows_updates_and_deletes(self):
        opportunity = Opportunity.objects.get(title="Cyber security review")
        Opportunity.objects.filter(pk=opportunity.pk).update(title_cy="Adolygiad seiber")
        self.assertEqual(found("adolygiad"), ["Cyber security review"])

        opportunity.delete()
        self.assertEqual(found("adolygiad"), [])


class WelshOpportunityEmailTests(TestCase):
    def test_an_emails_listing_carries_the_welsh_title(self):
        opportunity = create_opportunity(title="Cloud hosting", title_cy="Gwe-letya cwmwl")

        listing = alerts._listing(opportunity)

        self.assertEqual(
            (listing["title"], listing["title_cy"]), ("Cloud hosting", "Gwe-letya cwmwl")
        )

    def test_a_welsh_email_shows_the_welsh_title_or_the_english_marked(self):
        listings = [
            {"title": "Cloud hosting", "title_cy": "Gwe-letya cwmwl", "url": "https://x/1"},
            {"title": "Road works", "title_cy": "", "url": "https://x/2"},
        ]
        with translation.override("cy"):
            html = render_to_string(
                "emails/procurement/includes/opportunities.html", {"opportunities": listings}
            )
            text = render_to_string(
                "emails/procurement/includes/opportunities.txt", {"opportunities": listings}
            )

        self.assertIn(">Gwe-letya cwmwl</a>", html)
        self.assertIn('><span lang="en">Road works</span></a>', html)
        self.assertIn("\nGwe-letya cwmwl\n", text)
        self.assertIn("\nRoad works\n", text)
        self.assertNotIn("Cloud hosting", html + text)


@override_settings(SITE_URL="https://waymark.example", OCDS_OCID_PREFIX="ocds-test01")
class WelshOcdsExportTests(TestCase):
    def test_the_release_gives_the_welsh_title_and_description_as_language_variants(self):
        opportunity = create_opportunity(
            title="Cloud hosting", title_cy="Gwe-letya cwmwl", description_cy="Tair blynedd."
        )
        create_opportunity(title="Road works")

        package = self.client.get(reverse("ocds:releases")).json()

        tenders = {
            release["tender"]["title"]: release["tender"] for release in package["releases"]
        }
        self.assertEqual(tenders[opportunity.title]["title_cy"], "Gwe-letya cwmwl")
        self.assertEqual(tenders[opportunity.title]["description_cy"], "Tair blynedd.")
        self.assertNotIn("title_cy", tenders["Road works"])
        self.assertEqual(errors(package), [])
