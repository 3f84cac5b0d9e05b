"""The dashboards' pages: the public summary of each place and the analysts' fuller
dashboard, with each table as CSV. Access is decided by rules.py; every figure comes
through figures.py, which applies the disclosure control."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.dashboards import figures, queries, rules
from portal.dashboards.csvfiles import table_csv
from portal.lib import facets
from portal.lib.vocabularies import BusinessSize, SicSection, Stage
from portal.places.choices import place_choices

UK = "uk"


def _place(code: str | None):
    """(place, code): None for the UK; 404 for a code that is no active place."""
    if code is None or code == UK:
        return None, UK
    place = place_choices().find(code)
    if place is None:
        raise Http404("No such place")
    return place, code


def _place_name(place) -> str:
    return _("the UK") if place is None else place.name


def period_choices():
    return [
        ("3m", _("Last 3 months")),
        ("12m", _("Last 12 months")),
        ("all", _("All time")),
    ]


def _filters(request) -> queries.Filters:
    """The filters asked for; anything unknown is ignored (the default kept)."""
    get = request.GET
    period = get.get("period", queries.DEFAULT_PERIOD)
    if period not in queries.PERIODS:
        period = queries.DEFAULT_PERIOD
    size = get.get("size", "")
    sector = get.get("sector", "")
    stage = get.get("stage", "")
    return queries.Filters(
        period=period,
        size=size if size in BusinessSize.values else "",
        sector=sector if sector in SicSection.values else "",
        stage=stage if stage in Stage.values else "",
    )


def _csv_response(table, filename: str) -> HttpResponse:
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def summary(request, code=None):
    place, code = _place(code)
    published = figures.dashboard(place, figures.PUBLIC_FILTERS, full=False)
    return render(
        request,
        "dashboards/summary.html",
        {
            "place": place,
            "place_name": _place_name(place),
            "code": code,
            "dashboard": published,
            "regions": place_choices(),
            "can_see_full": rules.can_see_dashboard(request.user, place),
            "csv_url_name": "dashboards:summary_csv",
            "query": "",
        },
    )


@require_safe
def summary_csv(request, code, table):
    place, code = _place(code)
    found = figures.dashboard(place, figures.PUBLIC_FILTERS, full=False).table(table)
    if found is None:
        raise Http404("No such table")
    return _csv_response(found, f"waymark-{code}-{table}.csv")


def _full_place(request, code):
    place, code = _place(code)
    if not rules.can_see_dashboard(request.user, place):
        # Not 403: whether a place has a dashboard for someone is not to be given away.
        raise Http404("No such dashboard")
    return place, code


@require_safe
def full_dashboard(request, code):
    place, code = _full_place(request, code)
    filters = _filters(request)
    published = figures.dashboard(place, filters, full=True)
    fragment = facets.fragment_requested(request)
    query = request.GET.urlencode()
    context = {
        "place": place,
        "place_name": _place_name(place),
        "code": code,
        "dashboard": published,
        "filters": filters,
        "periods": period_choices(),
        "sizes": BusinessSize.choices,
        "sectors": SicSection.choices,
        "stages": Stage.choices,
        "fragment": fragment,
        "csv_url_name": "dashboards:full_csv",
        "query": f"?{query}" if query else "",
        "action": reverse("dashboards:full", args=[code]),
    }
    template = "dashboards/full.html#results" if fragment else "dashboards/full.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_safe
def full_csv(request, code, table):
    place, code = _full_place(request, code)
    filters = _filters(request)
    found = figures.dashboard(place, filters, full=True).table(table)
    if found is None:
        raise Http404("No such table")
    return _csv_response(found, f"waymark-{code}-{filters.period}-{table}.csv")
