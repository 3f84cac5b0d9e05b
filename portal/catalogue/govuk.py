"""An offer's facets in the shape of GOV.UK's business support finder.

GOV.UK's "Find funding and support for your business" listed schemes under five facets
with slugs of their own: types of support, business sizes, business stages, industries
and regions. Keeping the mapping from our vocabularies here, in one place, lets a
listing be exported in that shape (``manage.py export_business_support``).
"""

from __future__ import annotations

from collections.abc import Iterable

from portal.lib.vocabularies import BusinessSize, SicSection, Stage, SupportKind

TYPES_OF_SUPPORT = {
    SupportKind.ACCELERATOR: ["expertise-and-advice"],
    SupportKind.INCUBATOR: ["expertise-and-advice"],
    SupportKind.GRANT: ["grant"],
    SupportKind.LOAN: ["finance", "loan"],
    SupportKind.EQUITY_INVESTMENT: ["equity", "finance"],
    SupportKind.VOUCHER: ["grant"],
    SupportKind.TRAINING_COURSE: ["expertise-and-advice"],
    SupportKind.ADVICE_AND_MENTORING: ["expertise-and-advice"],
    SupportKind.NETWORK_OR_PEER_GROUP: ["expertise-and-advice"],
    SupportKind.EVENT: ["expertise-and-advice"],
}

BUSINESS_SIZES = {
    BusinessSize.MICRO: ["under-10"],
    BusinessSize.SMALL: ["up-to-249"],
    BusinessSize.MEDIUM: ["up-to-249"],
    BusinessSize.LARGE: ["between-250-and-500", "between-501-and-1000", "over-1000"],
}

BUSINESS_STAGES = {
    Stage.PRE_START: ["pre-startup"],
    Stage.START_UP: ["start-up"],
    Stage.GROWING: ["grow-and-sustain"],
    Stage.ESTABLISHED: ["grow-and-sustain"],
    Stage.SCALING: ["grow-and-sustain"],
}

INDUSTRIES = {
    SicSection.A: ["agriculture"],
    SicSection.B: ["mining"],
    SicSection.C: ["manufacturing"],
    SicSection.D: ["utilities"],
    SicSection.E: ["utilities"],
    SicSection.F: ["construction"],
    SicSection.G: ["wholesale-and-retail"],
    SicSection.H: ["transport-and-distribution"],
    SicSection.I: ["hospitality-and-catering"],
    SicSection.J: ["information-communication-and-media"],
    SicSection.K: ["business-and-finance"],
    SicSection.L: ["real-estate"],
    SicSection.M: ["science-and-technology"],
    SicSection.N: ["service-industries"],
    SicSection.O: ["service-industries"],
    SicSection.P: ["education"],
    SicSection.Q: ["health"],
    SicSection.R: ["travel-and-leisure"],
    SicSection.S: ["service-industries"],
    SicSection.T: ["service-industries"],
    SicSection.U: ["service-industries"],
}

# Our region slugs are GOV.UK's location slugs already; England is a location of its own.
ENGLAND = "england"


def _slugs(mapping: dict, keys: Iterable[str]) -> list[str]:
    """The GOV.UK slugs for these keys; no keys means every one (an empty set is "all")."""
    chosen = list(keys) or list(mapping)
    return sorted({slug for key in chosen for slug in mapping[key]})


def business_support_facets(
    *, kind: str, sizes, stages, sic_sections, uk_wide: bool, regions: Iterable
) -> dict[str, list[str]]:
    """The five GOV.UK facets for one offer, from plain values (regions: Region objects)."""
    if uk_wide:
        from portal.places.models import Region

        region_slugs = [ENGLAND, *Region.objects.values_list("slug", flat=True)]
    else:
        region_slugs = []
        for region in regions:
            region_slugs.append(region.slug)
            if region.nation == "england":
                region_slugs.append(ENGLAND)
    return {
        "types_of_support": sorted(TYPES_OF_SUPPORT[kind]),
        "business_sizes": _slugs(BUSINESS_SIZES, sizes),
        "business_stages": _slugs(BUSINESS_STAGES, stages),
        "industries": _slugs(INDUSTRIES, sic_sections),
        "regions": sorted(set(region_slugs)),
    }


def offer_facets(offer) -> dict[str, list[str]]:
    """An offer's GOV.UK facets: its regions are the ones named and those of its councils.

    Prefetch ``regions`` and ``councils__region`` when exporting many offers.
    """
    regions = {region.pk: region for region in offer.regions.all()}
    for council in offer.councils.all():
        regions.setdefault(council.region.pk, council.region)
    return business_support_facets(
        kind=offer.kind,
        sizes=offer.sizes,
        stages=offer.stages,
        sic_sections=offer.sic_sections,
        uk_wide=offer.uk_wide,
        regions=regions.values(),
    )
