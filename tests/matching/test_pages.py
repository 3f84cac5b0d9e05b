"""The matcher's pages: "Recommended for you", the results page's panel, feedback and
referrals from a recommendation."""

from django.test import TestCase

from portal.catalogue.models import Referral
from portal.matching import candidates
from portal.matching.models import Feedback
from tests.factories import create_offer, get_council

GATESHEAD = "E08000037"
PROFILE = {"council": GATESHEAD, "size": "micro", "stage": "growing", "sic_section": "J"}


class RecommendedPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)
        cls.data = create_offer(
            title="Data basics",
            dimensions=["data"],
            status="published",
            uk_wide=True,
            kind="training_course",
        )
        cls.grant = create_offer(
            title="Digital grant",
            dimensions=["adoption"],
            status="published",
            uk_wide=True,
            kind="grant",
        )

    def setUp(self):
        candidates.forget()

    def test_without_a_diagnostic_it_asks_for_a_profile(self):
        response = self.client.get("/recommended/")
        self.assertContains(response, "Tell us about your business")
        self.assertNotContains(response, "Data basics")

    def test_a_bad_profile_gets_govuk_error_messages_not_a_500(self):
        response = self.client.get("/recommended/", {"council": "nowhere", "size": "huge"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")

    def test_a_profile_alone_ranks_without_gap_weighting_and_says_so(self):
        response = self.client.get("/recommended/", PROFILE)
        self.assertContains(response, "ranked from your business profile alone")
        self.assertContains(response, "Data basics")
        self.assertContains(response, "Digital grant")
        self.assertNotContains(response, "Builds your weakest area")

    def test_filters_by_kind_with_and_without_htmx(self):
        response = self.client.get("/recommended/", {**PROFILE, "kind": "grant"})
        self.assertContains(response, "Digital grant")
        self.assertNotContains(response, "Data basics")
        fragment = self.client.get(
            "/recommended/", {**PROFILE, "kind": "grant"}, headers={"HX-Request": "true"}
        )
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "Digital grant")

    def test_an_unknown_filter_value_is_dropped_not_refused(self):
        response = self.client.get("/recommended/", {**PROFILE, "kind": "spaceship"})
        self.assertContains(response, "Data basics")


class FeedbackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_offer(
            title="Data basics", dimensions=["data"], status="published", uk_wide=True
        )

    def post(self, **fields):
        data = {
            "target": "offer",
            "key": self.offer.slug,
            "useful": "yes",
            "rank": "2",
            "reasons": "eligible,builds_weakest",
            "next": "/recommended/",
            **fields,
        }
        return self.client.post("/recommended/feedback/", data, **fields.pop("headers", {}))

    def test_a_useful_mark_is_recorded_without_personal_data(self):
        response = self.post()
        self.assertRedirects(response, "/recommended/", fetch_redirect_response=False)
        mark = Feedback.objects.get()
        self.assertEqual((mark.offer, mark.useful, mark.rank), (self.offer, True, 2))
        self.assertEqual(mark.reason_codes, ["eligible", "builds_weakest"])
        names = {field.name for field in Feedback._meta.get_fields()}
        self.assertFalse(names & {"user", "session", "session_hash", "email", "ip", "at"})

    def test_htmx_gets_a_thank_you_fragment(self):
        response = self.client.post(
            "/recommended/feedback/",
            {"target": "offer", "key": self.offer.slug, "useful": "no", "rank": "1"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Thank you")
        self.assertFalse(Feedback.objects.get().useful)

    def test_an_unknown_offer_is_a_404_and_bad_input_a_400(self):
        self.assertEqual(self.post(key="nothing-here").status_code, 404)
        self.assertEqual(self.post(rank="first").status_code, 400)
        self.assertEqual(Feedback.objects.count(), 0)

    def test_next_never_leaves_the_site(self):
        response = self.post(next="https://evil.example/")
        self.assertRedirects(response, "/recommended/", fetch_redirect_response=False)


class ReferralFromRecommendationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.offer = create_offer(title="Data basics", status="published", uk_wide=True)

    def test_the_rank_and_reason_codes_are_kept_with_the_referral(self):
        url = f"/support/{self.offer.slug}/go/"
        self.client.get(url, {"from": "/recommended/", "rank": "3", "reasons": "free,plan"})
        referral = Referral.objects.get()
        self.assertEqual((referral.rank, referral.reason_codes), (3, ["free", "plan"]))

    def test_junk_rank_and_reasons_are_dropped(self):
        url = f"/support/{self.offer.slug}/go/"
        self.client.get(url, {"rank": "²", "reasons": "<script>,DROP TABLE"})
        referral = Referral.objects.get()
        self.assertEqual((referral.rank, referral.reason_codes), (None, []))
