"""Who sees the advice queue and its requests: only the members of the organisation a
request went to. Everyone else gets a 404 (signed out: the sign-in page) on the queue,
the request and every action, GET and POST, and nothing changes; moderators see only
the counts; every POST needs its CSRF token."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.advice import queue, rules
from portal.advice.models import AdviceEvent, AdviceNote, AdviceRequest
from tests.advice.queue_world import (
    ACTIONS,
    action_url,
    create_queue_world,
    queue_url,
    request_url,
    valid_post,
)
from tests.base import PersonasTestCase, permission_matrix
from tests.factories import council_a, council_b


class QueueAccessTests(PersonasTestCase):
    create_objects = staticmethod(create_queue_world)

    def setUp(self):
        self.request_a = self.objects["request_a"]
        self.request_b = self.objects["request_b"]

    def state(self):
        """What an action would change: the requests, their notes and history."""
        return (
            list(AdviceRequest.objects.order_by("pk").values()),
            AdviceNote.objects.count(),
            AdviceEvent.objects.count(),
        )

    def addresses_of_a(self):
        """Every page of council A's queue: the queue, the request, each action."""
        return [
            queue_url(self.council_a),
            request_url(self.request_a),
            *(action_url(self.request_a, action) for action in ACTIONS),
        ]

    def test_signed_out_visitors_are_sent_to_sign_in_from_every_page_and_action(self):
        before = self.state()
        urls = [reverse("advice:queue-home"), reverse("advice:overview"), *self.addresses_of_a()]
        for url in urls:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url, {})
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse(settings.LOGIN_URL)))
        self.assertEqual(self.state(), before)

    def test_staff_of_another_organisation_get_404_everywhere_and_change_nothing(self):
        before = self.state()
        self.client.force_login(self.council_b_curator)
        for url in self.addresses_of_a():
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    data = {}
                    if method == "post":
                        action = url.rstrip("/").rsplit("/", 1)[-1]
                        data = (
                            valid_post(action, assignee=self.council_b_curator)
                            if action in ACTIONS
                            else {}
                        )
                    response = getattr(self.client, method)(url, data)
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(self.state(), before)
        # Their own organisation's, they see.
        self.assertEqual(self.client.get(request_url(self.request_b)).status_code, 200)
        self.assertEqual(self.client.get(queue_url(self.council_b)).status_code, 200)

    def test_a_request_is_not_found_through_another_organisations_queue(self):
        self.client.force_login(self.council_a_curator)

        response = self.client.get(queue_url(self.council_a), {"status": "all"})

        self.assertContains(response, "Ann Asker")
        self.assertNotContains(response, "Ben Bidder")
        self.assertNotContains(response, request_url(self.request_b))

    def test_founders_and_other_organisations_members_have_no_queue(self):
        for name in ("founder", "cluster_body_poster", "new_buyer_poster"):
            with self.subTest(persona=name):
                self.client.force_login(self.personas[name])
                self.assertEqual(self.client.get(reverse("advice:queue-home")).status_code, 404)
                for url in self.addresses_of_a():
                    self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.get(reverse("advice:overview")).status_code, 404)

    def test_moderators_see_the_counts_but_no_request(self):
        for name in ("moderator", "superuser"):
            with self.subTest(persona=name):
                self.client.force_login(self.personas[name])
                for url in self.addresses_of_a():
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, valid_post("note")).status_code, 404)
                home = self.client.get(reverse("advice:queue-home"))
                self.assertRedirects(home, reverse("advice:overview"))

                page = self.client.get(reverse("advice:overview"))

                self.assertContains(page, "Gateshead Council")
                self.assertContains(page, "Newcastle City Council")
                content = page.content.decode()
                for private in (
                    "Ann Asker",
                    "ann@example.com",
                    "01632 960 001",
                    "Help choosing a grant",
                    "A grant",  # the shared recommendation
                    request_url(self.request_a),
                ):
                    self.assertNotIn(private, content)

    def test_the_overview_counts_requests_by_organisation_and_status(self):
        from tests.advice.queue_world import create_request_b

        create_request_b(status="contacted")
        create_request_b(status="closed")
        self.client.force_login(self.moderator)

        response = self.client.get(reverse("advice:overview"))

        rows = {name: (counts, total) for name, counts, total in response.context["rows"]}
        # new, contacted, in progress, closed; all
        self.assertEqual(rows["Gateshead Council"], ([1, 0, 0, 0], 1))
        self.assertEqual(rows["Newcastle City Council"], ([1, 1, 0, 1], 3))

    def test_an_inactive_member_sees_nothing(self):
        self.client.force_login(self.inactive_superuser)  # was a manager of council A
        self.assertEqual(self.client.get(request_url(self.request_a)).status_code, 302)

    def test_every_post_needs_its_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.council_a_curator)
        before = self.state()
        for action in ACTIONS:
            with self.subTest(action=action):
                response = client.post(
                    action_url(self.request_a, action),
                    valid_post(action, assignee=self.council_a_curator),
                )
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.state(), before)

        # With the token the page gives, the same POST goes through.
        client.get(request_url(self.request_a))
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(
            action_url(self.request_a, "note"),
            {**valid_post("note"), "csrfmiddlewaretoken": token},
        )
        self.assertRedirects(response, request_url(self.request_a))
        self.assertEqual(AdviceNote.objects.count(), 1)


def _can_assign(user, objects):
    return rules.can_be_assigned_request(user, objects["request_a"])


RULES = {
    "work_on_a": lambda user, objects: rules.can_work_on_requests(user, council_a()),
    "view_a": lambda user, objects: rules.can_view_request(user, objects["request_a"]),
    "change_a": lambda user, objects: rules.can_change_request(user, objects["request_a"]),
    "change_erased_a": lambda user, objects: rules.can_change_request(user, objects["erased_a"]),
    "assignable_a": _can_assign,
    "view_b": lambda user, objects: rules.can_view_request(user, objects["request_b"]),
    "counts": lambda user, objects: rules.can_see_request_counts(user),
}
NOBODY = dict.fromkeys(RULES, False)
A_STAFF = {**NOBODY, "work_on_a": True, "view_a": True, "change_a": True, "assignable_a": True}
EXPECTED = {
    "anonymous": NOBODY,
    "council_a_curator": A_STAFF,
    "council_a_manager": A_STAFF,
    "council_b_curator": {**NOBODY, "view_b": True},
    "cluster_body_poster": NOBODY,
    "cluster_body_y_poster": NOBODY,
    "new_buyer_poster": NOBODY,
    "moderator": {**NOBODY, "counts": True},
    "founder": NOBODY,
    "superuser": {**NOBODY, "counts": True},
    "inactive_superuser": NOBODY,
}


def _create_objects():
    from django.utils import timezone

    from tests.advice.factories import create_advice_request

    world = create_queue_world()
    world["erased_a"] = create_advice_request(erased_at=timezone.now())
    return world


def _all_requests(objects):
    return [objects["request_a"], objects["request_b"], objects["erased_a"]]


QUERIES = {
    "requests_visible_to": (queue.requests_visible_to, rules.can_view_request, _all_requests),
    "organisations_with_queue_for": (
        queue.organisations_with_queue_for,
        rules.can_work_on_requests,
        lambda objects: [council_a(), council_b()],
    ),
}

TestQueueRules = permission_matrix(RULES, EXPECTED, QUERIES, _create_objects)


class AssignableStaffTests(PersonasTestCase):
    def test_the_colleagues_listed_are_those_the_rule_allows(self):
        advice_request = create_queue_world()["request_a"]

        listed = set(queue.assignable_staff(self.council_a))

        allowed = {
            user
            for name, user in self.personas.items()
            if name != "anonymous" and rules.can_be_assigned_request(user, advice_request)
        }
        self.assertEqual(listed, allowed)
        self.assertEqual(listed, {self.council_a_curator, self.council_a_manager})
