"""What ranking offers and ranking opportunities share: the result (`Ranking` of
`Recommendation`), the hard rules' bookkeeping, the weighted sum, the best-first
order and the diversity re-rank."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from portal.matching import weights
from portal.matching.records import DIMENSIONS, Business

DAY = 86_400.0


# Every set of dimensions as a row of 0/1 (row b: the dimensions of the bits of b).
PATTERNS = ((np.arange(1 << len(DIMENSIONS))[:, None] >> np.arange(len(DIMENSIONS))) & 1).astype(
    np.float64
)


@dataclass(frozen=True)
class Recommendation:
    position: int  # the row in the candidates
    id: int
    score: float
    kind: str
    reasons: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Ranking:
    items: tuple[Recommendation, ...]
    eligible: int
    excluded: dict[str, int] = field(default_factory=dict)  # rule → how many it excluded
    profile_only: bool = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def weighted_sum(components: dict[str, np.ndarray], weighting: dict[str, float]) -> np.ndarray:
    total = None
    for name, weight in weighting.items():
        part = weight * components[name]
        total = part if total is None else total + part
    return total


def diversify(order: list[int], scores, kinds, *, limit: int) -> list[int]:
    """Re-rank the best-first ``order``: within the top DIVERSE_TOP, never a third of one
    kind in a row while one of another kind scores within DIVERSITY_TOLERANCE of it."""
    pool = list(order)
    chosen: list[int] = []
    while pool and len(chosen) < limit:
        best = pool[0]
        pick = best
        if (
            len(chosen) >= 2
            and len(chosen) < weights.DIVERSE_TOP
            and kinds[chosen[-1]] == kinds[chosen[-2]] == kinds[best]
        ):
            floor = scores[best] - abs(scores[best]) * weights.DIVERSITY_TOLERANCE
            for other in pool[1:]:
                if scores[other] < floor:
                    break
                if kinds[other] != kinds[best]:
                    pick = other
                    break
        pool.remove(pick)
        chosen.append(pick)
    return chosen


def best_first(scores: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """The indices of the best ``count`` scores, highest first, ties by id (so the order
    never depends on the order the candidates were loaded in). Only the scores that can
    be in the top ``count`` (those at least the count-th best) are sorted."""
    if count < scores.size:
        floor = np.partition(scores, scores.size - count)[scores.size - count]
        contenders = np.flatnonzero(scores >= floor)
    else:
        contenders = np.arange(scores.size)
    order = np.lexsort((ids[contenders], -scores[contenders]))
    return contenders[order[:count]]


def all_pass(masks: dict[str, np.ndarray], rules: tuple[str, ...], n: int) -> np.ndarray:
    eligible = np.ones(n, dtype=bool)
    for rule in rules:
        eligible &= masks[rule]
    return eligible


def excluded_counts(masks: dict[str, np.ndarray], rules: tuple[str, ...], n: int) -> dict:
    """How many candidates each rule excluded, each counted at its first failing rule."""
    still_in = np.ones(n, dtype=bool)
    counts = {}
    for rule in rules:
        failed = still_in & ~masks[rule]
        counts[rule] = int(failed.sum())
        still_in &= masks[rule]
    return counts


def ranking_of(
    chosen: list[int],
    positions: np.ndarray,
    ids: np.ndarray,
    scores: np.ndarray,
    *,
    kind_of: Callable[[int], str],
    reasons_of: Callable[[int, int], tuple[dict, ...]],
    excluded: dict[str, int],
    business: Business,
) -> Ranking:
    """The ranking of the eligible candidates ``chosen`` (indices into ``positions``, the
    candidates' rows, and into ``ids`` and ``scores``), best first; ``kind_of(position)``
    and ``reasons_of(position, index)`` describe each."""
    items = tuple(
        Recommendation(
            position=int(positions[i]),
            id=int(ids[i]),
            score=round(float(scores[i]), 4),
            kind=kind_of(int(positions[i])),
            reasons=reasons_of(int(positions[i]), i),
        )
        for i in chosen
    )
    return Ranking(
        items=items,
        eligible=int(positions.size),
        excluded=excluded,
        profile_only=not business.has_scores,
    )
