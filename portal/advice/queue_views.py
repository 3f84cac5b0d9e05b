"""The staff's pages: an organisation's queue of advice requests, one request with the
actions on it (assign, note, status, outcome), and the moderators' counts. The
founder's pages are in views.py.

Every page needs a signed-in member of the organisation the request went to (a 404 for
anyone else, so nobody learns that another organisation's request exists). Each action
is a POST form that works without JavaScript (it redirects back to the request with a
message); with htmx the form swaps the request's case panel in place. A GET of an
action's address leads back to the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.advice import casework, queue, queue_display, rules
from portal.advice.access import get_organisation_for_queue, get_request_for_staff
from portal.advice.choices import RequestStatus
from portal.advice.models import AdviceRequest
from portal.advice.queue_forms import (
    AssignForm,
    NoteForm,
    OutcomeForm,
    QueueFilterForm,
    StatusForm,
)
from portal.advice.working_days import contact_due
from portal.lib.facets import fragment_requested

QUEUE_PAGE_SIZE = 25
OVERVIEW_PAGE_SIZE = 50


@login_required
@require_safe
def queue_home(request):
    """The person's queue: straight to it when they work for one organisation that
    receives requests, a choice when several; moderators go to the counts."""
    organisations = list(queue.organisations_with_queue_for(request.user))
    if len(organisations) == 1:
        return redirect("advice:queue", slug=organisations[0].slug)
    if not organisations:
        if rules.can_see_request_counts(request.user):
            return redirect("advice:overview")
        raise Http404("No advice queue for this person")
    return render(request, "advice/queue/organisations.html", {"organisations": organisations})


@dataclass(frozen=True)
class QueueRow:
    advice_request: AdviceRequest
    name: str
    about: str
    overdue: bool
    assigned_to: str
    status_class: str


def _rows(requests, *, today) -> list[QueueRow]:
    return [
        QueueRow(
            advice_request=advice_request,
            name=queue_display.founder_name(advice_request),
            about=queue_display.about(advice_request),
            overdue=queue.is_request_overdue(advice_request, today),
            assigned_to=queue_display.staff_name(advice_request.assigned_to),
            status_class=queue_display.STATUS_TAG_CLASSES.get(advice_request.status, ""),
        )
        for advice_request in requests
    ]


def _read_only(request) -> HttpResponseNotAllowed | None:
    """A page that only shows: other methods are refused, but only once access has been
    decided, so a stranger gets the same 404 whatever the method."""
    if request.method in ("GET", "HEAD"):
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


@login_required
@never_cache
def queue_page(request, slug):
    """The organisation's requests: filtered by status and by whom they are assigned
    to, newest or oldest first, paginated; overdue ones flagged. htmx asks for the
    results alone as the filters change."""
    organisation = get_organisation_for_queue(request, slug)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    counts = queue.status_counts(organisation, today=today)
    form = QueueFilterForm(request.GET, counts=counts)
    filters = form.filters()
    requests = queue.queue_requests(organisation, user=request.user, today=today, **filters)
    paginator = Paginator(requests, QUEUE_PAGE_SIZE)
    if filters["assigned"] == queue.ANYONE:
        paginator.count = counts[filters["status"]]  # counted already: no second count
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "form": form,
        "filters": filters,
        "page_obj": page,
        "rows": _rows(page.object_list, today=today),
        "total": paginator.count,
        "status_label": queue.STATUS_FILTERS[filters["status"]],
        "queue_url": reverse("advice:queue", args=[organisation.slug]),
    }
    fragment = fragment_requested(request)
    context["fragment"] = fragment
    if not fragment:
        several = queue.organisations_with_queue_for(request.user)[:2]
        context["all_queues_url"] = reverse("advice:queue-home") if len(several) > 1 else ""
    template = "advice/queue/queue.html"
    if fragment:
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# One request.


def _case_context(request, advice_request: AdviceRequest, *, failed=None, status_message=""):
    """The case panel's context: the case's summary, the action forms (``failed``: the
    one just refused, with its errors), the notes and the history."""
    today = timezone.localdate()
    can_change = rules.can_change_request(request.user, advice_request)
    due = None
    if advice_request.first_contacted_at is None and not advice_request.is_closed:
        due = contact_due(timezone.localdate(advice_request.created))
    forms = {}
    if can_change:
        forms = {
            "assign": AssignForm(advice_request=advice_request, user=request.user),
            "status": StatusForm(advice_request=advice_request),
            "note": NoteForm(),
        }
        if not advice_request.is_closed:
            forms["outcome"] = OutcomeForm(advice_request=advice_request)
        if failed is not None:
            forms[failed[0]] = failed[1]
    return {
        "advice_request": advice_request,
        "organisation": advice_request.organisation,
        "can_change": can_change,
        "overdue": queue.is_request_overdue(advice_request, today),
        "contact_due": due,
        "status_class": queue_display.STATUS_TAG_CLASSES.get(advice_request.status, ""),
        "assigned_to": queue_display.staff_name(advice_request.assigned_to),
        "outcome": queue_display.outcome_text(advice_request),
        "forms": forms,
        "failed_form": failed[1] if failed is not None else None,
        "notes": queue.notes_of(advice_request),
        "history": queue_display.history(queue.history_of(advice_request), advice_request),
        "status_message": status_message,
    }


def _render_request(request, advice_request: AdviceRequest, **case):
    context = _case_context(request, advice_request, **case)
    if fragment_requested(request):
        return render(request, "advice/queue/request.html#case", context)
    context.update(
        {
            "name": queue_display.founder_name(advice_request),
            "contact": queue_display.contact_text(advice_request),
            "business": queue_display.business_rows(advice_request),
            "diagnostic": queue_display.diagnostic_summary(advice_request),
            "recommendations": queue_display.shared_recommendations(advice_request),
            "queue_url": reverse("advice:queue", args=[advice_request.organisation.slug]),
        }
    )
    return render(request, "advice/queue/request.html", context)


@login_required
@never_cache
def request_page(request, pk):
    """The request as the founder sent it (their details, business profile, diagnostic
    summary and recommendations as they were when asked), and its case: status,
    assignment, outcome, the actions, notes and history."""
    advice_request = get_request_for_staff(request, pk)
    if refused := _read_only(request):
        return refused
    response = _render_request(request, advice_request)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _act(
    request,
    pk: int,
    *,
    name: str,
    make_form: Callable,
    act: Callable[[AdviceRequest, object], str],
):
    """Load and authorise the request, validate the form, call the service; then back
    to the request (a redirect with a message, or for htmx the case panel)."""
    advice_request = get_request_for_staff(request, pk)
    page_url = reverse("advice:staff-request", args=[advice_request.pk])
    if request.method != "POST":
        return redirect(page_url)
    if not rules.can_change_request(request.user, advice_request):
        refused = _("This request was withdrawn or its details erased: it can no longer change.")
        if request.htmx:
            return _render_request(request, advice_request, status_message=refused)
        messages.error(request, refused)
        return redirect(page_url)
    form = make_form(advice_request, request.POST)
    if form.is_valid():
        try:
            done = act(advice_request, form)
        except casework.CaseError as error:
            form.add_error(None, str(error))
        else:
            advice_request = get_request_for_staff(request, pk)
            if request.htmx:
                return _render_request(request, advice_request, status_message=done)
            messages.success(request, done)
            return redirect(page_url)
    return _render_request(request, advice_request, failed=(name, form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_assign(request, pk):
    def act(advice_request, form):
        assignee = form.cleaned_data["assignee"]
        changed = casework.assign_request(
            advice_request=advice_request, assignee=assignee, by=request.user
        )
        if not changed:
            return _("Nothing changed: the request was assigned so already.")
        if assignee is None:
            return _("The request is no longer assigned to anyone.")
        return _("Request assigned to %(person)s.") % {"person": assignee.get_full_name()}

    return _act(
        request,
        pk,
        name="assign",
        make_form=lambda advice_request, data: AssignForm(
            data, advice_request=advice_request, user=request.user
        ),
        act=act,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_note(request, pk):
    def act(advice_request, form):
        casework.add_note(
            advice_request=advice_request, text=form.cleaned_data["text"], by=request.user
        )
        return _("Note added.")

    return _act(request, pk, name="note", make_form=lambda _request, data: NoteForm(data), act=act)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_status(request, pk):
    def act(advice_request, form):
        status = form.cleaned_data["status"]
        casework.change_status(advice_request=advice_request, status=status, by=request.user)
        return _("Status changed to %(status)s.") % {"status": RequestStatus(status).label.lower()}

    return _act(
        request,
        pk,
        name="status",
        make_form=lambda advice_request, data: StatusForm(data, advice_request=advice_request),
        act=act,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_outcome(request, pk):
    def act(advice_request, form):
        casework.close_request(advice_request=advice_request, by=request.user, **form.outcome())
        return _("Outcome recorded and request closed.")

    return _act(
        request,
        pk,
        name="outcome",
        make_form=lambda advice_request, data: OutcomeForm(data, advice_request=advice_request),
        act=act,
    )


# Moderators.


@login_required
@require_safe
def overview(request):
    """How many requests each organisation has, by status: that they exist, never who
    asked or what they shared."""
    if not rules.can_see_request_counts(request.user):
        raise Http404("Moderators only")
    page = Paginator(queue.counts_by_organisation(), OVERVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        (
            organisation.name,
            [getattr(organisation, f"{status}_count") for status in RequestStatus.values],
            organisation.total,
        )
        for organisation in page.object_list
    ]
    context = {"page_obj": page, "rows": rows, "statuses": RequestStatus.labels}
    return render(request, "advice/queue/overview.html", context)


# On the account page (portal/accounts/panels.py), registered by AdviceConfig.ready.

ACCOUNT_PANEL_TEMPLATE = "advice/queue/account_panel.html"


def account_panel_context(*, request, user) -> dict | None:
    """Links to the person's advice queues, with how many requests are new in each, and
    to the counts for moderators; nothing for anyone else."""
    organisations = list(queue.organisations_with_queue_for(user))
    moderator = rules.can_see_request_counts(user)
    if not organisations and not moderator:
        return None
    return {"organisations": organisations, "overview": moderator}
