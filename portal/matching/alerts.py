"""Match alerts: a founder asks to be emailed, weekly, the support and contract
opportunities that newly match their business.

A match alert is a ``portal.lib.subscriptions.Mailing``, as saved-search alerts are:
double opt-in, signed links to confirm and unsubscribe (one click, RFC 8058), the daily
limit per address, one alert per address and business while subscribed, and digests
that send each item once are that module's. What is this
module's: the business an alert is for (its profile and, after the diagnostic, its
scores, never the answers), what its matches are, and the emails.

The matches are the top ``MATCHES_CONSIDERED`` offers and opportunities ``recommend``
ranks for the stored business, by the pages' own code path. Those ranked when the alert
is confirmed are recorded as already known (the founder has just seen them), so a
digest lists only what has come into the matches since, and never one item twice.
"""

from __future__ import annotations

import html
import json
import logging
from datetime import datetime
from hashlib import sha256

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.lib import subscriptions
from portal.lib.mail import absolute_url
from portal.lib.subscriptions import Frequency
from portal.lib.vocabularies import BusinessSize, SicSection, Stage
from portal.matching.models import MatchDelivery, MatchSubscription
from portal.matching.recommendations import Recommendations, business_from_result, recommend
from portal.matching.records import DIMENSIONS, Business
from portal.matching.shown import shown_lists
from portal.places.models import Council, Region

logger = logging.getLogger(__name__)

# A business's matches: the first this many offers, and as many opportunities, that
# ``recommend`` ranks for it (the "Recommended for you" page's first two pages).
MATCHES_CONSIDERED = 20
# A digest lists at most this many new offers and as many new opportunities; the rest
# stay new for the next one.
MAX_PER_DIGEST = 10
# Reasons an email gives for each item.
REASONS_PER_ITEM = 3

InvalidToken = subscriptions.InvalidToken
TooManyAlertsError = subscriptions.TooManySubscriptions
AlreadySubscribed = subscriptions.AlreadySubscribed


LINKS = subscriptions.SubscriptionLinks(
    salt="matching.alerts",
    confirm_view="matching:alert-confirm",
    unsubscribe_view="matching:alert-unsubscribe",
)


class MatchAlerts(subscriptions.Mailing):
    model = MatchSubscription
    delivery_model = MatchDelivery
    links = LINKS
    confirmation_task = "portal.matching.tasks.send_match_alert_confirmation"
    digest_task = "portal.matching.tasks.send_match_alert_digest"
    logger = logger
    confirmation_template = "matching/alert_confirm"
    confirmation_subject = gettext_lazy("Confirm your email alert for new support and contracts")
    digest_template = "matching/alert_digest"
    already_subscribed_message = gettext_lazy(
        "You already get emails about new matches for this business at this email address"
    )

    def confirmation_context(self, subscription: MatchSubscription) -> dict:
        return {"description": describe(business_of(subscription))}

    def confirmed(self, subscription: MatchSubscription, *, now: datetime) -> None:
        """What matches now is known already: the founder saw it when they asked."""
        found = current_matches(subscription, now=now)
        known = [{"offer_id": item.id} for item in found.offers] + [
            {"opportunity_id": item.id} for item in found.opportunities
        ]
        MatchDelivery.objects.bulk_create(
            MatchDelivery(subscription=subscription, sent_at=now, emailed=False, **item)
            for item in known
        )

    def collect_digest(self, subscription: MatchSubscription, *, now: datetime):
        found = current_matches(subscription, now=now)
        known = self.deliveries_of(subscription).values_list("offer_id", "opportunity_id")
        known_offers, known_opportunities = set(), set()
        for offer_id, opportunity_id in known:
            if offer_id is not None:
                known_offers.add(offer_id)
            else:
                known_opportunities.add(opportunity_id)
        support = [(item, row) for item, row in found.support() if item.id not in known_offers]
        contracts = [
            (item, row) for item, row in found.contracts() if item.id not in known_opportunities
        ]
        more = max(len(support) - MAX_PER_DIGEST, 0) + max(len(contracts) - MAX_PER_DIGEST, 0)
        support, contracts = support[:MAX_PER_DIGEST], contracts[:MAX_PER_DIGEST]
        if not support and not contracts:
            return None
        offers, opportunities = shown_lists(support, contracts)
        return subscriptions.Digest(
            items=[*offers, *opportunities],
            deliveries=[{"offer_id": item.id} for item, _row in support]
            + [{"opportunity_id": item.id} for item, _row in contracts],
            more=more,
            extra={
                "offers": offers,
                "opportunities": opportunities,
                "description": describe(found.business),
            },
        )

    def digest_subject(self, count: int) -> str:
        return ngettext(
            "%(count)d new match for your business: support and contracts",
            "%(count)d new matches for your business: support and contracts",
            count,
        ) % {"count": count}

    def digest_context(self, subscription: MatchSubscription, digest) -> dict:
        return {
            "description": digest.extra["description"],
            "offers": [_offer_listing(item) for item in digest.extra["offers"]],
            "opportunities": [
                _opportunity_listing(item) for item in digest.extra["opportunities"]
            ],
            "recommended_url": absolute_url("matching:recommended"),
        }


ALERTS = MatchAlerts()


# The business an alert is for.


def profile_fields(business: Business) -> dict:
    """What a match alert keeps of a business: its profile and, after the diagnostic,
    its dimension scores, bands and flags (never the answers)."""
    scores = None
    if business.scores is not None:
        scores = {
            "dimensions": {
                key: round(float(value), 1)
                for key, value in business.scores.items()
                if key in DIMENSIONS
            },
            "bands": {key: value for key, value in business.bands.items() if key in DIMENSIONS},
            "flags": sorted(business.flags),
        }
    return {
        "council_id": business.council_id,
        "region_id": business.region_id,
        "size": business.size,
        "stage": business.stage,
        "sic_section": business.sic_section,
        "turnover": business.turnover,
        "customer_types": sorted(business.customer_types),
        "plans": sorted(business.plans),
        "supplies": list(business.supplies),
        "scores": scores,
    }


def profile_key(fields: dict) -> str:
    return sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def business_of(subscription: MatchSubscription) -> Business:
    """The business the alert is for, as the matcher reads it."""
    council = region = None
    if subscription.council_id is not None:
        council = Council.objects.select_related("region").filter(pk=subscription.council_id)
        council = council.first()
    if subscription.region_id is not None:
        if council is not None and council.region_id == subscription.region_id:
            region = council.region
        else:
            region = Region.objects.filter(pk=subscription.region_id).first()
    return business_from_result(
        council=council,
        region=region,
        size=subscription.size,
        stage=subscription.stage,
        sic_section=subscription.sic_section,
        profile={
            "turnover": subscription.turnover,
            "customer_types": subscription.customer_types,
            "plans": subscription.plans,
            "supplies": subscription.supplies,
        },
        result=subscription.scores,
    )


def current_matches(subscription: MatchSubscription, *, now: datetime) -> Recommendations:
    return recommend(
        business_of(subscription),
        now=now,
        offer_limit=MATCHES_CONSIDERED,
        opportunity_limit=MATCHES_CONSIDERED,
    )


def _label(vocabulary, value: str) -> str:
    try:
        return str(vocabulary(value).label)
    except ValueError:
        return value


def describe(business: Business) -> list[str]:
    """The business an alert is for, in words, one fact a line."""
    lines = []
    if business.council_name:
        lines.append(_("In %(place)s") % {"place": business.council_name})
    elif business.region_name:
        lines.append(_("In %(place)s") % {"place": business.region_name})
    if business.size:
        lines.append(_label(BusinessSize, business.size))
    if business.stage:
        lines.append(_label(Stage, business.stage))
    if business.sic_section:
        lines.append(_label(SicSection, business.sic_section))
    if business.has_scores:
        lines.append(_("Ranked for the gaps your diagnostic found"))
    else:
        lines.append(_("Ranked from your business profile alone"))
    return lines


# What an email says of each item.


def reason_sentences(reasons, *, limit: int = REASONS_PER_ITEM) -> list[str]:
    """The first reasons as the pages word them (templates/matching/includes/reason.html),
    as plain text: the email templates escape them again where they need to."""
    sentences = []
    for reason in reasons[:limit]:
        rendered = render_to_string("matching/includes/reason.html", {"reason": reason})
        sentence = " ".join(html.unescape(strip_tags(rendered)).split())
        if sentence:
            sentences.append(sentence)
    return sentences


def _offer_listing(item) -> dict:
    return {
        "title": item.title,
        "title_cy": item.title_cy,  # in a Welsh email (portal/lib/bilingual.py)
        "kind": item.kind_label,
        "provider": item.extra.get("provider", ""),
        "reasons": reason_sentences(item.reasons),
        "url": absolute_url("catalogue:offer", item.key),
    }


def _opportunity_listing(item) -> dict:
    return {
        "title": item.title,
        "title_cy": item.title_cy,
        "buyer": item.extra.get("buyer", ""),
        "value": item.extra.get("value", ""),
        "deadline": item.extra.get("deadline") or _("Not stated"),
        "reasons": reason_sentences(item.reasons),
        "url": absolute_url("procurement:detail", item.key),
    }


# Asking for and leaving match alerts (confirming is the Mailing's).


def subscribe_to_matches(
    *, email: str, business: Business, now: datetime | None = None
) -> subscriptions.SubscriptionRequest:
    """Ask for weekly emails of new matches for ``business`` and send the confirmation
    email (after commit). The same address and business again is the same alert (its
    confirmation is sent again, now and then). Raises AlreadySubscribed when the address
    already gets it, confirmed, and TooManyAlertsError past the daily limit of
    unconfirmed alerts per address."""
    fields = profile_fields(business)
    return ALERTS.subscribe(
        email=email,
        frequency=Frequency.WEEKLY,
        same={"profile_key": profile_key(fields)},
        fields=fields,
        now=now,
    )


def send_confirmation(*, subscription_id: int) -> None:
    ALERTS.send_confirmation(subscription_id=subscription_id)


def unsubscribe(
    *, subscription: MatchSubscription, now: datetime | None = None
) -> subscriptions.Outcome:
    return ALERTS.unsubscribe(subscription=subscription, now=now)


def send_due_digests(*, now: datetime | None = None) -> int:
    """Email every confirmed alert that is due the new matches for its business; returns
    how many emails were sent."""
    return ALERTS.send_due_digests(now=now)


def send_digest(*, subscription_id: int, now: datetime | None = None) -> int:
    return ALERTS.send_digest(subscription_id=subscription_id, now=now)
