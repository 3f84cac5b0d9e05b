"""Taking the diagnostic: start, profile, one section a page, check answers, resume.

Every page works without JavaScript. Each page saves as it is submitted; a completed
assessment is read-only, so its flow pages send the person to the results. "Save and come
back later" keeps a page that is not complete or not valid as a draft of that page
(`services.save_draft`), shown again when the page is opened and validated, with the usual
messages, when the person continues; drafts are never scored.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from diagnostics import applicability, emails, services
from diagnostics.access import (
    AssessmentAlreadyCompleted,
    get_assessment_in_progress,
    grant,
    profile_from_session,
    remember_business,
)
from diagnostics.definitions import latest_published
from diagnostics.display import (
    BACK_TO_CHECK,
    flow_url,
    missing_links,
    profile_rows,
    section_rows,
    task_rows,
)
from diagnostics.forms import ProfileForm, ResumeEmailForm, SectionForm
from diagnostics.models import Assessment
from diagnostics.tokens import token_opens
from portal.lib.links import page_url


def _to_results(assessment: Assessment):
    return redirect("diagnostics:results", public_id=assessment.public_id)


def _completed_to_results(view):
    """A page that changes answers, opened for a completed assessment, sends the person to
    its results (`get_assessment_in_progress` refuses it)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AssessmentAlreadyCompleted as completed:
            return _to_results(completed.assessment)

    return wrapped


def _returning_to_check(request) -> bool:
    return request.GET.get("next") == BACK_TO_CHECK


def _leaving(request) -> bool:
    """The person pressed "Save and come back later"."""
    return request.POST.get("then") == "leave"


def _next_step_url(assessment: Assessment, answers: dict) -> str:
    """Where someone carries on: the profile, the first section not finished, or
    "Check your answers"."""
    definition = services.definition_of(assessment)
    statuses = services.progress(assessment, answers)
    if statuses[services.PROFILE] != applicability.COMPLETED:
        return flow_url("profile", assessment)
    for number, dimension in enumerate(definition.dimensions, start=1):
        if statuses[dimension.key] != applicability.COMPLETED:
            return flow_url("section", assessment, number=number)
    return flow_url("check-answers", assessment)


def _flow_context(assessment: Assessment, definition, **context) -> dict:
    return {
        "assessment": assessment,
        "definition": definition,
        "section_count": len(definition.dimensions),
        "leave_url": flow_url("save-and-leave", assessment),
        "task_list_url": flow_url("task-list", assessment),
        **context,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    if request.method == "POST":
        assessment = services.start_assessment(user=request.user)
        grant(request, assessment)
        return redirect("diagnostics:profile", public_id=assessment.public_id)
    definition = latest_published(services.DEFAULT_QUESTIONNAIRE)
    return render(request, "diagnostics/start.html", {"definition": definition})


@require_safe
@_completed_to_results
def task_list(request, public_id):
    assessment = get_assessment_in_progress(request, public_id)
    definition = services.definition_of(assessment)
    answers = services.stored_answers(assessment)
    statuses = services.progress(assessment, answers)
    tasks = task_rows(assessment, definition, statuses, profile_status=statuses[services.PROFILE])
    finished = all(status == applicability.COMPLETED for status in statuses.values())
    return render(
        request,
        "diagnostics/task_list.html",
        _flow_context(
            assessment,
            definition,
            tasks=tasks,
            finished=finished,
            completed_count=sum(task["status"] == applicability.COMPLETED for task in tasks),
            next_url=_next_step_url(assessment, answers),
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_completed_to_results
def profile(request, public_id):
    assessment = get_assessment_in_progress(request, public_id)
    definition = services.definition_of(assessment)
    form = ProfileForm(
        definition,
        request.POST if request.method == "POST" else None,
        # A new profile starts with what the founder told another page (a filter, say).
        initial=ProfileForm.initial_from(assessment.profile or profile_from_session(request)),
    )
    if form.is_bound and form.is_valid():
        assessment = services.save_profile(
            assessment=assessment, council=form.council(), profile=form.profile_answers()
        )
        remember_business(request, assessment.profile)
        if _leaving(request):
            return redirect(flow_url("save-and-leave", assessment))
        if _returning_to_check(request):
            return redirect(flow_url("check-answers", assessment))
        return redirect(_next_step_url(assessment, services.stored_answers(assessment)))
    if form.is_bound and _leaving(request):
        services.save_draft(
            assessment=assessment, part=services.PROFILE, values=form.draft_values()
        )
        return redirect(flow_url("save-and-leave", assessment))
    if not form.is_bound and services.PROFILE in assessment.drafts:
        form.show_draft(assessment.drafts[services.PROFILE])
    back_url = (
        flow_url("check-answers", assessment)
        if _returning_to_check(request)
        else flow_url("task-list", assessment)
    )
    return render(
        request,
        "diagnostics/profile.html",
        _flow_context(assessment, definition, form=form, back_url=back_url),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_completed_to_results
def section(request, public_id, number):
    assessment = get_assessment_in_progress(request, public_id)
    definition = services.definition_of(assessment)
    if not 1 <= number <= len(definition.dimensions):
        raise Http404("No such section")
    if not applicability.profile_complete(definition, assessment.profile):
        return redirect(flow_url("profile", assessment))
    answers = services.stored_answers(assessment)
    dimension = definition.dimensions[number - 1]
    draft = assessment.drafts.get(dimension.key) if request.method in ("GET", "HEAD") else None
    shown = answers
    if draft:
        # Which questions apply follows the answers on the page, as they were saved.
        own = {question.key for question in dimension.questions}
        in_draft = SectionForm(definition, number, MultiValueDict(draft)).answers_so_far()
        shown = {key: value for key, value in answers.items() if key not in own} | in_draft
    ruled_out = applicability.not_applicable(
        definition, services.scoring_answers(assessment, shown)
    )
    live = applicability.depends_on_answers(definition, number)

    if request.method == "POST" and request.htmx and request.GET.get("preview"):
        # Re-render the questions as answers change, saving nothing: a question that shows
        # only for some answers of this page appears or disappears in place.
        posted = SectionForm(definition, number, request.POST, not_applicable=ruled_out)
        so_far = {**answers, **posted.answers_so_far()}
        form = SectionForm(
            definition,
            number,
            not_applicable=applicability.not_applicable(
                definition, services.scoring_answers(assessment, so_far)
            ),
            answers=so_far,
        )
        return render(
            request,
            "diagnostics/section.html#questions",
            _flow_context(assessment, definition, form=form, number=number),
        )

    form = SectionForm(
        definition,
        number,
        request.POST if request.method == "POST" else None,
        not_applicable=ruled_out,
        answers=answers,
    )
    if form.is_bound and form.is_valid():
        services.save_section(assessment=assessment, number=number, answers=form.answers())
        if _leaving(request):
            return redirect(flow_url("save-and-leave", assessment))
        if _returning_to_check(request) or number == len(definition.dimensions):
            return redirect(flow_url("check-answers", assessment))
        return redirect(flow_url("section", assessment, number=number + 1))
    if form.is_bound and _leaving(request):
        # Every question of the section, including one shown only for an answer on the
        # page that was not stored yet.
        everything = SectionForm(definition, number, request.POST)
        services.save_draft(
            assessment=assessment, part=dimension.key, values=everything.draft_values()
        )
        return redirect(flow_url("save-and-leave", assessment))
    if draft:
        form.show_draft(draft)

    if _returning_to_check(request):
        back_url = flow_url("check-answers", assessment)
    elif number == 1:
        back_url = flow_url("profile", assessment)
    else:
        back_url = flow_url("section", assessment, number=number - 1)
    preview_url = flow_url("section", assessment, number=number) + "?preview=1"
    return render(
        request,
        "diagnostics/section.html",
        _flow_context(
            assessment,
            definition,
            form=form,
            number=number,
            dimension=dimension,
            back_url=back_url,
            live=live,
            preview_url=preview_url,
            profile_url=flow_url("profile", assessment),
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_completed_to_results
def check_answers(request, public_id):
    assessment = get_assessment_in_progress(request, public_id)
    definition = services.definition_of(assessment)
    answers = services.stored_answers(assessment)
    missing = []
    if request.method == "POST":
        try:
            services.submit_assessment(assessment=assessment)
        except services.AssessmentIncomplete as incomplete:
            missing = incomplete.missing
        except services.AssessmentCompleted:
            pass
        else:
            return _to_results(assessment)
    else:
        missing = services.missing_parts(assessment, answers)
    links = missing_links(assessment, definition, missing, profile=services.PROFILE)
    ruled_out = applicability.not_applicable(
        definition, services.scoring_answers(assessment, answers)
    )
    return render(
        request,
        "diagnostics/check_answers.html",
        _flow_context(
            assessment,
            definition,
            profile_rows=profile_rows(assessment, definition),
            sections=section_rows(assessment, definition, answers, ruled_out),
            missing_links=links,
            show_errors=request.method == "POST" and bool(links),
            profile_change_url=flow_url("profile", assessment) + f"?next={BACK_TO_CHECK}",
            back_url=flow_url("section", assessment, number=len(definition.dimensions)),
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_completed_to_results
def save_and_leave(request, public_id):
    assessment = get_assessment_in_progress(request, public_id)
    definition = services.definition_of(assessment)
    form = ResumeEmailForm(
        request.POST if request.method == "POST" else None,
        initial={"email": assessment.email},
    )
    if form.is_bound and form.is_valid():
        services.send_resume_link(assessment=assessment, email=form.cleaned_data["email"])
        messages.success(
            request,
            _("We have sent the link to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect(flow_url("save-and-leave", assessment))
    return render(
        request,
        "diagnostics/save_and_leave.html",
        _flow_context(
            assessment,
            definition,
            form=form,
            resume_url=page_url(request, emails.resume_path(assessment)),
            unfinished=bool(assessment.drafts),
            continue_url=_next_step_url(assessment, services.stored_answers(assessment)),
        ),
    )


@require_safe
def resume(request, public_id, token):
    assessment = None
    if token_opens(token, public_id):
        assessment = Assessment.objects.filter(public_id=public_id).first()
    if assessment is None:
        return render(request, "diagnostics/link_not_working.html", status=404)
    grant(request, assessment)
    if assessment.is_completed:
        return _to_results(assessment)
    return redirect(_next_step_url(assessment, services.stored_answers(assessment)))
