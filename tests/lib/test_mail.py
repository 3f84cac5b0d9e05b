"""portal/lib/mail.py: absolute links on SITE_URL, the message builder and its headers."""

import email.policy

from django.core import mail
from django.test import SimpleTestCase, override_settings

from portal.lib.mail import OneLineHeader, absolute_url, build_message, send_email

LONG_URL = "https://waymark.example.org/contracts/alerts/unsubscribe/" + "a1B2" * 60 + "/"


@override_settings(SITE_URL="https://waymark.example.org")
class AbsoluteUrlTests(SimpleTestCase):
    def test_links_are_on_site_url(self):
        self.assertEqual(absolute_url("accounts:account"), "https://waymark.example.org/account/")

    def test_arguments_and_a_query(self):
        self.assertEqual(
            absolute_url("procurement:alert-confirm", "token-1"),
            "https://waymark.example.org/contracts/alerts/confirm/token-1/",
        )
        self.assertEqual(
            absolute_url("procurement:list", query="sme=1&closing=14"),
            "https://waymark.example.org/contracts/?sme=1&closing=14",
        )
        self.assertEqual(
            absolute_url("procurement:list", query=""), absolute_url("procurement:list")
        )


class BuildMessageTests(SimpleTestCase):
    def message(self, **fields):
        return build_message(
            to="founder@example.com",
            subject="Welcome",
            template="welcome",
            context={"user": {"get_full_name": "Ada"}, "account_url": "", "organisations_url": ""},
            **fields,
        )

    def test_text_with_an_html_alternative_to_one_recipient(self):
        message = self.message()
        self.assertEqual(message.to, ["founder@example.com"])
        self.assertEqual(message.subject, "Welcome")
        self.assertIn("Waymark", message.body)
        [(html, mimetype)] = message.alternatives
        self.assertEqual(mimetype, "text/html")
        self.assertIn("<html", html)
        self.assertNotIn("List-Unsubscribe", message.extra_headers)

    def test_an_unsubscribe_url_adds_the_one_click_headers(self):
        message = self.message(unsubscribe_url=LONG_URL)
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{LONG_URL}>")
        self.assertEqual(
            message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click"
        )

    def test_a_long_unsubscribe_url_stays_on_one_line(self):
        # Django 6.1 still hands headers to Python's folding, which would turn this long
        # URL into RFC 2047 encoded-words that mail clients ignore in List-Unsubscribe.
        message = self.message(unsubscribe_url=LONG_URL)
        for policy in (email.policy.default, email.policy.SMTP):
            raw = message.message(policy=policy).as_string()
            self.assertIn(f"List-Unsubscribe: <{LONG_URL}>{policy.linesep}", raw)
            self.assertNotIn("=?utf-8?", raw.split(policy.linesep * 2)[0])

    def test_send_email_sends_the_built_message(self):
        send_email(
            to="founder@example.com",
            subject="Welcome",
            template="welcome",
            context={"user": {"get_full_name": "Ada"}},
            unsubscribe_url=LONG_URL,
        )
        [message] = mail.outbox
        self.assertEqual(message.extra_headers["List-Unsubscribe"], f"<{LONG_URL}>")


class OneLineHeaderTests(SimpleTestCase):
    def test_refuses_a_line_break_or_more_than_rfc_5322_allows(self):
        with self.assertRaises(ValueError):
            OneLineHeader("List-Unsubscribe", "<https://example.org/>\r\nBcc: x@example.org")
        with self.assertRaises(ValueError):
            OneLineHeader("List-Unsubscribe", "<https://example.org/" + "a" * 1000 + ">")
