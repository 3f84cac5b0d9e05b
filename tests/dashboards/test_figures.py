import datetime as dt
import statistics

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.dashboards import figures, queries, refresh
from portal.dashboards.queries import Filters
from portal.lib import versions
from portal.places.choices import council_place
from tests.factories import (
    COUNCIL_B_GSS_CODE,
    create_completed_assessments,
    get_council,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_months_before_keeps_the_day_or_the_months_last():
    assert queries.months_before(dt.date(2025, 5, 31), 3) == dt.date(2025, 2, 28)
    assert queries.months_before(dt.date(2025, 1, 15), 12) == dt.date(2024, 1, 15)
    assert queries.months_before(dt.date(2025, 3, 15), 3) == dt.date(2024, 12, 15)


def test_period_boundaries_first_day_counts_the_day_before_does_not():
    start = queries.period_start("3m")
    assert timezone.localtime(start).time() == dt.time.min
    create_completed_assessments(12, completed=start)  # the first moment of the first day
    create_completed_assessments(11, completed=start - dt.timedelta(seconds=1))
    raw = queries.demand(None, Filters(period="3m"), start=start)
    assert raw["completed"] == 12
    assert queries.demand(None, Filters(period="all"), start=None)["completed"] == 23


def test_median_matches_python_on_this_database():
    council = get_council()
    values = [3.0, 10.0, 11.5, 20.0, 20.0, 35.0, 47.25, 60.0, 61.0, 90.0, 99.0, 12.0]
    create_completed_assessments(
        len(values), council=council, scores=lambda n: {"data": values[n]}
    )
    found = queries.dimension_statistics(
        queries.counted_q(None, Filters(period="all"), start=None, prefix="assessment__")
    )
    mean, median, scored = found["data"]
    assert scored == len(values)
    assert median == pytest.approx(statistics.median(values))
    assert mean == pytest.approx(statistics.mean(values))
    # An odd count: the middle value itself.
    create_completed_assessments(1, council=council, scores={"data": 100.0})
    found = queries.dimension_statistics(
        queries.counted_q(None, Filters(period="all"), start=None, prefix="assessment__")
    )
    assert found["data"][1] == pytest.approx(statistics.median([*values, 100.0]))


def test_the_sqlite_fallback_gives_the_same_median():
    values = [5.0, 1.0, 9.0, 7.0, 3.0, 8.0]
    create_completed_assessments(len(values), scores=lambda n: {"data": values[n]})
    from diagnostics.models import DimensionScore

    medians = queries._medians_by_row_number(
        DimensionScore.objects.filter(dimension="data").order_by()
    )
    assert medians["data"] == pytest.approx(statistics.median(values))


def test_demand_counts_bands_weakest_flags_and_plans():
    create_completed_assessments(
        15, weakest="cyber", flags=("no_offsite_backup",), plans=("export", "hire")
    )
    create_completed_assessments(3, weakest="data", flags=(), plans=(), band="advanced")
    raw = queries.demand(None, Filters(period="all"), start=None)
    assert raw["completed"] == 18
    assert raw["weakest"]["cyber"] == 15 and raw["weakest"]["data"] == 3
    assert raw["flags"]["no_offsite_backup"] == 15
    assert raw["plans"]["export"] == 15 and raw["plans"]["hire"] == 15
    assert raw["plans"]["raise_finance"] == 0
    assert raw["bands"]["developing"] == 15 and raw["bands"]["advanced"] == 3


def test_filters_and_places_narrow_the_counts():
    create_completed_assessments(12, size="micro")
    create_completed_assessments(
        13, size="small", council=get_council(gss_code=COUNCIL_B_GSS_CODE)
    )
    everything = Filters(period="all")
    assert queries.demand(None, everything, start=None)["completed"] == 25
    small = Filters(period="all", size="small")
    assert queries.demand(None, small, start=None)["completed"] == 13
    place = council_place(get_council())
    assert queries.demand(place, everything, start=None)["completed"] == 12


def test_published_dashboard_suppresses_and_rounds():
    create_completed_assessments(12, weakest="cyber")
    create_completed_assessments(3, weakest="data")
    published = figures.dashboard(None, Filters(period="all"), full=False)
    assert published.headline["completed"].value == 15
    weakest = published.table("weakest")
    cells = {row[0]: row[1] for row in weakest.rows}
    assert cells["Data"].suppressed
    assert str(cells["Data"]) == "fewer than 10"
    assert cells["Cyber security and infrastructure"].value % 5 == 0
    # A share is never shown for a suppressed count.
    shares = {row[0]: row[2] for row in weakest.rows}
    assert shares["Data"].suppressed


def test_gap_table_puts_the_biggest_unmet_needs_first():
    create_completed_assessments(30, weakest="cyber")
    create_completed_assessments(20, weakest="data")
    create_completed_assessments(20, weakest="skills")
    from tests.factories import create_offer

    create_offer(dimensions=["skills"], councils=[get_council()], status="published")
    create_offer(dimensions=["cyber"], uk_wide=True, status="published")
    published = figures.dashboard(council_place(get_council()), Filters(period="all"), full=True)
    gap = published.table("gap")
    labels = [row[0] for row in gap.rows]
    assert labels[:3] == ["Cyber security and infrastructure", "Data", "Digital skills"]
    assert gap.rows[1][2] == 0 and gap.rows[2][2] == 1


def test_monthly_trend():
    now = timezone.now()
    last_month = queries.months_before(timezone.localdate(), 1)
    create_completed_assessments(
        10,
        completed=timezone.make_aware(dt.datetime.combine(last_month, dt.time(12))),
        scores={"data": 80.0},
    )
    create_completed_assessments(12, completed=now)
    rows = queries.trend(None, Filters(period="all"), start=None)
    assert [row[1] for row in rows] == [10, 12]
    assert rows[0][0] == last_month.replace(day=1)
    assert rows[0][2] == pytest.approx((80 + 7 * 40) / 8)


def test_cache_refreshed_after_a_completed_assessment_at_most_once_a_minute(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(refresh, "_now", lambda: clock[0])
    create_completed_assessments(10)
    first = figures.dashboard(None, Filters(period="all"), full=False)
    assert first.headline["completed"].value == 10
    version = versions.current(refresh.DATA_VERSION)

    create_completed_assessments(5)
    refresh.on_assessment_completed(sender=None)  # what the signal calls
    assert versions.current(refresh.DATA_VERSION) != version
    assert (
        figures.dashboard(None, Filters(period="all"), full=False).headline["completed"].value
        == 15
    )

    # Another within the minute: the cached figures stay until the minute is up.
    create_completed_assessments(5)
    clock[0] += 30
    version = versions.current(refresh.DATA_VERSION)
    refresh.on_assessment_completed(sender=None)
    assert versions.current(refresh.DATA_VERSION) == version
    assert refresh.refresh_if_due() is False
    assert (
        figures.dashboard(None, Filters(period="all"), full=False).headline["completed"].value
        == 15
    )
    clock[0] += 30
    assert refresh.refresh_if_due() is True
    assert (
        figures.dashboard(None, Filters(period="all"), full=False).headline["completed"].value
        == 20
    )


def test_submitting_an_assessment_sends_the_signal_that_refreshes(
    monkeypatch, django_capture_on_commit_callbacks
):
    from diagnostics import services
    from tests.factories import create_assessment

    assessment = create_assessment(sections=8)
    calls = []
    monkeypatch.setattr(refresh, "request_refresh", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_assessment(assessment=assessment)
    assert calls == [1]


def test_the_scheduled_task_warms_the_cache():
    from portal.dashboards.tasks import refresh_dashboards

    result = refresh_dashboards.apply().get()
    assert result["built"] >= 1
