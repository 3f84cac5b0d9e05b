"""What a founder asks an adviser about, worked out from the page they came from: the
completed assessment whose results they share (if any), the offer they ask about (if
any), their council and business profile, the organisations that would receive the
request, and the snapshot copied into it.

Everything is read through the lower apps' own functions: the assessment through
diagnostics' access helpers (a stranger's assessment is a 404), its summary through
diagnostics.queries, the offer through catalogue.queries, the recommendations through
the matcher's ``recommend`` (its candidates are kept between requests) and the places
from the places kept by this process, so the page runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from uuid import UUID

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from diagnostics import queries as diagnostics_queries
from diagnostics.access import get_assessment_for_visitor, granted, latest_completed_for_visitor
from portal.advice import rules
from portal.advice.choices import AskedFrom
from portal.advice.models import AdviceTeam
from portal.advice.public_services import PublicService, public_service_for
from portal.catalogue import queries as catalogue_queries
from portal.core import visitor
from portal.matching.display import labelled
from portal.matching.recommendations import business_from_assessment, recommend
from portal.matching.records import Business
from portal.places.choices import Place, place_choices

# The matcher ranks this many offers (to find the reasons of the one asked about); the
# form offers the best few of them to share.
RANKED = 100
CHOOSABLE = 5


@dataclass(frozen=True)
class Recommended:
    """One recommendation as the request keeps it (the snapshot's shape)."""

    offer_id: int
    slug: str
    title: str
    kind: str
    dimensions: tuple[str, ...]
    reasons: tuple[str, ...]
    rank: int | None  # its place in the founder's list; None: not among the first RANKED

    def as_snapshot(self) -> dict:
        return {
            "offer_id": self.offer_id,
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "dimensions": list(self.dimensions),
            "reasons": list(self.reasons),
            "rank": self.rank,
        }


@dataclass(frozen=True)
class Asking:
    asked_from: str  # AskedFrom
    assessment: object | None  # a completed diagnostics Assessment the founder may open
    offer: object | None  # a published catalogue Offer
    council: Place | None
    business: Business | None
    # The snapshots, as the request will keep them.
    profile: dict = field(default_factory=dict)
    diagnostic: dict = field(default_factory=dict)

    def query(self, **extra) -> dict[str, str]:
        """The query string that brings the founder back to this same question."""
        values = {"from": self.asked_from}
        if self.assessment is not None:
            values["assessment"] = str(self.assessment.public_id)
        if self.offer is not None:
            values["offer"] = self.offer.slug
        values.update({key: value for key, value in extra.items() if value})
        return values


def _region_code(place: Place) -> str:
    for group in place_choices():
        if group.region.region_id == place.region_id:
            return group.region.code
    return ""


def public_service_near(place: Place) -> PublicService | None:
    """The public business support service of the council's nation or region."""
    return public_service_for(_region_code(place))


def _assessment(request, asked: str):
    if asked:
        try:
            public_id = UUID(asked)
        except ValueError:
            raise Http404("No such assessment") from None
        assessment = get_assessment_for_visitor(request, public_id)
        if not assessment.is_completed:
            raise Http404("No results yet")
        return assessment
    return latest_completed_for_visitor(request)


def _council(code: str) -> Place | None:
    found = place_choices().find(code.strip().upper()) if code else None
    return found if found is not None and found.is_council else None


def what_is_asked(request) -> Asking:
    """What the founder asks about, from the query string (``from``, ``assessment``,
    ``offer``, ``council``) and what this browser may open; 404 for an assessment they
    may not open or an offer that is not published."""
    params = request.GET
    offer = None
    if params.get("offer"):
        offer = catalogue_queries.published_offer(params["offer"], today=timezone.localdate())
        if offer is None:
            raise Http404("No such offer")
    assessment = _assessment(request, params.get("assessment", ""))
    if assessment is not None and not rules.can_share_assessment(
        request.user, assessment, granted=granted(request)
    ):
        raise Http404("No such assessment")
    asked_from = params.get("from", "")
    if asked_from not in AskedFrom.values:
        asked_from = AskedFrom.OFFER if offer is not None else AskedFrom.RECOMMENDED
        if assessment is not None and offer is None:
            asked_from = AskedFrom.RESULTS

    remembered = visitor.remembered(request)
    council = _council(params.get("council", ""))
    if council is None and assessment is not None and assessment.council is not None:
        council = _council(assessment.council.gss_code)
    if council is None and remembered is not None:
        council = _council(remembered.council)

    if assessment is not None:
        business = business_from_assessment(assessment)
        profile = diagnostics_queries.business_summary(assessment)
        diagnostic = diagnostics_queries.result_summary(assessment)
    else:
        profile = {
            "size": remembered.size if remembered else "",
            "stage": remembered.stage if remembered else "",
            "sector": remembered.sector if remembered else "",
            "plans": [],
        }
        diagnostic = {}
        business = None
        if council is not None:
            business = Business(
                council_id=council.council_id,
                council_name=council.name,
                region_id=council.region_id,
                region_name=council.region_name,
                size=profile["size"],
                stage=profile["stage"],
                sic_section=profile["sector"],
            )
    if business is not None and council is not None and business.council_id != council.council_id:
        # The founder chose another council than their assessment's: rank for that one.
        business = replace(
            business,
            council_id=council.council_id,
            council_name=council.name,
            region_id=council.region_id,
            region_name=council.region_name,
        )
    return Asking(
        asked_from=asked_from,
        assessment=assessment,
        offer=offer,
        council=council,
        business=business,
        profile=profile,
        diagnostic=diagnostic,
    )


def teams_for(council: Place) -> list[AdviceTeam]:
    """The teams that receive requests for this council, by organisation name: one query."""
    return list(
        AdviceTeam.objects.covering(council.council_id)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def _reason_texts(reasons) -> tuple[str, ...]:
    texts = []
    for reason in labelled(reasons):
        rendered = render_to_string("matching/includes/reason.html", {"reason": reason})
        text = " ".join(rendered.split())
        if text:
            texts.append(text)
    return tuple(texts)


@dataclass(frozen=True)
class Recommendations:
    asked_about: Recommended | None  # the offer asked about, always shared
    choosable: tuple[Recommended, ...]  # the best others, which the founder may tick


def recommendations_for(asking: Asking) -> Recommendations:
    """The offer asked about (with its reasons, if the matcher ranks it for this
    business) and the best CHOOSABLE others, as the founder sees them now."""
    ranked = []
    if asking.business is not None:
        found = recommend(asking.business, offer_limit=RANKED, opportunity_limit=1)
        ranked = found.support()
    offer = asking.offer
    asked_about = None
    choosable = []
    for rank, (item, row) in enumerate(ranked, start=1):
        if offer is not None and row.id == offer.pk:
            asked_about = _recommended(row, item.reasons, rank)
        elif len(choosable) < CHOOSABLE:
            choosable.append(_recommended(row, item.reasons, rank))
    if offer is not None and asked_about is None:
        asked_about = Recommended(
            offer_id=offer.pk,
            slug=offer.slug,
            title=offer.title,
            kind=offer.kind,
            dimensions=tuple(offer.dimensions),
            reasons=(),
            rank=None,
        )
    return Recommendations(asked_about=asked_about, choosable=tuple(choosable))


def _recommended(row, reasons, rank: int) -> Recommended:
    return Recommended(
        offer_id=row.id,
        slug=row.slug,
        title=row.title,
        kind=row.kind,
        dimensions=tuple(row.dimensions),
        reasons=_reason_texts(reasons),
        rank=rank,
    )


def concerned_dimension(asking: Asking) -> str:
    """The dimension the request is about: of the offer's dimensions, the one where the
    business scored lowest (the first of them without scores); with no offer, the
    business's weakest dimension; "" when neither is known."""
    scores = asking.business.scores if asking.business is not None else None
    if asking.offer is not None and asking.offer.dimensions:
        dimensions = list(asking.offer.dimensions)
        if scores:
            scored = [key for key in dimensions if scores.get(key) is not None]
            if scored:
                return min(scored, key=lambda key: scores[key])
        return dimensions[0]
    return asking.diagnostic.get("weakest", "") if asking.diagnostic else ""
