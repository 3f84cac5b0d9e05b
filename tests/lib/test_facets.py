"""The faceted search machinery: a condition selects the same rows as a filter and as
counted SQL, each option counts what choosing it would give, and the sorts."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Value
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from portal.catalogue.models import Offer
from portal.lib import facets
from portal.procurement.models import Opportunity
from portal.procurement.queries.facets import value_range
from tests.factories import create_offer, create_opportunity

TODAY = date(2026, 6, 15)
NOW = timezone.now()


def counted_alone(base, condition) -> int:
    """How many rows of ``base`` the condition's SQL counts."""
    counts = facets.count_facets(
        base, chosen={}, counted=[facets.Counted("option", "1", condition)]
    )
    return counts.of("option", "1")


class ConditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_offer(kind="grant", sizes=["micro"], closes=TODAY, uk_wide=True)
        create_offer(kind="loan", sizes=[], opens=TODAY + timedelta(days=1), uk_wide=True)
        create_offer(kind="grant", sizes=["small", "medium"], always_open=True, uk_wide=True)
        create_opportunity(cpv_codes=["72212000"], value_max=Decimal("20000"), deadline=None)
        create_opportunity(cpv_codes=["45000000"], value_min=Decimal("30000"), sme_suitable=True)
        create_opportunity(cpv_codes=["72000000", "48000000"], deadline=NOW + timedelta(days=3))

    def test_each_condition_counts_the_rows_its_filter_selects(self):
        offers = Offer.objects.all()
        opportunities = value_range(Opportunity.objects.all())
        cases = [
            (offers, facets.equals("kind", "grant")),
            (offers, facets.Has("sizes", "micro")),
            (offers, facets.equals("sizes", "") | facets.Has("sizes", "small")),
            (offers, facets.IsNull("closes")),
            (offers, facets.IsNull("opens", null=False)),
            (offers, facets.at_most("opens", TODAY)),
            (offers, facets.at_least("closes", TODAY)),
            (offers, facets.equals("always_open", True)),
            (offers, facets.equals("kind", "grant") & facets.Has("sizes", "medium")),
            (offers, facets.any_of([facets.equals("kind", "loan")])),
            (offers, facets.Everything()),
            (opportunities, facets.Has("cpv_codes", "72", prefix=True)),
            (opportunities, facets.Has("cpv_codes", "48000000")),
            (opportunities, facets.at_least("value_high", 25_000)),
            (opportunities, facets.below("value_low", 25_000)),
            (opportunities, facets.IsNull("value_high")),
            (opportunities, facets.at_most("deadline", NOW + timedelta(days=5))),
            (opportunities, facets.equals("sme_suitable", True)),
        ]
        for base, condition in cases:
            with self.subTest(condition=condition):
                expected = base.filter(condition.q()).count()
                self.assertEqual(counted_alone(base, condition), expected)
        self.assertEqual(counted_alone(offers, facets.Everything()), 3)

    def test_any_of_one_condition_is_that_condition(self):
        condition = facets.equals("kind", "grant")
        self.assertIs(facets.any_of([condition]), condition)


class CountFacetsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for kind, cost in [
            ("grant", "free"),
            ("grant", "paid"),
            ("loan", "free"),
            ("loan", "free"),
        ]:
            create_offer(kind=kind, cost=cost, uk_wide=True)

    def test_each_option_counts_with_every_other_chosen_facet(self):
        base = Offer.objects.all()
        counted = [
            facets.Counted("kind", kind, facets.equals("kind", kind)) for kind in ("grant", "loan")
        ]
        counted += [
            facets.Counted("cost", cost, facets.equals("cost", cost)) for cost in ("free", "paid")
        ]
        chosen = {"kind": facets.equals("kind", "grant"), "cost": facets.equals("cost", "free")}
        counts = facets.count_facets(base, chosen=chosen, counted=counted)
        self.assertEqual(counts.total, 1)  # a free grant
        self.assertEqual(counts.options["kind"], {"grant": 1, "loan": 2})  # free ones
        self.assertEqual(counts.options["cost"], {"free": 1, "paid": 1})  # grants
        self.assertEqual(counts.total, facets.apply_facets(base, chosen).count())

    def test_options_of_one_facet_under_two_parameters(self):
        counted = [
            facets.Counted("kind", "grant", facets.equals("kind", "grant"), facet="type"),
            facets.Counted("kind_too", "loan", facets.equals("kind", "loan"), facet="type"),
        ]
        counts = facets.count_facets(
            Offer.objects.all(), chosen={"type": facets.equals("kind", "grant")}, counted=counted
        )
        self.assertEqual(counts.total, 2)
        self.assertEqual(counts.of("kind_too", "loan"), 2)  # its own facet is ignored
        self.assertEqual(counts.of("kind", "absent"), 0)


class GroupedCountTests(TestCase):
    """Counting the options on one field per value of it (``grouped_by``) gives the same
    figures as counting them on every row."""

    @classmethod
    def setUpTestData(cls):
        for codes, sme, value in [
            (["72212000"], True, "20000"),
            (["72212000"], False, "300000"),
            (["72000000", "48000000"], True, None),
            (["45000000"], False, "30000"),
            (["45000000", "72500000"], True, "3000000"),
        ]:
            create_opportunity(
                cpv_codes=codes,
                sme_suitable=sme,
                value_max=Decimal(value) if value else None,
                deadline=NOW + timedelta(days=3),
            )

    def counts(self, chosen, **grouping):
        base = value_range(Opportunity.objects.all())
        counted = [
            facets.Counted("division", code, facets.Has("cpv_codes", code, prefix=True), "cpv")
            for code in ("45", "48", "72", "99")
        ]
        counted += [facets.Counted("group", "722", facets.Has("cpv_codes", "722", prefix=True))]
        counted.append(facets.Counted("sme", "1", facets.equals("sme_suitable", True)))
        counted.append(facets.Counted("value", "big", facets.at_least("value_high", 100_000)))
        return facets.count_facets(base, chosen=chosen, counted=counted, **grouping)

    def test_grouped_and_row_by_row_counts_agree(self):
        cases = [
            {},
            {"cpv": facets.Has("cpv_codes", "72", prefix=True)},
            {"sme": facets.equals("sme_suitable", True)},
            {
                "cpv": facets.Has("cpv_codes", "45", prefix=True),
                "value": facets.at_least("value_high", 100_000),
            },
            {"sme": facets.equals("sme_suitable", True), "value": facets.IsNull("value_high")},
        ]
        for chosen in cases:
            with self.subTest(chosen=list(chosen)):
                grouped = self.counts(chosen, grouped_by="cpv_codes")
                self.assertEqual(grouped, self.counts(chosen))
        everything = self.counts({}, grouped_by="cpv_codes")
        self.assertEqual(everything.total, 5)
        self.assertEqual(everything.options["division"], {"45": 2, "48": 1, "72": 4, "99": 0})
        self.assertEqual(everything.of("group", "722"), 2)

    def test_no_rows_count_nothing(self):
        counted = [facets.Counted("division", "72", facets.Has("cpv_codes", "72", prefix=True))]
        counts = facets.count_facets(
            Opportunity.objects.filter(title="none such"),
            chosen={},
            counted=counted,
            grouped_by="cpv_codes",
        )
        self.assertEqual((counts.total, counts.of("division", "72")), (0, 0))


SORTS = facets.Sorts(
    facets.Sort("relevance", "Most relevant", ("title",), by_relevance=True),
    facets.Sort("newest", "Newest", ("-created",)),
    facets.Sort("closing", "Closing soonest", ("closes",)),
    default="newest",
    default_with_words="relevance",
)


class SortsTests(SimpleTestCase):
    def test_relevance_is_offered_only_with_words(self):
        self.assertEqual([s.value for s in SORTS.offered(words=False)], ["newest", "closing"])
        self.assertEqual(
            [s.value for s in SORTS.offered(words=True)], ["relevance", "newest", "closing"]
        )

    def test_choose_falls_back_to_the_default(self):
        self.assertEqual(SORTS.choose("closing", words=False), "closing")
        self.assertEqual(SORTS.choose("relevance", words=False), "newest")
        self.assertEqual(SORTS.choose("bogus", words=True), "relevance")
        self.assertEqual(SORTS.choose("", words=False), "newest")
        self.assertIn("closing", SORTS)
        self.assertNotIn("bogus", SORTS)

    def test_order_ranks_first_for_relevance_and_falls_back_without_words(self):
        ranked = SORTS.order(
            Offer.objects.all(), "relevance", rank=lambda offers: offers.annotate(rank=Value(1))
        )
        self.assertEqual(ranked.query.order_by, ("-rank", "title"))
        unranked = SORTS.order(Offer.objects.all(), "relevance", rank=None)
        self.assertEqual(unranked.query.order_by, ("-created",))
        self.assertEqual(SORTS.order(Offer.objects.all(), "bogus").query.order_by, ("-created",))


class OptionsTests(SimpleTestCase):
    def test_options_carry_counts_and_choices(self):
        counts = facets.FacetCounts(total=3, options={"kind": {"grant": 2}})
        options = facets.options(
            "kind", [("grant", "Grant"), ("loan", "Loan")], counts=counts, chosen=["loan"]
        )
        self.assertEqual(
            options,
            [
                facets.Option("kind", "grant", "Grant", 2, False, "kind-grant"),
                facets.Option("kind", "loan", "Loan", 0, True, "kind-loan"),
            ],
        )


class FragmentRequestedTests(SimpleTestCase):
    def requested(self, **headers) -> bool:
        request = RequestFactory().get("/", headers=headers)
        request.htmx = HtmxDetails(request)
        return facets.fragment_requested(request)

    def test_htmx_asks_for_the_fragment_except_to_restore_history(self):
        self.assertFalse(self.requested())
        self.assertTrue(self.requested(HX_Request="true"))
        self.assertFalse(self.requested(HX_Request="true", HX_History_Restore_Request="true"))
