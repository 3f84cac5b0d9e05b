"""The candidates the loader reads as columns (portal/matching/candidates.py) are the same
as those built from rows made field by field from the models; the ranking over the
eligible candidates only gives what it gives over them all; the word search of the
builder is ``any(word in text)``."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import numpy as np
import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.synthetic import create_offers
from portal.lib import versions
from portal.matching import candidates
from portal.matching.columns import (
    LazyRows,
    build_offer_candidates,
    build_opportunity_candidates,
    rows_containing,
)
from portal.matching.ranking.offers import offer_components, offer_rule_masks
from portal.matching.ranking.opportunities import _matches, opportunity_components
from portal.matching.records import OfferRow, OpportunityRow
from portal.places.models import Region
from portal.procurement.models import BuyerType, Opportunity, Status
from portal.procurement.synthetic import create_opportunities
from tests.matching.test_reference import (
    NOW,
    REGIONS,
    TODAY,
    businesses,
    offer_rows,
    opportunity_rows,
)


def _ids(manager) -> tuple[int, ...]:
    return tuple(sorted(manager.values_list("pk", flat=True)))


def offer_row(offer: Offer) -> OfferRow:
    return OfferRow(
        id=offer.pk,
        slug=offer.slug,
        title=offer.title,
        external_id=offer.external_id,
        kind=offer.kind,
        dimensions=tuple(offer.dimensions),
        maturity_levels=tuple(offer.maturity_levels),
        sizes=tuple(offer.sizes),
        stages=tuple(offer.stages),
        sic_sections=tuple(offer.sic_sections),
        uk_wide=offer.uk_wide,
        region_ids=_ids(offer.regions),
        council_ids=_ids(offer.councils),
        cost=offer.cost,
        closes=offer.closes,
        last_reviewed=offer.last_reviewed,
        review_due=offer.review_due,
        text=offer.summary,
    )


def yearly(opportunity: Opportunity) -> float | None:
    value = opportunity.value_max or opportunity.value_min
    if not value:
        return None
    start, end = opportunity.contract_start, opportunity.contract_end
    if start and end and end > start:
        return float(value) / max((end - start).days / 365.25, 1.0)
    return float(value)


def opportunity_row(opportunity: Opportunity) -> OpportunityRow:
    return OpportunityRow(
        id=opportunity.pk,
        public_id=str(opportunity.public_id),
        ocid=opportunity.ocid or "",
        title=opportunity.title,
        cpv_codes=tuple(opportunity.cpv_codes),
        uk_wide=opportunity.uk_wide,
        region_ids=_ids(opportunity.regions),
        council_ids=_ids(opportunity.councils),
        deadline=opportunity.deadline,
        public_buyer=opportunity.buyer_type != BuyerType.PRIVATE,
        sme_suitable=opportunity.sme_suitable,
        yearly_value=yearly(opportunity),
    )


def sorted_places(row):
    return row.__class__(
        **{
            **row.__dict__,
            "region_ids": tuple(sorted(row.region_ids)),
            "council_ids": tuple(sorted(row.council_ids)),
        }
    )


def assert_same_candidates(loaded, built):
    assert len(loaded) == len(built)
    for name, value in vars(loaded).items():
        other = getattr(built, name)
        if name == "rows":
            assert [sorted_places(row) for row in value] == list(other)
        elif isinstance(value, np.ndarray):
            assert value.dtype == other.dtype, name
            assert np.array_equal(value, other, equal_nan=value.dtype.kind == "f"), name
        elif name in {"council_index", "set_prefixes"}:
            assert value.keys() == other.keys(), name
            for key in value:
                assert np.array_equal(np.sort(value[key]), np.sort(other[key])), (name, key)
        else:
            assert value == other, name


@pytest.mark.django_db
def test_the_offers_read_as_columns_are_the_offers_made_row_by_row():
    create_offers(80, seed=4)
    Offer.objects.filter(pk=Offer.objects.order_by("pk").first().pk).update(
        external_id="EXT-1", summary="Cyber Essentials and backup clinics"
    )
    loaded = candidates.offer_candidates()
    offers = Offer.objects.filter(status=OfferStatus.PUBLISHED).in_bulk()
    assert len(loaded) == len(offers) > 40
    built = build_offer_candidates(
        [offer_row(offers[row.id]) for row in loaded.rows],
        region_order=list(Region.objects.order_by("pk").values_list("pk", flat=True)),
    )
    assert_same_candidates(loaded, built)


@pytest.mark.django_db
def test_the_opportunities_read_as_columns_are_the_opportunities_made_row_by_row():
    create_opportunities(300, seed=4)
    Opportunity.objects.filter(pk=Opportunity.objects.order_by("pk").first().pk).update(
        status=Status.OPEN, value_max=None, value_min=1234.56, contract_start=None
    )
    loaded = candidates.opportunity_candidates()
    opportunities = Opportunity.objects.filter(status=Status.OPEN).in_bulk()
    assert len(loaded) == len(opportunities) > 150
    built = build_opportunity_candidates(
        [opportunity_row(opportunities[row.id]) for row in loaded.rows],
        region_order=list(Region.objects.order_by("pk").values_list("pk", flat=True)),
    )
    assert_same_candidates(loaded, built)
    assert loaded.rows[0].public_id == str(opportunities[loaded.rows[0].id].public_id)


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="ab c\x00é", max_size=8), max_size=12),
    words=st.lists(st.text(alphabet="ab c", min_size=1, max_size=3), max_size=3),
)
def test_the_word_search_finds_the_texts_holding_a_word(texts, words):
    found = rows_containing(texts, words).tolist()
    assert found == [any(word in text for word in words) for text in texts]


@settings(max_examples=25, deadline=None)
@given(rows=offer_rows(), business=businesses())
def test_offer_components_at_positions_are_those_of_all_taken_there(rows, business):
    built = build_offer_candidates(rows, region_order=REGIONS)
    positions = np.flatnonzero(offer_rule_masks(built, business, TODAY)["closed"])
    everything = offer_components(built, business, TODAY)
    some = offer_components(built, business, TODAY, positions)
    for name, values in everything.items():
        assert np.array_equal(values[positions], some[name]), name


@settings(max_examples=25, deadline=None)
@given(rows=opportunity_rows(), business=businesses())
def test_opportunity_components_at_positions_are_those_of_all_taken_there(rows, business):
    built = build_opportunity_candidates(rows, region_order=REGIONS)
    positions = np.arange(0, len(built), 2)
    everything = opportunity_components(built, business, NOW)
    some = opportunity_components(built, business, NOW, positions, _matches(built, business))
    for name, values in everything.items():
        assert np.array_equal(values[positions], some[name]), name


def test_rows_are_made_when_asked_for():
    made = []
    rows = [
        OpportunityRow(
            id=i,
            public_id=str(i),
            ocid="",
            title="",
            deadline=datetime(2026, 12, 7, tzinfo=UTC) + timedelta(days=i),
        )
        for i in range(3)
    ]
    loaded = build_opportunity_candidates(rows)
    assert list(loaded.rows) == rows
    lazy = LazyRows(3, lambda i: made.append(i) or rows[i])
    assert lazy[2] is rows[2] and lazy[-1] is rows[2] and made == [2]
    assert list(lazy) == rows and made == [2, 0, 1]
    with pytest.raises(IndexError):
        lazy[3]


@pytest.mark.django_db
def test_both_sets_follow_their_own_versions_read_together():
    offers, opportunities = candidates.both()
    assert candidates.both() == (offers, opportunities)
    assert candidates.offer_candidates() is offers
    versions.bump_now("opportunities")
    again, fresh = candidates.both()
    assert again is offers and fresh is not opportunities


def test_versions_are_read_in_one_round_trip_and_started_when_missing():
    cache.delete_many(["waymark:data-version:a", "waymark:data-version:b"])
    started = versions.current_many("a", "b")
    assert started == {"a": versions.current("a"), "b": versions.current("b")}
    versions.bump_now("b")
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert versions.current_many("a", "b") == {"a": started["a"], "b": started["b"] + 1}
    get_many.assert_called_once()


@pytest.mark.django_db
def test_candidates_kept_by_the_benchmark_serve_until_the_data_changes():
    offers = build_offer_candidates([])
    opportunities = build_opportunity_candidates([])
    candidates.keep(offers, opportunities)
    assert candidates.both() == (offers, opportunities)
    versions.bump_now("offers")
    assert candidates.both()[0] is not offers
