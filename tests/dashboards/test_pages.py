import csv
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from portal.dashboards.csvfiles import cell_value, table_csv
from portal.dashboards.figures import Table
from portal.dashboards.models import OpportunityViews
from portal.lib.disclosure import Shown
from tests.factories import (
    COUNCIL_A_GSS_CODE,
    COUNCIL_B_GSS_CODE,
    create_completed_assessments,
    create_council_a_curator,
    create_moderator,
    create_opportunity,
    get_council,
)
from tests.queries import assert_queries_do_not_grow, fetch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def full_url(code):
    return reverse("dashboards:full", args=[code])


def test_public_summary_of_the_uk_a_region_and_a_council(client):
    create_completed_assessments(23, weakest="cyber")
    create_completed_assessments(4, weakest="data")
    council = get_council()
    for url in (
        reverse("dashboards:uk_summary"),
        reverse("dashboards:summary", args=[council.region.ons_code]),
        reverse("dashboards:summary", args=[COUNCIL_A_GSS_CODE]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "fewer than 10" in html
        assert 'role="img"' in html and "<title id=" in html
        assert "Download CSV" in html
        # Only the public figures: no medians, flags, plans, supply or use.
        assert "Median" not in html
        assert "Critical flags" not in html
        assert "Referrals" not in html
        assert "Open the full dashboard" not in html
    assert client.get(reverse("dashboards:summary", args=["E99999999"])).status_code == 404


def test_analyst_of_council_a_sees_a_but_not_b(client):
    create_completed_assessments(12)
    client.force_login(create_council_a_curator())
    response = client.get(full_url(COUNCIL_A_GSS_CODE))
    assert response.status_code == 200
    assert "Critical flags raised" in response.content.decode()
    csv_url = reverse("dashboards:full_csv", args=[COUNCIL_A_GSS_CODE, "weakest"])
    assert client.get(csv_url).status_code == 200
    assert client.get(full_url(COUNCIL_B_GSS_CODE)).status_code == 404
    csv_b = reverse("dashboards:full_csv", args=[COUNCIL_B_GSS_CODE, "weakest"])
    assert client.get(csv_b).status_code == 404
    # Nor the region's or the UK's fuller dashboard.
    assert client.get(full_url(get_council().region.ons_code)).status_code == 404
    assert client.get(full_url("uk")).status_code == 404
    # The public summary links to the fuller one for their council only.
    summary = client.get(reverse("dashboards:summary", args=[COUNCIL_A_GSS_CODE]))
    assert "Open the full dashboard" in summary.content.decode()


def test_the_public_cannot_open_a_full_dashboard(client):
    assert client.get(full_url(COUNCIL_A_GSS_CODE)).status_code == 404


def test_moderators_see_every_full_dashboard(client):
    client.force_login(create_moderator())
    for code in ("uk", COUNCIL_B_GSS_CODE, get_council().region.ons_code):
        assert client.get(full_url(code)).status_code == 200


def test_filters_without_and_with_htmx(client):
    create_completed_assessments(12, size="micro")
    create_completed_assessments(11, size="small")
    client.force_login(create_moderator())
    page = client.get(full_url("uk"), {"period": "3m", "size": "small"})
    html = page.content.decode()
    assert '<option value="small" selected>' in html
    assert 'hx-get="' in html and "Apply filters" in html
    fragment = client.get(full_url("uk"), {"size": "small"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="dashboard-results">')
    assert "Apply filters" not in body
    # Unknown values are ignored.
    assert client.get(full_url("uk"), {"period": "9y", "size": "huge"}).status_code == 200


def test_csv_neutralises_formulas_and_keeps_numbers():
    table = Table(
        "t",
        "T",
        ["Name", "Count"],
        [["=SUM(A1)", Shown(15)], ["+1", Shown(None)], ["@x", 3], ["-2", 2.5], ["Fine", 0]],
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows[1] == ["'=SUM(A1)", "15"]
    assert rows[2] == ["'+1", "fewer than 10"]
    assert rows[3][0] == "'@x" and rows[4][0] == "'-2"
    assert cell_value(Shown(15)) == 15 and cell_value(2.5) == 2.5 and cell_value(-3) == -3


def test_csv_download_goes_through_the_disclosure_control(client):
    create_completed_assessments(12, weakest="cyber")
    create_completed_assessments(3, weakest="data")
    response = client.get(reverse("dashboards:summary_csv", args=["uk", "weakest"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert rows["Data"][0] == "fewer than 10"
    assert int(rows["Cyber security and infrastructure"][0]) % 5 == 0
    assert client.get(reverse("dashboards:summary_csv", args=["uk", "nothing"])).status_code == 404


def test_export_dashboard_writes_the_published_tables(tmp_path):
    create_completed_assessments(12, weakest="cyber")
    create_completed_assessments(3, weakest="data")
    call_command(
        "export_dashboard",
        COUNCIL_A_GSS_CODE,
        "--period",
        "12m",
        "--folder",
        str(tmp_path),
        stdout=io.StringIO(),
    )
    names = {path.name for path in tmp_path.iterdir()}
    assert f"{COUNCIL_A_GSS_CODE}-12m-gap.csv" in names
    assert f"{COUNCIL_A_GSS_CODE}-12m-flags.csv" in names
    with (tmp_path / f"{COUNCIL_A_GSS_CODE}-12m-weakest.csv").open() as f:
        rows = {row[0]: row[1:] for row in csv.reader(f)}
    assert rows["Data"][0] == "fewer than 10"
    call_command("export_dashboard", "uk", "--folder", str(tmp_path / "uk"), stdout=io.StringIO())
    assert (tmp_path / "uk" / "uk-12m-trend.csv").exists()


def test_opportunity_views_are_counted_per_day(client):
    opportunity = create_opportunity(status="open")
    url = opportunity.get_absolute_url()
    for _ in range(3):
        assert client.get(url).status_code == 200
    row = OpportunityViews.objects.get()
    assert row.opportunity == opportunity and row.views == 3


def test_dashboard_queries_do_not_grow(client):
    client.force_login(create_moderator())
    council_b = get_council(gss_code=COUNCIL_B_GSS_CODE)
    create_completed_assessments(50)
    create_completed_assessments(50, council=council_b, size="small")

    def cold(url, data=None):
        get = fetch(client, url, data)

        def run():
            cache.clear()
            return get()

        return run

    pages = {
        "uk full": cold(full_url("uk")),
        "council full, filtered": cold(
            full_url(COUNCIL_A_GSS_CODE),
            {"period": "3m", "size": "micro", "sector": "J", "stage": "growing"},
        ),
        "public": cold(reverse("dashboards:summary", args=[COUNCIL_A_GSS_CODE])),
    }

    def grow():
        create_completed_assessments(2450)
        create_completed_assessments(2450, council=council_b, size="small")

    assert_queries_do_not_grow(pages, grow=grow)


def test_the_radar_of_means_against_the_uk_only_from_enough_businesses(client):
    url = reverse("dashboards:summary", args=[COUNCIL_A_GSS_CODE])
    create_completed_assessments(6, scores={"data": 20.0})
    assert 'class="waymark-radar"' not in client.get(url).content.decode()

    cache.clear()
    create_completed_assessments(6, scores={"data": 20.0})
    html = client.get(url).content.decode()
    assert 'class="waymark-radar"' in html
    assert "Mean score in each dimension here (solid), against the UK (dashed)" in html
    # The same means are in the table beside it: 20 in data, 40 elsewhere.
    assert ">20.0</td>" in html and ">40.0</td>" in html


def test_requests_for_advice_and_their_outcomes_through_the_disclosure_control(client):
    from django.utils import timezone

    from portal.advice.choices import OutcomeKind, RequestStatus
    from tests.advice.factories import create_advice_request

    for _ in range(12):
        create_advice_request(dimension="data", offer_kind="grant")
    for _ in range(3):
        create_advice_request(dimension="cyber")
    for _ in range(11):
        create_advice_request(
            dimension="data",
            status=RequestStatus.CLOSED,
            outcome_kind=OutcomeKind.APPLIED,
            outcome_recorded_at=timezone.now(),
        )
    client.force_login(create_council_a_curator())
    response = client.get(full_url(COUNCIL_A_GSS_CODE))

    requests = response.context["dashboard"].table("advice-requests")
    by_label = {row[0]: row[1] for row in requests.rows}
    assert by_label["Data"] == Shown(25)  # 23, rounded
    assert by_label["Cyber security and infrastructure"].suppressed  # 3
    outcomes = response.context["dashboard"].table("advice-outcomes")
    data_row = next(row for row in outcomes.rows if row[0] == "Data")
    assert Shown(10) in data_row  # 11 applied, rounded
    assert "Outcomes of requests for advice by dimension" in response.content.decode()
    csv_url = reverse("dashboards:full_csv", args=[COUNCIL_A_GSS_CODE, "advice-requests"])
    assert "fewer than 10" in client.get(csv_url).content.decode()
