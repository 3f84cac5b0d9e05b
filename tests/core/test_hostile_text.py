"""Text people type is never rendered as markup: hostile strings in every kind of
listing, name and message come out escaped in the pages, htmx fragments and emails that
show them. Each response is parsed; any script without a src, any on* attribute or any
element the payload would make fails the test."""

from html.parser import HTMLParser

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from portal.accounts import services as account_services
from portal.advice import emails as advice_emails
from tests.advice.factories import create_advice_request
from tests.factories import (
    create_cluster_body_poster,
    create_council_a_curator,
    create_moderator,
    create_offer,
    create_opportunity,
)

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><b>bold</b>"


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("a <script> without src")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("the payload's <img>")
        if tag == "b":
            self.problems.append("the payload's <b>")
        for name, _value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"an {name} attribute on <{tag}>")


def assert_escaped(test, html: str, where: str):
    parser = Markup()
    parser.feed(html)
    test.assertEqual(parser.problems, [], f"{where} renders user text as markup")
    test.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html, f"{where} does not show the text")


class HostileTextTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.curator = create_council_a_curator()
        cls.poster = create_cluster_body_poster()
        cls.moderator = create_moderator()
        cls.offer = create_offer(
            title=f"Grant {PAYLOAD}",
            summary=PAYLOAD,
            description=PAYLOAD,
            eligibility_note=PAYLOAD,
            status="published",
            uk_wide=True,
        )
        cls.opportunity = create_opportunity(
            title=f"Cleaning {PAYLOAD}", description=PAYLOAD, buyer_name=PAYLOAD
        )
        cls.advice_request = create_advice_request(name=PAYLOAD, help_wanted=PAYLOAD)

    def page(self, url, **extra):
        response = self.client.get(url, **extra)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def test_public_pages(self):
        for url in (
            reverse("catalogue:offer", kwargs={"slug": self.offer.slug}),
            reverse("catalogue:search") + "?q=grant",
            reverse("procurement:detail", kwargs={"public_id": self.opportunity.public_id}),
            reverse("procurement:list") + "?q=cleaning",
        ):
            with self.subTest(url):
                assert_escaped(self, self.page(url), url)

    def test_the_search_words_echoed_back(self):
        for name in ("catalogue:search", "procurement:list"):
            url = reverse(name) + "?q=" + PAYLOAD
            html = self.page(url)
            parser = Markup()
            parser.feed(html)
            self.assertEqual(parser.problems, [], url)

    def test_htmx_fragments(self):
        for url in (
            reverse("catalogue:search") + "?q=grant",
            reverse("procurement:list") + "?q=cleaning",
        ):
            with self.subTest(url):
                assert_escaped(self, self.page(url, HTTP_HX_REQUEST="true"), url)

    def test_staff_pages(self):
        self.client.force_login(self.curator)
        assert_escaped(
            self, self.page(reverse("catalogue:offer-list")), "the curator's offer list"
        )
        assert_escaped(
            self,
            self.page(reverse("advice:staff-request", kwargs={"pk": self.advice_request.pk})),
            "an advice case",
        )

    def test_emails(self):
        with self.captureOnCommitCallbacks(execute=True):
            account_services.sign_up(
                email="nia@example.com", password="heather-kettle-orbit-71", full_name=PAYLOAD
            )
        advice_emails.send_request_to_team_email(
            advice_request=self.advice_request, team_email="team@example.org"
        )
        self.assertGreaterEqual(len(mail.outbox), 2)
        for message in mail.outbox:
            for content, kind in message.alternatives:
                if kind == "text/html":
                    parser = Markup()
                    parser.feed(content)
                    self.assertEqual(parser.problems, [], message.subject)
