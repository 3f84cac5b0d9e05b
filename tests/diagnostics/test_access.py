"""Who may open an assessment: its owner or a browser granted it; nobody else (404)."""

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client, RequestFactory, TestCase
from django.urls import reverse

from diagnostics.access import AssessmentAlreadyCompleted, get_assessment_in_progress
from diagnostics.models import Assessment
from diagnostics.rules import can_open_assessment
from diagnostics.services import submit_assessment
from diagnostics.tokens import make_resume_token
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import flow_url
from tests.factories import create_assessment, create_moderator, create_user, get_council

FLOW_PAGES = ("task-list", "profile", "check-answers", "save-and-leave")


class CanOpenAssessmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.owner = create_user()
        cls.stranger = create_user()
        cls.moderator = create_moderator()
        cls.owned = create_assessment(user=cls.owner)
        cls.anonymous = create_assessment()

    def test_owner_may_open_their_assessment(self):
        self.assertTrue(can_open_assessment(self.owner, self.owned, granted=frozenset()))

    def test_a_session_granted_the_assessment_may_open_it(self):
        granted = frozenset({self.anonymous.public_id})
        self.assertTrue(can_open_assessment(AnonymousUser(), self.anonymous, granted=granted))

    def test_other_users_and_moderators_may_not(self):
        for user in (self.stranger, self.moderator):
            with self.subTest(user=user):
                self.assertFalse(can_open_assessment(user, self.owned, granted=frozenset()))
                self.assertFalse(can_open_assessment(user, self.anonymous, granted=frozenset()))

    def test_an_inactive_owner_may_not(self):
        self.owner.is_active = False
        self.assertFalse(can_open_assessment(self.owner, self.owned, granted=frozenset()))


class StrangerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.assessment = create_assessment(sections=2)

    def urls(self):
        yield from (flow_url(name, self.assessment) for name in FLOW_PAGES)
        yield from (flow_url("section", self.assessment, number=n) for n in range(1, 9))

    def test_a_stranger_without_the_grant_gets_404_on_every_flow_page(self):
        stranger = Client()
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(stranger.get(url).status_code, 404)
                # The task list takes no POST (405); every other page 404s a POST too.
                self.assertIn(stranger.post(url, {}).status_code, {404, 405})
        self.assertEqual(Assessment.objects.get().answers.count(), 10)

    def test_a_moderator_gets_404(self):
        self.client.force_login(create_moderator())
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_an_unknown_assessment_gets_404(self):
        url = flow_url("task-list", self.assessment).replace(
            str(self.assessment.public_id), str(uuid.uuid4())
        )
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_signed_in_owner_opens_their_assessment_from_any_browser(self):
        owner = create_user()
        mine = create_assessment(user=owner)
        self.client.force_login(owner)
        self.assertEqual(self.client.get(flow_url("task-list", mine)).status_code, 200)


class CsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])

    def test_posts_without_the_csrf_token_are_refused_and_change_nothing(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(client.post(reverse("diagnostics:start")).status_code, 403)
        self.assertFalse(Assessment.objects.exists())

    def test_a_section_post_without_the_csrf_token_saves_nothing(self):
        assessment = create_assessment()
        client = Client(enforce_csrf_checks=True)
        client.get(flow_url("resume", assessment, token=make_resume_token(assessment.public_id)))
        response = client.post(flow_url("section", assessment, number=1), {"S1": "none"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(assessment.answers.count(), 0)


class AssessmentInProgressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=TRADING_PUBLIC["council"])
        cls.owner = create_user()

    def request_by(self, user):
        request = RequestFactory().get("/")
        request.user = user
        request.session = {}
        return request

    def test_an_assessment_in_progress_is_returned(self):
        assessment = create_assessment(user=self.owner, sections=2)
        found = get_assessment_in_progress(self.request_by(self.owner), assessment.public_id)
        self.assertEqual(found, assessment)

    def test_a_completed_assessment_is_refused_with_the_assessment(self):
        assessment = create_assessment(user=self.owner, sections=8)
        submit_assessment(assessment=assessment)
        with self.assertRaises(AssessmentAlreadyCompleted) as refused:
            get_assessment_in_progress(self.request_by(self.owner), assessment.public_id)
        self.assertEqual(refused.exception.assessment, assessment)

    def test_a_stranger_gets_404_before_anything_is_said_about_completion(self):
        assessment = create_assessment(user=self.owner, sections=8)
        submit_assessment(assessment=assessment)
        with self.assertRaises(Http404):
            get_assessment_in_progress(self.request_by(create_user()), assessment.public_id)
