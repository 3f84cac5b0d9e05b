"""Recommendations on a Welsh page: each offer's and opportunity's Welsh title and
summary, or the English marked lang="en"; the match alert email the same."""

from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import translation

from portal.matching import candidates
from tests.factories import create_offer, create_opportunity, get_council
from tests.welsh import get_welsh, welsh_url, with_welsh

GATESHEAD = "E08000037"
PROFILE = {"council": GATESHEAD, "size": "micro", "stage": "growing", "sic_section": "J"}


@with_welsh
class WelshRecommendationsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)
        common = {"status": "published", "uk_wide": True, "kind": "training_course"}
        create_offer(
            title="Data basics",
            summary="Spreadsheets to databases.",
            title_cy="Hanfodion data",
            summary_cy="O daenlenni i gronfeydd data.",
            dimensions=["data"],
            **common,
        )
        create_offer(
            title="Digital grant", summary="Money for software.", dimensions=["adoption"], **common
        )
        create_opportunity(title="Website rebuild", title_cy="Ailadeiladu gwefan", uk_wide=True)

    def setUp(self):
        candidates.forget()

    def test_the_welsh_page_shows_welsh_texts_and_marks_english_ones(self):
        response = get_welsh(self.client, welsh_url("matching:recommended"), PROFILE)

        self.assertContains(response, ">Hanfodion data</a>")
        self.assertContains(response, "O daenlenni i gronfeydd data.")
        self.assertContains(response, '><span lang="en">Digital grant</span></a>')
        self.assertContains(response, '<span lang="en">Money for software.</span>')
        self.assertNotContains(response, "Data basics")

    def test_the_english_page_is_as_it_was(self):
        response = self.client.get("/recommended/", PROFILE)

        self.assertContains(response, ">Data basics</a>")
        self.assertContains(response, ">Digital grant</a>")
        self.assertNotContains(response, "Hanfodion")
        self.assertNotContains(response, '<span lang="en">')


class WelshMatchAlertEmailTests(TestCase):
    def test_a_welsh_digest_shows_welsh_titles_or_the_english_marked(self):
        context = {
            "offers": [
                {"title": "Data basics", "title_cy": "Hanfodion data", "url": "https://x/1"},
                {"title": "Digital grant", "title_cy": "", "url": "https://x/2"},
            ],
            "opportunities": [{"title": "Website rebuild", "title_cy": "Ailadeiladu gwefan"}],
        }
        with translation.override("cy"):
            html = render_to_string("emails/matching/alert_digest.html", context)
            text = render_to_string("emails/matching/alert_digest.txt", context)

        self.assertIn(">Hanfodion data</a>", html)
        self.assertIn('><span lang="en">Digital grant</span></a>', html)
        self.assertIn(">Ailadeiladu gwefan</a>", html)
        self.assertIn("\nHanfodion data\n", text)
        self.assertIn("\nDigital grant\n", text)
        self.assertNotIn("Data basics", html + text)
