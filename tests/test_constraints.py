"""Every "only one of these" rule and every check the models declare is kept by the
database itself: each case writes a row the constraint must refuse, past the services
and forms, and expects IntegrityError (on SQLite and on PostgreSQL alike).

The saved searches' and match alerts' own constraints (portal/lib/subscriptions.py's
subscriptions) are tested with the subscriptions.
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from diagnostics.models import Answer, Assessment, AssessmentStatus, DimensionScore
from portal.accounts.models import Membership, MembershipRequest, RequestStatus, User
from portal.advice.choices import OutcomeKind
from portal.advice.choices import RequestStatus as AdviceStatus
from portal.advice.models import AdviceTeam
from portal.catalogue.models import Offer
from portal.dashboards.models import OpportunityViews
from portal.lib.subscriptions import Subscription
from portal.matching.models import Feedback, MatchDelivery
from portal.procurement.models import AlertDelivery, Lot, SavedOpportunity
from tests.advice.factories import create_advice_request
from tests.factories import (
    create_completed_assessments,
    create_match_subscription,
    create_membership,
    create_offer,
    create_opportunity,
    create_organisation,
    create_saved_search,
    create_user,
)


def completed_assessment(**fields) -> Assessment:
    (assessment,) = create_completed_assessments(1)
    for name, value in fields.items():
        setattr(assessment, name, value)
    if fields:
        assessment.save(update_fields=list(fields))
    return assessment


def started_assessment(**fields) -> Assessment:
    return Assessment.objects.create(
        questionnaire="digital-maturity", version="1.1.0", major_version=1, **fields
    )


# Each case prepares what it needs and returns the write that the constraint refuses.


def user_email_unique_ignoring_case():
    create_user(email="ann@example.com")
    return lambda: User.objects.create(email="Ann@Example.com")


def membership_unique_user_organisation():
    membership = create_membership()
    return lambda: Membership.objects.create(
        user=membership.user, organisation=membership.organisation
    )


def membership_request_one_pending_per_organisation():
    user, organisation = create_user(), create_organisation()
    MembershipRequest.objects.create(user=user, organisation=organisation)
    return lambda: MembershipRequest.objects.create(user=user, organisation=organisation)


def advice_team_receiving_has_email():
    organisation = create_organisation()
    return lambda: AdviceTeam.objects.create(
        organisation=organisation, receives_requests=True, team_email=""
    )


def advice_request_closed_has_closed_at():
    return lambda: create_advice_request(status=AdviceStatus.CLOSED, closed_at=None)


def advice_request_withdrawn_is_closed():
    return lambda: create_advice_request(
        status=AdviceStatus.IN_PROGRESS, withdrawn_at=timezone.now()
    )


def advice_request_outcome_only_when_closed():
    return lambda: create_advice_request(
        status=AdviceStatus.IN_PROGRESS, outcome_kind=OutcomeKind.REFERRED
    )


def offer_unique_external_id_per_curator():
    offer = create_offer(external_id="row-1")
    return lambda: create_offer(curator=offer.curator, external_id="row-1")


def lot_unique_id_per_opportunity():
    opportunity = create_opportunity(lots=[{"lot_id": "1"}])
    return lambda: Lot.objects.create(opportunity=opportunity, lot_id="1")


def alert_delivery_once():
    saved_search, opportunity = create_saved_search(), create_opportunity()
    AlertDelivery.objects.create(saved_search=saved_search, opportunity=opportunity)
    return lambda: AlertDelivery.objects.create(saved_search=saved_search, opportunity=opportunity)


def saved_opportunity_once_per_user():
    user, opportunity = create_user(), create_opportunity()
    SavedOpportunity.objects.create(user=user, opportunity=opportunity)
    return lambda: SavedOpportunity.objects.create(user=user, opportunity=opportunity)


def opportunity_views_one_per_day():
    opportunity = create_opportunity()
    OpportunityViews.objects.create(opportunity=opportunity, views=1)
    return lambda: OpportunityViews.objects.create(opportunity=opportunity, views=1)


def feedback_on_one_recommendation():
    offer, opportunity = create_offer(), create_opportunity()
    return lambda: Feedback.objects.create(
        offer=offer, opportunity=opportunity, useful=True, rank=1
    )


def feedback_rank_from_one():
    offer = create_offer()
    return lambda: Feedback.objects.create(offer=offer, useful=True, rank=0)


def match_delivery_of_one_item():
    subscription = create_match_subscription()
    return lambda: MatchDelivery.objects.create(subscription=subscription)


def match_delivery_offer_once():
    subscription, offer = create_match_subscription(), create_offer()
    MatchDelivery.objects.create(subscription=subscription, offer=offer)
    return lambda: MatchDelivery.objects.create(subscription=subscription, offer=offer)


def match_delivery_opportunity_once():
    subscription, opportunity = create_match_subscription(), create_opportunity()
    MatchDelivery.objects.create(subscription=subscription, opportunity=opportunity)
    return lambda: MatchDelivery.objects.create(subscription=subscription, opportunity=opportunity)


def answer_one_per_question():
    assessment = started_assessment()
    Answer.objects.create(assessment=assessment, question="q1", value=1)
    return lambda: Answer.objects.create(assessment=assessment, question="q1", value=2)


def dimension_score_one_per_dimension():
    assessment = completed_assessment()  # has a score in every dimension
    return lambda: DimensionScore.objects.create(assessment=assessment, dimension="data", score=1)


def dimension_score_0_to_100():
    assessment = started_assessment()
    return lambda: DimensionScore.objects.create(
        assessment=assessment, dimension="data", score=100.5
    )


def assessment_one_in_progress_per_chain():
    first = started_assessment()
    return lambda: started_assessment(chain=first.chain)


def assessment_counted_once_per_chain():
    first = completed_assessment()
    return lambda: completed_assessment(chain=first.chain)


def assessment_counted_is_completed():
    return lambda: started_assessment(counts_for_peers=True)


def assessment_completed_has_time():
    return lambda: started_assessment(status=AssessmentStatus.COMPLETED, completed=None)


def assessment_overall_score_0_to_100():
    return lambda: started_assessment(overall_score=-1)


CASES = {
    case.__name__: case
    for case in (
        user_email_unique_ignoring_case,
        membership_unique_user_organisation,
        membership_request_one_pending_per_organisation,
        advice_team_receiving_has_email,
        advice_request_closed_has_closed_at,
        advice_request_withdrawn_is_closed,
        advice_request_outcome_only_when_closed,
        offer_unique_external_id_per_curator,
        lot_unique_id_per_opportunity,
        alert_delivery_once,
        saved_opportunity_once_per_user,
        opportunity_views_one_per_day,
        feedback_on_one_recommendation,
        feedback_rank_from_one,
        match_delivery_of_one_item,
        match_delivery_offer_once,
        match_delivery_opportunity_once,
        answer_one_per_question,
        dimension_score_one_per_dimension,
        dimension_score_0_to_100,
        assessment_one_in_progress_per_chain,
        assessment_counted_once_per_chain,
        assessment_counted_is_completed,
        assessment_completed_has_time,
        assessment_overall_score_0_to_100,
    )
}


def declared_constraints() -> set[str]:
    """The names of the constraints the project's models declare (subscriptions aside)."""
    return {
        constraint.name
        for model in apps.get_models()
        if model.__module__.startswith(("portal.", "diagnostics."))
        and not issubclass(model, Subscription)
        for constraint in model._meta.constraints
    }


def test_every_declared_constraint_has_a_case():
    assert declared_constraints() == set(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_the_database_refuses_what_the_constraint_forbids(name):
    refused_write = CASES[name]()
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        refused_write()
    # The constraint that refused it is this one (SQLite names a unique constraint's
    # columns rather than the constraint).
    message = str(refused.value)
    if connection.vendor == "postgresql" or "CHECK" in message:
        assert name in message


@pytest.mark.django_db
def test_the_rules_allow_what_they_should():
    """The conditions let through what the services write: a retake in progress beside
    completed assessments of its chain, a decided request beside a new pending one, a
    completed assessment that no longer counts beside the one that does."""
    first = completed_assessment()
    completed_assessment(chain=first.chain, counts_for_peers=False)
    started_assessment(chain=first.chain)
    membership_request = MembershipRequest.objects.create(
        user=create_user(), organisation=create_organisation(), status=RequestStatus.DECLINED
    )
    MembershipRequest.objects.create(
        user=membership_request.user, organisation=membership_request.organisation
    )
    create_offer(external_id="")
    create_offer(external_id="")
    assert Offer.objects.filter(external_id="").count() >= 2
    assert Assessment.objects.filter(chain=first.chain).count() == 3
