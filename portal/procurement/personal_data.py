"""The person's contract alerts, saved opportunities and postings in "Download your data",
what deleting their account does to them, and the inventory of procurement's personal
fields (portal/accounts/personal_data.py); registered by ProcurementConfig.ready.

What deleting an account does here:

- saved searches (alerts): deleted, those of the account and, once the person has proved
  the address is theirs, those asked for under it without signing in; with them the
  record of what each alert sent. (The dashboards' "saved searches by CPV division"
  counts the alerts people currently get, so it drops by them, as it would if they had
  unsubscribed.)
- saved opportunities: deleted.
- opportunities the person posted or changed belong to their organisation and stay as
  they are; the person is removed from their change histories ("who") and from the
  OCDS import runs they started.
"""

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from portal.accounts.personal_data import NotPersonal, PersonalField
from portal.procurement.models import (
    ImportRun,
    Opportunity,
    OpportunityChange,
    SavedOpportunity,
    SavedSearch,
)

UNTIL_DELETED = "Until the person deletes their account."
UNTIL_UNSUBSCRIBED = (
    "Until the person deletes their account (for an alert asked for signed out, once "
    "they have proved the address is theirs). Unsubscribing stops an alert but keeps "
    "it; one never confirmed is deleted 7 days after it was asked for."
)

FIELDS = (
    PersonalField(
        Opportunity,
        "contact_name",
        "The buyer's contact for questions about a tender, as its notice publishes it.",
        "Kept with the opportunity, as part of the published notice.",
    ),
    PersonalField(
        Opportunity,
        "contact_email",
        "The buyer's contact address for questions about a tender, as published.",
        "Kept with the opportunity, as part of the published notice.",
    ),
    NotPersonal(Opportunity, "buyer_name", "The buying organisation's name."),
    PersonalField(
        OpportunityChange,
        "user",
        "Who changed an opportunity, for its organisation and the moderators.",
        "Until that person deletes their account; the change itself is kept.",
    ),
    PersonalField(
        OpportunityChange,
        "fields",
        "What changed in an opportunity, old and new (its contact details among them).",
        "Kept with the opportunity.",
    ),
    PersonalField(
        ImportRun,
        "started_by",
        "Who started an OCDS import from the admin site.",
        "Until that person deletes their account; the run is kept.",
    ),
    NotPersonal(ImportRun, "rejections", "The importer's reasons for refusing releases."),
    NotPersonal(ImportRun, "warnings", "The importer's warnings about a feed."),
    NotPersonal(ImportRun, "error", "Why an import failed (a feed's fault or ours)."),
    NotPersonal(ImportRun, "conflicts", "Releases of a feed that disagree with each other."),
    PersonalField(
        SavedSearch, "email", "Where the alert's confirmation and digests go.", UNTIL_UNSUBSCRIBED
    ),
    PersonalField(
        SavedSearch,
        "language",
        "The language of the pages the person used: their emails are written in it.",
        UNTIL_UNSUBSCRIBED,
    ),
    PersonalField(
        SavedSearch,
        "user",
        "The account that saved the search, when it was saved signed in.",
        UNTIL_UNSUBSCRIBED,
    ),
    PersonalField(
        SavedSearch,
        "query",
        "What the alert looks for (free text may be in it).",
        UNTIL_UNSUBSCRIBED,
    ),
    PersonalField(
        SavedOpportunity,
        "user",
        "Who saved an opportunity, to list it and remind them before it closes.",
        "Until the person removes it or deletes their account.",
    ),
)


def _saved_searches_of(*, user, email: str) -> QuerySet[SavedSearch]:
    owned = Q(user=user)
    if email:
        owned |= Q(email__iexact=email)
    return SavedSearch.objects.filter(owned)


def export_saved_searches(*, user, email: str) -> list[dict]:
    saved_searches = (
        _saved_searches_of(user=user, email=email)
        .annotate(sent=Count("deliveries"))
        .order_by("created", "pk")
    )
    search_path = reverse("procurement:list")
    return [
        {
            "email": saved_search.email,
            "search": saved_search.query,
            "search_link": search_path + (f"?{saved_search.query}" if saved_search.query else ""),
            "how_often": saved_search.get_frequency_display(),
            "created": saved_search.created,
            "confirmed": saved_search.confirmed_at,
            "unsubscribed": saved_search.unsubscribed_at,
            "last_sent": saved_search.last_sent_at,
            "opportunities_sent": saved_search.sent,
        }
        for saved_search in saved_searches
    ]


def erase_saved_searches(*, user, email: str) -> None:
    _saved_searches_of(user=user, email=email).delete()


def export_saved_opportunities(*, user, email: str) -> list[dict]:
    saved = SavedOpportunity.objects.filter(user=user).select_related("opportunity")
    return [
        {
            "opportunity": item.opportunity.title,
            "link": item.opportunity.get_absolute_url(),
            "saved": item.created,
            "reminded": item.reminded_at,
        }
        for item in saved.order_by("created", "pk")
    ]


def erase_saved_opportunities(*, user, email: str) -> None:
    SavedOpportunity.objects.filter(user=user).delete()


def export_opportunity_changes(*, user, email: str) -> list[dict]:
    """The changes the person made: which opportunity, what they did and to which fields
    (the values are the organisation's listing, not the person's)."""
    changes = OpportunityChange.objects.filter(user=user).select_related("opportunity")
    return [
        {
            "opportunity": change.opportunity.title,
            "action": change.action,
            "fields": sorted(change.fields),
            "when": change.at,
        }
        for change in changes.order_by("at", "pk")
    ]


def erase_opportunity_changes(*, user, email: str) -> None:
    OpportunityChange.objects.filter(user=user).update(user=None)


def export_import_runs(*, user, email: str) -> list[dict]:
    runs = ImportRun.objects.filter(started_by=user).order_by("started", "pk")
    return [
        {
            "source": run.source,
            "feed": run.feed,
            "started": run.started,
            "outcome": run.get_outcome_display(),
        }
        for run in runs
    ]


def erase_import_runs(*, user, email: str) -> None:
    ImportRun.objects.filter(started_by=user).update(started_by=None)
