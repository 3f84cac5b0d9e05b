"""The council map page: one measure for every UK council on a hex map, with its legend
and the same figures in a table (issue 14). Public: every figure on it has been through
disclosure control (portal/dashboards/map_figures.py)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.dashboards import hexmap, map_figures, rules
from portal.lib.disclosure import COUNT, STATISTIC, Shown
from portal.lib.vocabularies import Dimension
from portal.places.models import Region


def place_url_for():
    """The builder of a council's public-summary link from its GSS code."""
    return lambda gss_code: reverse("dashboards:summary", kwargs={"code": gss_code})


def _choice(request, name, choices, default):
    value = request.GET.get(name, default)
    return value if value in choices else default


@require_safe
def council_map(request):
    if not rules.can_see_public_summary(request.user):
        raise Http404
    measure = _choice(request, "measure", map_figures.MEASURES, map_figures.COMPLETED)
    dimension = _choice(request, "dimension", Dimension.values, Dimension.values[0])
    period = _choice(request, "period", map_figures.PERIODS, map_figures.DEFAULT_PERIOD)

    published = map_figures.council_figures(
        measure=measure,
        dimension=dimension if measure == map_figures.GAP else None,
        period=period,
    )
    label = str(map_figures.MEASURES[measure])
    if measure == map_figures.COMPLETED:
        scale = hexmap.scale_for_counts([f.value for f in published.figures.values()])
        title = _("Businesses that completed the diagnostic")
        unit = ""
    elif measure == map_figures.MEAN_SCORE:
        scale = hexmap.scale_from_breaks([0, 20, 40, 60, 80, 100])
        title = _("Mean overall digital maturity score")
        unit = ""
    else:
        scale = hexmap.scale_from_breaks([0, 10, 20, 30, 40, 100], unit="%")
        title = _("Share of businesses whose weakest area is %(dimension)s") % {
            "dimension": Dimension(dimension).label
        }
        label = _("Share whose weakest area is %(dimension)s") % {
            "dimension": Dimension(dimension).label
        }
        unit = "%"
    period_label = map_figures.PERIODS[period][0]
    chart = hexmap.draw(
        hexmap.load_layout(),
        published.figures,
        measure=label,
        scale=scale,
        url_for=place_url_for(),
        region_names=dict(Region.objects.values_list("ons_code", "name")),
        missing=Shown(None, COUNT if measure == map_figures.COMPLETED else STATISTIC),
    )
    return render(
        request,
        "dashboards/map.html",
        {
            "map": chart,
            "title": f"{title}, {str(period_label).lower()}",
            "unit": unit,
            "uk": published.uk,
            "measure": measure,
            "dimension": dimension,
            "period": period,
            "measures": map_figures.MEASURES,
            "dimensions": Dimension.choices,
            "periods": {key: words for key, (words, _months) in map_figures.PERIODS.items()},
            "table_id": "council-figures",
        },
    )
