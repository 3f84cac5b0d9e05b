"""Where a candidate is against where the business is: in its council's list, in its
region, or UK-wide; the place score and the place reason."""

from __future__ import annotations

import numpy as np

from portal.matching import weights
from portal.matching.records import Business


def place_masks(candidates, business: Business, positions: np.ndarray | None = None):
    """(in the business's region, listed for its council) as boolean arrays, over every
    candidate or over ``positions``."""
    n = len(candidates)
    region_bit = candidates.region_bit.get(business.region_id, 0)
    region_bits = (
        candidates.region_bits if positions is None else candidates.region_bits[positions]
    )
    in_region = (region_bits & region_bit) != 0
    in_council = np.zeros(n, dtype=bool)
    listed = candidates.council_index.get(business.council_id)
    if listed is not None:
        in_council[listed] = True
    if positions is not None:
        in_council = in_council[positions]
    return in_region, in_council


def place_scores(in_region, in_council) -> np.ndarray:
    return np.where(
        in_council,
        weights.PLACE_COUNCIL,
        np.where(in_region, weights.PLACE_REGION, weights.PLACE_UK),
    )


def place_reason(position: int, business: Business, in_region, in_council) -> dict:
    if in_council[position]:
        return {"code": "where", "scope": "council", "place": business.council_name}
    if in_region[position]:
        return {"code": "where", "scope": "region", "place": business.region_name}
    return {"code": "where", "scope": "uk", "place": ""}


def places_at(candidates, business: Business, positions: np.ndarray | None, places=None):
    """``place_masks`` at ``positions``, taken from ``places`` (its answer over every
    candidate) when the caller has it."""
    if not places:
        return place_masks(candidates, business, positions)
    if positions is None:
        return places
    return places[0][positions], places[1][positions]
