"""Referrals: a founder followed an offer's link to apply or find out more."""

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal.catalogue.models import Offer, Referral

SOURCE_PAGE_MAX_LENGTH = Referral._meta.get_field("source_page").max_length


def session_hash(session_key: str | None) -> str:
    """A keyed hash of the session key: repeat clicks in one visit can be told apart,
    but the session (and so the person) cannot be recovered from it."""
    if not session_key:
        return ""
    return salted_hmac("waymark.catalogue.referral", session_key, algorithm="sha256").hexdigest()


def source_path(candidate: str) -> str:
    """A path on this site, without its query string; anything else is dropped."""
    path = (candidate or "").split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    return path[:SOURCE_PAGE_MAX_LENGTH]


@transaction.atomic
def record_referral(*, offer: Offer, session_key: str | None, source_page: str) -> Referral:
    return Referral.objects.create(
        offer=offer,
        at=timezone.now(),
        session_hash=session_hash(session_key),
        source_page=source_path(source_page),
    )
