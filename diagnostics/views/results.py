"""The results of a completed assessment, and the person's own data.

Each view loads the assessment through `get_assessment_for_visitor` (a stranger gets 404),
calls a read or a service, and renders. The results page runs a fixed number of queries:
the assessment, the peer benchmark (two aggregate queries) and the previous result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from diagnostics import queries, radar, services
from diagnostics.access import get_assessment_for_visitor, grant, remember_business
from diagnostics.definitions import (
    DONT_KNOW,
    NOT_APPLICABLE,
    OVERALL,
    Count,
    Definition,
    Grid,
    Ladder,
    StageScale,
    TickList,
    load_definition,
)
from diagnostics.forms import EmailResultsForm
from diagnostics.panels import render_results_panels
from diagnostics.scoring import Result, display_score
from portal.lib.vocabularies import SIZE_ADJECTIVES, SicSection

# ITL1 regions whose name takes "the" ("in the North East", but "in Wales").
REGIONS_WITH_THE = frozenset({"TLC", "TLD", "TLF", "TLG", "TLH", "TLJ", "TLK"})


# What the results page shows --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DimensionResult:
    key: str
    title: str
    score: int | None  # as displayed; None when not scored
    band: str  # the band's label, "" when not scored
    meaning: str
    next_steps: str
    peer_median: int | None
    change: int | None  # since the previous result, as displayed; None without one

    @property
    def change_text(self) -> str:
        """ "+12", "−3" (a minus sign, not a hyphen) or "no change"."""
        if self.change is None:
            return ""
        if self.change > 0:
            return f"+{self.change}"
        if self.change < 0:
            return f"\u2212{-self.change}"
        return _("no change")


@dataclass(frozen=True, slots=True)
class FlagResult:
    key: str
    dimension: str
    text: str


def _shown(value: float | None) -> int | None:
    return None if value is None else display_score(value)


def dimension_results(
    definition: Definition,
    result: Result,
    benchmark: queries.PeerBenchmark,
    previous: Result | None,
) -> list[DimensionResult]:
    # Plain strings from here on, in the language of the request.
    labels = {band.key: str(band.label) for band in definition.bands}
    rows = []
    for dimension in definition.dimensions:
        score = result.dimensions.get(dimension.key)
        band = result.bands.get(dimension.key)
        advice = dimension.advice.get(band) if band else None
        change = None
        if previous is not None:
            before = _shown(previous.dimensions.get(dimension.key))
            if before is not None and score is not None:
                change = display_score(score) - before
        rows.append(
            DimensionResult(
                key=dimension.key,
                title=str(dimension.title),
                score=_shown(score),
                band=labels.get(band, ""),
                meaning=str(advice.text) if advice else "",
                next_steps=str(advice.next_steps) if advice else "",
                peer_median=_shown(benchmark.medians.get(dimension.key))
                if benchmark.enough
                else None,
                change=change,
            )
        )
    return rows


def describe_peer_group(benchmark: queries.PeerBenchmark) -> str:
    """ "35 micro businesses in information and communication in the North East": the
    group actually used, named in full, its size a controlled count (rounded to the
    nearest 5, never exact: the dashboards publish the same groups rounded)."""
    group = benchmark.group
    count = str(benchmark.shown_size)
    size = SIZE_ADJECTIVES.get(group.size) if group.size else None
    sector = ""
    if group.sic_section:
        label = str(SicSection(group.sic_section).label)
        sector = label[:1].lower() + label[1:]
    region = group.region
    if region is None:
        place = _("the UK")
    elif getattr(region, "itl_code", "") in REGIONS_WITH_THE:
        place = _("the %(region)s") % {"region": region.name}
    else:
        place = str(region)
    values = {"count": count, "size": size, "sector": sector, "place": place}
    if size and sector:
        return _("%(count)s %(size)s businesses in %(sector)s in %(place)s") % values
    if size:
        return _("%(count)s %(size)s businesses in %(place)s") % values
    if sector:
        return _("%(count)s businesses in %(sector)s in %(place)s") % values
    return _("%(count)s businesses in %(place)s") % values


def _cell(text, *, numeric: bool = False) -> dict:
    return {"text": text, "numeric": numeric}


def _score_cells(row: DimensionResult) -> list[dict]:
    """The area and its score, as both tables begin each row."""
    score = _("Not scored") if row.score is None else row.score
    return [_cell(row.title), _cell(score, numeric=True)]


def score_table(dimensions: list[DimensionResult]) -> dict:
    """The scores, levels and peer medians as a table (includes/table.html)."""
    return {
        "caption": _("Your scores and the peer median, out of 100"),
        "caption_classes": "govuk-table__caption--m",
        "classes": "waymark-results__table waymark-results__score-table",
        "head": [
            _cell(_("Area")),
            _cell(_("Your score"), numeric=True),
            _cell(_("Level")),
            _cell(_("Peer median"), numeric=True),
        ],
        "rows": [
            [
                *_score_cells(row),
                _cell(row.band or "–"),
                _cell(
                    _("Not enough businesses yet") if row.peer_median is None else row.peer_median,
                    numeric=True,
                ),
            ]
            for row in dimensions
        ],
    }


def progress_table(dimensions: list[DimensionResult]) -> dict:
    """The change in each area since the last result, as a table."""
    return {
        "caption": _("Change in each area since last time"),
        "caption_classes": "govuk-visually-hidden",
        "classes": "waymark-results__table",
        "head": [
            _cell(_("Area")),
            _cell(_("Your score now"), numeric=True),
            _cell(_("Change"), numeric=True),
        ],
        "rows": [
            [*_score_cells(row), _cell(row.change_text or "–", numeric=True)] for row in dimensions
        ],
    }


def results_context(assessment) -> dict:
    definition = load_definition(assessment.questionnaire, assessment.version)
    result = Result.from_dict(assessment.result)
    benchmark = queries.peer_benchmark(assessment)
    previous = queries.previous_completed(assessment)
    previous_result = Result.from_dict(previous.result) if previous and previous.result else None
    dimensions = dimension_results(definition, result, benchmark, previous_result)
    titles = {dimension.key: str(dimension.title) for dimension in definition.dimensions}
    bands = {band.key: band for band in definition.bands}
    overall_band = bands.get(result.bands.get(OVERALL))
    flags = [
        FlagResult(key=flag.key, dimension=titles.get(flag.dimension, ""), text=str(flag.text))
        for flag in definition.flags
        if flag.key in result.flags
    ]
    weakest = next((row for row in dimensions if row.key == result.weakest), None)
    chart = radar.radar(
        [(row.key, row.title) for row in dimensions],
        [result.dimensions.get(row.key) for row in dimensions],
        [benchmark.medians.get(row.key) for row in dimensions] if benchmark.enough else None,
    )
    return {
        "assessment": assessment,
        "definition": definition,
        "overall_score": _shown(result.overall),
        "overall_band": overall_band,
        "weakest": weakest,
        "flags": flags,
        "dimensions": dimensions,
        "score_table": score_table(dimensions),
        "progress_table": progress_table(dimensions),
        "action_plan": sorted(
            (row for row in dimensions if row.score is not None), key=lambda row: row.score
        ),
        "chart": chart,
        "benchmark": benchmark,
        "peer_group": describe_peer_group(benchmark) if benchmark.enough else "",
        "percentile": _shown(benchmark.percentile),
        "previous": previous if previous_result else None,
    }


# Views --------------------------------------------------------------------------------------


@require_safe
@never_cache
def results(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if not assessment.is_completed:
        return redirect("diagnostics:task-list", public_id=assessment.public_id)
    # A founder back on their results (signed in, or by a resume link) finds the lists
    # filtered for their business again.
    remember_business(request, assessment.profile)
    context = results_context(assessment)
    context["email_form"] = EmailResultsForm()
    context["panels"] = render_results_panels(request=request, assessment=assessment)
    return render(request, "diagnostics/results.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def email_results(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if not assessment.is_completed:
        return redirect("diagnostics:task-list", public_id=assessment.public_id)
    form = EmailResultsForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        services.send_results_link(assessment=assessment, email=email)
        messages.success(
            request, _("We have sent a link to your results to %(email)s") % {"email": email}
        )
        return redirect("diagnostics:results", public_id=assessment.public_id)
    return render(
        request, "diagnostics/results_email.html", {"assessment": assessment, "form": form}
    )


@require_safe
@never_cache
def download(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    answers = dict(assessment.answers.values_list("question", "value"))
    document = answers_document(assessment, answers)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"waymark-{assessment.questionnaire}-{assessment.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def delete(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if request.method == "POST":
        services.delete_assessment(assessment=assessment)
        return render(request, "diagnostics/delete_done.html")
    return render(request, "diagnostics/delete.html", {"assessment": assessment})


@require_POST
def retake(request, public_id):
    assessment = get_assessment_for_visitor(request, public_id)
    if not assessment.is_completed:
        return redirect("diagnostics:task-list", public_id=assessment.public_id)
    user = request.user if request.user.is_authenticated else None
    retaken = services.retake_assessment(assessment=assessment, user=user)
    grant(request, retaken)
    return redirect("diagnostics:task-list", public_id=retaken.public_id)


# Download ----------------------------------------------------------------------------------


def _isoformat(moment) -> str | None:
    return moment.isoformat() if moment else None


def _option_labels(options) -> dict[str, str]:
    return {option.key: str(option.label) for option in options}


def _answer_entry(definition: Definition, question, value) -> dict:
    """One question's text with the answer's key(s) and the text of the option(s) chosen."""
    entry = {"question": question.key, "text": str(question.text), "answer": value}
    special = {
        DONT_KNOW: str(definition.dont_know_label),
        NOT_APPLICABLE: str(definition.not_applicable_label),
    }
    if value is None:
        entry["answer_text"] = None
    elif isinstance(value, str) and value in special:
        entry["answer_text"] = special[value]
    elif isinstance(question, Ladder):
        entry["answer_text"] = _option_labels(question.options).get(value, value)
    elif isinstance(question, TickList | Count):
        labels = _option_labels(question.options)
        entry["answer_text"] = [labels.get(key, key) for key in value]
    elif isinstance(question, Grid | StageScale):
        if isinstance(question, Grid):
            rows, columns = question.rows, question.columns
        else:
            rows, columns = question.items, question.stages
        row_labels, column_labels = _option_labels(rows), _option_labels(columns)
        entry["answer_text"] = {
            row_labels.get(row, row): column_labels.get(column, column)
            for row, column in value.items()
        }
    return entry


def _profile_entry(field, value) -> dict:
    entry = {"field": field.key, "text": str(field.text), "answer": value}
    labels = _option_labels(field.options)
    if field.kind == "single":
        entry["answer_text"] = labels.get(value, value)
    elif field.kind == "multi" and isinstance(value, list):
        entry["answer_text"] = [labels.get(key, key) for key in value]
    else:
        entry["answer_text"] = value
    return entry


def answers_document(assessment, answers: dict) -> dict:
    """Everything the person told us and what we worked out, as plain JSON values."""
    definition = load_definition(assessment.questionnaire, assessment.version)
    result = assessment.result or {}
    profile_answers = assessment.profile or {}
    flags = {flag.key: flag for flag in definition.flags}
    return {
        "questionnaire": assessment.questionnaire,
        "title": str(definition.title),
        "version": assessment.version,
        "status": assessment.status,
        "started": _isoformat(assessment.started),
        "last_saved": _isoformat(assessment.updated),
        "completed": _isoformat(assessment.completed),
        "profile": [
            _profile_entry(field, profile_answers.get(field.key))
            for field in definition.profile
            if field.key in profile_answers
        ],
        "answers": [
            _answer_entry(definition, question, answers.get(key))
            for key, question in definition.questions.items()
        ],
        "item_scores": result.get("items", {}),
        "dimensions": [
            {
                "dimension": dimension.key,
                "title": str(dimension.title),
                "score": result.get("dimensions", {}).get(dimension.key),
                "band": result.get("bands", {}).get(dimension.key),
            }
            for dimension in definition.dimensions
        ],
        "overall_score": assessment.overall_score,
        "overall_band": assessment.overall_band or None,
        "flags": [
            {"flag": key, "text": str(flags[key].text) if key in flags else ""}
            for key in result.get("flags", [])
        ],
    }
