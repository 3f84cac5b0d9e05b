"""The peer benchmark of QUESTIONNAIRE.md, as pure functions over plain numbers (no ORM).

- Percentile rank with ties at mid-rank: the "mean" kind of
  ``scipy.stats.percentileofscore``, 100 × (below + 0.5 × equal) / n, where the scores are
  the peer group's (the firm's own score included if it is one of them).
- Disclosure control is `portal.lib.disclosure`'s, the dashboards' own: no percentile and
  no median from fewer than `disclosure.MIN_GROUP` scores (UK LLC / ONS "10 threshold
  rule"); the results page shows the group's size as a controlled (rounded) count.
- Peer groups widen until one has at least `disclosure.MIN_GROUP` businesses:
  (region, SIC section, size) → (region, size) → (UK, section, size) → (UK, size) → UK.

The queries (the narrowest group counted alone, the wider ones together only when it is
too small; see `percentile_from_counts`) live beside the models; these functions decide
what may be shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median as _median

from portal.lib import disclosure


def percentile_from_counts(below: int, equal: int, total: int) -> float | None:
    """The percentile rank of a score from counts of the group's scores: `below` it, `equal`
    to it, and `total`; None when the group is under the disclosure threshold."""
    if below < 0 or equal < 0 or below + equal > total:
        raise ValueError(f"inconsistent counts: {below} below, {equal} equal, {total} in all")
    if total == 0:
        return None
    return disclosure.statistic(100 * (below + 0.5 * equal) / total, group=total).value


def percentile_rank(value: float, scores: Sequence[float]) -> float | None:
    """Where `value` stands among `scores`, 0–100, ties at mid-rank; None under the
    threshold. [10, 20, 20, 30] and 20 give 50.0."""
    below = sum(1 for score in scores if score < value)
    equal = sum(1 for score in scores if score == value)
    return percentile_from_counts(below, equal, len(scores))


def median(scores: Sequence[float]) -> float | None:
    """The median of a group's scores; None under the disclosure threshold."""
    if not scores:
        return None
    return disclosure.statistic(float(_median(scores)), group=len(scores)).value


@dataclass(frozen=True, slots=True)
class PeerGroup:
    """A benchmark group; None in a field means "any" (region None is the whole UK)."""

    region: str | None
    sic_section: str | None
    size: str | None


def peer_groups_for(
    region: str | None, sic_section: str | None, size: str | None
) -> list[PeerGroup]:
    """The candidate groups for a business, narrowest first, in the specification's order.

    A group that needs a value the business did not give is left out, as is a repeat (a
    business with no region gets the UK groups only)."""
    candidates = [
        PeerGroup(region, sic_section, size) if region and sic_section and size else None,
        PeerGroup(region, None, size) if region and size else None,
        PeerGroup(None, sic_section, size) if sic_section and size else None,
        PeerGroup(None, None, size) if size else None,
        PeerGroup(None, None, None),
    ]
    groups: list[PeerGroup] = []
    for group in candidates:
        if group is not None and group not in groups:
            groups.append(group)
    return groups


def choose_peer_group(
    candidates_with_counts: Iterable[tuple[PeerGroup, int]],
) -> tuple[PeerGroup, int] | None:
    """The first (group, count) with at least `disclosure.MIN_GROUP` businesses, or None."""
    for group, count in candidates_with_counts:
        if count >= disclosure.MIN_GROUP:
            return group, count
    return None
