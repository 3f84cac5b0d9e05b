"""Download your data: a JSON attachment of every row the apps hold about the signed-in
person, and the emailed link that adds what is held under their address."""

import json
from unittest import mock
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from portal.accounts import personal_data
from portal.accounts.personal_data import PersonalDataRegistry
from tests.accounts.personal_rows import (
    create_account_rows,
    create_address_rows,
    create_person_with_rows,
)
from tests.factories import create_user
from tests.queries import assert_queries_do_not_grow

YOUR_DATA_URL = reverse("accounts:your-data")
DOWNLOAD_URL = reverse("accounts:your-data-download")
SEND_PROOF_URL = reverse("accounts:your-data-send-email-proof")

ACCOUNT_SOURCES = {
    "account",
    "memberships",
    "membership_requests",
    "membership_decisions",
    "admin_actions",
    "assessments",
    "saved_searches",
    "saved_opportunities",
    "opportunity_changes",
    "import_runs",
    "offer_changes",
    "advice_requests",
}


def download(client) -> dict:
    response = client.post(DOWNLOAD_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def proof_path(user) -> str:
    return reverse(
        "accounts:your-data-prove-email", args=[personal_data.make_email_proof_token(user)]
    )


class DownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_person_with_rows(email="ann.person@example.com", full_name="Ann Person")
        # Someone else's rows, under another address: never in Ann's download.
        cls.bob = create_person_with_rows(email="bob.other@example.com", full_name="Bob Other")

    def setUp(self):
        self.client.force_login(self.ann)

    def test_page_explains_what_the_download_includes(self):
        response = self.client.get(YOUR_DATA_URL)

        self.assertContains(response, "Download your data")
        self.assertContains(response, "Your diagnostics: business profiles, answers and scores")
        self.assertContains(response, "Your contract alerts (saved searches)")
        self.assertContains(response, f'action="{DOWNLOAD_URL}"')
        self.assertIn("no-store", response["Cache-Control"])

    def test_download_is_a_json_attachment_never_cached(self):
        response = self.client.post(DOWNLOAD_URL)

        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"],
            r'^attachment; filename="[a-z-]+-your-data-\d{4}-\d\d-\d\d\.json"$',
        )
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_download_covers_every_row_linked_to_the_account(self):
        document = download(self.client)
        data = document["data"]

        self.assertEqual(document["account"], "ann.person@example.com")
        self.assertFalse(document["email_address_proven"])
        self.assertEqual(set(data) - {"match_alerts"}, ACCOUNT_SOURCES)
        for name in ACCOUNT_SOURCES - {"account"}:
            self.assertTrue(data[name]["about"], name)
        self.assertEqual(data["account"]["records"]["full_name"], "Ann Person")
        self.assertEqual(
            [m["organisation"] for m in data["memberships"]["records"]],
            [f"Joined organisation 0 of {self.ann.pk}"],
        )
        [asked] = data["membership_requests"]["records"]
        self.assertEqual(asked["message"], "Message 0 from Ann Person")
        [decision] = data["membership_decisions"]["records"]
        self.assertEqual(decision["decision"], "Approved")
        self.assertNotIn("person", decision)
        self.assertEqual(data["admin_actions"]["records"][0]["description"], "Admin action 0")
        # A completed assessment and one in progress, with the page saved unfinished.
        assessments = data["assessments"]["records"]
        self.assertEqual(sorted(a["status"] for a in assessments), ["Completed", "In progress"])
        started = next(a for a in assessments if a["status"] == "In progress")
        self.assertEqual(started["business"]["council"], "Newcastle upon Tyne")
        self.assertEqual(
            started["business"]["profile"]["plans"], ["raise_finance", "bid_public_contracts"]
        )
        self.assertEqual(
            started["pages_saved_unfinished"], {"1": {"note": ["Unfinished by Ann Person"]}}
        )
        self.assertTrue(started["answers"])
        completed = next(a for a in assessments if a["status"] == "Completed")
        self.assertEqual(completed["business"]["council"], "Gateshead")
        self.assertEqual(completed["scores"]["dimensions"]["data"], 40.0)
        [saved_search] = data["saved_searches"]["records"]
        self.assertEqual(
            (saved_search["email"], saved_search["search"], saved_search["opportunities_sent"]),
            ("ann.person@example.com", "cpv=72000000", 1),
        )
        [saved] = data["saved_opportunities"]["records"]
        self.assertEqual(saved["opportunity"], f"Saved opportunity 0 of {self.ann.pk}")
        self.assertEqual(data["opportunity_changes"]["records"][0]["fields"], ["title"])
        self.assertEqual(
            data["import_runs"]["records"][0]["source"], "https://example.org/feed-0.json"
        )
        self.assertEqual(data["offer_changes"]["records"][0]["fields"], ["summary"])

    def test_rows_held_under_the_address_are_left_out_until_it_is_proved(self):
        data = download(self.client)["data"]

        self.assertEqual(data["match_alerts"]["records"], [])
        self.assertEqual(len(data["saved_searches"]["records"]), 1)
        self.assertFalse(any(a["email"] for a in data["assessments"]["records"]))

    def test_with_the_address_proved_the_download_adds_what_is_held_under_it(self):
        self.client.get(proof_path(self.ann))

        document = download(self.client)
        data = document["data"]

        self.assertTrue(document["email_address_proven"])
        [alert] = data["match_alerts"]["records"]
        self.assertEqual(alert["email"], "ANN.PERSON@EXAMPLE.COM")
        self.assertEqual(alert["business"]["plans"], ["export"])
        self.assertEqual(alert["matches_sent"], 1)
        self.assertEqual(len(data["saved_searches"]["records"]), 2)
        self.assertEqual(
            [a["email"] for a in data["assessments"]["records"] if a["email"]],
            ["ann.person@example.com"],
        )

    def test_nobody_elses_rows_are_in_the_download(self):
        self.client.get(proof_path(self.ann))

        text = self.client.post(DOWNLOAD_URL).content.decode()

        self.assertIn("Ann Person", text)
        self.assertNotIn("bob.other", text.lower())
        self.assertNotIn("Bob Other", text)
        self.assertNotIn(f"of {self.bob.pk}", text)

    def test_download_runs_a_fixed_number_of_queries_however_many_rows(self):
        self.client.get(proof_path(self.ann))

        def grow():
            create_account_rows(self.ann, count=19)
            create_address_rows(self.ann.email, count=19)

        # The session and the user, then one to three queries per kind of row.
        small, large = assert_queries_do_not_grow(
            lambda: download(self.client), grow=grow, maximum=18
        )

        self.assertEqual(small, large)
        data = download(self.client)["data"]
        self.assertEqual(len(data["memberships"]["records"]), 20)
        self.assertEqual(len(data["match_alerts"]["records"]), 20)

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        self.client.logout()
        for response in (self.client.get(YOUR_DATA_URL), self.client.post(DOWNLOAD_URL)):
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("accounts:sign-in")))

    def test_downloading_needs_a_post(self):
        self.assertEqual(self.client.get(DOWNLOAD_URL).status_code, 405)


class EmailProofTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann.person@example.com")
        cls.other = create_user(email="someone.else@example.com")
        create_address_rows("ann.person@example.com")

    def setUp(self):
        self.client.force_login(self.ann)

    def test_asking_emails_a_link_that_proves_the_address_when_followed(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(SEND_PROOF_URL, follow=True)

        self.assertContains(response, "We have sent a link to ann.person@example.com")
        [message] = mail.outbox
        self.assertEqual(message.to, ["ann.person@example.com"])
        link = next(line for line in message.body.splitlines() if "/confirm-email/" in line)
        response = self.client.get(urlsplit(link).path, follow=True)
        self.assertContains(response, "You have confirmed that ann.person@example.com is yours")
        self.assertContains(response, "The download includes the alerts")
        self.assertTrue(download(self.client)["email_address_proven"])

    def test_asking_again_at_once_sends_nothing_more(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(SEND_PROOF_URL)
            response = self.client.post(SEND_PROOF_URL, follow=True)

        self.assertContains(response, "We sent a link to ann.person@example.com a few minutes ago")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_link_made_for_another_account_proves_nothing(self):
        response = self.client.get(proof_path(self.other), follow=True)

        self.assertContains(response, "That link does not work for this account")
        self.assertFalse(download(self.client)["email_address_proven"])

    def test_a_tampered_link_proves_nothing(self):
        token = personal_data.make_email_proof_token(self.ann)
        path = reverse("accounts:your-data-prove-email", args=[token[:-2] + "xx"])

        response = self.client.get(path, follow=True)

        self.assertContains(response, "That link does not work for this account")
        self.assertFalse(download(self.client)["email_address_proven"])

    def test_an_expired_link_says_so(self):
        with mock.patch.object(
            personal_data, "EMAIL_PROOF_MAX_AGE", -personal_data.EMAIL_PROOF_MAX_AGE
        ):
            response = self.client.get(proof_path(self.ann), follow=True)

        self.assertContains(response, "That link has expired")
        self.assertFalse(download(self.client)["email_address_proven"])

    def test_the_proof_holds_for_its_own_account_only(self):
        self.client.get(proof_path(self.ann))
        session = self.client.session
        self.assertTrue(session[personal_data.EMAIL_PROOF_SESSION_KEY])

        self.client.force_login(self.other)

        self.assertFalse(download(self.client)["email_address_proven"])

    def test_following_the_link_signed_out_asks_to_sign_in_first(self):
        self.client.logout()
        path = proof_path(self.ann)

        response = self.client.get(path)

        self.assertRedirects(
            response, f"{reverse('accounts:sign-in')}?next={path}", fetch_redirect_response=False
        )


class CsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ann = create_user(email="ann.person@example.com")

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(self.ann)

    def test_downloading_without_the_token_is_refused(self):
        self.assertEqual(self.client.post(DOWNLOAD_URL).status_code, 403)

    def test_asking_for_the_link_without_the_token_is_refused(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(SEND_PROOF_URL)

        self.assertEqual(response.status_code, 403)
        self.assertEqual(mail.outbox, [])

    def test_downloading_with_the_token_works(self):
        self.client.get(YOUR_DATA_URL)
        response = self.client.post(
            DOWNLOAD_URL, {"csrfmiddlewaretoken": self.client.cookies["csrftoken"].value}
        )
        self.assertEqual(response.status_code, 200)


def test_registry_refuses_a_name_twice_and_keeps_its_order():
    registry = PersonalDataRegistry()
    registry.register("later", label="Later", export=lambda **_: [2], erase=None, order=2)
    registry.register("first", label="First", export=lambda **_: [1], erase=None, order=1)

    assert [source.name for source in registry.sources()] == ["first", "later"]
    assert registry.export(user=None, email="") == {
        "first": {"about": "First", "records": [1]},
        "later": {"about": "Later", "records": [2]},
    }
    try:
        registry.register("first", label="Again", export=lambda **_: [], erase=None)
    except ValueError as error:
        assert "first" in str(error)
    else:
        raise AssertionError("a second registration under one name was accepted")


def test_registry_erases_in_order_and_skips_sources_without_an_eraser():
    erased = []
    registry = PersonalDataRegistry()

    def nothing(**_):
        return []

    registry.register(
        "b", label="B", export=nothing, erase=lambda **kw: erased.append(("b", kw)), order=2
    )
    registry.register("none", label="None", export=nothing, erase=None, order=0)
    registry.register(
        "a", label="A", export=nothing, erase=lambda **kw: erased.append(("a", kw)), order=1
    )

    registry.erase(user="person", email="p@example.com")

    assert erased == [
        ("a", {"user": "person", "email": "p@example.com"}),
        ("b", {"user": "person", "email": "p@example.com"}),
    ]
