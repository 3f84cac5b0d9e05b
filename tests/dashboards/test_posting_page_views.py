"""The posting dashboard shows each opportunity's page views, counted by the dashboards
app (procurement's column registry, portal/procurement/columns.py), in a fixed number of
queries however many opportunities and days of views there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.dashboards.models import OpportunityViews
from portal.lib.panels import ColumnRegistry
from tests.factories import create_cluster_body_poster, create_opportunity

DASHBOARD = reverse("procurement:posting-dashboard")


def add_views(opportunity, *counts):
    """``counts`` page views on as many days, the last of them today."""
    today = timezone.localdate()
    OpportunityViews.objects.bulk_create(
        OpportunityViews(opportunity=opportunity, day=today - timedelta(days=ago), views=count)
        for ago, count in enumerate(reversed(counts))
    )


@pytest.fixture
def poster(client, db):
    poster = create_cluster_body_poster()
    client.force_login(poster)
    return poster


def test_each_opportunity_shows_its_page_views(client, poster):
    viewed = create_opportunity(title="Viewed one")
    unseen = create_opportunity(title="Never viewed")
    add_views(viewed, 3, 4, 5)
    add_views(create_opportunity(title="Someone's else", source="imported", publisher=None), 9)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    table = response.context["table"]
    assert table.headings == ["Page views"]
    assert {row.pk: figures for row, figures in table.rows} == {
        viewed.pk: [12],
        unseen.pk: [0],
    }
    html = response.content.decode()
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Page views'
        in html
    )
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>' in html


def test_a_view_of_the_public_page_shows_on_the_dashboard(client, poster):
    opportunity = create_opportunity(title="Viewed once")
    client.get(opportunity.get_absolute_url())

    response = client.get(DASHBOARD)

    assert [figures for _row, figures in response.context["table"].rows] == [[1]]


@pytest.mark.parametrize("count", [10, 60])
def test_queries_do_not_grow_with_opportunities_and_views(
    client, poster, django_assert_max_num_queries, count
):
    for number in range(count):
        add_views(create_opportunity(title=f"Opportunity {number}"), *range(1, 8))

    with django_assert_max_num_queries(10):
        response = client.get(DASHBOARD, {"page": 2} if count > 20 else {})

    assert response.status_code == 200
    assert all(figures == [28] for _row, figures in response.context["table"].rows)


def test_a_column_registry_asks_once_for_the_figures_of_every_row():
    asked = []

    def figures(keys):
        asked.append(keys)
        return {key: key * 10 for key in keys if key != 2}

    registry = ColumnRegistry("test")
    registry.register("tens", heading="Tens", figures_function=figures, default="—")
    registry.register("first", heading="First", figures_function=lambda keys: {1: "a"}, order=1)

    table = registry.table([1, 2, 3], key=lambda row: row)

    assert asked == [[1, 2, 3]]
    assert table.headings == ["First", "Tens"]
    assert table.rows == [(1, ["a", 10]), (2, [0, "—"]), (3, [0, 30])]
    with registry.suspended():
        assert registry.table([1], key=lambda row: row).headings == []
    with pytest.raises(ValueError, match="A column named 'tens' is on the test page already"):
        registry.register("tens", heading="Tens", figures_function=figures)
