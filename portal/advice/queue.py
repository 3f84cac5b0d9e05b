"""The staff's reads of advice requests: an organisation's queue (filtered, sorted and
counted, overdue requests worked out), one request with its notes and history, the
organisations whose queue a person may open, the colleagues a request may be given to,
and the moderators' counts. Each runs a fixed number of queries, whatever the number
of requests.

Which person may see what is decided in portal/advice/rules.py; the queries here that
list what a rule allows (``organisations_with_queue_for``, ``assignable_staff``,
``requests_visible_to``) say the same as those rules, and the tests check both.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organisation, User
from portal.accounts.permissions import organisation_ids
from portal.advice.choices import OPEN_STATUSES, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest, AdviceTeam
from portal.advice.working_days import overdue_before

# The queue's filters: their values in the query string, and their words.
OPEN = "open"
OVERDUE = "overdue"
ALL = "all"
STATUS_FILTERS = {
    OPEN: _("Open"),
    RequestStatus.NEW.value: RequestStatus.NEW.label,
    OVERDUE: _("Overdue"),
    RequestStatus.CONTACTED.value: RequestStatus.CONTACTED.label,
    RequestStatus.IN_PROGRESS.value: RequestStatus.IN_PROGRESS.label,
    RequestStatus.CLOSED.value: RequestStatus.CLOSED.label,
    ALL: _("All"),
}
ANYONE = ""
ASSIGNED_TO_ME = "me"
UNASSIGNED = "nobody"
ASSIGNED_FILTERS = {
    ANYONE: _("Anyone or nobody"),
    ASSIGNED_TO_ME: _("Assigned to me"),
    UNASSIGNED: _("Not assigned"),
}
NEWEST = "newest"
OLDEST = "oldest"
SORTS = {NEWEST: _("Newest first"), OLDEST: _("Oldest first")}

# What the queue's rows need; the snapshots are read only for what a request is about.
ROW_FIELDS = (
    "pk",
    "organisation_id",
    "council__name",
    "assigned_to__full_name",
    "assigned_to__email",
    "name",
    "status",
    "created",
    "first_contacted_at",
    "offer_id",
    "dimension",
    "recommendations",
    "outcome_kind",
    "withdrawn_at",
    "erased_at",
)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue(today: date) -> Q:
    """Requests overdue today: new, never contacted, and asked before the day from which
    requests are not overdue yet (portal/advice/working_days.py)."""
    return Q(
        status=RequestStatus.NEW,
        first_contacted_at__isnull=True,
        created__lt=start_of_day(overdue_before(today)),
    )


def is_request_overdue(advice_request: AdviceRequest, today: date) -> bool:
    """The same rule for one request, in Python."""
    return (
        advice_request.status == RequestStatus.NEW
        and advice_request.first_contacted_at is None
        and advice_request.created < start_of_day(overdue_before(today))
    )


def _status_filter(status: str, today: date) -> Q:
    if status == OPEN:
        return Q(status__in=OPEN_STATUSES)
    if status == OVERDUE:
        return overdue(today)
    if status in RequestStatus.values:
        return Q(status=status)
    return Q()  # ALL


def queue_requests(
    organisation: Organisation, *, status: str, assigned: str, sort: str, user, today: date
) -> QuerySet[AdviceRequest]:
    """The organisation's requests in the queue's filters (``STATUS_FILTERS``,
    ``ASSIGNED_FILTERS``) and order (``SORTS``), with what each row shows."""
    requests = AdviceRequest.objects.for_organisation(organisation).filter(
        _status_filter(status, today)
    )
    if assigned == ASSIGNED_TO_ME:
        requests = requests.filter(assigned_to=user)
    elif assigned == UNASSIGNED:
        requests = requests.filter(assigned_to__isnull=True)
    order = ("created", "pk") if sort == OLDEST else ("-created", "-pk")
    return requests.select_related("council", "assigned_to").only(*ROW_FIELDS).order_by(*order)


def status_counts(organisation: Organisation, *, today: date) -> dict[str, int]:
    """How many of the organisation's requests each status filter finds: one query."""
    requests = AdviceRequest.objects.for_organisation(organisation).order_by()
    return requests.aggregate(
        **{key: Count("pk", filter=_status_filter(key, today)) for key in STATUS_FILTERS}
    )


def request_for_staff(pk: int) -> AdviceRequest | None:
    """One request with what its page shows beside it (not yet authorised)."""
    return (
        AdviceRequest.objects.select_related(
            "organisation", "council", "assigned_to", "outcome_offer"
        )
        .filter(pk=pk)
        .first()
    )


def notes_of(advice_request: AdviceRequest) -> list[AdviceNote]:
    return list(advice_request.notes.select_related("author").order_by("created", "pk"))


def history_of(advice_request: AdviceRequest) -> list[AdviceEvent]:
    return list(advice_request.events.select_related("actor").order_by("created", "pk"))


def organisations_with_queue_for(user) -> QuerySet[Organisation]:
    """The organisations whose queue ``rules.can_work_on_requests`` lets the user open
    and which have one: they receive requests (or once did), by name, each with how many
    of its requests are new (``new_count``)."""
    # The membership facts the rules read (no query for someone in no organisation).
    member_of = organisation_ids(user)
    if not member_of:
        return Organisation.objects.none()
    has_team = Exists(AdviceTeam.objects.filter(organisation=OuterRef("pk")))
    has_requests = Exists(AdviceRequest.objects.filter(organisation=OuterRef("pk")))
    return (
        Organisation.objects.filter(pk__in=member_of)
        .filter(has_team | has_requests)
        .annotate(
            new_count=Count("advice_requests", filter=Q(advice_requests__status=RequestStatus.NEW))
        )
        .order_by("name", "pk")
    )


def assignable_staff(organisation: Organisation) -> QuerySet[User]:
    """Whom ``rules.can_be_assigned_request`` allows a request of this organisation to be
    given to: its active members, by name."""
    return User.objects.filter(is_active=True, memberships__organisation=organisation).order_by(
        "full_name", "email", "pk"
    )


def requests_visible_to(user) -> QuerySet[AdviceRequest]:
    """Every request ``rules.can_view_request`` lets the user open, as a query."""
    member_of = organisation_ids(user)
    if not member_of:
        return AdviceRequest.objects.none()
    return AdviceRequest.objects.filter(organisation_id__in=member_of)


def counts_by_organisation() -> QuerySet[Organisation]:
    """For moderators: each organisation that has requests, with how many in each status
    (``<status>_count``) and in all (``total``), by name. Counts only: nothing of who
    asked or what they shared."""
    counts = {
        f"{status}_count": Count("advice_requests", filter=Q(advice_requests__status=status))
        for status in RequestStatus.values
    }
    return (
        Organisation.objects.filter(
            Exists(AdviceRequest.objects.filter(organisation=OuterRef("pk")))
        )
        .annotate(total=Count("advice_requests"), **counts)
        .order_by("name", "pk")
    )
