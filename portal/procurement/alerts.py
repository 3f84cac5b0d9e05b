"""Saved searches with email alerts, saved opportunities and their closing reminders.

Everything that writes SavedSearch, AlertDelivery and SavedOpportunity, and every email
they cause, is here; the tasks in ``tasks.py`` and the views in ``views/alerts.py`` call it.

Saved searches are double opt-in: nothing but the confirmation email is sent until its
link has been followed. Links in emails carry signed tokens (django.core.signing, one salt
per purpose) so that nobody needs to sign in to confirm, manage or unsubscribe:

- confirm: bound to one saved search, valid for CONFIRM_MAX_AGE;
- unsubscribe: bound to one saved search, never expires (RFC 8058 one-click links sit in
  mailboxes for years), and works once: a second use finds it already unsubscribed;
- manage: bound to an email address, lists every saved search of that address.

Digests are idempotent: each saved search is sent under a row lock (skipped when another
run holds it), only when due, and AlertDelivery (unique per saved search and opportunity)
records what was sent, so running the task twice, or on two workers at once, sends each
subscriber at most one digest and no opportunity twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256

from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.lib.mail import MAIL_ERRORS, absolute_url, send_email
from portal.lib.tasks import enqueue_on_commit

# The pages' wording for values and moments, so that emails say the same.
from portal.procurement.display import moment_text
from portal.procurement.display import value_text as display_value
from portal.procurement.models import (
    AlertDelivery,
    Frequency,
    Opportunity,
    SavedOpportunity,
    SavedSearch,
)

logger = logging.getLogger(__name__)

CONFIRM_SALT = "procurement.alerts.confirm"
UNSUBSCRIBE_SALT = "procurement.alerts.unsubscribe"
MANAGE_SALT = "procurement.alerts.manage"
CONFIRM_MAX_AGE = timedelta(days=7)
MANAGE_MAX_AGE = timedelta(days=90)

# A little under a day or a week, so that an hourly schedule that drifts by a few
# minutes does not skip a whole period.
DUE_AFTER = {Frequency.DAILY: timedelta(hours=23), Frequency.WEEKLY: timedelta(days=6, hours=22)}

# Abuse limits: new unconfirmed saved searches per address per day, and how often the
# confirmation of one saved search may be sent again.
MAX_UNCONFIRMED_PER_DAY = 5
RESEND_CONFIRMATION_AFTER = timedelta(minutes=10)

# A digest lists at most this many opportunities and links to the rest.
MAX_OPPORTUNITIES_PER_DIGEST = 50
REMINDER_WINDOW = timedelta(days=7)


class InvalidToken(Exception):
    """A link's token is malformed, tampered with, expired, or its saved search is gone."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


class TooManyAlertsError(ValidationError):
    pass


# Tokens.


def make_confirm_token(saved_search: SavedSearch) -> str:
    return signing.dumps(str(saved_search.public_id), salt=CONFIRM_SALT, compress=False)


def make_unsubscribe_token(saved_search: SavedSearch) -> str:
    return signing.dumps(str(saved_search.public_id), salt=UNSUBSCRIBE_SALT, compress=False)


def make_manage_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=MANAGE_SALT, compress=False)


def _load(token: str, *, salt: str, max_age: timedelta | None = None) -> str:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise InvalidToken(expired=True) from error
    except signing.BadSignature as error:
        raise InvalidToken from error
    if not isinstance(value, str):
        raise InvalidToken
    return value


def _saved_search_for(token: str, *, salt: str, max_age: timedelta | None = None):
    public_id = _load(token, salt=salt, max_age=max_age)
    try:
        return SavedSearch.objects.get(public_id=public_id)
    except (SavedSearch.DoesNotExist, ValidationError) as error:
        raise InvalidToken from error


def saved_search_for_unsubscribe_token(token: str) -> SavedSearch:
    return _saved_search_for(token, salt=UNSUBSCRIBE_SALT)


def email_for_manage_token(token: str) -> str:
    return _load(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE)


# Links, absolute because an email is read away from the site.


def confirm_url(saved_search: SavedSearch) -> str:
    return absolute_url("procurement:alert-confirm", make_confirm_token(saved_search))


def unsubscribe_url(saved_search: SavedSearch) -> str:
    return absolute_url("procurement:alert-unsubscribe", make_unsubscribe_token(saved_search))


def manage_url(email: str) -> str:
    return absolute_url("procurement:alert-manage", make_manage_token(email))


def search_url(saved_search: SavedSearch) -> str:
    return absolute_url("procurement:list", query=saved_search.query)


def opportunity_url(opportunity: Opportunity) -> str:
    return absolute_url("procurement:detail", opportunity.public_id)


# What a saved search is.


def filters_for(saved_search: SavedSearch):
    from portal.procurement.queries import OpportunityFilters

    return OpportunityFilters.from_querydict(QueryDict(saved_search.query))


def describe(saved_search: SavedSearch) -> list[str]:
    """The saved search in words, one filter a line; empty for "every opportunity"."""
    return list(filters_for(saved_search).describe())


def value_text(opportunity: Opportunity) -> str:
    """The value as the pages show it; an unknown amount is "Value not stated", never £0."""
    return display_value(opportunity.value_min, opportunity.value_max, opportunity.currency)


def deadline_text(opportunity: Opportunity) -> str:
    """ "13 December 2026, 5:30pm" in UK time, as the pages show it."""
    return moment_text(opportunity.deadline) or _("Not stated")


def _listing(opportunity: Opportunity) -> dict:
    """What an email says about one opportunity."""
    return {
        "title": opportunity.title,
        "buyer": opportunity.buyer_name,
        "value": value_text(opportunity),
        "deadline": deadline_text(opportunity),
        "url": opportunity_url(opportunity),
    }


# Creating and confirming saved searches.


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


@dataclass(frozen=True)
class SavedSearchRequest:
    saved_search: SavedSearch
    created: bool
    # False when the confirmation was sent a moment ago and is not sent again.
    confirmation_sent: bool


def create_saved_search(
    *, email: str, query: str, frequency: str, user=None, now: datetime | None = None
) -> SavedSearchRequest:
    """Save a search for `email` and send the confirmation email (after commit).

    The same address and search again does not make a second saved search: its
    confirmation is sent again instead (at most once every RESEND_CONFIRMATION_AFTER).
    Raises TooManyAlertsError past MAX_UNCONFIRMED_PER_DAY new unconfirmed searches.
    ``query`` is the normalised query string (OpportunityFilters.to_querystring()).
    """
    now = now or timezone.now()
    email = normalise_email(email)
    if user is not None and not (user.is_authenticated and user.email.lower() == email.lower()):
        user = None
    with transaction.atomic():
        existing = (
            SavedSearch.objects.select_for_update()
            .filter(email__iexact=email, query=query, unsubscribed_at__isnull=True)
            .order_by("created")
            .first()
        )
        if existing is not None:
            saved_search, created = existing, False
            if existing.confirmed_at is None and existing.frequency != frequency:
                existing.frequency = frequency
                existing.save(update_fields=["frequency"])
        else:
            unconfirmed_today = SavedSearch.objects.filter(
                email__iexact=email, confirmed_at__isnull=True, created__gte=now - timedelta(1)
            ).count()
            if unconfirmed_today >= MAX_UNCONFIRMED_PER_DAY:
                raise TooManyAlertsError(
                    _(
                        "You have asked for too many alerts for this email address today. "
                        "Confirm the ones we have emailed you, or try again tomorrow."
                    ),
                    code="too_many",
                )
            saved_search = SavedSearch.objects.create(
                email=email, query=query, frequency=frequency, user=user, created=now
            )
            created = True
        # Throttled through the cache: someone resubmitting the form cannot make us
        # mail an address over and over.
        throttle_key = (
            "procurement.alert-confirmation:"
            + sha256(str(saved_search.public_id).encode()).hexdigest()
        )
        send = created or cache.add(
            throttle_key, 1, timeout=int(RESEND_CONFIRMATION_AFTER.total_seconds())
        )
        if created:
            cache.set(throttle_key, 1, timeout=int(RESEND_CONFIRMATION_AFTER.total_seconds()))
        if send:
            enqueue_on_commit("portal.procurement.tasks.send_alert_confirmation", saved_search.pk)
    return SavedSearchRequest(saved_search=saved_search, created=created, confirmation_sent=send)


def send_confirmation(*, saved_search_id: int) -> None:
    """The double opt-in email. Nothing for a saved search that is gone or unsubscribed."""
    saved_search = SavedSearch.objects.filter(
        pk=saved_search_id, unsubscribed_at__isnull=True
    ).first()
    if saved_search is None:
        return
    send_email(
        to=saved_search.email,
        subject=_("Confirm your email alert for contract opportunities"),
        template="procurement/alert_confirm",
        context={
            "saved_search": saved_search,
            "description": describe(saved_search),
            "frequency": saved_search.get_frequency_display().lower(),
            "confirm_url": confirm_url(saved_search),
            "search_url": search_url(saved_search),
            "valid_days": CONFIRM_MAX_AGE.days,
        },
    )


@dataclass(frozen=True)
class Outcome:
    saved_search: SavedSearch
    # Whether this call changed anything (False: it had been done already).
    changed: bool


def confirm(token: str, *, now: datetime | None = None) -> Outcome:
    """Follow a confirmation link. Following it again changes nothing; nor does
    following it after unsubscribing. Raises InvalidToken."""
    now = now or timezone.now()
    public_id = _load(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    with transaction.atomic():
        try:
            saved_search = (
                SavedSearch.objects.select_for_update().filter(public_id=public_id).first()
            )
        except ValidationError as error:
            raise InvalidToken from error
        if saved_search is None:
            raise InvalidToken
        if saved_search.confirmed_at is not None or saved_search.unsubscribed_at is not None:
            return Outcome(saved_search=saved_search, changed=False)
        saved_search.confirmed_at = now
        # The first digest has only what is published from now on.
        saved_search.last_sent_at = now
        saved_search.save(update_fields=["confirmed_at", "last_sent_at"])
    return Outcome(saved_search=saved_search, changed=True)


def unsubscribe_saved_search(*, saved_search: SavedSearch, now: datetime | None = None) -> Outcome:
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
        if locked.unsubscribed_at is not None:
            return Outcome(saved_search=locked, changed=False)
        locked.unsubscribed_at = now or timezone.now()
        locked.save(update_fields=["unsubscribed_at"])
    return Outcome(saved_search=locked, changed=True)


def unsubscribe(token: str, *, now: datetime | None = None) -> Outcome:
    """Follow an unsubscribe link (or its one-click POST). Raises InvalidToken."""
    saved_search = saved_search_for_unsubscribe_token(token)
    return unsubscribe_saved_search(saved_search=saved_search, now=now)


def change_frequency(*, saved_search: SavedSearch, frequency: str) -> Outcome:
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often to get emails"), code="invalid_frequency")
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
        if locked.frequency == frequency or locked.unsubscribed_at is not None:
            return Outcome(saved_search=locked, changed=False)
        locked.frequency = frequency
        locked.save(update_fields=["frequency"])
    return Outcome(saved_search=locked, changed=True)


def saved_searches_of(email: str) -> QuerySet[SavedSearch]:
    """The saved searches an email address gets (or is asked to confirm)."""
    return SavedSearch.objects.filter(email__iexact=email, unsubscribed_at__isnull=True).order_by(
        "created", "pk"
    )


# Digests.


def _due(now: datetime) -> Q:
    return Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True) & (
        Q(last_sent_at__isnull=True)
        | Q(frequency=Frequency.DAILY, last_sent_at__lte=now - DUE_AFTER[Frequency.DAILY])
        | Q(frequency=Frequency.WEEKLY, last_sent_at__lte=now - DUE_AFTER[Frequency.WEEKLY])
    )


def new_opportunities_for(saved_search: SavedSearch, *, now: datetime) -> QuerySet[Opportunity]:
    """Listed opportunities matching the search that appeared since the last digest (by
    publication, or by arrival here for an imported one published earlier elsewhere) and
    were never sent to it."""
    from portal.procurement.queries import listed_opportunities

    since = saved_search.last_sent_at or saved_search.confirmed_at
    opportunities = listed_opportunities(filters_for(saved_search), now=now)
    if since is not None:
        opportunities = opportunities.filter(Q(published_at__gt=since) | Q(created__gt=since))
    return opportunities.exclude(
        pk__in=AlertDelivery.objects.filter(saved_search=saved_search).values("opportunity_id")
    )


def send_due_digests(*, now: datetime | None = None) -> int:
    """Send every saved search that is due its digest; returns how many emails were sent.

    A saved search with nothing new gets no email but its period starts again. One
    failing saved search (a bad address, the mail server refusing) is logged and left
    due; it does not stop the others. One the mail server refused is handed to the task
    that retries it (``send_alert_digest``); any other stays for the next run.
    """
    now = now or timezone.now()
    due_ids = list(
        SavedSearch.objects.filter(_due(now)).order_by("pk").values_list("pk", flat=True)
    )
    sent = 0
    refused = []
    for saved_search_id in due_ids:
        try:
            sent += send_digest(saved_search_id=saved_search_id, now=now)
        except Exception as error:
            logger.exception("Alert digest for saved search %s failed", saved_search_id)
            if isinstance(error, MAIL_ERRORS):
                refused.append(saved_search_id)
    for saved_search_id in refused:
        enqueue_on_commit("portal.procurement.tasks.send_alert_digest", saved_search_id)
    return sent


def send_digest(*, saved_search_id: int, now: datetime | None = None) -> int:
    """Send one saved search its digest if it is due and has something new; 1 if sent.

    The email goes out under the saved search's row lock, in the transaction that
    records the AlertDelivery rows and restarts its period: if sending fails, nothing
    is recorded and it stays due, and a run that finds the row locked (another worker
    sending it) or no longer due sends nothing. So it is safe to run twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        saved_search = (
            SavedSearch.objects.select_for_update(skip_locked=True)
            .filter(_due(now), pk=saved_search_id)
            .first()
        )
        if saved_search is None:
            # Another run holds it or has just sent it.
            return 0
        matching = new_opportunities_for(saved_search, now=now)
        opportunities = list(
            matching.only(
                "public_id",
                "title",
                "buyer_name",
                "value_min",
                "value_max",
                "currency",
                "deadline",
            )[: MAX_OPPORTUNITIES_PER_DIGEST + 1]
        )
        more = 0
        if len(opportunities) > MAX_OPPORTUNITIES_PER_DIGEST:
            more = matching.count() - MAX_OPPORTUNITIES_PER_DIGEST
            opportunities = opportunities[:MAX_OPPORTUNITIES_PER_DIGEST]
        saved_search.last_sent_at = now
        saved_search.save(update_fields=["last_sent_at"])
        if not opportunities:
            return 0
        # The unique constraint makes a concurrent duplicate fail here, before mailing.
        AlertDelivery.objects.bulk_create(
            AlertDelivery(saved_search=saved_search, opportunity=opportunity, sent_at=now)
            for opportunity in opportunities
        )
        _send_digest_email(saved_search, opportunities, more=more)
    return 1


def _send_digest_email(saved_search: SavedSearch, opportunities: list, *, more: int) -> None:
    count = len(opportunities) + more
    subject = ngettext(
        "%(count)d new contract opportunity for your saved search",
        "%(count)d new contract opportunities for your saved search",
        count,
    ) % {"count": count}
    unsubscribe_link = unsubscribe_url(saved_search)
    send_email(
        to=saved_search.email,
        subject=subject,
        template="procurement/alert_digest",
        context={
            "saved_search": saved_search,
            "description": describe(saved_search),
            "opportunities": [_listing(opportunity) for opportunity in opportunities],
            "more": more,
            "search_url": search_url(saved_search),
            "manage_url": manage_url(saved_search.email),
            "unsubscribe_url": unsubscribe_link,
            "frequency": saved_search.get_frequency_display().lower(),
        },
        unsubscribe_url=unsubscribe_link,
    )


# Saved opportunities and closing reminders.


def save_opportunity(*, user, opportunity: Opportunity) -> SavedOpportunity:
    """Save it for the user (saving twice keeps the one saved first)."""
    saved, _created = SavedOpportunity.objects.get_or_create(user=user, opportunity=opportunity)
    return saved


def unsave_opportunity(*, user, opportunity: Opportunity) -> bool:
    deleted, _by_model = SavedOpportunity.objects.filter(
        user=user, opportunity=opportunity
    ).delete()
    return bool(deleted)


# The name the brief and the tasks know it by.
unsave = unsave_opportunity


def is_saved(*, user, opportunity: Opportunity) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SavedOpportunity.objects.filter(user=user, opportunity=opportunity).exists()


def _reminder_due(now: datetime) -> Q:
    closing = Opportunity.objects.open_on(now).filter(deadline__lte=now + REMINDER_WINDOW)
    return Q(
        reminded_at__isnull=True,
        opportunity__in=closing,
        user__is_active=True,
    ) & ~Q(user__email="")


def send_closing_reminders(*, now: datetime | None = None) -> int:
    """One email per user listing their saved opportunities that close within 7 days and
    were not in a reminder before; returns how many emails were sent. As with digests,
    one failing user does not stop the others, and one the mail server refused is
    handed to the task that retries it (``send_closing_reminder``)."""
    now = now or timezone.now()
    user_ids = list(
        SavedOpportunity.objects.filter(_reminder_due(now))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    refused = []
    for user_id in user_ids:
        try:
            sent += send_closing_reminder(user_id=user_id, now=now)
        except Exception as error:
            logger.exception("Closing reminder for user %s failed", user_id)
            if isinstance(error, MAIL_ERRORS):
                refused.append(user_id)
    for user_id in refused:
        enqueue_on_commit("portal.procurement.tasks.send_closing_reminder", user_id)
    return sent


def send_closing_reminder(*, user_id: int, now: datetime | None = None) -> int:
    """Remind one user of their saved opportunities closing soon; 1 if an email was sent.

    Sent under the rows' locks in the transaction that marks them reminded, so a
    failure records nothing and a second run finds nothing left to remind."""
    now = now or timezone.now()
    with transaction.atomic():
        saved = list(
            SavedOpportunity.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_reminder_due(now), user_id=user_id)
            .select_related("opportunity", "user")
            .order_by("opportunity__deadline", "pk")
        )
        if not saved:
            return 0
        SavedOpportunity.objects.filter(pk__in=[item.pk for item in saved]).update(reminded_at=now)
        user = saved[0].user
        count = len(saved)
        send_email(
            to=user.email,
            subject=ngettext(
                "A contract opportunity you saved closes within 7 days",
                "%(count)d contract opportunities you saved close within 7 days",
                count,
            )
            % {"count": count},
            template="procurement/closing_reminder",
            context={
                "user": user,
                "opportunities": [_listing(item.opportunity) for item in saved],
                "saved_url": absolute_url("procurement:saved-opportunities"),
            },
        )
    return 1
