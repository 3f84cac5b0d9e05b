"""Asking an adviser: from the results page, "Recommended for you" and an offer page;
the council's organisation (one, several, none), consent, the snapshot, the emails."""

from urllib.parse import urlencode

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from diagnostics.access import SESSION_KEY as GRANTED
from portal.accounts.models import OrganisationKind
from portal.advice.choices import AskedFrom, ContactPreference, EventKind, RequestStatus
from portal.advice.consent import CONSENT_VERSION
from portal.advice.models import AdviceRequest
from portal.core import visitor
from tests.advice.factories import create_advice_request, create_advice_team
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.peer_data import complete_assessment
from tests.factories import (
    COUNCIL_A_GSS_CODE,
    council_a,
    create_offer,
    create_offers,
    create_organisation,
    create_user,
    get_council,
)
from tests.queries import assert_queries_do_not_grow, fetch

GATESHEAD = COUNCIL_A_GSS_CODE
CARDIFF = "W06000015"
MANCHESTER = "E08000003"
GATESHEAD_PROFILE = {**TRADING_PUBLIC, "council": GATESHEAD}
ASK = reverse("advice:ask")

DETAILS = {
    "name": "Fay Founder",
    "email": "fay@example.com",
    "phone": "",
    "help_wanted": "Which grant should I apply for first?",
    "contact_preference": ContactPreference.EMAIL,
}


def ask_url(**query) -> str:
    return f"{ASK}?{urlencode(query)}"


def grant(client, *assessments):
    session = client.session
    session[GRANTED] = [str(assessment.public_id) for assessment in assessments]
    session.save()


def remember(client, **business):
    session = client.session
    session[visitor.SESSION_KEY] = business
    session.save()


def create_support():
    """Published UK-wide offers the matcher recommends, one per dimension it builds."""
    return {
        dimension: create_offer(
            title=title, dimensions=[dimension], status="published", uk_wide=True, kind=kind
        )
        for dimension, title, kind in [
            ("data", "Data basics course", "training_course"),
            ("adoption", "Cloud software voucher", "voucher"),
            ("finance", "Investment readiness programme", "accelerator"),
            ("cyber", "Cyber Essentials support", "advice_and_mentoring"),
        ]
    }


class AskFromResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.team = create_advice_team(team_email="business@gateshead.example")
        cls.offers = create_support()
        cls.assessment = complete_assessment(profile=GATESHEAD_PROFILE)
        cls.url = ask_url(**{"from": "results", "assessment": str(cls.assessment.public_id)})

    def setUp(self):
        grant(self.client, self.assessment)

    def post(self, client=None, **changes):
        return (client or self.client).post(self.url, {**DETAILS, "consent": "on", **changes})

    def test_the_results_page_links_to_asking_about_its_results(self):
        response = self.client.get(
            reverse("diagnostics:results", args=[self.assessment.public_id])
        )

        self.assertContains(response, "Ask an adviser about this")
        self.assertContains(response, f'href="{self.url.replace("&", "&amp;")}"')

    def test_the_form_names_the_organisation_in_its_consent_and_links_the_privacy_notice(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "and the recommendations I chose with Gateshead Council, so that"
        )
        self.assertContains(response, reverse("advice:privacy"))
        self.assertContains(response, "Your answers, scores and flags from the check")
        # The best recommendations, to tick.
        self.assertContains(response, 'name="recommendations"')

    def test_without_consent_the_request_is_refused_with_a_message_and_nothing_is_saved(self):
        response = self.client.post(self.url, DETAILS)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(
            response,
            "Tick the box to agree to share your details with Gateshead Council. "
            "Without it we cannot send your request.",
        )
        self.assertFalse(AdviceRequest.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_consented_request_keeps_the_snapshot_and_is_announced_to_founder_and_team(self):
        chosen = self.offers["finance"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(recommendations=[str(chosen.pk)])

        advice_request = AdviceRequest.objects.get()
        self.assertRedirects(response, response.url)
        self.assertIn(f"/advice/requests/{advice_request.public_id}/", response.url)
        self.assertEqual(advice_request.organisation, council_a())
        self.assertEqual(advice_request.council.gss_code, GATESHEAD)
        self.assertEqual(advice_request.assessment, self.assessment)
        self.assertEqual(advice_request.status, RequestStatus.NEW)
        self.assertEqual(advice_request.asked_from, AskedFrom.RESULTS)
        self.assertEqual(advice_request.consent_version, CONSENT_VERSION)
        self.assertIsNotNone(advice_request.consented_at)
        self.assertEqual(
            (advice_request.name, advice_request.email, advice_request.help_wanted),
            ("Fay Founder", "fay@example.com", DETAILS["help_wanted"]),
        )
        # The snapshot, as it was when asked.
        self.assertEqual(advice_request.profile["size"], "small")
        self.assertEqual(advice_request.profile["sector"], "J")
        self.assertIn("raise_finance", [plan["key"] for plan in advice_request.profile["plans"]])
        diagnostic = advice_request.diagnostic
        self.assertEqual(diagnostic["overall_score"], self.assessment.overall_score)
        self.assertEqual(len(diagnostic["dimensions"]), 8)
        self.assertEqual(diagnostic["weakest"], self.assessment.result["weakest"])
        self.assertEqual(advice_request.dimension, self.assessment.result["weakest"])
        self.assertEqual(advice_request.offer_kind, "")
        [shared] = advice_request.recommendations
        self.assertEqual(
            (shared["offer_id"], shared["title"], shared["kind"], shared["dimensions"]),
            (chosen.pk, "Investment readiness programme", "accelerator", ["finance"]),
        )
        self.assertTrue(shared["reasons"])
        self.assertTrue(all(isinstance(reason, str) and reason for reason in shared["reasons"]))
        # Its history, and the two emails.
        self.assertEqual(
            list(advice_request.events.values_list("kind", flat=True)), [EventKind.CREATED]
        )
        by_address = {message.to[0]: message for message in mail.outbox}
        self.assertEqual(set(by_address), {"fay@example.com", "business@gateshead.example"})
        confirmation = by_address["fay@example.com"]
        self.assertIn("Gateshead Council", confirmation.subject)
        self.assertIn(f"/advice/requests/{advice_request.public_id}/", confirmation.body)
        team = by_address["business@gateshead.example"]
        self.assertIn("Gateshead", team.subject)
        for personal in ("Fay Founder", "fay@example.com", DETAILS["help_wanted"]):
            self.assertNotIn(personal, team.body)
        # It links to the request's page in the team's queue.
        self.assertIn(f"/advice/cases/{advice_request.pk}/", team.body)

    def test_asking_about_an_offer_with_results_concerns_its_weakest_dimension(self):
        offer = create_offer(
            title="Two-sided grant",
            kind="grant",
            dimensions=["data", "finance"],
            status="published",
            uk_wide=True,
        )
        url = ask_url(
            **{"from": "offer", "offer": offer.slug, "assessment": str(self.assessment.public_id)}
        )

        self.client.post(url, {**DETAILS, "consent": "on"})

        advice_request = AdviceRequest.objects.get()
        scores = self.assessment.result["dimensions"]
        self.assertEqual(advice_request.dimension, min(("data", "finance"), key=scores.get))
        self.assertEqual(advice_request.recommendations[0]["offer_id"], offer.pk)
        self.assertEqual(advice_request.diagnostic["overall_score"], self.assessment.overall_score)

    def test_the_confirmation_page_says_where_the_request_went(self):
        response = self.post()
        page = self.client.get(response.url)

        self.assertContains(page, "Request sent")
        self.assertContains(page, "We have sent your request to Gateshead Council")
        self.assertContains(page, "fay@example.com")

    def test_asking_signed_in_keeps_the_founder_on_the_request(self):
        founder = create_user()
        self.client.force_login(founder)
        grant(self.client, self.assessment)

        self.post()

        self.assertEqual(AdviceRequest.objects.get().founder, founder)

    def test_phone_preferred_needs_a_phone_number(self):
        response = self.post(contact_preference=ContactPreference.PHONE)

        self.assertContains(response, "Enter a phone number, or choose to be contacted by email")
        self.assertFalse(AdviceRequest.objects.exists())

    def test_bad_input_gets_messages_naming_the_fields_not_a_500(self):
        response = self.client.post(
            self.url,
            {
                "name": "",
                "email": "not-an-email",
                "phone": "call me",
                "help_wanted": "x" * 2001,
                "contact_preference": "pigeon",
                "recommendations": ["999999"],
                "consent": "on",
            },
        )

        self.assertEqual(response.status_code, 200)
        for message in (
            "Enter your name",
            "Enter an email address in the correct format",
            "Enter a phone number, like",
            "must be 2,000 characters or fewer",
            "Choose how you would like to be contacted",
            "One of the recommendations you chose is no longer listed",
        ):
            self.assertContains(response, message)
        self.assertFalse(AdviceRequest.objects.exists())

    def test_one_address_sends_at_most_three_requests_a_day(self):
        for _ in range(3):
            create_advice_request(email="FAY@example.com")

        response = self.post()

        self.assertContains(response, "You have sent 3 requests for advice today.")
        self.assertEqual(AdviceRequest.objects.filter(email="fay@example.com").count(), 0)
        self.assertEqual(mail.outbox, [])

    def test_a_stranger_cannot_share_someone_elses_assessment(self):
        stranger = Client()

        self.assertEqual(stranger.get(self.url).status_code, 404)
        self.assertEqual(self.post(client=stranger).status_code, 404)
        self.assertFalse(AdviceRequest.objects.exists())

    def test_an_unknown_assessment_or_offer_is_a_404(self):
        for query in (
            {"assessment": "not-a-uuid"},
            {"assessment": "6f1c3d2e-0000-4000-8000-000000000000"},
            {"offer": "no-such-offer"},
        ):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(ask_url(**query)).status_code, 404)

    def test_csrf_is_enforced_on_asking(self):
        client = Client(enforce_csrf_checks=True)
        grant(client, self.assessment)

        response = self.post(client=client)

        self.assertEqual(response.status_code, 403)
        self.assertFalse(AdviceRequest.objects.exists())

    def test_an_organisation_that_stops_receiving_meanwhile_gets_nothing(self):
        page = self.client.get(self.url)  # the form, while it still receives
        self.assertEqual(page.status_code, 200)
        self.team.receives_requests = False
        self.team.save()

        response = self.post()

        self.assertContains(response, "No business support team takes requests")
        self.assertFalse(AdviceRequest.objects.exists())

    def test_the_asking_page_runs_the_same_queries_with_10_and_500_requests(self):
        for _ in range(10):
            create_advice_request()
        page = fetch(self.client, self.url)
        page()  # the matcher's candidates, kept from here on

        def grow():
            for _ in range(490):
                create_advice_request()
            create_offers(count=200, status="published", uk_wide=True, dimensions=["data"])

        # The session, the assessment, the teams serving its council (the matcher's
        # candidates and the places are kept by the process).
        assert_queries_do_not_grow(page, grow=grow, maximum=3)


class OrganisationsForTheCouncilTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_support()
        get_council(gss_code=GATESHEAD)
        cls.manchester = get_council(gss_code=MANCHESTER)
        cls.cardiff = get_council(gss_code=CARDIFF)

    def setUp(self):
        remember(self.client, council=GATESHEAD, size="micro")

    def test_a_council_no_organisation_serves_names_whom_to_contact_and_saves_nothing(self):
        create_advice_team(receives_requests=False, team_email="")  # Gateshead's, off
        cases = [
            (GATESHEAD, ["the Growth Hubs of the North East", "Business Support Helpline"]),
            (MANCHESTER, ["GC Business Growth Hub", "0300 456 3565"]),
            (CARDIFF, ["Contact Business Wales", "https://businesswales.gov.wales/"]),
            ("S12000049", ["Business Gateway", "https://www.bgateway.com/"]),
        ]
        get_council(gss_code="S12000049")
        for code, names in cases:
            url = ask_url(**{"from": "recommended", "council": code})
            with self.subTest(council=code):
                for response in (
                    self.client.get(url),
                    self.client.post(url, {**DETAILS, "consent": "on"}),
                ):
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "We have not saved or sent anything.")
                    for name in names:
                        self.assertContains(response, name)
        self.assertFalse(AdviceRequest.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_several_organisations_let_the_founder_choose_one(self):
        create_advice_team()
        combined = create_organisation(
            name="North East Combined Authority",
            kind=OrganisationKind.LOCAL_AUTHORITY,
            councils=[get_council(gss_code=GATESHEAD)],
        )
        create_advice_team(organisation=combined)
        url = ask_url(**{"from": "recommended"})

        choose = self.client.get(url)
        self.assertContains(choose, "Who do you want to ask?")
        self.assertContains(choose, "Gateshead Council")
        self.assertContains(choose, "North East Combined Authority")
        self.assertNotContains(choose, 'name="consent"')

        # Posting without choosing saves nothing.
        self.client.post(url, {**DETAILS, "consent": "on"})
        self.assertFalse(AdviceRequest.objects.exists())

        wrong = self.client.get(url, {"organisation": "council-b"})
        self.assertContains(wrong, "Choose who you want to ask for help")

        chosen_url = ask_url(**{"from": "recommended", "organisation": combined.slug})
        form = self.client.get(chosen_url)
        self.assertContains(form, "I chose with North East Combined Authority, so that")
        self.assertContains(form, "Ask another organisation")

        response = self.client.post(chosen_url, {**DETAILS, "consent": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(AdviceRequest.objects.get().organisation, combined)

    def test_without_a_council_known_the_page_asks_for_it(self):
        create_advice_team()
        client = Client()

        response = client.get(ask_url(**{"from": "recommended"}))
        self.assertContains(response, "Where is your business?")
        self.assertContains(response, 'name="from" value="recommended"')

        wrong = client.get(ask_url(**{"from": "recommended", "council": "nowhere"}))
        self.assertContains(wrong, "Select the council where your business is")

        found = client.get(ask_url(**{"from": "recommended", "council": GATESHEAD}))
        self.assertContains(found, "with Gateshead Council, so that")


class AskAboutAnOfferTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_advice_team()
        cls.offers = create_support()
        cls.offer = create_offer(
            title="Gateshead growth grant",
            kind="grant",
            dimensions=["finance", "data"],
            status="published",
            councils=[get_council(gss_code=GATESHEAD)],
        )
        cls.url = ask_url(**{"from": "offer", "offer": cls.offer.slug})

    def setUp(self):
        remember(self.client, council=GATESHEAD, size="micro", stage="growing")

    def test_the_offer_page_links_to_asking_about_it(self):
        response = self.client.get(reverse("catalogue:offer", args=[self.offer.slug]))

        self.assertContains(response, "Ask an adviser about this")
        self.assertContains(response, self.url.replace("&", "&amp;"))

    def test_a_request_about_an_offer_keeps_it_first_with_its_kind(self):
        page = self.client.get(self.url)
        self.assertContains(page, "The support you are asking about")
        # No diagnostic to share: the consent does not name one.
        self.assertContains(page, "my business profile and the support I chose with Gateshead")
        self.assertNotContains(page, "my diagnostic answers and scores")
        self.assertContains(page, "Gateshead growth grant")

        self.client.post(self.url, {**DETAILS, "consent": "on"})

        advice_request = AdviceRequest.objects.get()
        self.assertEqual(advice_request.offer, self.offer)
        self.assertEqual(advice_request.offer_kind, "grant")
        self.assertEqual(advice_request.asked_from, AskedFrom.OFFER)
        # No scores without a diagnostic: the offer's first dimension (in the
        # vocabulary's order, as its set keeps them).
        self.assertEqual(advice_request.dimension, "data")
        self.assertEqual(advice_request.diagnostic, {})
        self.assertEqual(advice_request.profile["size"], "micro")
        self.assertEqual(advice_request.recommendations[0]["offer_id"], self.offer.pk)
        self.assertEqual(advice_request.recommendations[0]["title"], "Gateshead growth grant")


class RecommendedPagePanelTests(TestCase):
    def test_the_recommended_page_links_to_asking(self):
        create_support()
        get_council(gss_code=GATESHEAD)
        remember(self.client, council=GATESHEAD, size="micro", stage="growing", sector="J")

        response = self.client.get(
            reverse("matching:recommended"),
            {"council": GATESHEAD, "size": "micro", "stage": "growing", "sic_section": "J"},
        )

        self.assertContains(response, "Ask an adviser about this")
        self.assertContains(response, f'href="{ASK}?from=recommended"')
        # Not in the fragment the filters swap in: the panel is outside it.
        fragment = self.client.get(
            reverse("matching:recommended"),
            {"council": GATESHEAD, "size": "micro", "kind": "grant"},
            headers={"HX-Request": "true"},
        )
        self.assertNotContains(fragment, "Ask an adviser about this")
