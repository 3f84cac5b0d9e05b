"""Advice requests in "download my data" and "delete my account": plain functions for
the accounts registry to call (``personal_data_for(user)`` and ``erase_for(user)``).

Only requests made while signed in belong to an account (``AdviceRequest.founder``);
one made without an account is reached by its signed link, where it can be withdrawn.
"""

from __future__ import annotations

from portal.accounts.personal_data import PersonalField
from portal.advice import services
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest, AdviceTeam

ERASED_AFTER = (
    "Erased when the founder withdraws the request, 12 months after it is closed, or "
    "with the founder's account; the anonymous request (council, dimension, outcome) stays."
)
STAFF = "Until that staff member deletes their account; the request keeps the rest."

FIELDS = (
    *(
        PersonalField(AdviceRequest, name, purpose, ERASED_AFTER)
        for name, purpose in (
            ("name", "Whom the adviser contacts."),
            ("email", "How the adviser contacts them, and where the confirmation goes."),
            ("phone", "How the adviser contacts them, if they gave a number."),
            ("language", "The language of their pages: the confirmation is written in it."),
            ("help_wanted", "What the founder wants help with, in their words."),
            ("profile", "The business profile the founder consented to share."),
            ("diagnostic", "The diagnostic summary the founder consented to share."),
            ("recommendations", "The recommendations the founder chose to share."),
        )
    ),
    PersonalField(
        AdviceRequest,
        "founder",
        "The account that asked, so the request is in their download.",
        "Unlinked with the founder's account or when the request is erased.",
    ),
    PersonalField(AdviceRequest, "assigned_to", "The staff member handling the request.", STAFF),
    PersonalField(AdviceNote, "author", "Which staff member wrote a note.", STAFF),
    PersonalField(
        AdviceNote,
        "text",
        "Staff notes about the request (about the founder).",
        "Deleted when the request's personal details are erased.",
    ),
    PersonalField(AdviceEvent, "actor", "Who changed a request, for its history.", STAFF),
    PersonalField(
        AdviceEvent,
        "details",
        "What changed (statuses, outcomes, colleagues assigned); no founder details.",
        "Kept with the anonymous request; deleted with the founder's account.",
    ),
    PersonalField(
        AdviceTeam,
        "team_email",
        "The organisation's team address new requests are announced to (may be a person's).",
        "Until the organisation changes it.",
    ),
)


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def _request_data(advice_request: AdviceRequest) -> dict:
    return {
        "asked": _moment(advice_request.created),
        "organisation": advice_request.organisation.name,
        "council": advice_request.council.name,
        "asked_from": advice_request.asked_from,
        "name": advice_request.name,
        "email": advice_request.email,
        "phone": advice_request.phone,
        "help_wanted": advice_request.help_wanted,
        "contact_preference": advice_request.contact_preference,
        "consent_given": _moment(advice_request.consented_at),
        "consent_wording_version": advice_request.consent_version,
        "business_profile": advice_request.profile,
        "diagnostic_summary": advice_request.diagnostic,
        "recommendations": advice_request.recommendations,
        "status": advice_request.status,
        "first_contacted": _moment(advice_request.first_contacted_at),
        "outcome": advice_request.outcome_kind,
        "about_the_outcome": advice_request.outcome_text,
        "outcome_offer": advice_request.outcome_offer.title
        if advice_request.outcome_offer is not None
        else None,
        "closed": _moment(advice_request.closed_at),
        "withdrawn": _moment(advice_request.withdrawn_at),
        "personal_details_erased": _moment(advice_request.erased_at),
        # Notes are the organisation's staff's words about the request; who wrote each
        # is the staff member's own data, so it is left out.
        "notes": [
            {"written": _moment(note.created), "text": note.text}
            for note in advice_request.notes.all()
        ],
        "history": [
            {"when": _moment(event.created), "what": event.kind, "details": event.details}
            for event in advice_request.events.all()
        ],
    }


def personal_data_for(user) -> dict:
    """The user's advice requests with their notes and history, as JSON values; a fixed
    number of queries (requests, notes, history)."""
    requests = (
        AdviceRequest.objects.filter(founder=user)
        .select_related("organisation", "council", "outcome_offer")
        .prefetch_related("notes", "events")
        .order_by("created", "pk")
    )
    return {"advice_requests": [_request_data(advice_request) for advice_request in requests]}


def erase_for(user) -> None:
    """Erase the user's advice requests' personal details, notes and history, and unlink
    them from the account (services.erase_requests_of). Safe to run twice."""
    services.erase_requests_of(user)


def export_advice_requests(*, user, email: str) -> list[dict]:
    """For the accounts registry: the requests the person made while signed in."""
    return personal_data_for(user)["advice_requests"]


def erase_advice_requests(*, user, email: str) -> None:
    """For the accounts registry: erase them with the account."""
    erase_for(user)
