"""Words find the same offers on SQLite and on PostgreSQL.

The suite runs on whichever database DATABASE_URL names (SQLite by default; CI runs it
on both), so each case below is checked on each. The offers hold the traps of the old
searches: on SQLite, "R&D" matched any text with an "r" and a "d" in it; on PostgreSQL,
any text with the words "r" and "d" anywhere ("form R and schedule D").
"""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from portal.catalogue.demo import load_demo_offers
from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.queries import search_offers
from portal.catalogue.search import WORDS, criteria_from_query
from portal.lib.wordsearch import index_kept_after_migrate
from tests.catalogue.search_data import create_listed_offer
from tests.factories import build_offer

SEARCH = reverse("catalogue:search")

# title: summary, description
OFFERS = {
    "R&D tax relief advice": ("Help claiming R&D tax relief from HMRC.", ""),
    "Research and development tax credits clinic": ("Free sessions for small firms.", ""),
    "Innovation grant": ("Grants for R & D projects that lead to new products.", ""),
    "Enterprise Investment Scheme": ("Tax relief for people who invest in small firms.", ""),
    "Retail and design days": ("Days out for shop owners.", "Covers form R and schedule D."),
    "Cyber security training": ("Short courses on keeping your systems safe.", ""),
    "Cybersecurity health check": ("A free review of your defences.", ""),
    "Cyber Essentials certification": ("A scheme against the commonest attacks.", ""),
    "Cyber-security for charities": ("Help for small charities.", ""),
    "Security guarding for shops": ("Guards and alarms for your premises.", ""),
    "Export Academy": ("Free courses for businesses new to selling abroad.", ""),
    "Exporting for beginners": ("Your first order overseas.", ""),
    "First-time exporters accelerator": ("A year of help to win orders abroad.", ""),
    "Trade fair support": ("Stands at trade fairs.", "Meet buyers, with export advice too."),
    "AI skills bootcamp": ("Sixteen weeks of machine learning.", ""),
    "Artificial intelligence adoption programme": ("Use data to work smarter.", ""),
    "E-commerce growth programme": ("Grow your web shop.", ""),
    "Ecommerce webinar": ("An hour on marketplaces.", ""),
    "Selling online workshop": ("Set up your first shop.", ""),
}
R_AND_D = {
    "R&D tax relief advice",
    "Research and development tax credits clinic",
    "Innovation grant",
}
CYBER = {
    "Cyber security training",
    "Cybersecurity health check",
    "Cyber Essentials certification",
    "Cyber-security for charities",
}
EXPORT = {
    "Export Academy",
    "Exporting for beginners",
    "First-time exporters accelerator",
    "Trade fair support",
}
AI = {"AI skills bootcamp", "Artificial intelligence adoption programme"}
E_COMMERCE = {"E-commerce growth programme", "Ecommerce webinar", "Selling online workshop"}

CASES = {
    "R&D": R_AND_D,
    "r&d": R_AND_D,
    "R & D": R_AND_D,
    "research and development": R_AND_D,
    "R&D tax relief": {"R&D tax relief advice", "Research and development tax credits clinic"},
    "research and development tax credit": {
        "R&D tax relief advice",
        "Research and development tax credits clinic",
    },
    "tax relief": {
        "R&D tax relief advice",
        "Research and development tax credits clinic",
        "Enterprise Investment Scheme",
    },
    "cybersecurity": CYBER,
    "cyber security": CYBER,
    "cyber": CYBER,
    "security guarding": {"Security guarding for shops"},
    "exporting": EXPORT,
    "export": EXPORT,
    "exporters": EXPORT,
    "AI": AI,
    "artificial intelligence": AI,
    "e-commerce": E_COMMERCE,
    "ecommerce": E_COMMERCE,
    "selling online": E_COMMERCE,
    "the": set(OFFERS),  # nothing to search for: every offer
    "xylophone": set(),
}


def found(words: str) -> list[str]:
    query = QueryDict(mutable=True)
    query["q"] = words
    offers, _counts = search_offers(criteria_from_query(query), place=None)
    return [offer.title for offer in offers]


@pytest.mark.django_db
class TestSameOffersOnEitherDatabase:
    @staticmethod
    def create_objects():
        for title, (summary, description) in OFFERS.items():
            create_listed_offer(title=title, summary=summary, description=description)
        return {}

    @pytest.mark.parametrize(("words", "expected"), CASES.items(), ids=list(CASES))
    def test_words_find_these_offers(self, class_world, words, expected):
        assert set(found(words)) == expected

    @pytest.mark.parametrize(("words", "expected"), CASES.items(), ids=list(CASES))
    def test_the_counts_count_the_offers_the_words_find(self, class_world, words, expected):
        query = QueryDict(mutable=True)
        query["q"] = words
        _offers, counts = search_offers(criteria_from_query(query), place=None)
        assert counts.total == len(expected)

    def test_a_title_match_ranks_first(self, class_world):
        titles = found("export")

        assert set(titles[:3]) == EXPORT - {"Trade fair support"}
        assert titles[-1] == "Trade fair support"  # only its description says "export"

    def test_words_sort_by_relevance_unless_an_order_is_chosen(self, class_world, client):
        # The form from /support/ sends the sort shown, which has no value by default.
        for params in ({"q": "export"}, {"q": "export", "sort": ""}):
            response = client.get(SEARCH, params)
            assert response.context["criteria"].sort == "relevance"
            assert [offer.title for offer in response.context["offers"]][-1] == (
                "Trade fair support"
            )
        chosen = client.get(SEARCH, {"q": "export", "sort": "newest"})
        assert chosen.context["criteria"].sort == "newest"
        # build_offer publishes each offer a day before the one made before it.
        assert [offer.title for offer in chosen.context["offers"]][0] == "Export Academy"

    def test_the_sort_shown_by_default_lets_the_next_search_choose(self, class_world, client):
        without_words = client.get(SEARCH).content.decode()
        assert '<option value="" selected>Newest</option>' in without_words
        assert '<option value="closing">Closing soonest</option>' in without_words

        with_words = client.get(SEARCH, {"q": "export"}).content.decode()
        assert '<option value="" selected>Most relevant</option>' in with_words
        assert '<option value="newest">Newest</option>' in with_words

        chosen = client.get(SEARCH, {"q": "export", "sort": "newest"}).content.decode()
        assert '<option value="newest" selected>Newest</option>' in chosen
        assert '<option value="relevance">Most relevant</option>' in chosen

    def test_htmx_updates_the_sort_options_with_the_results(self, class_world, client):
        fragment = client.get(SEARCH, {"q": "export", "sort": ""}, HTTP_HX_REQUEST="true")

        body = fragment.content.decode()
        assert 'id="search-sort" name="sort" hx-swap-oob="true">' in body
        assert '<option value="" selected>Most relevant</option>' in body


@pytest.mark.django_db
def test_every_way_of_writing_keeps_the_index_in_step():
    """Saved, created in bulk, updated in bulk, deleted: the search follows (on SQLite
    through the triggers, on PostgreSQL through the indexed expression)."""
    offer = create_listed_offer(title="Plain advice")
    assert found("bookkeeping") == []

    offer.title = "Bookkeeping advice"
    offer.save()
    assert found("bookkeeping") == ["Bookkeeping advice"]

    Offer.objects.bulk_create(
        [build_offer(title="Bookkeeping clinic", status=OfferStatus.PUBLISHED, uk_wide=True)]
    )
    assert set(found("bookkeeping")) == {"Bookkeeping advice", "Bookkeeping clinic"}

    Offer.objects.filter(title="Bookkeeping clinic").update(summary="Payroll too.")
    assert found("payroll") == ["Bookkeeping clinic"]

    Offer.objects.filter(title="Bookkeeping advice").delete()
    assert found("bookkeeping") == ["Bookkeeping clinic"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_a_migrate_restores_triggers_a_table_rebuild_dropped():
    create_listed_offer(title="Plain advice")
    with connection.cursor() as cursor:
        # What SQLite's schema editor does to alter a table: the triggers go with it.
        cursor.execute("DROP TRIGGER catalogue_offer_words_update")
    Offer.objects.filter(title="Plain advice").update(title="Bookkeeping advice")
    assert found("bookkeeping") == []

    index_kept_after_migrate(WORDS)(using="default")

    assert found("bookkeeping") == ["Bookkeeping advice"]  # rebuilt
    Offer.objects.filter(title="Bookkeeping advice").update(title="Payroll advice")
    assert found("payroll") == ["Payroll advice"]  # and kept again


def demo_text(entry: dict) -> str:
    return " ".join(entry.get(name) or "" for name in ("title", "summary", "provider_name"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("words", "meaning"),
    [
        ("R&D", r"\bR\s?&\s?D\b|research and development"),
        ("research and development", r"\bR\s?&\s?D\b|research and development"),
        ("cyber security", r"\bcyber(\b|[\s-]?security)|information security"),
        ("cybersecurity", r"\bcyber(\b|[\s-]?security)|information security"),
    ],
)
def test_real_programmes_found_are_the_ones_about_the_words(words, meaning):
    """The 144 real programmes of the demo: "R&D" finds the few about R&D, not the 105
    of 109 the letters matched."""
    demo = load_demo_offers()
    Offer.objects.bulk_create(
        build_offer(
            title=entry["title"],
            summary=entry["summary"],
            provider_name=entry["provider_name"],
            description=entry.get("description") or "",
            status=OfferStatus.PUBLISHED,
            uk_wide=True,
        )
        for entry in demo
    )
    about = {entry["title"] for entry in demo if re.search(meaning, demo_text(entry), re.I)}

    assert 3 <= len(about) < 40
    assert set(found(words)) == about
