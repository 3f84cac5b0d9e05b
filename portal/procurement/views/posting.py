"""Cluster bodies and buyers: their opportunities, posting and editing them, publishing,
closing and withdrawing; moderators: the postings waiting for approval.

Every access decision is a rule of portal/procurement/rules.py. Another
organisation's opportunity is a 404 on every page and action, so nobody learns which
exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.access import organisation_to_act_for
from portal.lib.versioning import StaleEditError, WorkflowError
from portal.procurement.columns import posting_table
from portal.procurement.forms import OpportunityForm
from portal.procurement.models import PUBLIC_STATUSES, Opportunity, Status
from portal.procurement.rules import (
    can_approve_opportunity,
    can_moderate_postings,
    can_post_opportunities,
    can_view_import_runs,
    opportunities_editable_by,
    organisations_user_posts_for,
)
from portal.procurement.services import posting as services

PAGE_SIZE = 25
HISTORY_SIZE = 10

# How the change history names each action the services record.
CHANGE_LABELS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Changed"),
    "submitted": gettext_lazy("Sent to a moderator"),
    "published": gettext_lazy("Published"),
    "approved": gettext_lazy("Approved by a moderator"),
    "closed": gettext_lazy("Closed to bids"),
    "withdrawn": gettext_lazy("Withdrawn"),
}

# The dashboard's tabs: every status a poster meets, in the order they meet them.
DASHBOARD_STATUSES = (
    Status.DRAFT,
    Status.PENDING,
    Status.OPEN,
    Status.CLOSED,
    Status.AWARDED,
    Status.CANCELLED,
    Status.WITHDRAWN,
)


def get_opportunity_for_editor(user, public_id) -> Opportunity:
    """The opportunity, if this user may edit it (a member of the posting organisation,
    or a moderator); 404 otherwise, whether it exists or not."""
    return get_object_or_404(
        opportunities_editable_by(user).select_related("publisher"), public_id=public_id
    )


def _require_poster(request) -> None:
    if not can_post_opportunities(request.user):
        raise PermissionDenied(
            _("Only members of a cluster body or a buyer can post contract opportunities.")
        )


@login_required
@require_safe
def dashboard(request):
    """The poster's opportunities, by status, newest change first."""
    _require_poster(request)
    opportunities = opportunities_editable_by(request.user)
    counts = opportunities.aggregate(
        all=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in DASHBOARD_STATUSES},
    )
    chosen = request.GET.get("status") or ""
    if chosen and chosen not in Status.values:
        raise Http404("No such status")
    listing = opportunities.select_related("publisher").only(
        "public_id",
        "title",
        "status",
        "deadline",
        "last_changed",
        "publisher__name",
        "publisher__slug",
    )
    if chosen:
        listing = listing.filter(status=chosen)
    page = Paginator(listing.order_by("-last_changed", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [{"status": "", "label": gettext_lazy("All"), "count": counts["all"]}] + [
        {"status": status.value, "label": status.label, "count": counts[status.value]}
        for status in DASHBOARD_STATUSES
    ]
    moderator = can_moderate_postings(request.user)
    context = {
        "page_obj": page,
        # The page's opportunities with the figures apps above add (their page views).
        "table": posting_table(page.object_list),
        "tabs": tabs,
        "chosen": chosen,
        "is_moderator": moderator,
        "pending_count": counts[Status.PENDING.value] if moderator else None,
        "can_view_import_runs": can_view_import_runs(request.user),
    }
    return render(request, "procurement/posting/dashboard.html", context)


def _add_service_errors(form, error: ValidationError) -> None:
    """The service's refusal on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def _with_another_lot(data):
    """The posted data with one more (blank) lot row, up to the most allowed."""
    data = data.copy()
    try:
        total = int(data.get("lots-TOTAL_FORMS") or 0)
    except ValueError:
        total = 0
    data["lots-TOTAL_FORMS"] = str(min(total + 1, services.MAX_LOTS))
    data.setdefault("lots-INITIAL_FORMS", "0")
    return data


def _render_form(request, *, form, organisation, opportunity, status=200):
    if request.htmx and "add_lot" in request.POST:
        return render(
            request,
            "procurement/posting/opportunity_form.html#lots",
            {"form": form},
            status=status,
        )
    history = []
    if opportunity is not None:
        history = list(
            opportunity.changes.select_related("user").order_by("-at", "-id")[:HISTORY_SIZE]
        )
        for change in history:
            change.label = CHANGE_LABELS.get(change.action, change.action)
    context = {
        "form": form,
        "organisation": organisation,
        "opportunity": opportunity,
        "history": history,
        "max_lots": services.MAX_LOTS,
        "is_public": opportunity is not None and opportunity.status in PUBLIC_STATUSES,
        "can_approve": opportunity is not None
        and can_approve_opportunity(request.user, opportunity),
        "can_change": opportunity is None or opportunity.status in services.EDITABLE_STATUSES,
    }
    return render(request, "procurement/posting/opportunity_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_create(request):
    _require_poster(request)
    organisation = organisation_to_act_for(request, organisations_user_posts_for(request.user))
    if organisation is None:
        organisations = organisations_user_posts_for(request.user).order_by("name")
        page = Paginator(organisations, 50).get_page(request.GET.get("page"))
        return render(request, "procurement/posting/choose_organisation.html", {"page_obj": page})

    if request.method == "POST" and "add_lot" in request.POST:
        form = OpportunityForm(
            _with_another_lot(request.POST), user=request.user, organisation=organisation
        ).without_errors()
        return _render_form(request, form=form, organisation=organisation, opportunity=None)

    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        organisation=organisation,
    )
    if form.is_bound and form.is_valid():
        try:
            opportunity = services.create_opportunity(
                organisation=organisation, user=request.user, fields=form.changes()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Opportunity saved as a draft. Publish it when it is ready for bids."),
            )
            return redirect("procurement:opportunity-edit", public_id=opportunity.public_id)
    return _render_form(request, form=form, organisation=organisation, opportunity=None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_edit(request, public_id):
    """The opportunity's details. With htmx, "Add a lot" gets the lots fieldset only
    (this same URL, so it is protected by the same rule)."""
    opportunity = get_opportunity_for_editor(request.user, public_id)
    organisation = opportunity.publisher

    if request.method == "POST" and "add_lot" in request.POST:
        form = OpportunityForm(
            _with_another_lot(request.POST),
            instance=opportunity,
            user=request.user,
            organisation=organisation,
        ).without_errors()
        return _render_form(request, form=form, organisation=organisation, opportunity=opportunity)

    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        instance=opportunity,
        user=request.user,
        organisation=organisation,
    )
    if form.is_bound and form.is_valid():
        try:
            services.update_opportunity(
                opportunity=opportunity,
                user=request.user,
                changes=form.changes(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleEditError as error:
            form.add_error(None, str(error))
            return _render_form(
                request,
                form=form,
                organisation=organisation,
                opportunity=opportunity,
                status=409,
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("procurement:opportunity-edit", public_id=opportunity.public_id)
    if form.is_bound:
        # The page shows what was saved, whatever the refused form held in memory.
        opportunity.refresh_from_db()
    return _render_form(request, form=form, organisation=organisation, opportunity=opportunity)


# Publish, close, withdraw: a confirmation page on GET, the action on POST.

ACTIONS = {
    "publish": {
        "service": services.publish_opportunity,
        "possible": lambda opportunity: opportunity.can_be_published,
        "heading": gettext_lazy("Publish this opportunity?"),
        "button": gettext_lazy("Publish"),
        "warning": False,
    },
    "close": {
        "service": services.close_opportunity,
        "possible": lambda opportunity: opportunity.can_be_closed,
        "heading": gettext_lazy("Close this opportunity to bids?"),
        "button": gettext_lazy("Close to bids"),
        "warning": True,
    },
    "withdraw": {
        "service": services.withdraw_opportunity,
        "possible": lambda opportunity: opportunity.can_be_withdrawn,
        "heading": gettext_lazy("Withdraw this opportunity?"),
        "button": gettext_lazy("Withdraw"),
        "warning": True,
    },
}


def _done_message(action: str, opportunity: Opportunity) -> str:
    title = {"title": opportunity.title}
    if action == "publish" and opportunity.status == Status.PENDING:
        return (
            _(
                "%(title)s has been sent to a moderator. It will be published when they "
                "approve it: a moderator checks every new organisation's postings."
            )
            % title
        )
    return {
        "publish": _("%(title)s is published and open for bids."),
        "close": _("%(title)s is closed to bids. It no longer shows in the list."),
        "withdraw": _("%(title)s has been withdrawn. The public can no longer see it."),
    }[action] % title


def _status_action(request, public_id, action: str):
    opportunity = get_opportunity_for_editor(request.user, public_id)
    config = ACTIONS[action]
    error = None
    if request.method == "POST":
        try:
            done = config["service"](opportunity=opportunity, user=request.user)
        except WorkflowError as refusal:
            error = str(refusal)
            opportunity.refresh_from_db()
        else:
            messages.success(request, _done_message(action, done))
            return redirect("procurement:opportunity-edit", public_id=opportunity.public_id)
    applies = config["possible"](opportunity)
    context = {
        "applies": applies,
        "not_applicable": (
            None
            if applies
            else _("This opportunity is %(status)s, so you cannot do this.")
            % {"status": opportunity.get_status_display().lower()}
        ),
        "opportunity": opportunity,
        "action": action,
        "error": error,
        "needs_moderation": action == "publish"
        and services.waits_for_moderator(request.user, opportunity),
        **config,
    }
    return render(
        request,
        "procurement/posting/confirm.html",
        context,
        status=409 if error else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_publish(request, public_id):
    return _status_action(request, public_id, "publish")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_close(request, public_id):
    return _status_action(request, public_id, "close")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_withdraw(request, public_id):
    return _status_action(request, public_id, "withdraw")


# Moderators


@login_required
@require_safe
def moderation_queue(request):
    """Postings of organisations not verified yet, oldest first."""
    if not can_moderate_postings(request.user):
        raise PermissionDenied(_("Only moderators can see this page."))
    waiting = (
        Opportunity.objects.filter(status=Status.PENDING, publisher__isnull=False)
        .select_related("publisher")
        .only("public_id", "title", "deadline", "last_changed", "publisher__name")
        .order_by("last_changed", "pk")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procurement/posting/moderation_queue.html", {"page_obj": page})


@login_required
@require_POST
def opportunity_approve(request, public_id):
    opportunity = get_object_or_404(
        Opportunity.objects.filter(publisher__isnull=False).select_related("publisher"),
        public_id=public_id,
    )
    if not can_approve_opportunity(request.user, opportunity):
        raise Http404("No opportunity here for this user.")
    try:
        services.approve_opportunity(opportunity=opportunity, user=request.user)
    except WorkflowError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("%(title)s is approved and open for bids.") % {"title": opportunity.title}
        )
    return redirect("procurement:moderation-queue")
