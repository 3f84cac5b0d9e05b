"""Saved searches with email alerts, saved opportunities and their closing reminders:
the writes and the emails.

Everything that writes SavedSearch, AlertDelivery and SavedOpportunity, and every email
they cause, is here; the tasks in ``tasks.py`` and the views in ``views/alerts.py`` call it.
The links the emails carry, and their signed tokens, are ``alert_links.py``'s.

Saved searches are a ``portal.lib.subscriptions.Mailing``: double opt-in (nothing but
the confirmation email is sent until its link has been followed), links with signed
tokens so that nobody needs to sign in to confirm, manage or unsubscribe, the daily
limit on unconfirmed searches per address, one saved search per address, search and
frequency while subscribed, and idempotent digests (AlertDelivery, unique per saved
search and opportunity, records what was sent) are all that module's. What is this
module's: what a saved search is, which opportunities are new for it, and the emails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.lib import subscriptions
from portal.lib.mail import MAIL_ERRORS, absolute_url, send_email
from portal.lib.subscriptions import normalise_email
from portal.lib.tasks import enqueue_on_commit
from portal.procurement.alert_links import (
    LINKS,
    manage_url,
    opportunity_url,
    search_url,
)

# The pages' wording for values and moments, so that emails say the same.
from portal.procurement.display import moment_text
from portal.procurement.display import value_text as display_value
from portal.procurement.models import (
    AlertDelivery,
    Opportunity,
    SavedOpportunity,
    SavedSearch,
)
from portal.procurement.queries.filters import OpportunityFilters
from portal.procurement.queries.search import listed_opportunities

logger = logging.getLogger(__name__)

InvalidToken = subscriptions.InvalidToken
TooManyAlertsError = subscriptions.TooManySubscriptions
AlreadySubscribed = subscriptions.AlreadySubscribed

# A digest lists at most this many opportunities and links to the rest.
MAX_OPPORTUNITIES_PER_DIGEST = 50
REMINDER_WINDOW = timedelta(days=7)


class SavedSearchAlerts(subscriptions.Mailing):
    model = SavedSearch
    delivery_model = AlertDelivery
    delivery_subscription_field = "saved_search"
    links = LINKS
    confirmation_task = "portal.procurement.tasks.send_alert_confirmation"
    digest_task = "portal.procurement.tasks.send_alert_digest"
    logger = logger
    confirmation_template = "procurement/alert_confirm"
    confirmation_subject = gettext_lazy("Confirm your email alert for contract opportunities")
    digest_template = "procurement/alert_digest"
    already_subscribed_message = gettext_lazy(
        "You already get emails about this search at this email address. To change how "
        "often, use the link to manage your alerts in any of them."
    )

    def confirmation_context(self, saved_search: SavedSearch) -> dict:
        return {
            "saved_search": saved_search,
            "description": describe(saved_search),
            "frequency": saved_search.get_frequency_display().lower(),
            "search_url": search_url(saved_search),
        }

    def collect_digest(self, saved_search: SavedSearch, *, now: datetime):
        matching = new_opportunities_for(saved_search, now=now)
        opportunities = list(
            matching.only(
                "public_id",
                "title",
                "title_cy",
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
        return subscriptions.Digest(
            items=opportunities,
            deliveries=[{"opportunity": opportunity} for opportunity in opportunities],
            more=more,
        )

    def digest_subject(self, count: int) -> str:
        return ngettext(
            "%(count)d new contract opportunity for your saved search",
            "%(count)d new contract opportunities for your saved search",
            count,
        ) % {"count": count}

    def digest_context(self, saved_search: SavedSearch, digest) -> dict:
        return {
            "saved_search": saved_search,
            "description": describe(saved_search),
            "opportunities": [_listing(opportunity) for opportunity in digest.items],
            "search_url": search_url(saved_search),
            "manage_url": manage_url(saved_search.email),
            "frequency": saved_search.get_frequency_display().lower(),
        }


ALERTS = SavedSearchAlerts()
MAX_UNCONFIRMED_PER_DAY = ALERTS.max_unconfirmed_per_day
RESEND_CONFIRMATION_AFTER = ALERTS.resend_confirmation_after
saved_search_for_unsubscribe_token = ALERTS.subscription_for_unsubscribe_token


# What a saved search is.


def filters_for(saved_search: SavedSearch) -> OpportunityFilters:
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
        "title_cy": opportunity.title_cy,  # in a Welsh email (portal/lib/bilingual.py)
        "buyer": opportunity.buyer_name,
        "value": value_text(opportunity),
        "deadline": deadline_text(opportunity),
        "url": opportunity_url(opportunity),
    }


# Creating, confirming and unsubscribing saved searches.


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
    email = normalise_email(email)
    if user is not None and not (user.is_authenticated and user.email.lower() == email.lower()):
        user = None
    request = ALERTS.subscribe(
        email=email, frequency=frequency, same={"query": query}, fields={"user": user}, now=now
    )
    return SavedSearchRequest(
        saved_search=request.subscription,
        created=request.created,
        confirmation_sent=request.confirmation_sent,
    )


def send_confirmation(*, saved_search_id: int) -> None:
    """The double opt-in email. Nothing for a saved search that is gone or unsubscribed."""
    ALERTS.send_confirmation(subscription_id=saved_search_id)


@dataclass(frozen=True)
class Outcome:
    saved_search: SavedSearch
    # Whether this call changed anything (False: it had been done already).
    changed: bool

    @classmethod
    def of(cls, outcome: subscriptions.Outcome) -> Outcome:
        return cls(saved_search=outcome.subscription, changed=outcome.changed)


def confirm(token: str, *, now: datetime | None = None) -> Outcome:
    """Follow a confirmation link. Following it again changes nothing; nor does
    following it after unsubscribing. Raises InvalidToken."""
    return Outcome.of(ALERTS.confirm(token, now=now))


def unsubscribe_saved_search(*, saved_search: SavedSearch, now: datetime | None = None) -> Outcome:
    return Outcome.of(ALERTS.unsubscribe(subscription=saved_search, now=now))


def unsubscribe(token: str, *, now: datetime | None = None) -> Outcome:
    """Follow an unsubscribe link (or its one-click POST). Raises InvalidToken."""
    return Outcome.of(ALERTS.unsubscribe_by_token(token, now=now))


def change_frequency(*, saved_search: SavedSearch, frequency: str) -> Outcome:
    return Outcome.of(ALERTS.change_frequency(subscription=saved_search, frequency=frequency))


def saved_searches_of(email: str) -> QuerySet[SavedSearch]:
    """The saved searches an email address gets (or is asked to confirm)."""
    return ALERTS.subscriptions_of(email)


# Digests.


def new_opportunities_for(saved_search: SavedSearch, *, now: datetime) -> QuerySet[Opportunity]:
    """Listed opportunities matching the search that appeared since the last digest (by
    publication, or by arrival here for an imported one published earlier elsewhere) and
    were never sent to it."""
    since = saved_search.last_sent_at or saved_search.confirmed_at
    opportunities = listed_opportunities(filters_for(saved_search), now=now)
    if since is not None:
        opportunities = opportunities.filter(Q(published_at__gt=since) | Q(created__gt=since))
    return opportunities.exclude(
        pk__in=ALERTS.deliveries_of(saved_search).values("opportunity_id")
    )


def send_due_digests(*, now: datetime | None = None) -> int:
    """Send every saved search that is due its digest; returns how many emails were sent
    (see ``Mailing.send_due_digests``: one failure does not stop the others, and one the
    mail server refused is retried by ``send_alert_digest``)."""
    return ALERTS.send_due_digests(now=now)


def send_digest(*, saved_search_id: int, now: datetime | None = None) -> int:
    """Send one saved search its digest if it is due and has something new; 1 if sent.
    Safe to run twice (see ``Mailing.send_digest``)."""
    return ALERTS.send_digest(subscription_id=saved_search_id, now=now)


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
