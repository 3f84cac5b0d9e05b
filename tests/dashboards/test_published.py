"""The counts every place's dashboard publishes (portal/dashboards/published.py):
controlled along the place hierarchy, the same on every page that shows them, and
checked by solving for every suppressed council figure from its region's figure minus
the other councils' (the brute-force solver of tests/lib/test_disclosure.py)."""

import pytest
from django.core.cache import cache

from portal.dashboards import published
from portal.dashboards.queries import BANDS, Filters
from portal.lib.disclosure import TOTAL
from portal.places.choices import place_choices
from portal.places.models import Council
from tests.factories import create_completed_assessments
from tests.lib.test_disclosure import recoverable

GATESHEAD, NEWCASTLE, SUNDERLAND = "E08000037", "E08000021", "E08000024"
ALL_TIME = Filters(period="all")


def north_east():
    for group in place_choices():
        if any(council.code == GATESHEAD for council in group.councils):
            return group
    raise AssertionError("the North East is missing")


@pytest.fixture
def councils(db):
    cache.clear()
    found = {
        code: Council.objects.get(gss_code=code) for code in (GATESHEAD, NEWCASTLE, SUNDERLAND)
    }
    create_completed_assessments(9, council=found[GATESHEAD], band="developing")
    create_completed_assessments(12, council=found[GATESHEAD], band="established")
    create_completed_assessments(9, council=found[NEWCASTLE], band="developing")
    create_completed_assessments(11, council=found[SUNDERLAND], band="developing")
    return found


def test_no_council_figure_is_its_region_minus_the_other_councils(councils):
    group = north_east()
    region = published.counts_of(group.region, ALL_TIME)
    by_council = {c.code: published.counts_of(c, ALL_TIME) for c in group.councils}
    truths = {GATESHEAD: {"developing": 9, "established": 12}, NEWCASTLE: {"developing": 9}}
    truths[SUNDERLAND] = {"developing": 11}
    region_truth = {"developing": 29, "established": 12}

    for key in [*BANDS, TOTAL]:

        def truth(counts, key=key):
            return sum(counts.values()) if key == TOTAL else counts.get(key, 0)

        figures = {
            code: ((code,), truth(truths.get(code, {})), shown["bands"][key])
            for code, shown in by_council.items()
        }
        figures["region"] = (tuple(by_council), truth(region_truth), region["bands"][key])
        cap = 80
        assert recoverable(figures, cap=cap) == [], key


def test_the_same_counts_on_every_page_that_shows_them(councils, client):
    summary = client.get(f"/data/{GATESHEAD}/", {"period": "all"})
    completed = published.counts_of(
        next(c for c in north_east().councils if c.code == GATESHEAD), ALL_TIME
    )["bands"][TOTAL]

    assert summary.context["dashboard"].headline["completed"] == completed
    figures, _uk = published.completed_by_council(ALL_TIME)
    assert figures[GATESHEAD] == completed
    assert figures[NEWCASTLE].suppressed


def test_worked_out_once_for_every_place_then_read_from_the_cache(
    councils, django_assert_max_num_queries
):
    group = north_east()
    published.counts_of(group.councils[0], ALL_TIME)

    with django_assert_max_num_queries(0):
        for place in [None, group.region, *group.councils]:
            published.counts_of(place, ALL_TIME)
