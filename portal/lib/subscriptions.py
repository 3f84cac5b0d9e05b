"""Email subscriptions: double opt-in, digests of what is new, one-click unsubscribe.

Saved-search alerts (procurement) and match alerts (matching) are both a ``Mailing``:
an app subclasses it with its own models, links, task names and emails, and gets the
rest from here.

- Double opt-in: nothing but the confirmation email is sent until its link has been
  followed. A new unconfirmed subscription counts towards a daily limit per address,
  and the confirmation of one subscription is sent again at most once in a while.
- One address has one subscription to the same thing at the same frequency while it is
  subscribed: the database says so (``unique_while_subscribed``), and asking again for
  one already confirmed is refused with a message (``AlreadySubscribed``).
- Links carry signed tokens, so that nobody needs to sign in (``subscription_links``).
- Digests are idempotent: each subscription is sent under its row lock (skipped when
  another run holds it), only when due, and a delivery row (unique per subscription and
  item) records each item sent, so running the task twice, or on two workers at once,
  sends each subscriber at most one digest and no item twice. If sending fails, nothing
  is recorded and the subscription stays due.
- Digest emails carry List-Unsubscribe and List-Unsubscribe-Post (``send_email``'s
  ``unsubscribe_url``), so mail clients offer a one-click button.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.languages import current_language, in_language, language_field
from portal.lib.mail import MAIL_ERRORS, send_email
from portal.lib.subscription_links import InvalidToken, SubscriptionLinks
from portal.lib.tasks import enqueue_on_commit

__all__ = ["InvalidToken", "SubscriptionLinks"]


class Frequency(models.TextChoices):
    DAILY = "daily", gettext_lazy("Daily")
    WEEKLY = "weekly", gettext_lazy("Weekly")


# A little under a day or a week, so that an hourly schedule that drifts by a few
# minutes does not skip a whole period.
DUE_AFTER = {Frequency.DAILY: timedelta(hours=23), Frequency.WEEKLY: timedelta(days=6, hours=22)}


class Subscription(models.Model):
    """An email address that asked for a digest. Each kind adds what it is about (a
    saved search's query, a business profile) and its own Meta."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(gettext_lazy("email address"))
    # The language of the pages it was asked for on (the latest asking): its emails are
    # in it, with links to the pages in it.
    language = language_field()
    frequency = models.CharField(
        gettext_lazy("how often"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.DAILY,
    )
    created = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Digests cover what is new after this (set on confirmation).
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Delivery(models.Model):
    """One item sent in a subscription's digest. Each kind adds the foreign keys to its
    subscription and its item, unique together, so that no item is sent twice."""

    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


def unique_while_subscribed(*fields: str, name: str) -> models.UniqueConstraint:
    """The database's rule for a kind of subscription: one address (in any case) has at
    most one subscription to the same ``fields`` at the same frequency while it is
    subscribed (an unsubscribed one may be asked for again)."""
    return models.UniqueConstraint(
        Lower("email"),
        *(F(field_name) for field_name in fields),
        F("frequency"),
        condition=Q(unsubscribed_at__isnull=True),
        name=name,
    )


def unsubscribe_duplicates(model, *fields: str, now: datetime) -> int:
    """Before ``unique_while_subscribed`` is added (a data migration): of the subscribed
    rows of one address, ``fields`` and frequency, keep the one confirmed first (else
    the oldest) and mark the others unsubscribed at ``now``. Returns how many."""
    kept, extra = set(), []
    rows = model.objects.filter(unsubscribed_at__isnull=True).order_by(
        F("confirmed_at").asc(nulls_last=True), "created", "pk"
    )
    for row in rows.iterator():
        key = (row.email.lower(), *(getattr(row, name) for name in fields), row.frequency)
        if key in kept:
            extra.append(row.pk)
        else:
            kept.add(key)
    return model.objects.filter(pk__in=extra).update(unsubscribed_at=now)


class TooManySubscriptions(ValidationError):
    pass


class AlreadySubscribed(ValidationError):
    """The address already gets this subscription, at this frequency."""


@dataclass(frozen=True)
class SubscriptionRequest:
    subscription: Subscription
    created: bool
    # False when the confirmation was sent a moment ago and is not sent again.
    confirmation_sent: bool


@dataclass(frozen=True)
class Outcome:
    subscription: Subscription
    # Whether this call changed anything (False: it had been done already).
    changed: bool


@dataclass(frozen=True)
class Digest:
    """What one digest email lists, and the delivery rows that record it."""

    # What the email shows, in the app's own terms.
    items: Sequence[Any]
    # One mapping of field values per item for its delivery row (``{"opportunity": o}``);
    # the subscription and the time are added.
    deliveries: Sequence[Mapping[str, Any]]
    # How many more there were than the email lists.
    more: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email(email.strip())


class Mailing:
    """One kind of subscription. A subclass sets the class attributes and says what its
    emails hold (``confirmation_context``, ``collect_digest``, ``digest_subject``,
    ``digest_context``); ``confirmed`` may do more when a subscription is confirmed.
    """

    model: type[Subscription]
    delivery_model: type[Delivery]
    # The delivery model's foreign key to the subscription.
    delivery_subscription_field = "subscription"
    links: SubscriptionLinks
    # The email tasks (by registered name) that send one confirmation or one digest.
    confirmation_task: str
    digest_task: str
    logger: logging.Logger = logging.getLogger(__name__)

    # The emails: templates (portal.lib.mail.send_email) and the confirmation's subject.
    confirmation_template: str
    confirmation_subject: str
    digest_template: str
    # What the form says to an address asking again for what it already gets.
    already_subscribed_message = gettext_lazy("You already get these alerts at this email address")

    # Abuse limits: new unconfirmed subscriptions per address per day, and how often the
    # confirmation of one subscription may be sent again.
    max_unconfirmed_per_day = 5
    resend_confirmation_after = timedelta(minutes=10)

    # Hooks.

    def confirmation_context(self, subscription: Subscription) -> dict:
        """What the confirmation email says besides its link and how long it works."""
        return {}

    def collect_digest(self, subscription: Subscription, *, now: datetime) -> Digest | None:
        """What is new for the subscription and not sent to it before (read under its
        lock); None or no items: nothing to send this time."""
        raise NotImplementedError

    def digest_subject(self, count: int) -> str:
        raise NotImplementedError

    def digest_context(self, subscription: Subscription, digest: Digest) -> dict:
        """What the digest email says besides how many more there are and its
        unsubscribe link."""
        raise NotImplementedError

    def confirmed(self, subscription: Subscription, *, now: datetime) -> None:
        """Called in the transaction that confirms it, under its lock."""

    # The emails.

    def send_confirmation_email(self, subscription: Subscription) -> None:
        with in_language(subscription.language):
            send_email(
                to=subscription.email,
                subject=str(self.confirmation_subject),
                template=self.confirmation_template,
                context={
                    "confirm_url": self.links.confirm_url(subscription),
                    "valid_days": self.links.confirm_max_age.days,
                    **self.confirmation_context(subscription),
                },
            )

    def send_digest_email(self, subscription: Subscription, digest: Digest) -> None:
        with in_language(subscription.language):
            unsubscribe_url = self.links.unsubscribe_url(subscription)
            send_email(
                to=subscription.email,
                subject=self.digest_subject(len(digest.items) + digest.more),
                template=self.digest_template,
                context={
                    "more": digest.more,
                    "unsubscribe_url": unsubscribe_url,
                    **self.digest_context(subscription, digest),
                },
                unsubscribe_url=unsubscribe_url,
            )

    # Links.

    def subscription_for_confirm_token(self, token: str) -> Subscription:
        """The subscription a confirmation link is for, unchanged. Raises InvalidToken
        (``expired`` past the links' ``confirm_max_age``)."""
        return self._subscription(self.links.public_id_to_confirm(token))

    def subscription_for_unsubscribe_token(self, token: str) -> Subscription:
        return self._subscription(self.links.public_id_to_unsubscribe(token))

    def _subscription(self, public_id: str) -> Subscription:
        try:
            return self.model.objects.get(public_id=public_id)
        except (self.model.DoesNotExist, ValidationError) as error:
            raise InvalidToken from error

    # Subscribing, confirming, unsubscribing.

    def subscribe(
        self,
        *,
        email: str,
        frequency: str,
        same: Mapping[str, Any],
        fields: Mapping[str, Any] | None = None,
        now: datetime | None = None,
    ) -> SubscriptionRequest:
        """Subscribe ``email`` to what ``same`` (field values) says and send the
        confirmation email (after commit); ``fields`` are set on a new subscription only.

        The same address and the same ``same`` again does not make a second
        subscription: its confirmation is sent again instead (at most once every
        ``resend_confirmation_after``), and an unconfirmed one takes the new frequency.
        Raises AlreadySubscribed when the address already gets it, confirmed, at this
        frequency, and TooManySubscriptions past ``max_unconfirmed_per_day`` new
        unconfirmed subscriptions of the address.
        """
        now = now or timezone.now()
        email = normalise_email(email)
        language = current_language()
        with transaction.atomic():
            existing = (
                self.model.objects.select_for_update()
                .filter(email__iexact=email, unsubscribed_at__isnull=True, **same)
                .order_by("created")
                .first()
            )
            if existing is not None:
                subscription, created = existing, False
                if existing.confirmed_at is not None and existing.frequency == frequency:
                    raise self._already_subscribed()
                changed = []
                if existing.confirmed_at is None and existing.frequency != frequency:
                    existing.frequency = frequency
                    changed.append("frequency")
                if existing.language != language:
                    # Its emails from now on are in the language it was asked in again.
                    existing.language = language
                    changed.append("language")
                if changed:
                    existing.save(update_fields=changed)
            else:
                unconfirmed_today = self.model.objects.filter(
                    email__iexact=email, confirmed_at__isnull=True, created__gte=now - timedelta(1)
                ).count()
                if unconfirmed_today >= self.max_unconfirmed_per_day:
                    raise TooManySubscriptions(
                        _(
                            "You have asked for too many alerts for this email address today. "
                            "Confirm the ones we have emailed you, or try again tomorrow."
                        ),
                        code="too_many",
                    )
                try:
                    # A savepoint: another request may have made the same one meanwhile.
                    with transaction.atomic():
                        subscription = self.model.objects.create(
                            email=email,
                            frequency=frequency,
                            language=language,
                            created=now,
                            **same,
                            **(fields or {}),
                        )
                except IntegrityError as error:
                    raise self._already_subscribed() from error
                created = True
            # Throttled through the cache: someone resubmitting the form cannot make us
            # mail an address over and over.
            throttle_key = (
                f"subscriptions.confirmation:{self.links.salt}:"
                + sha256(str(subscription.public_id).encode()).hexdigest()
            )
            timeout = int(self.resend_confirmation_after.total_seconds())
            send = created or cache.add(throttle_key, 1, timeout=timeout)
            if created:
                cache.set(throttle_key, 1, timeout=timeout)
            if send:
                enqueue_on_commit(self.confirmation_task, subscription.pk)
        return SubscriptionRequest(
            subscription=subscription, created=created, confirmation_sent=send
        )

    def _already_subscribed(self) -> AlreadySubscribed:
        return AlreadySubscribed(self.already_subscribed_message, code="already_subscribed")

    def send_confirmation(self, *, subscription_id: int) -> None:
        """The double opt-in email. Nothing for a subscription that is gone or
        unsubscribed."""
        subscription = self.model.objects.filter(
            pk=subscription_id, unsubscribed_at__isnull=True
        ).first()
        if subscription is not None:
            self.send_confirmation_email(subscription)

    def confirm(self, token: str, *, now: datetime | None = None) -> Outcome:
        """Follow a confirmation link. Following it again changes nothing; nor does
        following it after unsubscribing. Raises InvalidToken."""
        now = now or timezone.now()
        public_id = self.links.public_id_to_confirm(token)
        with transaction.atomic():
            try:
                subscription = (
                    self.model.objects.select_for_update().filter(public_id=public_id).first()
                )
            except ValidationError as error:
                raise InvalidToken from error
            if subscription is None:
                raise InvalidToken
            if subscription.confirmed_at is not None or subscription.unsubscribed_at is not None:
                return Outcome(subscription=subscription, changed=False)
            subscription.confirmed_at = now
            # The first digest has only what is new from now on.
            subscription.last_sent_at = now
            subscription.save(update_fields=["confirmed_at", "last_sent_at"])
            self.confirmed(subscription, now=now)
        return Outcome(subscription=subscription, changed=True)

    def unsubscribe(self, *, subscription: Subscription, now: datetime | None = None) -> Outcome:
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=subscription.pk)
            if locked.unsubscribed_at is not None:
                return Outcome(subscription=locked, changed=False)
            locked.unsubscribed_at = now or timezone.now()
            locked.save(update_fields=["unsubscribed_at"])
        return Outcome(subscription=locked, changed=True)

    def unsubscribe_by_token(self, token: str, *, now: datetime | None = None) -> Outcome:
        """Follow an unsubscribe link (or its one-click POST). Raises InvalidToken."""
        subscription = self.subscription_for_unsubscribe_token(token)
        return self.unsubscribe(subscription=subscription, now=now)

    def change_frequency(self, *, subscription: Subscription, frequency: str) -> Outcome:
        if frequency not in Frequency.values:
            raise ValidationError(_("Choose how often to get emails"), code="invalid_frequency")
        with transaction.atomic():
            locked = self.model.objects.select_for_update().get(pk=subscription.pk)
            if locked.frequency == frequency or locked.unsubscribed_at is not None:
                return Outcome(subscription=locked, changed=False)
            locked.frequency = frequency
            locked.save(update_fields=["frequency"])
        return Outcome(subscription=locked, changed=True)

    def subscriptions_of(self, email: str) -> QuerySet:
        """The subscriptions an email address gets (or is asked to confirm)."""
        return self.model.objects.filter(
            email__iexact=email, unsubscribed_at__isnull=True
        ).order_by("created", "pk")

    # Digests.

    def due(self, now: datetime) -> Q:
        return Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True) & (
            Q(last_sent_at__isnull=True)
            | Q(frequency=Frequency.DAILY, last_sent_at__lte=now - DUE_AFTER[Frequency.DAILY])
            | Q(frequency=Frequency.WEEKLY, last_sent_at__lte=now - DUE_AFTER[Frequency.WEEKLY])
        )

    def deliveries_of(self, subscription: Subscription) -> QuerySet:
        """The delivery rows of what was sent to the subscription (to leave out)."""
        return self.delivery_model.objects.filter(
            **{self.delivery_subscription_field: subscription}
        )

    def send_due_digests(self, *, now: datetime | None = None) -> int:
        """Send every subscription that is due its digest; returns how many emails were
        sent.

        A subscription with nothing new gets no email but its period starts again. One
        failing subscription (a bad address, the mail server refusing) is logged and
        left due; it does not stop the others. One the mail server refused is handed to
        the task that retries it (``digest_task``); any other stays for the next run.
        """
        now = now or timezone.now()
        due_ids = list(
            self.model.objects.filter(self.due(now)).order_by("pk").values_list("pk", flat=True)
        )
        sent = 0
        refused = []
        for subscription_id in due_ids:
            try:
                sent += self.send_digest(subscription_id=subscription_id, now=now)
            except Exception as error:
                self.logger.exception(
                    "Digest for %s %s failed", self.model._meta.model_name, subscription_id
                )
                if isinstance(error, MAIL_ERRORS):
                    refused.append(subscription_id)
        for subscription_id in refused:
            enqueue_on_commit(self.digest_task, subscription_id)
        return sent

    def send_digest(self, *, subscription_id: int, now: datetime | None = None) -> int:
        """Send one subscription its digest if it is due and has something new; 1 if sent.

        The email goes out under the subscription's row lock, in the transaction that
        records the delivery rows and restarts its period: if sending fails, nothing is
        recorded and it stays due, and a run that finds the row locked (another worker
        sending it) or no longer due sends nothing. So it is safe to run twice.
        """
        now = now or timezone.now()
        with transaction.atomic():
            subscription = (
                self.model.objects.select_for_update(skip_locked=True)
                .filter(self.due(now), pk=subscription_id)
                .first()
            )
            if subscription is None:
                # Another run holds it or has just sent it.
                return 0
            digest = self.collect_digest(subscription, now=now)
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
            if digest is None or not digest.items:
                return 0
            # The unique constraint makes a concurrent duplicate fail here, before mailing.
            self.delivery_model.objects.bulk_create(
                self.delivery_model(
                    **{self.delivery_subscription_field: subscription},
                    sent_at=now,
                    **delivery,
                )
                for delivery in digest.deliveries
            )
            self.send_digest_email(subscription, digest)
        return 1


# An alert never confirmed is deleted this long after it was asked for: its
# confirmation link (``SubscriptionLinks.confirm_max_age``) no longer works by then.
UNCONFIRMED_KEPT_FOR = timedelta(days=7)


def delete_unconfirmed(model: type[Subscription], *, now: datetime | None = None) -> int:
    """Delete the subscriptions of ``model`` asked for more than 7 days ago and never
    confirmed; returns how many. Running it again deletes nothing more."""
    now = now or timezone.now()
    deleted, _ = model.objects.filter(
        confirmed_at__isnull=True, created__lt=now - UNCONFIRMED_KEPT_FOR
    ).delete()
    return deleted
