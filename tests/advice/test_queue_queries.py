"""The queue and a request page run a fixed number of queries, at 10 requests as at
500 (and whatever the filters), as do the moderators' counts and the digest."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from portal.advice.choices import EventKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from tests.advice.factories import create_advice_request, create_advice_team
from tests.advice.queue_world import queue_url, request_url
from tests.factories import (
    COUNCIL_A_GSS_CODE,
    council_a,
    create_council_a_curator,
    create_council_a_manager,
    create_moderator,
    get_council,
)
from tests.queries import assert_queries_do_not_grow, fetch

STATUSES = list(RequestStatus.values)


def add_requests(count: int, *, assignees) -> None:
    """``count`` requests to council A's organisation in a few queries, in every status,
    some assigned, over the last months, each with a history entry and a note."""
    organisation, council = council_a(), get_council(gss_code=COUNCIL_A_GSS_CODE)
    template = create_advice_request()  # the snapshot and details every request copies
    now = timezone.now()
    requests = []
    for number in range(count):
        status = STATUSES[number % len(STATUSES)]
        requests.append(
            AdviceRequest(
                organisation=organisation,
                council=council,
                asked_from=template.asked_from,
                name=f"Founder {number}",
                email=f"founder{number}@example.com",
                help_wanted=template.help_wanted,
                profile=template.profile,
                diagnostic=template.diagnostic,
                recommendations=template.recommendations,
                consented_at=now,
                consent_version=template.consent_version,
                status=status,
                closed_at=now if status == RequestStatus.CLOSED else None,
                assigned_to=assignees[number % len(assignees)],
                created=now - timedelta(days=number % 30, hours=number % 24),
            )
        )
    created = AdviceRequest.objects.bulk_create(requests)
    AdviceEvent.objects.bulk_create(
        AdviceEvent(request=advice_request, kind=EventKind.CREATED) for advice_request in created
    )
    AdviceNote.objects.bulk_create(
        AdviceNote(request=advice_request, text="A note.") for advice_request in created
    )


class QueueQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_advice_team()
        cls.curator = create_council_a_curator()
        cls.manager = create_council_a_manager()
        cls.assignees = [None, cls.curator, cls.manager]
        add_requests(9, assignees=cls.assignees)  # and its template: 10
        cls.first = AdviceRequest.objects.order_by("pk").first()

    def setUp(self):
        self.client.force_login(self.curator)

    def grow(self):
        add_requests(489, assignees=self.assignees)  # and its template: 500
        self.assertEqual(AdviceRequest.objects.count(), 500)

    def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_filters(self):
        url = queue_url(council_a())
        pages = {
            "default": fetch(self.client, url),
            "overdue": fetch(self.client, url, {"status": "overdue"}),
            "all, oldest, page 2": fetch(
                self.client, url, {"status": "all", "sort": "oldest", "page": 2}
            ),
            "assigned to me": fetch(self.client, url, {"assigned": "me"}),
            "htmx": fetch(self.client, url, {"status": "closed"}, HTTP_HX_REQUEST="true"),
        }

        counts = assert_queries_do_not_grow(pages, grow=self.grow, maximum=12)

        print("queue queries (10 → 500 requests):", counts)

    def test_a_request_page_runs_a_fixed_number_of_queries(self):
        url = request_url(self.first)
        pages = {
            "page": fetch(self.client, url),
            "htmx note": lambda: self.client.post(
                url + "note/", {"note-text": "Rang them."}, HTTP_HX_REQUEST="true"
            ),
        }

        counts = assert_queries_do_not_grow(pages, grow=self.grow, maximum=20)

        print("request page queries (10 → 500 requests):", counts)

    def test_the_moderators_counts_and_the_account_panel_run_a_fixed_number(self):
        from django.urls import reverse

        moderator = create_moderator()

        def overview():
            self.client.force_login(moderator)
            return fetch(self.client, reverse("advice:overview"))()

        def account():
            self.client.force_login(self.curator)
            return fetch(self.client, reverse("accounts:account"))()

        assert_queries_do_not_grow({"overview": overview, "account": account}, grow=self.grow)

    def test_the_digest_runs_a_fixed_number_of_queries(self):
        from portal.advice.digest import collect_digest

        today, organisation_id = timezone.localdate(), council_a().pk
        assert_queries_do_not_grow(
            lambda: collect_digest(organisation_id, today=today), grow=self.grow, maximum=3
        )
