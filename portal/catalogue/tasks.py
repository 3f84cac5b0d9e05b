"""Background work for the catalogue: each task takes ids or paths and calls one service."""

from celery import shared_task

from portal.accounts.models import Organisation
from portal.catalogue import emails
from portal.catalogue.models import Offer, OfferStatus
from portal.catalogue.services import referrals
from portal.catalogue.services.feed_import import import_openreferral_feed as import_feed
from portal.lib.tasks import email_task


@shared_task(name="portal.catalogue.tasks.anonymise_old_referrals")
def anonymise_old_referrals() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): referrals older than 12 months lose their session
    hash. Running it twice changes nothing more."""
    return referrals.anonymise_old_referrals()


@shared_task(name="portal.catalogue.tasks.import_openreferral_feed")
def import_openreferral_feed(url_or_path: str, organisation_id: int) -> dict:
    """Import an Open Referral UK feed into draft offers of the organisation.

    Safe to run twice: services are keyed by their id, so a second run changes nothing.
    Returns the counts (or the problem) for the task's result: ``errors`` services were
    left out, ``warnings`` imported ones need a curator's eye.
    """
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return {"problem": f"No organisation {organisation_id}"}
    report = import_feed(organisation=organisation, source=url_or_path)
    return {
        "problem": report.problem,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "created": len(report.to_create),
        "updated": len(report.to_update),
        "unchanged": len(report.unchanged),
    }


@email_task("portal.catalogue.tasks.send_offer_in_review_emails")
def send_offer_in_review_emails(offer_id: int) -> None:
    """Tell the managers about an offer sent to them for review, while it still waits.

    A retry after one manager's message failed may repeat it to those already told,
    which is harmless; once the offer is published or archived no run sends anything."""
    offer = (
        Offer.objects.select_related("curator")
        .filter(pk=offer_id, status=OfferStatus.IN_REVIEW)
        .first()
    )
    if offer is not None:
        emails.send_offer_in_review_emails(offer=offer)
