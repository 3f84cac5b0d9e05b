"""Taking the diagnostic: start, profile, one section a page, check answers, resume.

Every page works without JavaScript. Each page saves as it is submitted; a completed
assessment is read-only, so its flow pages send the person to the results. "Save and come
back later" keeps a page that is not complete or not valid as a draft of that page
(`services.save_draft`), shown again when the page is opened and validated, with the usual
messages, when the person continues; drafts are never scored.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
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
from portal.lib.links import page_url

BACK_TO_CHECK = "check"


def _url(name: str, assessment: Assessment, **kwargs) -> str:
    return reverse(f"diagnostics:{name}", kwargs={"public_id": assessment.public_id, **kwargs})


def _to_results(assessment: Assessment):
    return redirect("diagnostics:results", public_id=assessment.public_id)


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
        return _url("profile", assessment)
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
    # Sections open once a profile is stored, even while a draft of it is in progress.
    profile_stored = applicability.profile_complete(definition, assessment.profile)
    statuses = services.progress(assessment, answers)
    tasks = [
        {
            "title": _("About your business"),
            "url": _url("profile", assessment),
            "status": statuses[services.PROFILE],
        }
    ]
    for number, dimension in enumerate(definition.dimensions, start=1):
        tasks.append(
            {
                "title": dimension.title,
                "url": _url("section", assessment, number=number) if profile_stored else "",
                "status": statuses[dimension.key] if profile_stored else "",
            }
        )
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
        if _leaving(request):
            return redirect(_url("save-and-leave", assessment))
        if _returning_to_check(request):
            return redirect(_url("check-answers", assessment))
        return redirect(_next_step_url(assessment, services.stored_answers(assessment)))
    if form.is_bound and _leaving(request):
        services.save_draft(
            assessment=assessment, part=services.PROFILE, values=form.draft_values()
        )
        return redirect(_url("save-and-leave", assessment))
    if not form.is_bound and services.PROFILE in assessment.drafts:
        form.show_draft(assessment.drafts[services.PROFILE])
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
    dimension = definition.dimensions[number - 1]
    draft = assessment.drafts.get(dimension.key) if request.method == "GET" else None
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
            return redirect(_url("save-and-leave", assessment))
        if _returning_to_check(request) or number == len(definition.dimensions):
            return redirect(_url("check-answers", assessment))
        return redirect(_url("section", assessment, number=number + 1))
    if form.is_bound and _leaving(request):
        # Every question of the section, including one shown only for an answer on the
        # page that was not stored yet.
        everything = SectionForm(definition, number, request.POST)
        services.save_draft(
            assessment=assessment, part=dimension.key, values=everything.draft_values()
        )
        return redirect(_url("save-and-leave", assessment))
    if draft:
        form.show_draft(draft)

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
            dimension=dimension,
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
    profile_stored = applicability.profile_complete(definition, assessment.profile)
    for part in missing:
        if part == services.PROFILE:
            # Saved unfinished over a stored profile, it is fixed and back here; never
            # stored, no section can be answered before it.
            missing_links.append(
                {
                    "text": _("Answer the questions about your business"),
                    "url": _url("profile", assessment) + ("?next=check" if profile_stored else ""),
                }
            )
            if not profile_stored:
                break
            continue
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
            resume_url=page_url(request, emails.resume_path(assessment)),
            unfinished=bool(assessment.drafts),
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
