"""Reads of advice requests for other apps: the counts of requests and outcomes the
dashboards show, and the recorded outcomes for evaluating the matcher.

Only anonymous facts are read (council, dimension, kind of support, outcome, dates),
never personal details, so erased requests count like any other. The numbers are raw:
whoever publishes them passes them through portal/lib/disclosure.py first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce, NullIf

from portal.advice.models import AdviceRequest


@dataclass(frozen=True)
class AdviceCounts:
    """Requests asked in a period and outcomes recorded in it, for a set of councils.

    Keys: a dimension key or a kind of support (portal/lib/vocabularies.py), "" for
    requests about no dimension or no particular offer; outcome kinds are
    choices.OutcomeKind values. An outcome's kind of support is that of the offer the
    outcome concerns, else that of the offer the request was about."""

    requests: int = 0
    requests_by_dimension: dict[str, int] = field(default_factory=dict)
    requests_by_offer_kind: dict[str, int] = field(default_factory=dict)
    outcomes: int = 0
    outcomes_by_kind: dict[str, int] = field(default_factory=dict)
    # dimension → outcome kind → count; kind of support → outcome kind → count
    outcomes_by_dimension: dict[str, dict[str, int]] = field(default_factory=dict)
    outcomes_by_offer_kind: dict[str, dict[str, int]] = field(default_factory=dict)


def _in_places(requests, council_ids: Iterable[int] | None):
    if council_ids is None:
        return requests
    return requests.filter(council_id__in=list(council_ids))


def _in_period(requests, field_name: str, since: datetime | None, until: datetime | None):
    if since is not None:
        requests = requests.filter(**{f"{field_name}__gte": since})
    if until is not None:
        requests = requests.filter(**{f"{field_name}__lt": until})
    return requests


def advice_counts(
    *,
    council_ids: Iterable[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> AdviceCounts:
    """The counts for the councils ``council_ids`` (None: everywhere) in the period
    [since, until) (None: unbounded): requests by when they were asked, outcomes by when
    they were recorded. Two GROUP BY queries, whatever the number of requests."""
    council_ids = None if council_ids is None else list(council_ids)
    base = _in_places(AdviceRequest.objects.order_by(), council_ids)

    requests = (
        _in_period(base, "created", since, until)
        .values("dimension", "offer_kind")
        .annotate(count=Count("pk"))
        .values_list("dimension", "offer_kind", "count")
    )
    by_dimension: Counter[str] = Counter()
    by_offer_kind: Counter[str] = Counter()
    for dimension, offer_kind, count in requests:
        by_dimension[dimension] += count
        by_offer_kind[offer_kind] += count

    outcomes = (
        _in_period(base, "outcome_recorded_at", since, until)
        .exclude(outcome_kind="")
        .annotate(
            support_kind=Coalesce(
                NullIf(F("outcome_offer__kind"), Value("")), F("offer_kind"), Value("")
            )
        )
        .values("dimension", "support_kind", "outcome_kind")
        .annotate(count=Count("pk"))
        .values_list("dimension", "support_kind", "outcome_kind", "count")
    )
    outcomes_by_kind: Counter[str] = Counter()
    outcomes_by_dimension: defaultdict[str, Counter[str]] = defaultdict(Counter)
    outcomes_by_offer_kind: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for dimension, support_kind, outcome_kind, count in outcomes:
        outcomes_by_kind[outcome_kind] += count
        outcomes_by_dimension[dimension][outcome_kind] += count
        outcomes_by_offer_kind[support_kind][outcome_kind] += count

    return AdviceCounts(
        requests=sum(by_dimension.values()),
        requests_by_dimension=dict(by_dimension),
        requests_by_offer_kind=dict(by_offer_kind),
        outcomes=sum(outcomes_by_kind.values()),
        outcomes_by_kind=dict(outcomes_by_kind),
        outcomes_by_dimension={key: dict(value) for key, value in outcomes_by_dimension.items()},
        outcomes_by_offer_kind={key: dict(value) for key, value in outcomes_by_offer_kind.items()},
    )


def outcomes_by_offer(*, since: datetime | None = None) -> dict[int, dict[str, int]]:
    """Offer id → outcome kind → how many recorded outcomes concern that offer (since a
    moment, or ever): what came of the matcher's recommendations. One query."""
    rows = (
        _in_period(AdviceRequest.objects.order_by(), "outcome_recorded_at", since, None)
        .filter(outcome_offer__isnull=False)
        .exclude(outcome_kind="")
        .values("outcome_offer_id", "outcome_kind")
        .annotate(count=Count("pk"))
        .values_list("outcome_offer_id", "outcome_kind", "count")
    )
    found: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for offer_id, outcome_kind, count in rows:
        found[offer_id][outcome_kind] = count
    return dict(found)
