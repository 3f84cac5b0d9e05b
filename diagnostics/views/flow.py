"""Taking the diagnostic: start, profile, one section a page, check answers, resume.

Every page works without JavaScript. Each page saves as it is submitted; a completed
assessment is read-only, so its flow pages send the person to the results.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from diagnostics import applicability, emails, services
from diagnostics.access import (
    get_assessment_for_visitor,
    grant,
    profile_from_session,
    remember_business,
)
from diagnostics.definitions import latest_published
from diagnostics.display import answer_lines, profile_lines
from diagnostics.forms import ProfileForm, ResumeEmailForm, SectionForm
from diagnostics.models import Assessment
from diagnostics.tokens import token_opens

BACK_TO_CHECK = "check"


def _url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(f"diagnostics:{name}", kwargs={"public_id": assessment.public_id, **kwargs})


def _to_results(assessment: Assessment):
    return redirect("diagnostics:results", public_id=assessment.public_id)


def _returning_to_check(request) -> bool:
    return request.GET.get("next") == BACK_TO_CHECK


def _next_step_url(assessment: Assessment, answers: dict) -> str:
    """Where someone carries on: the profile, the first section not finished, or
    "Check your answers"."""
    definition = services.definition_of(assessment)
    if not applicability.profile_complete(definition, assessment.profile):
        return _url("profile", assessment)
    statuses = applicability.section_statuses(
        definition, services.scoring_answers(assessment, answers)
    )
    for number, dimension in enumerate(definition.dimensions, start=1):
        if statuses[dimension.key] != applicability.COMPLETED:
            return _url("section", assessment, number=number)
    return _url("check-answers", assessment)


def _flow_context(assessment: Assessment, definition, **context) -> dict:
    return {
        "assessment": assessment,
        "definition": definition,
        "section_count": len(definition.dimensions),
        "leave_url": _url("save-and-leave", assessment),
        "task_list_url": _url("task-list", assessment),
        **context,
    }


@require_http_methods(["GET", "POST"])
def start(request):
    if request.method == "POST":
        assessment = services.start_assessment(user=request.user)
        grant(request, assessment)
        return redirect("diagnostics:profile", public_id=assessment.public_id)
    definition = latest_published(services.DEFAULT_QUESTIONNAIRE)
    return render(request, "diagnostics/start.html", {"definition": definition})


@require_GET
def task_list(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        return _to_results(assessment)
    definition = services.definition_of(assessment)
    answers = services.stored_answers(assessment)
    profile_done = applicability.profile_complete(definition, assessment.profile)
    statuses = (
        applicability.section_statuses(definition, services.scoring_answers(assessment, answers))
        if profile_done
        else {}
    )
    tasks = [
        {
            "title": _("About your business"),
            "url": _url("profile", assessment),
            "status": applicability.COMPLETED if profile_done else applicability.NOT_STARTED,
        }
    ]
    for number, dimension in enumerate(definition.dimensions, start=1):
        tasks.append(
            {
                "title": dimension.title,
                "url": _url("section", assessment, number=number) if profile_done else "",
                "status": statuses.get(dimension.key, ""),
            }
        )
    finished = profile_done and all(
        status == applicability.COMPLETED for status in statuses.values()
    )
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


@require_http_methods(["GET", "POST"])
def profile(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        return _to_results(assessment)
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
        if request.POST.get("then") == "leave":
            return redirect(_url("save-and-leave", assessment))
        if _returning_to_check(request):
            return redirect(_url("check-answers", assessment))
        return redirect(_next_step_url(assessment, services.stored_answers(assessment)))
    back_url = (
        _url("check-answers", assessment)
        if _returning_to_check(request)
        else _url("task-list", assessment)
    )
    return render(
        request,
        "diagnostics/profile.html",
        _flow_context(assessment, definition, form=form, back_url=back_url),
    )


@require_http_methods(["GET", "POST"])
def section(request, public_id, number):
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        return _to_results(assessment)
    definition = services.definition_of(assessment)
    if not 1 <= number <= len(definition.dimensions):
        raise Http404("No such section")
    if not applicability.profile_complete(definition, assessment.profile):
        return redirect(_url("profile", assessment))
    answers = services.stored_answers(assessment)
    ruled_out = applicability.not_applicable(
        definition, services.scoring_answers(assessment, answers)
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
        if request.POST.get("then") == "leave":
            return redirect(_url("save-and-leave", assessment))
        if _returning_to_check(request) or number == len(definition.dimensions):
            return redirect(_url("check-answers", assessment))
        return redirect(_url("section", assessment, number=number + 1))

    if _returning_to_check(request):
        back_url = _url("check-answers", assessment)
    elif number == 1:
        back_url = _url("profile", assessment)
    else:
        back_url = _url("section", assessment, number=number - 1)
    preview_url = _url("section", assessment, number=number) + "?preview=1"
    return render(
        request,
        "diagnostics/section.html",
        _flow_context(
            assessment,
            definition,
            form=form,
            number=number,
            dimension=definition.dimensions[number - 1],
            back_url=back_url,
            live=live,
            preview_url=preview_url,
            profile_url=_url("profile", assessment),
        ),
    )


def _check_rows(assessment: Assessment, definition, answers: dict) -> tuple[list, list]:
    """The profile's rows and, per section, its questions' rows for the summary lists."""
    council_name = assessment.council.name if assessment.council else ""
    profile_rows = [
        {
            "key": field.text,
            "lines": profile_lines(field, assessment.profile.get(field.key), council_name),
        }
        for field in definition.profile
    ]
    ruled_out = applicability.not_applicable(
        definition, services.scoring_answers(assessment, answers)
    )
    sections = []
    for number, dimension in enumerate(definition.dimensions, start=1):
        rows = []
        for question in dimension.questions:
            if question.key in ruled_out:
                lines = [definition.not_applicable_label]
            else:
                lines = answer_lines(definition, question, answers.get(question.key))
            rows.append(
                {"key": question.text, "lines": lines, "applies": question.key not in ruled_out}
            )
        sections.append(
            {
                "number": number,
                "dimension": dimension,
                "rows": rows,
                "change_url": _url("section", assessment, number=number) + "?next=check",
            }
        )
    return profile_rows, sections


@require_http_methods(["GET", "POST"])
def check_answers(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        return _to_results(assessment)
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
    titles = {dimension.key: dimension.title for dimension in definition.dimensions}
    numbers = {d.key: n for n, d in enumerate(definition.dimensions, start=1)}
    missing_links = []
    for part in missing:
        if part == "profile":
            missing_links = [
                {
                    "text": _("Answer the questions about your business"),
                    "url": _url("profile", assessment),
                }
            ]
            break
        missing_links.append(
            {
                "text": _("Finish section %(number)s: %(title)s")
                % {"number": numbers[part], "title": titles[part]},
                "url": _url("section", assessment, number=numbers[part]) + "?next=check",
            }
        )
    profile_rows, sections = _check_rows(assessment, definition, answers)
    return render(
        request,
        "diagnostics/check_answers.html",
        _flow_context(
            assessment,
            definition,
            profile_rows=profile_rows,
            sections=sections,
            missing_links=missing_links,
            show_errors=request.method == "POST" and bool(missing_links),
            profile_change_url=_url("profile", assessment) + "?next=check",
            back_url=_url("section", assessment, number=len(definition.dimensions)),
        ),
    )


@require_http_methods(["GET", "POST"])
def save_and_leave(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if assessment.is_completed:
        return _to_results(assessment)
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
        return redirect(_url("save-and-leave", assessment))
    return render(
        request,
        "diagnostics/save_and_leave.html",
        _flow_context(
            assessment,
            definition,
            form=form,
            resume_url=emails.resume_url(assessment),
            continue_url=_next_step_url(assessment, services.stored_answers(assessment)),
        ),
    )


@require_GET
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
