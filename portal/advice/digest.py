"""The managers' daily digest: each morning of a working day, the managers of every
organisation that has requests waiting for a first contact get one email listing its
overdue requests and its new ones.

At most once a day per organisation: ``AdviceTeam.digest_sent_on`` is claimed with one
conditional UPDATE before anything is sent, so the hourly task, run twice or on two
workers at once, sends one digest a day. Each manager's email is its own task, after
commit, retried while the mail server refuses it.

The digest names no founder and nothing they shared (it travels by email, outside
Waymark): each request is its number, when and from which council it was asked, what
it is about, who has it, and a link to it on Waymark, where its staff sign in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.accounts.permissions import managers_of
from portal.advice import queue, queue_display
from portal.advice.choices import RequestStatus
from portal.advice.models import AdviceRequest, AdviceTeam
from portal.advice.working_days import is_working_day, overdue_before
from portal.lib.mail import absolute_url, send_email
from portal.lib.tasks import enqueue_on_commit

# Digests go from this hour (the site's time zone) on working days.
DIGEST_HOUR = 8
DIGEST_TASK = "portal.advice.tasks.send_manager_digest"
# Each list shows at most this many requests, then says how many more the queue has.
LISTED = 20


@dataclass(frozen=True)
class DigestItem:
    number: int
    asked: str
    council: str
    about: str
    assigned_to: str
    url: str


@dataclass(frozen=True)
class Digest:
    overdue: list[DigestItem]
    overdue_count: int
    new: list[DigestItem]
    new_count: int

    @property
    def count(self) -> int:
        return self.overdue_count + self.new_count


def _waiting(organisation_id) -> Q:
    """Requests waiting for a first contact."""
    return Q(
        organisation_id=organisation_id, status=RequestStatus.NEW, first_contacted_at__isnull=True
    )


def _items(requests) -> list[DigestItem]:
    return [
        DigestItem(
            number=advice_request.pk,
            asked=formats.date_format(timezone.localtime(advice_request.created), "j F Y"),
            council=advice_request.council.name,
            about=queue_display.about(advice_request),
            assigned_to=queue_display.staff_name(advice_request.assigned_to),
            url=absolute_url("advice:staff-request", advice_request.pk),
        )
        for advice_request in requests
    ]


def collect_digest(organisation_id: int, *, today: date) -> Digest:
    """The organisation's requests waiting for a first contact, overdue (oldest first)
    and new (newest first), at most LISTED of each: three queries."""
    cutoff = queue.start_of_day(overdue_before(today))
    waiting = AdviceRequest.objects.filter(_waiting(organisation_id))
    counts = waiting.order_by().aggregate(
        overdue=Count("pk", filter=Q(created__lt=cutoff)),
        new=Count("pk", filter=Q(created__gte=cutoff)),
    )
    listed = waiting.select_related("council", "assigned_to").only(
        "pk",
        "created",
        "council__name",
        "assigned_to__full_name",
        "assigned_to__email",
        "offer_id",
        "dimension",
        "recommendations",
    )
    overdue = []
    if counts["overdue"]:
        overdue = listed.filter(created__lt=cutoff).order_by("created", "pk")[:LISTED]
    new = []
    if counts["new"]:
        new = listed.filter(created__gte=cutoff).order_by("-created", "-pk")[:LISTED]
    return Digest(
        overdue=_items(overdue),
        overdue_count=counts["overdue"],
        new=_items(new),
        new_count=counts["new"],
    )


def _not_sent_on(today: date) -> Q:
    return Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today)


def send_due_digests(*, now: datetime | None = None) -> int:
    """Claim today's digest of every organisation that has requests waiting and has not
    had it yet, and send it to each of its managers (a task each, after commit). Nothing
    before DIGEST_HOUR or on a Saturday or Sunday. Returns how many organisations'
    digests went out."""
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    if not is_working_day(today) or local.hour < DIGEST_HOUR:
        return 0
    waiting = AdviceRequest.objects.filter(_waiting(OuterRef("organisation_id")))
    due = (
        AdviceTeam.objects.filter(_not_sent_on(today))
        .filter(Exists(waiting))
        .select_related("organisation")
        .order_by("pk")
    )
    sent = 0
    for team in due:
        with transaction.atomic():
            claimed = (
                AdviceTeam.objects.filter(pk=team.pk)
                .filter(_not_sent_on(today))
                .update(digest_sent_on=today)
            )
            if not claimed:
                continue  # another run has sent it meanwhile
            managers = managers_of(team.organisation).exclude(email="").order_by("pk")
            for manager_id in managers.values_list("pk", flat=True):
                enqueue_on_commit(DIGEST_TASK, team.pk, manager_id, today.isoformat())
        sent += 1
    return sent


def send_digest(*, team_id: int, user_id: int, day: str) -> int:
    """One manager's digest of ``day`` (ISO date): 1 if sent; 0 when they are no longer
    a manager of the organisation or nothing is waiting any more."""
    team = AdviceTeam.objects.select_related("organisation").filter(pk=team_id).first()
    if team is None:
        return 0
    organisation = team.organisation
    manager = managers_of(organisation).filter(pk=user_id).exclude(email="").first()
    if manager is None:
        return 0
    digest = collect_digest(organisation.pk, today=date.fromisoformat(day))
    if not digest.count:
        return 0
    send_digest_email(organisation=organisation, manager=manager, digest=digest)
    return 1


def send_digest_email(*, organisation, manager, digest: Digest) -> None:
    new = ngettext("%(count)d new", "%(count)d new", digest.new_count) % {
        "count": digest.new_count
    }
    overdue = ngettext("%(count)d overdue", "%(count)d overdue", digest.overdue_count) % {
        "count": digest.overdue_count
    }
    queue_url = absolute_url("advice:queue", organisation.slug)
    send_email(
        to=manager.email,
        subject=_("Advice requests to %(organisation)s waiting for contact: %(new)s, %(overdue)s")
        % {"organisation": organisation.name, "new": new, "overdue": overdue},
        template="advice_digest",
        context={
            "organisation": organisation,
            "manager": manager,
            "digest": digest,
            "overdue_more": digest.overdue_count - len(digest.overdue),
            "new_more": digest.new_count - len(digest.new),
            "queue_url": queue_url,
            "overdue_url": f"{queue_url}?status={queue.OVERDUE}&sort={queue.OLDEST}",
            "new_url": f"{queue_url}?status={RequestStatus.NEW}",
        },
    )
