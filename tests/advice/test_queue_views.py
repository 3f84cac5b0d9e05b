"""The staff's queue and request pages, and the actions on a request, as the members
of the organisation it went to use them: with and without htmx."""

from datetime import datetime
from unittest import mock

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from portal.advice.choices import EventKind, OutcomeKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from portal.advice.queue_views import QUEUE_PAGE_SIZE
from tests.advice.factories import create_advice_request, create_advice_team
from tests.advice.queue_world import (
    action_url,
    create_queue_world,
    create_request_b,
    days_ago,
    queue_url,
    request_url,
)
from tests.base import PersonasTestCase
from tests.factories import create_membership, create_offer, create_organisation, create_user

HTMX = {"HTTP_HX_REQUEST": "true"}
# Tuesday 16 June 2026, mid-morning.
NOW = timezone.make_aware(datetime(2026, 6, 16, 10, 0))


def at(when):
    """Pretend it is ``when`` for the views (the queue works out "overdue" from today)."""
    return mock.patch("django.utils.timezone.now", return_value=when)


class QueuePageTests(PersonasTestCase):
    create_objects = staticmethod(create_queue_world)

    def setUp(self):
        self.client.force_login(self.council_a_curator)
        self.url = queue_url(self.council_a)

    def names(self, response):
        return [row.name for row in response.context["rows"]]

    def test_the_queue_home_leads_to_the_only_queue(self):
        response = self.client.get(reverse("advice:queue-home"))

        self.assertRedirects(response, self.url)

    def test_someone_working_for_two_organisations_chooses_a_queue(self):
        create_membership(user=self.council_a_curator, organisation=self.council_b)

        response = self.client.get(reverse("advice:queue-home"))

        self.assertContains(response, self.url)
        self.assertContains(response, queue_url(self.council_b))
        self.assertContains(response, "1 new request")
        queue_page = self.client.get(self.url)
        self.assertContains(queue_page, "All your advice queues")

    def test_the_open_requests_newest_first_by_default(self):
        create_advice_request(name="Older", created=days_ago(3), status="contacted")
        create_advice_request(name="Closed", created=days_ago(1), status="closed")

        response = self.client.get(self.url)

        self.assertEqual(self.names(response), ["Ann Asker", "Older"])
        self.assertContains(response, "2 requests: open")

    def test_filtering_by_status_assignment_and_sorting(self):
        colleague = self.council_a_manager
        create_advice_request(name="Mine", created=days_ago(2), assigned_to=self.council_a_curator)
        create_advice_request(name="Hers", created=days_ago(4), assigned_to=colleague)
        create_advice_request(name="Going", created=days_ago(5), status="in_progress")
        create_advice_request(name="Done", created=days_ago(6), status="closed")

        def names(**query):
            return self.names(self.client.get(self.url, query))

        self.assertEqual(names(status="new"), ["Ann Asker", "Mine", "Hers"])
        self.assertEqual(names(status="in_progress"), ["Going"])
        self.assertEqual(names(status="closed"), ["Done"])
        self.assertEqual(
            names(status="all", sort="oldest"), ["Done", "Going", "Hers", "Mine", "Ann Asker"]
        )
        self.assertEqual(names(assigned="me"), ["Mine"])
        self.assertEqual(names(assigned="nobody"), ["Ann Asker", "Going"])
        self.assertEqual(names(status="new", assigned="nobody", sort="oldest"), ["Ann Asker"])

    def test_links_that_do_not_make_sense_fall_back_to_the_defaults(self):
        response = self.client.get(
            self.url, {"status": "nonsense", "assigned": "<b>", "sort": "x", "page": "zzz"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["filters"], {"status": "open", "assigned": "", "sort": "newest"}
        )
        self.assertEqual(self.names(response), ["Ann Asker"])

    def test_overdue_requests_are_flagged_and_found(self):
        # On Tuesday 16 June, a request asked on Monday 8 June is overdue (it was due by
        # Monday 15th); one asked on Tuesday 9 June is not, nor is a contacted one.
        AdviceRequest.objects.all().delete()
        create_advice_request(name="Late", created=timezone.make_aware(datetime(2026, 6, 8, 17)))
        create_advice_request(name="In time", created=timezone.make_aware(datetime(2026, 6, 9, 9)))
        create_advice_request(
            name="Called",
            created=timezone.make_aware(datetime(2026, 6, 1, 9)),
            status="contacted",
            first_contacted_at=timezone.make_aware(datetime(2026, 6, 2, 9)),
        )

        with at(NOW):
            response = self.client.get(self.url)
            overdue_only = self.client.get(self.url, {"status": "overdue"})

        flags = {row.name: row.overdue for row in response.context["rows"]}
        self.assertEqual(flags, {"Late": True, "In time": False, "Called": False})
        self.assertContains(response, "Overdue", count=2)  # the filter, the tag
        self.assertEqual(self.names(overdue_only), ["Late"])
        self.assertContains(overdue_only, "1 request: overdue")

    def test_the_queue_is_paginated_with_govuk_pagination(self):
        for number in range(QUEUE_PAGE_SIZE + 2):
            create_advice_request(name=f"Founder {number:02}", created=days_ago(number + 1))

        first = self.client.get(self.url)
        second = self.client.get(self.url, {"page": 2})

        self.assertEqual(len(first.context["rows"]), QUEUE_PAGE_SIZE)
        self.assertContains(first, 'class="govuk-pagination"')
        self.assertContains(first, "?page=2")
        self.assertEqual(len(second.context["rows"]), 3)
        self.assertContains(first, f"{QUEUE_PAGE_SIZE + 3} requests")

    def test_htmx_gets_the_results_and_the_count_alone(self):
        create_advice_request(name="Other", status="contacted")

        response = self.client.get(self.url, {"status": "contacted"}, **HTMX)

        content = response.content.decode()
        self.assertNotIn("<html", content)
        self.assertIn('id="queue-results"', content)
        self.assertIn('hx-swap-oob="innerHTML"', content)
        self.assertIn("Other", content)
        self.assertNotIn("Ann Asker", content)
        self.assertIn("HX-Request", response["Vary"])

    def test_a_history_restore_gets_the_whole_page(self):
        response = self.client.get(
            self.url, {"status": "new"}, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
        )

        self.assertContains(response, "<html")
        self.assertContains(response, "Apply filters")

    def test_the_page_works_without_javascript(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'<form method="get" action="{self.url}"')
        self.assertContains(response, "Apply filters")
        self.assertContains(response, request_url(self.objects["request_a"]))

    def test_a_member_posting_to_the_queue_is_refused_politely(self):
        self.assertEqual(self.client.post(self.url).status_code, 405)


class RequestPageTests(PersonasTestCase):
    @classmethod
    def create_objects(cls):
        create_advice_team()
        offer = create_offer(title="Data basics course", status="published", uk_wide=True)
        advice_request = create_advice_request(
            name="Fay Founder",
            email="fay@example.com",
            phone="01632 960 123",
            help_wanted="Which course first?",
            offer=offer,
            asked_from="offer",
            profile={
                "size": "micro",
                "stage": "growing",
                "sector": "J",
                "plans": [{"key": "export", "label": "Start exporting"}],
            },
            diagnostic={
                "questionnaire": "digital-maturity",
                "version": "1.1.0",
                "completed": "2026-06-01T10:00:00+00:00",
                "overall_score": 41.6,
                "overall_band": "developing",
                "weakest": "data",
                "dimensions": [
                    {"key": "data", "score": 12.0, "band": "starting"},
                    {"key": "skills", "score": 70.0, "band": "established"},
                ],
                "flags": [{"key": "no_backup", "label": "No backups of business data"}],
            },
            recommendations=[
                {
                    "offer_id": offer.pk,
                    "slug": offer.slug,
                    "title": "Data basics course",
                    "kind": "training_course",
                    "dimensions": ["data"],
                    "reasons": ["Builds your weakest area, Data"],
                    "rank": 1,
                }
            ],
        )
        return {"offer": offer, "request": advice_request}

    def setUp(self):
        self.advice_request = self.objects["request"]
        self.client.force_login(self.council_a_curator)

    def test_the_page_shows_the_founder_and_what_they_shared_as_it_was(self):
        response = self.client.get(request_url(self.advice_request))

        for text in (
            "Fay Founder",
            "mailto:fay@example.com",
            "01632 960 123",
            "Which course first?",
            "Micro (0 to 9 staff)",
            "Growing",
            "Information and communication",
            "Start exporting",
            "Completed on 1 June 2026.",
            "Overall score: 42 out of 100 (Developing).",
            "Weakest area: Data",
            "Digital skills",
            "No backups of business data",
            "Data basics course",
            "Builds your weakest area, Data",
            "Asked about",
            reverse("catalogue:offer", args=[self.objects["offer"].slug]),
            "Gateshead",
        ):
            self.assertContains(response, text)

    def test_the_snapshot_is_shown_even_when_the_offer_has_changed_since(self):
        offer = self.objects["offer"]
        offer.title = "Renamed course"
        offer.save(update_fields=["title"])

        response = self.client.get(request_url(self.advice_request))

        self.assertContains(response, "Data basics course")
        self.assertNotContains(response, "Renamed course")

    def test_an_erased_request_shows_no_personal_details_and_no_actions(self):
        AdviceRequest.objects.filter(pk=self.advice_request.pk).update(
            **AdviceRequest.ERASED_VALUES, erased_at=timezone.now()
        )

        response = self.client.get(request_url(self.advice_request))

        self.assertContains(response, "were erased on")
        self.assertNotContains(response, "fay@example.com")
        self.assertNotContains(response, "Record outcome and close")
        self.assertNotContains(response, action_url(self.advice_request, "assign"))


class ActionTests(PersonasTestCase):
    create_objects = staticmethod(create_queue_world)

    def setUp(self):
        self.advice_request = self.objects["request_a"]
        self.client.force_login(self.council_a_curator)

    def events(self):
        return list(
            AdviceEvent.objects.filter(request=self.advice_request)
            .order_by("pk")
            .values_list("kind", "actor_id", "details")
        )

    def post(self, action, data, **extra):
        return self.client.post(action_url(self.advice_request, action), data, **extra)

    def test_assigning_to_a_colleague(self):
        response = self.post("assign", {"assign-assignee": self.council_a_manager.pk}, follow=True)

        self.assertRedirects(response, request_url(self.advice_request))
        self.assertContains(response, "Request assigned to Carol Manager.")
        self.advice_request.refresh_from_db()
        self.assertEqual(self.advice_request.assigned_to, self.council_a_manager)
        self.assertEqual(
            self.events()[-1],
            (
                EventKind.ASSIGNED,
                self.council_a_curator.pk,
                {"assignee_id": self.council_a_manager.pk, "assignee": "Carol Manager"},
            ),
        )
        self.assertContains(response, "Assigned to Carol Manager")

    def test_assigning_to_someone_outside_the_organisation_is_refused_with_a_form_error(self):
        for outsider in (self.council_b_curator, self.moderator, self.founder, self.superuser):
            with self.subTest(outsider=outsider.email):
                response = self.post("assign", {"assign-assignee": outsider.pk})

                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "There is a problem")
                self.assertContains(
                    response,
                    "Choose a member of Gateshead Council: only its staff can be given its "
                    "requests",
                )
                self.assertContains(response, "<title>Error:")
                self.advice_request.refresh_from_db()
                self.assertIsNone(self.advice_request.assigned_to)
        self.assertEqual([kind for kind, *_ in self.events()], [])

    def test_unassigning(self):
        self.post("assign", {"assign-assignee": self.council_a_curator.pk})

        self.post("assign", {"assign-assignee": ""})

        self.advice_request.refresh_from_db()
        self.assertIsNone(self.advice_request.assigned_to)
        self.assertEqual(self.events()[-1][2], {"assignee_id": None, "assignee": ""})

    def test_adding_a_note(self):
        response = self.post("note", {"note-text": "  Called, no answer.  "})

        self.assertRedirects(response, request_url(self.advice_request))
        note = AdviceNote.objects.get()
        self.assertEqual((note.text, note.author), ("Called, no answer.", self.council_a_curator))
        self.assertEqual(
            self.events(),
            [(EventKind.NOTE_ADDED, self.council_a_curator.pk, {"note_id": note.pk})],
        )
        page = self.client.get(request_url(self.advice_request))
        self.assertContains(page, "Called, no answer.")

    def test_an_empty_note_is_refused(self):
        response = self.post("note", {"note-text": "   "})

        self.assertContains(response, "Enter the note")
        self.assertContains(response, 'href="#id_note-text"')
        self.assertFalse(AdviceNote.objects.exists())
        self.assertEqual(self.events(), [])

    def test_changing_the_status_records_the_first_contact(self):
        response = self.post("status", {"status-status": "contacted"})

        self.assertRedirects(response, request_url(self.advice_request))
        self.advice_request.refresh_from_db()
        self.assertEqual(self.advice_request.status, RequestStatus.CONTACTED)
        self.assertIsNotNone(self.advice_request.first_contacted_at)
        self.assertEqual(
            self.events(),
            [
                (
                    EventKind.STATUS_CHANGED,
                    self.council_a_curator.pk,
                    {"from": "new", "to": "contacted"},
                )
            ],
        )

    def test_a_status_the_request_cannot_move_to_is_refused(self):
        self.post("status", {"status-status": "contacted"})

        for status in ("new", "contacted", "closed", "bogus"):
            with self.subTest(status=status):
                response = self.post("status", {"status-status": status})

                self.assertContains(response, "Choose one of the statuses listed")
        self.advice_request.refresh_from_db()
        self.assertEqual(self.advice_request.status, RequestStatus.CONTACTED)
        self.assertEqual(len(self.events()), 1)

    def test_recording_an_outcome_closes_the_request_with_the_offer_it_concerns(self):
        offer = create_offer(title="Export voucher", status="published", uk_wide=True)
        AdviceRequest.objects.filter(pk=self.advice_request.pk).update(
            recommendations=[{"offer_id": offer.pk, "slug": offer.slug, "title": "Export voucher"}]
        )

        response = self.post(
            "outcome",
            {
                "outcome-outcome_kind": OutcomeKind.APPLIED,
                "outcome-outcome_text": "Applied in June",
                "outcome-outcome_offer": str(offer.pk),
            },
        )

        self.assertRedirects(response, request_url(self.advice_request))
        self.advice_request.refresh_from_db()
        self.assertEqual(self.advice_request.status, RequestStatus.CLOSED)
        self.assertEqual(self.advice_request.outcome_kind, OutcomeKind.APPLIED)
        self.assertEqual(self.advice_request.outcome_offer, offer)
        self.assertEqual(self.advice_request.outcome_text, "Applied in June")
        self.assertIsNotNone(self.advice_request.closed_at)
        self.assertEqual(
            [kind for kind, *_ in self.events()],
            [EventKind.STATUS_CHANGED, EventKind.OUTCOME_RECORDED],
        )
        self.assertEqual(self.events()[-1][2], {"kind": "applied", "offer_id": offer.pk})
        page = self.client.get(request_url(self.advice_request))
        self.assertContains(
            page, "Applied for support — Applied in June — concerns: Export voucher"
        )
        self.assertNotContains(page, "Record outcome and close")

    def test_an_outcome_needs_to_say_to_whom_or_to_what(self):
        for kind, message in [
            (OutcomeKind.REFERRED, "Say whom you referred them to"),
            (
                OutcomeKind.APPLIED,
                "Say what they applied for, or choose it from the recommendations",
            ),
            (OutcomeKind.OTHER, "Say what came of the request"),
            ("", "Choose what came of the request"),
        ]:
            with self.subTest(kind=kind):
                response = self.post(
                    "outcome", {"outcome-outcome_kind": kind, "outcome-outcome_offer": "none"}
                )

                self.assertContains(response, message)
        self.advice_request.refresh_from_db()
        self.assertEqual(self.advice_request.status, RequestStatus.NEW)
        self.assertEqual(self.events(), [])

    def test_an_outcome_may_concern_only_a_recommendation_the_request_shared(self):
        stranger = create_offer(title="Unrelated", status="published", uk_wide=True)
        shared = create_offer(title="Shared", status="published", uk_wide=True)
        AdviceRequest.objects.filter(pk=self.advice_request.pk).update(
            recommendations=[{"offer_id": shared.pk, "slug": shared.slug, "title": "Shared"}]
        )

        response = self.post(
            "outcome",
            {
                "outcome-outcome_kind": OutcomeKind.APPLIED,
                "outcome-outcome_offer": str(stranger.pk),
            },
        )

        self.assertContains(response, "Choose one of the recommendations listed, or none of them")
        self.advice_request.refresh_from_db()
        self.assertIsNone(self.advice_request.outcome_offer)

    def test_with_htmx_an_action_swaps_the_case_panel(self):
        response = self.post("note", {"note-text": "Emailed them."}, **HTMX)

        content = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("<html", content)
        self.assertTrue(content.strip().startswith('<div id="case">'))
        self.assertIn("Note added.", content)
        self.assertIn("Emailed them.", content)

    def test_with_htmx_a_refused_action_shows_its_errors_in_the_panel(self):
        response = self.post("assign", {"assign-assignee": self.council_b_curator.pk}, **HTMX)

        content = response.content.decode()
        self.assertIn("There is a problem", content)
        self.assertIn("Choose a member of Gateshead Council", content)
        self.assertNotIn("<html", content)

    def test_a_get_of_an_action_leads_back_to_the_request(self):
        response = self.client.get(action_url(self.advice_request, "note"))

        self.assertRedirects(response, request_url(self.advice_request))

    def test_a_withdrawn_request_can_no_longer_change(self):
        from portal.advice.services import withdraw_request

        withdraw_request(advice_request=self.advice_request)
        before = len(self.events())

        response = self.post("note", {"note-text": "Too late"}, follow=True)

        self.assertContains(response, "This request was withdrawn or its details erased")
        self.assertFalse(AdviceNote.objects.exists())
        self.assertEqual(len(self.events()), before)


class AccountPanelTests(PersonasTestCase):
    create_objects = staticmethod(create_queue_world)

    def test_staff_find_their_queue_on_their_account_page(self):
        self.client.force_login(self.council_a_curator)

        response = self.client.get(reverse("accounts:account"))

        self.assertContains(response, "Advice requests to Gateshead Council")
        self.assertContains(response, queue_url(self.council_a))
        self.assertContains(response, "(1 new)")
        self.assertNotContains(response, reverse("advice:overview"))

    def test_moderators_find_the_counts_and_others_nothing(self):
        self.client.force_login(self.moderator)
        self.assertContains(
            self.client.get(reverse("accounts:account")), reverse("advice:overview")
        )
        for name in ("founder", "cluster_body_poster"):
            self.client.force_login(self.personas[name])
            self.assertNotContains(self.client.get(reverse("accounts:account")), "Advice requests")


class OrganisationWithoutRequestsTests(TestCase):
    def test_an_organisation_that_never_received_requests_has_no_queue_link(self):
        organisation = create_organisation()
        user = create_user()
        create_membership(user=user, organisation=organisation)
        self.client.force_login(user)

        self.assertNotContains(self.client.get(reverse("accounts:account")), "Advice requests")
        # Its queue is empty but open to its members (it may start receiving any day).
        create_advice_team(organisation=organisation, receives_requests=False, team_email="")
        self.assertContains(self.client.get(queue_url(organisation)), "No requests match")
        create_request_b()  # another organisation's: not counted
        self.assertContains(self.client.get(reverse("accounts:account")), "(0 new)")
