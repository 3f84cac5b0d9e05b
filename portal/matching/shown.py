"""What a list of recommendations shows for each item, read in a fixed number of
queries: the offers' summaries and providers, the opportunities' buyers, values and
deadlines, and the names of the CPV codes the reasons mention."""

from __future__ import annotations

from dataclasses import dataclass

from portal.catalogue.models import Offer
from portal.lib.vocabularies import SupportKind
from portal.matching.display import cpv_names_for, labelled
from portal.procurement.display import moment_text, value_text
from portal.procurement.models import Opportunity


@dataclass(frozen=True)
class Shown:
    rank: int
    key: str  # slug or public id, for the feedback form
    title: str
    summary: str
    kind_label: str
    reasons: list[dict]
    reason_codes: str
    score: float
    extra: dict
    # Welsh, when the listing has them (a Welsh page shows them: portal/lib/bilingual.py).
    title_cy: str = ""
    summary_cy: str = ""


def shown_lists(support, contracts, *, first_rank: int = 1):
    """(offers, opportunities) as Shown items from (Recommendation, row) pairs."""
    support, contracts = list(support), list(contracts)
    cpv_names = cpv_names_for([item.reasons for item, _row in contracts])
    offer_fields = {
        values["pk"]: values
        for values in Offer.objects.filter(pk__in=[row.id for _i, row in support]).values(
            "pk", "summary", "provider_name", "cost", "title_cy", "summary_cy"
        )
    }
    opportunity_fields = {
        values["pk"]: values
        for values in Opportunity.objects.filter(pk__in=[row.id for _i, row in contracts]).values(
            "pk", "buyer_name", "value_min", "value_max", "currency", "deadline", "title_cy"
        )
    }
    kinds = dict(SupportKind.choices)
    offers = []
    for rank, (item, row) in enumerate(support, start=first_rank):
        fields = offer_fields.get(row.id, {})
        offers.append(
            Shown(
                rank=rank,
                key=row.slug,
                title=row.title,
                summary=fields.get("summary", ""),
                kind_label=str(kinds.get(row.kind, row.kind)),
                reasons=labelled(item.reasons),
                reason_codes=",".join(r["code"] for r in item.reasons),
                score=item.score,
                extra={"provider": fields.get("provider_name", "")},
                title_cy=fields.get("title_cy", ""),
                summary_cy=fields.get("summary_cy", ""),
            )
        )
    opportunities = []
    for rank, (item, row) in enumerate(contracts, start=1):
        fields = opportunity_fields.get(row.id, {})
        opportunities.append(
            Shown(
                rank=rank,
                key=row.public_id,
                title=row.title,
                summary="",
                kind_label="",
                reasons=labelled(item.reasons, cpv_names=cpv_names),
                reason_codes=",".join(r["code"] for r in item.reasons),
                score=item.score,
                extra={
                    "buyer": fields.get("buyer_name", ""),
                    "value": value_text(
                        fields.get("value_min"),
                        fields.get("value_max"),
                        fields.get("currency", ""),
                    ),
                    "deadline": moment_text(fields.get("deadline")),
                },
                title_cy=fields.get("title_cy", ""),
            )
        )
    return offers, opportunities
