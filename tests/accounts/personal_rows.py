"""One of each kind of row the apps hold about a person (or ``count`` of each), made
through tests/factories.py, for the tests of "Download your data" and of deleting an
account; and the anonymous figures that must not change when an account goes."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from diagnostics.models import Assessment
from portal.accounts.models import RequestStatus, User
from portal.advice.models import AdviceNote
from portal.catalogue.models import Referral
from portal.dashboards import platform_queries, queries
from portal.matching.models import Feedback, MatchDelivery
from portal.procurement.models import AlertDelivery, SavedSearch
from tests.advice.factories import create_advice_request
from tests.factories import (
    create_assessment,
    create_completed_assessments,
    create_import_run,
    create_match_subscription,
    create_membership,
    create_membership_request,
    create_offer,
    create_offer_change,
    create_opportunity,
    create_opportunity_change,
    create_organisation,
    create_saved_opportunity,
    create_saved_search,
    create_user,
    next_number,
)


def create_account_rows(user: User, *, count: int = 1) -> None:
    """``count`` of each kind of row linked to the account."""
    now = timezone.now()
    user_type = ContentType.objects.get_for_model(User)
    for number in range(count):
        organisation = create_organisation(name=f"Joined organisation {number} of {user.pk}")
        create_membership(user=user, organisation=organisation)
        create_membership_request(
            user=user,
            organisation=create_organisation(name=f"Asked organisation {number} of {user.pk}"),
            message=f"Message {number} from {user.full_name}",
        )
        decided = create_membership_request(organisation=organisation)
        decided.status = RequestStatus.APPROVED
        decided.decided_by = user
        decided.decided_at = now
        decided.save(update_fields=["status", "decided_by", "decided_at"])
        LogEntry.objects.create(
            user=user,
            content_type=user_type,
            object_id=str(user.pk),
            object_repr=f"Admin action {number}",
            action_flag=CHANGE,
            change_message="[]",
        )
        opportunity = create_opportunity(title=f"Saved opportunity {number} of {user.pk}")
        create_saved_opportunity(user=user, opportunity=opportunity)
        create_opportunity_change(user=user)
        create_import_run(started_by=user, source=f"https://example.org/feed-{number}.json")
        create_offer_change(user=user)
        # Another search after the first: the database allows an address a search once.
        query = "cpv=72000000"
        if SavedSearch.objects.filter(email=user.email, query=query).exists():
            query += f"&q={next_number()}"
        saved_search = create_saved_search(
            email=user.email, user=user, query=query, confirmed_at=now
        )
        AlertDelivery.objects.create(saved_search=saved_search, opportunity=opportunity)
    for assessment in create_completed_assessments(count):
        assessment.user = user
        assessment.save(update_fields=["user"])
    for number in range(count):
        advice_request = create_advice_request(
            founder=user, name=user.full_name, email=user.email, help_wanted=f"Help {number}"
        )
        AdviceNote.objects.create(request=advice_request, text=f"Called {user.full_name}")
    for _ in range(count):
        started = create_assessment(user=user, sections=1)
        started.drafts = {"1": {"note": [f"Unfinished by {user.full_name}"]}}
        started.save(update_fields=["drafts"])


def create_address_rows(email: str, *, count: int = 1) -> None:
    """``count`` of each kind of row held under ``email`` without an account (the address
    written in capitals, as someone might type it): each saved search another search,
    as the database allows one address a search only once."""
    now = timezone.now()
    for _ in range(count):
        saved_search = create_saved_search(
            email=email.upper(), query=f"q={next_number()}", confirmed_at=now
        )
        alert = create_match_subscription(email=email.upper(), confirmed_at=now)
        opportunity = create_opportunity()
        AlertDelivery.objects.create(saved_search=saved_search, opportunity=opportunity)
        MatchDelivery.objects.create(subscription=alert, opportunity=opportunity)
    for assessment in create_completed_assessments(count):
        assessment.email = email
        assessment.save(update_fields=["email"])


def create_person_with_rows(*, email: str, full_name: str, count: int = 1) -> User:
    user = create_user(email=email, full_name=full_name)
    create_account_rows(user, count=count)
    create_address_rows(email, count=count)
    return user


def log_moderator_change_to(user: User, moderator: User) -> LogEntry:
    """The admin log's entry of a moderator adding the person's account: it names them."""
    return LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=ADDITION,
        change_message="[]",
    )


def create_anonymous_activity() -> None:
    """What anybody's clicks leave: a referral and a "Useful" mark on a listed offer."""
    offer = create_offer(status="published", uk_wide=True, dimensions=["data"])
    Referral.objects.create(offer=offer, session_hash="0" * 64, source_page="/support/")
    Feedback.objects.create(offer=offer, useful=True, rank=1)


def anonymous_figures() -> dict:
    """The dashboards' figures over everything (all places, all time), but the count of
    alerts people currently get (``saved_searches_by_division``): a deleted account's
    alerts stop, as if unsubscribed."""
    everything = queries.Filters(period="all")
    use = platform_queries.use(None, start=None, today=timezone.localdate())
    use.pop("saved_searches_by_division")
    return {
        "demand": queries.demand(None, everything, start=None),
        "trend": queries.trend(None, everything, start=None),
        "dimensions": queries.place_dimension_statistics(None, everything, start=None),
        "use": use,
        "assessments": Assessment.objects.count(),
    }
