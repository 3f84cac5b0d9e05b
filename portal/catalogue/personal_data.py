"""The person's changes to support offers in "Download your data", what deleting their
account does to them, and the inventory of the catalogue's personal fields
(portal/accounts/personal_data.py); registered by CatalogueConfig.ready.

Offers belong to the organisation that curates them: deleting a curator's account keeps
every offer as it is and removes the person from the offers' change histories ("who").
An offer's contact details are the provider's public contact, not an account's.
"""

from portal.accounts.personal_data import NotPersonal, PersonalField
from portal.catalogue.models import Offer, OfferChange, Referral

FIELDS = (
    PersonalField(
        Offer,
        "contact_email",
        "The provider's public contact address for questions about the support.",
        "Kept while the offer is listed or archived, as the curators set it.",
    ),
    PersonalField(
        Offer,
        "contact_phone",
        "The provider's public phone number for questions about the support.",
        "Kept while the offer is listed or archived, as the curators set it.",
    ),
    NotPersonal(Offer, "provider_name", "The name of the organisation that runs the support."),
    PersonalField(
        OfferChange,
        "user",
        "Who changed an offer, for its curators and the moderators.",
        "Until that person deletes their account; the change itself is kept.",
    ),
    PersonalField(
        OfferChange,
        "fields",
        "What changed in an offer, old and new (its contact details among them).",
        "Kept with the offer.",
    ),
    PersonalField(
        Referral,
        "session_hash",
        "Telling repeat clicks in one visit apart; a keyed hash that cannot be turned back "
        "into the session, and no account is linked to it.",
        "Blanked 12 months after the click (catalogue.tasks.anonymise_old_referrals); "
        "the referral stays for the anonymous figures.",
    ),
)


def export_offer_changes(*, user, email: str) -> list[dict]:
    """The changes the person made: which offer, what they did and to which fields (the
    values are the organisation's listing, not the person's)."""
    changes = OfferChange.objects.filter(user=user).select_related("offer")
    return [
        {
            "offer": change.offer.title,
            "action": change.action,
            "fields": sorted(change.fields),
            "when": change.at,
        }
        for change in changes.order_by("at", "pk")
    ]


def erase_offer_changes(*, user, email: str) -> None:
    OfferChange.objects.filter(user=user).update(user=None)
