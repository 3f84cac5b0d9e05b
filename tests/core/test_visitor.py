"""The founder's business, carried through the session: told once (diagnostic profile,
a filter, "Is this for me?", the recommendations' profile), then the support and
contracts lists open filtered for it, saying so, and the forms start filled in."""

from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory, TestCase
from django.urls import reverse

from portal.core import visitor
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.flow_support import flow_url, profile_post
from tests.factories import create_assessment, create_offer, get_council

GATESHEAD = "E08000037"
NEWCASTLE = "E08000021"
SUPPORT = reverse("catalogue:search")
CONTRACTS = reverse("procurement:list")


def request_with_session():
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


class RememberTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        get_council(gss_code=GATESHEAD)

    def test_known_values_are_kept_and_added_to(self):
        request = request_with_session()

        visitor.remember(request, council=GATESHEAD, size="micro")
        visitor.remember(request, stage="start_up", sector="J", supplies=["72200000"])

        self.assertEqual(
            visitor.remembered(request),
            visitor.VisitorBusiness(GATESHEAD, "micro", "start_up", "J", ("72200000",)),
        )

    def test_unknown_values_are_dropped_never_kept(self):
        request = request_with_session()

        visitor.remember(
            request,
            council="E99999999",
            size="enormous",
            stage="<script>",
            sector="ZZ",
            supplies=["not a code", "7220"],
        )

        self.assertIsNone(visitor.remembered(request))
        self.assertNotIn(visitor.SESSION_KEY, request.session)

    def test_a_region_is_not_a_council(self):
        request = request_with_session()

        visitor.remember(request, council="E12000001")  # the North East: a region

        self.assertIsNone(visitor.remembered(request))

    def test_a_tampered_session_is_ignored(self):
        request = request_with_session()
        request.session[visitor.SESSION_KEY] = {"size": "micro", "colour": "red"}
        self.assertEqual(visitor.remembered(request).size, "micro")
        request.session[visitor.SESSION_KEY] = "micro"
        self.assertIsNone(visitor.remembered(request))

    def test_the_description_reads_as_a_phrase(self):
        business = visitor.VisitorBusiness(GATESHEAD, "micro", "start_up", "J")

        self.assertEqual(
            business.description(),
            "a micro business, start-up (trading under 3 years), "
            "in information and communication, in Gateshead",
        )


class JourneyTests(TestCase):
    """The pages: a business told once, used everywhere."""

    @classmethod
    def setUpTestData(cls):
        for code in (GATESHEAD, NEWCASTLE):
            get_council(gss_code=code)
        cls.offer = create_offer(title="Digital boost", status="published", uk_wide=True)

    def test_a_fresh_visitor_sees_every_offer_and_opportunity(self):
        self.assertEqual(self.client.get(SUPPORT).status_code, 200)
        self.assertEqual(self.client.get(CONTRACTS).status_code, 200)

    def test_the_diagnostic_profile_carries_to_both_lists(self):
        assessment = create_assessment(profile=None)
        session = self.client.session
        session["diagnostics_granted"] = [str(assessment.public_id)]
        session.save()

        self.client.post(flow_url("profile", assessment), profile_post(TRADING_PUBLIC))

        support = self.client.get(SUPPORT)
        self.assertRedirects(
            support,
            f"{SUPPORT}?place={NEWCASTLE}&size=small&stage=growing&sector=J",
            fetch_redirect_response=False,
        )
        page = self.client.get(support["Location"])
        self.assertContains(page, "Showing support for a small business, growing,")
        self.assertContains(page, "in Newcastle upon Tyne.")
        self.assertContains(page, 'href="?all=1"')
        contracts = self.client.get(CONTRACTS)
        self.assertRedirects(
            contracts, f"{CONTRACTS}?council={NEWCASTLE}", fetch_redirect_response=False
        )
        page = self.client.get(contracts["Location"])
        self.assertContains(page, "Showing contract opportunities for a small business")

    def test_see_all_shows_the_whole_list_without_the_line(self):
        visitor_session(self.client, council=GATESHEAD, size="micro")

        page = self.client.get(SUPPORT + "?all=1")

        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Showing support for")

    def test_other_filters_than_the_business_drop_the_line(self):
        visitor_session(self.client, council=GATESHEAD, size="micro")

        page = self.client.get(SUPPORT + f"?place={GATESHEAD}&size=micro&size=small")

        self.assertNotContains(page, "Showing support for")

    def test_a_council_chosen_in_a_filter_is_remembered(self):
        self.client.get(SUPPORT + f"?place={GATESHEAD}&size=micro")

        self.assertRedirects(
            self.client.get(CONTRACTS),
            f"{CONTRACTS}?council={GATESHEAD}",
            fetch_redirect_response=False,
        )

    def test_is_this_for_me_is_answered_from_the_session(self):
        visitor_session(self.client, council=GATESHEAD, size="micro", stage="start_up")

        page = self.client.get(self.offer.get_absolute_url())

        self.assertIsNotNone(page.context["verdict"])
        self.assertEqual(page.context["council_code"], GATESHEAD)

    def test_the_diagnostic_profile_starts_with_what_the_session_knows(self):
        visitor_session(self.client, council=GATESHEAD, size="micro")
        assessment = create_assessment(profile=None)
        session = self.client.session
        session["diagnostics_granted"] = [str(assessment.public_id)]
        session.save()

        page = self.client.get(flow_url("profile", assessment))

        self.assertContains(page, f'<option value="{GATESHEAD}" selected>')
        self.assertContains(
            page, 'value="micro" id="id_size_0" required class="govuk-radios__input" checked'
        )

    def test_the_recommendations_profile_starts_with_what_the_session_knows(self):
        visitor_session(self.client, council=GATESHEAD, size="micro")

        page = self.client.get(reverse("matching:recommended"))

        self.assertContains(page, f'<option value="{GATESHEAD}" selected>')


def visitor_session(client, **facts):
    """The session of a visitor who has told us ``facts``, through the support list's
    filters (as a founder would)."""
    query = {"place": facts.pop("council", "")}
    query.update(facts)
    client.get(SUPPORT, {key: value for key, value in query.items() if value})
