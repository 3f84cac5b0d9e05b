"""Labels for the reasons' parameters (a dimension's name, a CPV code's description), so
that the reason templates can turn each code into a sentence. The sentences themselves
are in templates/matching/includes/reason.html only."""

from __future__ import annotations

from collections.abc import Iterable

from portal.lib.vocabularies import (
    SIZE_ADJECTIVES,
    Dimension,
    MaturityLevel,
    SicSection,
    SupportKind,
)
from portal.procurement.cpv import code_descriptions


def _label(vocabulary, value: str) -> str:
    try:
        return str(vocabulary(value).label)
    except ValueError:
        return value


def labelled(reasons: Iterable[dict], *, cpv_names: dict[str, str] | None = None) -> list[dict]:
    """Each reason with the labels its sentence needs added (``*_label`` keys)."""
    out = []
    for reason in reasons:
        reason = dict(reason)
        if "dimension" in reason:
            reason["dimension_label"] = _label(Dimension, reason["dimension"]).lower()
        if "kind" in reason:
            reason["kind_label"] = _label(SupportKind, reason["kind"]).lower()
        if "band" in reason:
            reason["band_label"] = _label(MaturityLevel, reason["band"]).lower()
        if reason.get("size"):
            reason["size_label"] = str(SIZE_ADJECTIVES.get(reason["size"], reason["size"]))
        if "sector" in reason:
            reason["sector_label"] = _label(SicSection, reason["sector"]).lower()
        if "cpv" in reason and cpv_names is not None:
            reason["cpv_label"] = cpv_names.get(reason["cpv"], reason["cpv"])
        out.append(reason)
    return out


def cpv_names_for(reason_lists: Iterable[Iterable[dict]]) -> dict[str, str]:
    """The descriptions of every CPV prefix the reasons name, in one query."""
    prefixes = {r["cpv"] for reasons in reason_lists for r in reasons if "cpv" in r}
    codes = {prefix: prefix.ljust(8, "0")[:8] for prefix in prefixes}
    names = code_descriptions(codes.values()) if codes else {}
    return {prefix: names.get(code, prefix) for prefix, code in codes.items()}
