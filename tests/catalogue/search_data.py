"""Offers as the public search, the offer page and the referrals list them: published,
UK-wide unless places are given, advice and mentoring unless a kind is. Everything
else comes from tests.factories."""

from portal.catalogue.models import Offer, OfferStatus
from tests.factories import create_offer, create_offers

LISTED = {"status": OfferStatus.PUBLISHED, "kind": "advice_and_mentoring"}


def create_listed_offer(*, regions=(), councils=(), **fields) -> Offer:
    fields.setdefault("uk_wide", not (regions or councils))
    return create_offer(regions=regions, councils=councils, **LISTED | fields)


def create_listed_offers(*, count: int, **fields) -> list[Offer]:
    return create_offers(count=count, **LISTED | {"uk_wide": True} | fields)
