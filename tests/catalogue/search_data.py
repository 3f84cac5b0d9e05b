"""Offers for the search, offer page and referral tests.

Until tests/factories.py has ``create_offer``, these tests make their own: ``build_offer``
fills in everything not given, ``create_offer`` saves one with its places.
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from portal.catalogue.models import Offer, OfferStatus
from tests.factories import council_a

_numbers = itertools.count(1)


def build_offer(*, title: str | None = None, **fields) -> Offer:
    number = next(_numbers)
    today = timezone.localdate()
    values = {
        "title": title or f"Support offer {number}",
        "slug": f"support-offer-{number}",
        "summary": "Help for small businesses.",
        "provider_name": "North East Growth Hub",
        "curator": council_a(),
        "kind": "advice_and_mentoring",
        "uk_wide": True,
        "application_url": "https://example.org/apply",
        "status": OfferStatus.PUBLISHED,
        "published": timezone.now() - timedelta(days=number),
        "review_due": today + timedelta(days=90),
    }
    values.update(fields)
    return Offer(**values)


def create_offer(*, regions=(), councils=(), **fields) -> Offer:
    if regions or councils:
        fields.setdefault("uk_wide", False)
    offer = build_offer(**fields)
    offer.save()
    if regions:
        offer.regions.set(regions)
    if councils:
        offer.councils.set(councils)
    return offer


def create_many_offers(count: int, **fields) -> list[Offer]:
    return Offer.objects.bulk_create(build_offer(**fields) for _ in range(count))
