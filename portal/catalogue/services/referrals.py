"""Referrals: a founder followed an offer's link to apply or find out more."""

import re
from datetime import timedelta

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


RANK_LIMIT = 1000
REASON_CODE = re.compile(r"^[a-z_]{1,40}$")
MOST_REASON_CODES = 12


def recommendation_facts(rank: str, reasons: str) -> tuple[int | None, list[str]]:
    """The rank and reason codes a recommendation's link carries, checked: anything that
    is not a small whole number or a short list of codes is dropped, not stored."""
    place = int(rank) if rank.isascii() and rank.isdigit() and 0 < len(rank) < 5 else None
    if place is not None and not 1 <= place <= RANK_LIMIT:
        place = None
    codes = [code for code in reasons.split(",") if REASON_CODE.match(code)]
    return place, codes[:MOST_REASON_CODES]


@transaction.atomic
def record_referral(
    *,
    offer: Offer,
    session_key: str | None,
    source_page: str,
    rank: int | None = None,
    reason_codes: list[str] | None = None,
) -> Referral:
    return Referral.objects.create(
        offer=offer,
        at=timezone.now(),
        session_hash=session_hash(session_key),
        source_page=source_path(source_page),
        rank=rank,
        reason_codes=list(reason_codes or []),
    )


# After this long a referral keeps what it says about the offer (when, from which page,
# at which rank) and loses the hash that told one visit's clicks apart.
ANONYMISE_AFTER = timedelta(days=365)


def anonymise_old_referrals(*, now=None) -> int:
    """Blank the session hash of referrals older than 12 months; returns how many.
    Running it again changes nothing."""
    now = now or timezone.now()
    return (
        Referral.objects.filter(at__lt=now - ANONYMISE_AFTER)
        .exclude(session_hash="")
        .update(session_hash="")
    )
