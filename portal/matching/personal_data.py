"""The person's match alerts in "Download your data", what deleting their account does to
them, and the inventory of the matcher's personal fields (portal/accounts/
personal_data.py); registered by MatchingConfig.ready.

A match alert has no account, only an email address, so it is the person's once they
have proved the address is theirs: then it is in the download, and deleting the account
deletes it with the record of what it sent. Feedback on recommendations ("Useful") holds
nothing about anyone and stays in the anonymous figures.
"""

from django.db.models import Count, QuerySet

from portal.accounts.personal_data import PersonalField
from portal.matching.models import MatchSubscription

UNTIL_DELETED = (
    "Until the person deletes their account, having proved the address is theirs. "
    "Unsubscribing stops an alert but keeps it; one never confirmed is deleted 7 days "
    "after it was asked for."
)

FIELDS = (
    PersonalField(
        MatchSubscription, "email", "Where the alert's confirmation and digests go.", UNTIL_DELETED
    ),
    PersonalField(
        MatchSubscription,
        "language",
        "The language of the pages the person used: their emails are written in it.",
        UNTIL_DELETED,
    ),
    PersonalField(
        MatchSubscription,
        "customer_types",
        "Part of the business profile the matcher ranks for.",
        UNTIL_DELETED,
    ),
    PersonalField(
        MatchSubscription,
        "plans",
        "Part of the business profile the matcher ranks for.",
        UNTIL_DELETED,
    ),
    PersonalField(
        MatchSubscription,
        "supplies",
        "What the business supplies (CPV codes), for contract matches.",
        UNTIL_DELETED,
    ),
    PersonalField(
        MatchSubscription,
        "scores",
        "The business's diagnostic scores, bands and flags (never its answers).",
        UNTIL_DELETED,
    ),
)


def _match_alerts_of(email: str) -> QuerySet[MatchSubscription]:
    if not email:
        return MatchSubscription.objects.none()
    return MatchSubscription.objects.filter(email__iexact=email)


def export_match_alerts(*, user, email: str) -> list[dict]:
    alerts = (
        _match_alerts_of(email)
        .select_related("council", "region")
        .annotate(sent=Count("deliveries"))
        .order_by("created", "pk")
    )
    return [
        {
            "email": alert.email,
            "how_often": alert.get_frequency_display(),
            "created": alert.created,
            "confirmed": alert.confirmed_at,
            "unsubscribed": alert.unsubscribed_at,
            "last_sent": alert.last_sent_at,
            "business": {
                "council": alert.council.name if alert.council else "",
                "region": alert.region.name if alert.region else "",
                "size": alert.size,
                "stage": alert.stage,
                "sector": alert.sic_section,
                "turnover": alert.turnover,
                "customer_types": alert.customer_types,
                "plans": alert.plans,
                "supplies": alert.supplies,
            },
            "scores": alert.scores,
            "matches_sent": alert.sent,
        }
        for alert in alerts
    ]


def erase_match_alerts(*, user, email: str) -> None:
    _match_alerts_of(email).delete()
