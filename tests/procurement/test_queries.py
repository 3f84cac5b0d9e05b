"""The public list's filters, places, value bands, sorting and facet counts."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

from django.http import QueryDict
from django.test import TestCase
from django.utils import timezone

from portal.procurement.models import CpvCode
from portal.procurement.queries.filters import OpportunityFilters
from portal.procurement.queries.search import count_facets, listed_opportunities, search_page
from tests.factories import create_opportunity, get_council, get_region


def filters(query: str = "") -> OpportunityFilters:
    return OpportunityFilters.from_querydict(QueryDict(query))


def titles(query: str = "", **kwargs) -> list[str]:
    return [opportunity.title for opportunity in listed_opportunities(filters(query), **kwargs)]


class FromQueryDictTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code="E08000037")

    def test_reads_every_filter(self):
        found = filters(
            "q=cloud++hosting&division=72&division=48&group=722&council=e08000037"
            "&region=TLC&value=over_2m&value=under_25k&value_not_stated=1&closing=14"
            "&sme=1&vcse=on&buyer=private&stage=tender&stage=planning&sort=value&page=3"
        )
        self.assertEqual(found.q, "cloud hosting")
        self.assertEqual(found.divisions, ["48", "72"])
        self.assertEqual(found.groups, ["722"])
        self.assertEqual(found.council, "E08000037")
        self.assertEqual(found.region, "north-east")
        self.assertEqual(found.value_bands, ["under_25k", "over_2m"])
        self.assertTrue(found.include_not_stated)
        self.assertEqual(found.closing_within, 14)
        self.assertTrue(found.sme)
        self.assertTrue(found.vcse)
        self.assertEqual(found.buyer_type, "private")
        self.assertEqual(found.stages, ["planning", "tender"])
        self.assertEqual(found.sort, "value")
        self.assertEqual(found.page, 3)
        self.assertEqual(found.messages, [])

    def test_divisions_and_groups_may_be_given_as_their_codes(self):
        found = filters(
            "division=72000000&division=72&division=48000000-8&group=72200000&group=724"
        )
        self.assertEqual((found.divisions, found.groups), (["48", "72"], ["722", "724"]))
        self.assertEqual(found.messages, [])
        self.assertEqual(found.to_querystring(), "division=48&division=72&group=722&group=724")
        # A finer code is not a division or a group.
        found = filters("division=72200000&group=72210000")
        self.assertEqual((found.divisions, found.groups), ([], []))
        self.assertEqual(len(found.messages), 2)

    def test_filters_for_what_a_business_supplies(self):
        found = OpportunityFilters.for_supplies(
            ["72000000", "72200000", "72212000", "45000000", "nonsense"], council="E08000037"
        )
        self.assertEqual(found.divisions, ["45", "72"])
        self.assertEqual(found.groups, ["722"])
        self.assertEqual(
            found.to_querystring(),
            "division=45&division=72&group=722&council=E08000037",
        )
        self.assertEqual(OpportunityFilters.for_supplies([]), OpportunityFilters())
        # The prefixes the matcher keeps: "70" is the division 70000000, not a group.
        found = OpportunityFilters.for_supplies(["72", "722", "72212", "70", "7"])
        self.assertEqual((found.divisions, found.groups), (["70", "72"], ["722"]))

    def test_junk_is_dropped_with_a_message_and_never_raises(self):
        found = filters(
            "division=7&division=ab&group=72&council=E99999999&region=Atlantis"
            "&value=huge&value_not_stated=perhaps&closing=3&sme=maybe&buyer=alien"
            "&stage=done&sort=random&page=-4&page=x&unknown=1"
        )
        self.assertEqual(found, OpportunityFilters(page=1))
        self.assertEqual(len(found.messages), 12)
        self.assertIn(
            "“maybe” is not a choice for “Suitable for SMEs”, so it was ignored.", found.messages
        )
        self.assertIn("“7” is not a CPV division (2 digits), so it was ignored.", found.messages)
        self.assertIn("We do not know the council “E99999999”, so it was ignored.", found.messages)
        self.assertIn("We do not know the region “Atlantis”, so it was ignored.", found.messages)

    def test_relevance_without_words_falls_back_quietly(self):
        found = filters("sort=relevance")
        self.assertEqual(found.sort, "closing")
        self.assertEqual(found.messages, [])
        self.assertEqual(filters("q=cloud&sort=relevance").sort, "relevance")

    def test_non_ascii_and_long_values_do_not_fail(self):
        found = filters("q=" + "é" * 500 + "&region=Ynys%20M%C3%B4n&council=%00")
        self.assertEqual(len(found.q), 200)
        self.assertEqual(len(found.messages), 2)

    def test_querystring_is_normalised_and_round_trips(self):
        one = filters("stage=tender&closing=14&council=E08000037&division=72&q=cloud&sort=newest")
        two = filters("q=cloud&division=72&council=e08000037&closing=14&stage=tender&page=2")
        self.assertEqual(one.to_querystring(), two.to_querystring())
        self.assertEqual(
            one.to_querystring(), "q=cloud&division=72&council=E08000037&closing=14&stage=tender"
        )
        self.assertEqual(filters(one.to_querystring()), filters(two.to_querystring()))
        self.assertEqual(
            one.to_querystring(include_sort=True, include_page=True),
            "q=cloud&division=72&council=E08000037&closing=14&stage=tender&sort=newest",
        )
        self.assertTrue(two.to_querystring(include_page=True).endswith("&page=2"))
        self.assertEqual(filters("").to_querystring(), "")

    def test_describe(self):
        CpvCode.objects.update_or_create(
            code="72000000",
            defaults={
                "description": "IT services: consulting, software development, Internet and "
                "support"
            },
        )
        lines = filters(
            "closing=14&council=E08000037&division=72&sme=1&value=under_25k&value_not_stated=1"
        ).describe()
        self.assertEqual(
            lines,
            [
                "CPV: IT services: consulting, software development, Internet and support",
                "In Gateshead (and North East, and UK-wide)",
                "Value Under £25,000, or not stated",
                "Closing within 14 days",
                "Suitable for small and medium-sized enterprises (SMEs)",
            ],
        )
        self.assertEqual(filters("").describe(), [])
        self.assertEqual(
            filters("region=north-east").describe(),
            ["In North East (and its councils, and UK-wide)"],
        )


class PlaceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gateshead = get_council(gss_code="E08000037")
        cls.sunderland = get_council(gss_code="E08000024")
        cls.manchester = get_council(gss_code="E08000003")
        cls.north_east = get_region(itl_code="TLC")
        cls.north_west = get_region(itl_code="TLD")
        create_opportunity(title="Gateshead", councils=[cls.gateshead])
        create_opportunity(title="Sunderland", councils=[cls.sunderland])
        create_opportunity(title="North East", regions=[cls.north_east])
        create_opportunity(title="North West", regions=[cls.north_west])
        create_opportunity(title="Manchester", councils=[cls.manchester])
        create_opportunity(title="UK-wide", uk_wide=True)
        create_opportunity(title="Nowhere")

    def test_a_council_matches_itself_its_region_and_uk_wide(self):
        self.assertCountEqual(titles("council=E08000037"), ["Gateshead", "North East", "UK-wide"])

    def test_a_region_matches_itself_its_councils_and_uk_wide(self):
        self.assertCountEqual(
            titles("region=north-east"), ["Gateshead", "Sunderland", "North East", "UK-wide"]
        )
        self.assertCountEqual(titles("region=TLD"), ["North West", "Manchester", "UK-wide"])

    def test_an_opportunity_for_several_places_is_listed_once(self):
        create_opportunity(
            title="Both", councils=[self.gateshead, self.sunderland], regions=[self.north_east]
        )
        self.assertEqual(titles("region=north-east").count("Both"), 1)
        self.assertEqual(search_page(filters("region=north-east")).total, 5)


class FilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        create_opportunity(
            title="Cloud hosting",
            cpv_codes=["72415000", "48000000"],
            value_min=Decimal("20000"),
            value_max=Decimal("30000"),
            sme_suitable=True,
            deadline=now + timedelta(days=5),
        )
        create_opportunity(
            title="Road resurfacing",
            description="Works on the A1 near Gateshead.",
            cpv_codes=["45233000"],
            value_max=Decimal("3000000"),
            buyer_type="public",
            deadline=now + timedelta(days=12),
        )
        create_opportunity(
            title="Website redesign",
            buyer_name="Tyneside Makers CIC",
            cpv_codes=["72212000"],
            value_max=Decimal("0"),
            vcse_suitable=True,
            buyer_type="private",
            stage="planning",
            deadline=now + timedelta(days=25),
        )
        create_opportunity(
            title="Cyber security audit",
            cpv_codes=["72800000"],
            value_min=Decimal("150000"),
            deadline=None,
            published_at=now - timedelta(days=10),
        )
        # Not listed: closed, past its deadline, a draft, withdrawn.
        create_opportunity(title="Closed", status="closed")
        create_opportunity(title="Past deadline", deadline=now - timedelta(minutes=1))
        create_opportunity(title="Draft", status="draft")
        create_opportunity(title="Withdrawn", status="withdrawn")

    def test_only_open_ones_before_their_deadline_are_listed(self):
        self.assertEqual(
            titles(),
            ["Cloud hosting", "Road resurfacing", "Website redesign", "Cyber security audit"],
        )

    def test_words_match_title_buyer_or_description_every_word(self):
        self.assertEqual(titles("q=cloud"), ["Cloud hosting"])
        self.assertEqual(titles("q=gateshead"), ["Road resurfacing"])
        self.assertEqual(titles("q=tyneside"), ["Website redesign"])
        self.assertEqual(titles("q=cloud+audit"), [])
        self.assertEqual(titles("q=CYBER+audit"), ["Cyber security audit"])

    def test_words_read_through_the_synonym_table_on_either_database(self):
        for words in ("cybersecurity", "cyber+security", "cyber"):
            with self.subTest(words):
                self.assertEqual(titles(f"q={words}"), ["Cyber security audit"])
        self.assertEqual(titles("q=web+site"), ["Website redesign"])
        # Not "Road resurfacing", for its "r" and "d".
        self.assertEqual(titles("q=R%26D"), [])
        self.assertEqual(titles("q=resurfacing+roads"), ["Road resurfacing"])  # stemmed

    def test_cpv_division_and_group(self):
        self.assertEqual(
            titles("division=72"), ["Cloud hosting", "Website redesign", "Cyber security audit"]
        )
        self.assertEqual(titles("division=45&division=48"), ["Cloud hosting", "Road resurfacing"])
        # A chosen group narrows its division; the other division stays whole.
        self.assertEqual(titles("division=72&group=728"), ["Cyber security audit"])
        self.assertEqual(
            titles("division=72&division=45&group=728"),
            ["Road resurfacing", "Cyber security audit"],
        )

    def test_value_bands_overlap_and_not_stated(self):
        self.assertEqual(titles("value=under_25k"), ["Cloud hosting"])
        self.assertEqual(titles("value=25k_100k"), ["Cloud hosting"])
        # Only one end stated (a lowest value of 150,000): it stands for the value.
        self.assertEqual(titles("value=100k_500k"), ["Cyber security audit"])
        self.assertEqual(titles("value=over_2m"), ["Road resurfacing"])
        # 0 is "not stated", never a value of £0 in the lowest band.
        self.assertEqual(
            titles("value=under_25k&value_not_stated=1"), ["Cloud hosting", "Website redesign"]
        )
        self.assertEqual(titles("value_not_stated=1"), titles())

    def test_value_annotations_never_show_zero(self):
        website = listed_opportunities(filters("q=website")).get()
        self.assertIsNone(website.value_low)
        self.assertIsNone(website.value_high)

    def test_closing_within(self):
        self.assertEqual(titles("closing=7"), ["Cloud hosting"])
        self.assertEqual(titles("closing=14"), ["Cloud hosting", "Road resurfacing"])
        self.assertEqual(
            titles("closing=30"), ["Cloud hosting", "Road resurfacing", "Website redesign"]
        )
        later = timezone.now() + timedelta(days=6)
        self.assertEqual(titles("closing=7", now=later), ["Road resurfacing"])

    def test_suitability_buyer_and_stage(self):
        self.assertEqual(titles("sme=1"), ["Cloud hosting"])
        self.assertEqual(titles("vcse=1"), ["Website redesign"])
        self.assertEqual(titles("buyer=private"), ["Website redesign"])
        self.assertEqual(titles("stage=planning"), ["Website redesign"])
        self.assertEqual(
            titles("stage=tender"), ["Cloud hosting", "Road resurfacing", "Cyber security audit"]
        )

    def test_sorts(self):
        # Each published a day before it was created; the audit ten days ago.
        self.assertEqual(
            titles("sort=newest"),
            ["Website redesign", "Road resurfacing", "Cloud hosting", "Cyber security audit"],
        )
        self.assertEqual(
            titles("sort=value"),
            ["Road resurfacing", "Cyber security audit", "Cloud hosting", "Website redesign"],
        )
        self.assertEqual(titles("q=security+audit&sort=relevance"), ["Cyber security audit"])

    def test_facet_counts_apply_every_other_filter(self):
        chosen = filters("division=72&closing=30&sme=1")
        counts = count_facets(chosen, divisions=["45", "48", "72"], groups=["722", "728"])
        self.assertEqual(counts.total, 1)
        # Division counts: with closing=30 and sme, but any division.
        self.assertEqual(counts.options["division"], {"45": 0, "48": 1, "72": 1})
        # Closing counts: division 72 and sme, any deadline.
        self.assertEqual(counts.options["closing"], {"7": 1, "14": 1, "30": 1, "any": 1})
        # SME count: division 72 and closing 30.
        self.assertEqual(counts.options["sme"], {"1": 1})
        # Options of facets that are not chosen: every chosen filter applies.
        self.assertEqual(counts.options["vcse"], {"1": 0})
        self.assertEqual(counts.options["group"], {"722": 0, "728": 0})

    def test_every_count_is_what_choosing_the_option_would_list(self):
        base = "division=72&closing=30"
        counts = count_facets(filters(base), divisions=["45", "48", "72"], groups=["724", "728"])
        self.assertEqual(counts.total, len(titles(base)))
        option_queries = {
            ("division", "45"): "division=45&closing=30",
            ("division", "72"): base,
            ("value", "not_stated"): base + "&value_not_stated=1&value=over_2m",
            ("closing", "7"): "division=72&closing=7",
            ("closing", "any"): "division=72",
            ("sme", "1"): base + "&sme=1",
            ("vcse", "1"): base + "&vcse=1",
            ("buyer", "private"): base + "&buyer=private",
            ("stage", "tender"): base + "&stage=tender",
            ("group", "728"): "division=72&group=728&closing=30",
        }
        for (facet, option), query in option_queries.items():
            with self.subTest(facet=facet, option=option):
                expected = len(titles(query))
                if (facet, option) == ("value", "not_stated"):
                    expected = len(titles(base + "&value_not_stated=1&value=under_25k")) - len(
                        titles(base + "&value=under_25k")
                    )
                self.assertEqual(counts.options[facet][option], expected)

    def test_search_page_pages_and_counts(self):
        result = search_page(filters("division=72&page=2"), per_page=2)
        self.assertEqual(result.total, 3)
        self.assertEqual(result.page.number, 2)
        self.assertEqual([o.title for o in result.opportunities], ["Cyber security audit"])
        beyond = search_page(filters("page=99"), per_page=2)
        self.assertEqual(beyond.page.number, 2)


class OddWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_opportunity(title="Cloud hosting", buyer_name="O'Neill & Sons")

    def test_punctuation_and_operators_never_fail(self):
        for words in ("!!!", "cloud & | ! (", "'cloud", '"cloud hosting"', "-hosting", "o'neill"):
            with self.subTest(words=words):
                for sort in ("closing", "relevance"):
                    found = filters(f"q={quote(words)}&sort={sort}")
                    list(listed_opportunities(found))
                    search_page(found)
        self.assertEqual(titles("q=!!!"), ["Cloud hosting"])
        self.assertEqual(titles(f"q={quote('cloud & | ! (')}"), ["Cloud hosting"])
