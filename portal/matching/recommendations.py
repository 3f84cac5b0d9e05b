"""Recommendations for one business: the one code path the pages and ``manage.py
recommend`` share. A Business in (from an assessment, or from a profile alone), the
ranked offers and opportunities out, with the fields their lists show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from portal.matching import candidates
from portal.matching.ranking.common import Ranking
from portal.matching.ranking.offers import rank_offers
from portal.matching.ranking.opportunities import rank_opportunities
from portal.matching.records import DIMENSIONS, Business, cpv_prefix

DEFAULT_LIMIT = 20


@dataclass(frozen=True)
class Recommendations:
    business: Business
    offers: Ranking
    opportunities: Ranking
    offer_rows: tuple  # candidates.rows, for each item's position
    opportunity_rows: tuple

    @property
    def profile_only(self) -> bool:
        return not self.business.has_scores

    def support(self):
        """(item, row) for each recommended offer, best first."""
        return [(item, self.offer_rows[item.position]) for item in self.offers]

    def contracts(self):
        return [(item, self.opportunity_rows[item.position]) for item in self.opportunities]

    def as_json(self) -> dict:
        """The command's output for one case."""
        return {
            "support": [
                {
                    "external_id": row.external_id,
                    "slug": row.slug,
                    "title": row.title,
                    "score": item.score,
                    "reasons": list(item.reasons),
                }
                for item, row in self.support()
            ],
            "opportunities": [
                {
                    "ocid": row.ocid,
                    "title": row.title,
                    "score": item.score,
                    "reasons": list(item.reasons),
                }
                for item, row in self.contracts()
            ],
        }


def recommend(
    business: Business,
    *,
    today: date | None = None,
    now: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
    offer_limit: int | None = None,
    opportunity_limit: int | None = None,
    kinds: frozenset[str] | None = None,
    dimensions: frozenset[str] | None = None,
) -> Recommendations:
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    offers, opportunities = candidates.both()
    return Recommendations(
        business=business,
        offers=rank_offers(
            offers,
            business,
            today=today,
            limit=offer_limit or limit,
            kinds=kinds,
            dimensions=dimensions,
        ),
        opportunities=rank_opportunities(
            opportunities, business, now=now, limit=opportunity_limit or limit
        ),
        offer_rows=offers.rows,
        opportunity_rows=opportunities.rows,
    )


def business_from_result(
    *,
    council,
    region=None,
    size: str = "",
    stage: str = "",
    sic_section: str = "",
    profile: Mapping | None = None,
    result: Mapping | None = None,
) -> Business:
    """A Business from a profile (the questionnaire's profile keys) and, when there is one,
    a scoring result (``diagnostics.scoring.Result.as_dict()``: dimensions and flags).

    What it supplies (the profile's ``supplies``, CPV codes from questionnaire 1.1.0 on)
    becomes prefixes: a division 72000000 is "72", a group 72200000 "722"."""
    profile = profile or {}
    scores = None
    bands = {}
    flags = frozenset()
    if result:
        scores = {
            key: float(value)
            for key, value in result.get("dimensions", {}).items()
            if key in DIMENSIONS and value is not None
        }
        bands = {
            key: value
            for key, value in result.get("bands", {}).items()
            if key in DIMENSIONS and value
        }
        flags = frozenset(result.get("flags", ()))
    if region is None and council is not None:
        region = council.region
    return Business(
        council_id=council.pk if council is not None else None,
        council_name=council.name if council is not None else "",
        region_id=region.pk if region is not None else None,
        region_name=region.name if region is not None else "",
        size=size or profile.get("size") or "",
        stage=stage or profile.get("stage") or "",
        sic_section=sic_section or profile.get("sic_section") or "",
        turnover=profile.get("turnover") or "",
        customer_types=frozenset(profile.get("customer_types") or ()),
        plans=frozenset(profile.get("plans") or ()),
        supplies=tuple(dict.fromkeys(cpv_prefix(code) for code in profile.get("supplies") or ())),
        scores=scores,
        bands=bands,
        flags=flags,
    )


def business_from_assessment(assessment) -> Business:
    """From a completed assessment (its council and region selected with it)."""
    return business_from_result(
        council=assessment.council,
        region=assessment.region,
        size=assessment.size,
        stage=assessment.stage,
        sic_section=assessment.sic_section,
        profile=assessment.profile,
        result=assessment.result if assessment.is_completed else None,
    )
