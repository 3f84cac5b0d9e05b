"""Who may post, edit, approve and see which contract opportunities, on the membership
facts of portal/accounts/permissions.py.

Posters are the members (editors and managers) of a cluster body or a buyer; they
post, edit, publish, close and withdraw their own organisation's opportunities only.
A moderator approves a new organisation's first postings. Views, the admin, forms,
services and APIs call these; none of them decides on its own.
"""

from django.db.models import QuerySet

from portal.accounts.models import Organisation
from portal.accounts.permissions import (
    POSTING_KINDS,
    is_moderator,
    is_signed_in,
    posting_organisation_ids,
)
from portal.procurement.models import PUBLIC_STATUSES, Opportunity


def can_post_opportunities(user) -> bool:
    """Whether the user may use the posting pages at all (their list, a new posting)."""
    return is_moderator(user) or bool(posting_organisation_ids(user))


def organisations_user_posts_for(user) -> QuerySet[Organisation]:
    """The cluster bodies and buyers the user may post for (moderators: every one)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    if is_moderator(user):
        return Organisation.objects.filter(kind__in=POSTING_KINDS)
    return Organisation.objects.filter(pk__in=posting_organisation_ids(user))


def can_post_for(user, organisation: Organisation) -> bool:
    """Whether the user may post opportunities in this organisation's name."""
    if organisation.kind not in POSTING_KINDS:
        return False
    return is_moderator(user) or organisation.pk in posting_organisation_ids(user)


def can_edit_opportunity(user, opportunity: Opportunity) -> bool:
    """A member of the posting organisation, or a moderator. Imported opportunities
    (no posting organisation) are edited by nobody here: the next import would undo it."""
    if opportunity.publisher_id is None:
        return False
    return is_moderator(user) or opportunity.publisher_id in posting_organisation_ids(user)


def opportunities_editable_by(user) -> QuerySet[Opportunity]:
    """Every opportunity ``can_edit_opportunity`` allows this user to edit, as a query."""
    if not is_signed_in(user):
        return Opportunity.objects.none()
    posted = Opportunity.objects.filter(publisher__isnull=False)
    if is_moderator(user):
        return posted
    posting = posting_organisation_ids(user)
    return posted.filter(publisher_id__in=posting) if posting else Opportunity.objects.none()


def needs_moderation(organisation: Organisation) -> bool:
    """A new (unverified) organisation's postings wait for a moderator."""
    return not organisation.verified


def can_moderate_postings(user) -> bool:
    """The moderation queue of postings that wait for approval: moderators."""
    return is_moderator(user)


def can_approve_opportunity(user, opportunity: Opportunity) -> bool:
    """Only moderators approve postings that wait for one."""
    return is_moderator(user)


def can_view_opportunity(user, opportunity: Opportunity) -> bool:
    """Anyone sees a published (open, closed, awarded or cancelled) opportunity; drafts,
    pending and withdrawn ones only those who may edit it, and moderators."""
    if opportunity.status in PUBLIC_STATUSES:
        return True
    return is_moderator(user) or can_edit_opportunity(user, opportunity)


def can_moderate_opportunities(user) -> bool:
    """Every opportunity, imported ones included, and the CPV codes, in the admin:
    moderators (who act on each through ``can_act_on_opportunity_in_admin``)."""
    return is_moderator(user)


def can_view_import_runs(user) -> bool:
    """The OCDS import runs and their rejected releases: moderators."""
    return is_moderator(user)


def opportunities_in_admin_for(user) -> QuerySet[Opportunity]:
    """The opportunities the admin lists: every one, imported ones included, for a
    moderator; for anyone else, those ``can_edit_opportunity`` allows."""
    if is_moderator(user):
        return Opportunity.objects.all()
    return opportunities_editable_by(user)


def can_act_on_opportunity_in_admin(user, opportunity: Opportunity) -> bool:
    """The admin's actions (approve, close, withdraw) on one opportunity: a moderator on
    any, imported ones included; anyone else on those they may edit."""
    return is_moderator(user) or can_edit_opportunity(user, opportunity)


def can_manage_records(user) -> bool:
    """The admin's change history, saved searches, alert deliveries and saved
    opportunities (people's email addresses and habits): moderators only."""
    return is_moderator(user)
