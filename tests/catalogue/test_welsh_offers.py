"""Offers in Welsh: curators add a Welsh title, summary and description (form, CSV);
Welsh pages show them, or the English marked lang="en"; a search on a Welsh page finds
the Welsh fields, unstemmed and with accents folded, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from portal.catalogue.models import Offer
from portal.catalogue.queries import search_offers
from portal.catalogue.search import WELSH_WORDS, criteria_from_query, match_words
from portal.lib.wordsearch import index_kept_after_migrate
from tests.catalogue.csv_files import offer_csv, offer_csv_row
from tests.catalogue.search_data import create_listed_offer, create_listed_offers
from tests.catalogue.test_csv_import import run_import
from tests.catalogue.test_curation_views import csrf_client, post
from tests.catalogue.test_offer_permissions import offer_form_data
from tests.factories import council_a, create_council_a_curator, create_offer
from tests.queries import assert_queries_do_not_grow, fetch
from tests.welsh import get_welsh, welsh_url, with_welsh

SEARCH = reverse("catalogue:search")


def found(words: str, *, language: str = "cy", sort: str = "") -> list[str]:
    """The titles the public search finds for ``words`` on a page in ``language``."""
    query = QueryDict(mutable=True)
    query.update({"q": words, **({"sort": sort} if sort else {})})
    with translation.override(language):
        offers, _counts = search_offers(criteria_from_query(query), place=None)
        return [offer.title for offer in offers]


def matched(words: str, *, language: str = "cy") -> set[str]:
    """The titles ``match_words`` (the ORM's filter) finds, for the same words."""
    with translation.override(language):
        return set(match_words(Offer.objects.all(), words).values_list("title", flat=True))


# Curators


class WelshFieldsInTheFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def test_a_curator_saves_the_welsh_title_summary_and_description(self):
        client = csrf_client(self.curator)
        data = {
            "title": "Made in Gateshead",
            "summary": "Help for makers.",
            "provider_name": "Gateshead Council",
            "kind": "grant",
            "delivery": "online",
            "cost": "free",
            "currency": "GBP",
            "application_url": "https://example.com/made",
            "councils": [council.pk for council in council_a().councils.all()],
            "title_cy": "Gwnaed yng Ngateshead",
            "summary_cy": "Help i wneuthurwyr.",
            "description_cy": "Grantiau bach i fusnesau.",
        }

        post(client, reverse("catalogue:offer-create"), data)

        offer = Offer.objects.get(title="Made in Gateshead")
        self.assertEqual(
            (offer.title_cy, offer.summary_cy, offer.description_cy),
            ("Gwnaed yng Ngateshead", "Help i wneuthurwyr.", "Grantiau bach i fusnesau."),
        )
        self.assertEqual(matched("wneuthurwyr"), {"Made in Gateshead"})

    def test_the_form_has_a_welsh_fieldset_with_hints(self):
        offer = create_offer(title="Made in Gateshead", title_cy="Gwnaed yng Ngateshead")
        self.client.force_login(self.curator)

        response = self.client.get(
            reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id})
        )

        self.assertContains(response, "Welsh (optional)")
        self.assertContains(response, 'name="title_cy"')
        self.assertContains(response, 'value="Gwnaed yng Ngateshead"')
        self.assertContains(response, 'name="description_cy"')
        self.assertContains(response, "Welsh pages show the English summary when this is empty.")

    def test_a_welsh_title_too_long_is_refused_with_a_message(self):
        client = csrf_client(self.curator)
        offer = create_offer(title="Made in Gateshead")
        response = post(
            client,
            reverse("catalogue:offer-edit", kwargs={"public_id": offer.public_id}),
            offer_form_data(offer, title_cy="x" * 201),
        )

        self.assertContains(response, "govuk-error-summary")
        offer.refresh_from_db()
        self.assertEqual(offer.title_cy, "")


class WelshColumnsInTheCsvTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()

    def test_the_welsh_columns_fill_the_welsh_fields(self):
        row = offer_csv_row(1, title_cy="Cwrs sgiliau digidol", summary_cy="Hyfforddiant am ddim.")

        report = run_import(offer_csv([row]), user=self.curator)

        self.assertTrue(report.ok, report.errors)
        offer = Offer.objects.get(external_id="row-1")
        self.assertEqual(
            (offer.title_cy, offer.summary_cy, offer.description_cy),
            ("Cwrs sgiliau digidol", "Hyfforddiant am ddim.", ""),
        )

    def test_a_file_without_the_welsh_columns_keeps_the_welsh_text(self):
        run_import(offer_csv([offer_csv_row(1, title_cy="Cwrs sgiliau")]), user=self.curator)
        headers = [name for name in offer_csv_row(1) if not name.endswith("_cy")]

        report = run_import(
            offer_csv([offer_csv_row(1, summary="Changed.")], headers=headers), user=self.curator
        )

        self.assertTrue(report.ok, report.errors)
        offer = Offer.objects.get(external_id="row-1")
        self.assertEqual((offer.summary, offer.title_cy), ("Changed.", "Cwrs sgiliau"))


# Founders' pages


@with_welsh
class WelshOfferPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.translated = create_listed_offer(
            title="Export grant",
            summary="Money to sell abroad.",
            description="Up to £5,000.",
            title_cy="Grant allforio",
            summary_cy="Arian i werthu dramor.",
            description_cy="Hyd at £5,000.",
        )
        cls.english_only = create_listed_offer(
            title="Cloud clinic", summary="An hour with an expert.", description="Book a slot."
        )

    def test_a_welsh_page_shows_the_welsh_text(self):
        response = get_welsh(self.client, welsh_url("catalogue:offer", self.translated.slug))

        self.assertContains(response, '<h1 class="govuk-heading-l">Grant allforio</h1>', html=True)
        self.assertContains(response, '<p class="govuk-body-l">Arian i werthu dramor.</p>')
        self.assertContains(response, '<div class="govuk-body"><p>Hyd at £5,000.</p></div>')
        self.assertContains(response, "<title>Grant allforio")
        self.assertNotContains(response, "Export grant")
        self.assertNotContains(response, 'lang="en">')

    def test_a_welsh_page_shows_english_marked_as_english_when_there_is_no_welsh(self):
        response = get_welsh(self.client, welsh_url("catalogue:offer", self.english_only.slug))

        for marked in (
            '<h1 class="govuk-heading-l" lang="en">Cloud clinic</h1>',
            '<p class="govuk-body-l" lang="en">An hour with an expert.</p>',
            '<div class="govuk-body" lang="en"><p>Book a slot.</p></div>',
        ):
            self.assertContains(response, marked)

    def test_an_english_page_is_as_it_was(self):
        response = self.client.get(reverse("catalogue:offer", args=[self.translated.slug]))

        self.assertContains(response, '<h1 class="govuk-heading-l">Export grant</h1>')
        self.assertContains(response, '<p class="govuk-body-l">Money to sell abroad.</p>')
        self.assertNotContains(response, "allforio")
        self.assertNotContains(response, 'lang="en">')

    def test_the_welsh_search_page_lists_welsh_titles_and_marks_english_ones(self):
        response = get_welsh(self.client, welsh_url("catalogue:search"))

        self.assertContains(response, ">Grant allforio</a>")
        self.assertContains(response, "Arian i werthu dramor.")
        self.assertContains(response, '><span lang="en">Cloud clinic</span></a>')
        self.assertContains(response, '<span lang="en">An hour with an expert.</span>')

    def test_the_english_search_page_is_as_it_was(self):
        response = self.client.get(SEARCH)

        self.assertContains(response, ">Export grant</a>")
        self.assertContains(response, ">Cloud clinic</a>")
        self.assertNotContains(response, "allforio")
        self.assertNotContains(response, '<span lang="en">')

    def test_a_welsh_search_finds_the_welsh_title_on_the_page(self):
        response = get_welsh(self.client, welsh_url("catalogue:search"), {"q": "allforio"})

        self.assertContains(response, ">Grant allforio</a>")
        self.assertNotContains(response, "Cloud clinic")


@with_welsh
class WelshSearchQueryCountTests(TestCase):
    def make_offers(self, count: int):
        create_listed_offers(count=count, title_cy="Cymorth digidol", summary="Digital help")

    def test_the_welsh_search_page_runs_the_same_queries_at_10_and_200_offers(self):
        self.make_offers(10)
        url = welsh_url("catalogue:search")
        assert_queries_do_not_grow(
            {
                "words": fetch(self.client, url, {"q": "digidol"}, HTTP_ACCEPT_LANGUAGE="cy"),
                "no words": fetch(self.client, url, HTTP_ACCEPT_LANGUAGE="cy"),
            },
            grow=lambda: self.make_offers(190),
        )

    def test_the_welsh_offer_page_runs_a_fixed_number_of_queries(self):
        offer = create_listed_offer(title="Export grant", title_cy="Grant allforio")
        url = welsh_url("catalogue:offer", offer.slug)
        assert_queries_do_not_grow(
            fetch(self.client, url, HTTP_ACCEPT_LANGUAGE="cy"),
            grow=lambda: self.make_offers(50),
        )


# Search


class WelshWordSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_listed_offer(
            title="Export grant",
            summary="Money to sell abroad.",
            title_cy="Grant allforio",
            summary_cy="Arian i fusnesau werthu dramor.",
        )
        create_listed_offer(
            title="Digital marketing course",
            summary="Six evenings.",
            title_cy="Cwrs marchnata digidol",
            description_cy="Chwe noson o hyfforddiant.",
        )
        create_listed_offer(
            title="Support in every corner of Wales",
            summary="Advisers near you.",
            title_cy="Cymorth ym mhob cwr o Gymru",
            summary_cy="Cyngor busnes lleol.",
        )
        create_listed_offer(title="Cyber clinic", summary="Untranslated help with security.")
        create_listed_offer(
            title="Eisteddfod stand",
            summary="Show your business at the festival.",
            title_cy="Stondin yn yr Ŵyl",
        )

    def test_a_welsh_word_finds_the_welsh_fields_on_a_welsh_page(self):
        self.assertEqual(found("allforio"), ["Export grant"])
        self.assertEqual(found("hyfforddiant"), ["Digital marketing course"])  # description

    def test_english_words_still_find_listings_on_a_welsh_page(self):
        self.assertEqual(found("cyber"), ["Cyber clinic"])  # not translated yet
        self.assertEqual(found("exporting"), ["Export grant"])  # stemmed as English

    def test_each_word_may_match_in_either_language(self):
        self.assertEqual(found("allforio money"), ["Export grant"])
        self.assertEqual(matched("allforio money"), {"Export grant"})
        self.assertEqual(found("allforio cyber"), [])

    def test_english_pages_do_not_search_the_welsh_fields(self):
        self.assertEqual(found("allforio", language="en-gb"), [])
        self.assertEqual(found("export", language="en-gb"), ["Export grant"])
        self.assertEqual(matched("allforio", language="en-gb"), set())

    def test_welsh_words_are_not_cut_as_if_they_were_english(self):
        # English stemmers make "busn" of "busnes" (both databases'), and porter (SQLite's)
        # "cwr", a corner, of "cwrs", a course.
        self.assertEqual(found("busn"), [])
        self.assertEqual(found("busnes"), ["Support in every corner of Wales"])
        self.assertEqual(found("fusnesau"), ["Export grant"])  # the mutated form, as written
        self.assertEqual(found("cwrs"), ["Digital marketing course"])
        self.assertEqual(found("cwr"), ["Support in every corner of Wales"])

    def test_accents_are_folded_as_people_often_type_without_them(self):
        self.assertEqual(found("wyl"), ["Eisteddfod stand"])
        self.assertEqual(found("ŵyl"), ["Eisteddfod stand"])
        self.assertEqual(matched("WYL"), {"Eisteddfod stand"})

    def test_the_welsh_title_ranks_first_by_relevance(self):
        create_listed_offer(title="Training days", description_cy="Diwrnodau i allforio.")

        self.assertEqual(found("allforio", sort="relevance"), ["Export grant", "Training days"])


class WelshIndexKeptInStepTests(TestCase):
    def test_saves_updates_and_deletes_reach_the_welsh_index(self):
        offer = create_listed_offer(title="Bookkeeping clinic", title_cy="Clinig cadw cyfrifon")
        self.assertEqual(found("cyfrifon"), ["Bookkeeping clinic"])

        offer.title_cy = "Clinig llyfrau"
        offer.save()
        self.assertEqual(found("cyfrifon"), [])
        self.assertEqual(found("llyfrau"), ["Bookkeeping clinic"])

        Offer.objects.filter(pk=offer.pk).update(summary_cy="Treth ar werth")
        self.assertEqual(found("treth"), ["Bookkeeping clinic"])

        Offer.objects.filter(pk=offer.pk).delete()
        self.assertEqual(found("llyfrau"), [])
        self.assertEqual(found("treth"), [])


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_a_migrate_restores_the_welsh_triggers_a_table_rebuild_dropped():
    create_listed_offer(title="Plain advice", title_cy="Cyngor plaen")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER catalogue_offer_words_cy_update")
    Offer.objects.filter(title="Plain advice").update(title_cy="Cyngor cadw llyfrau")
    assert found("llyfrau") == []

    index_kept_after_migrate(WELSH_WORDS)(using="default")

    assert found("llyfrau") == ["Plain advice"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_the_welsh_fts5_table_has_no_english_stemmer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'catalogue_offer_words_cy'")
        (sql,) = cursor.fetchone()
    assert "tokenize='unicode61 remove_diacritics 2'" in sql
    assert "porter" not in sql


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_a_welsh_search_uses_both_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    with translation.override("cy"):
        plan = match_words(Offer.objects.all(), "allforio digidol").explain()
    assert "catalogue_offer_search_document_cy" in plan
    assert "catalogue_offer_search_document " in plan or "catalogue_offer_search_document\n" in (
        plan + "\n"
    )
