import os
import re
import stat
from io import StringIO
from unittest import mock

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from portal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from portal.accounts.permissions import is_moderator
from portal.core.management.commands import seed_demo
from tests.factories import COUNCILS, get_council


def run_seed_demo(*args):
    out, err = StringIO(), StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+@waymark\.example)\s+(\S+)\s", output, re.MULTILINE))


@override_settings(DEBUG=True)
class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # The places migration loads these; made here too so this test stands alone.
        for gss_code in COUNCILS:
            get_council(gss_code=gss_code)

    def counts(self):
        return {
            "users": User.objects.count(),
            "organisations": Organisation.objects.count(),
            "memberships": Membership.objects.count(),
            "council links": Organisation.councils.through.objects.count(),
        }

    def test_creates_the_demo_organisations_and_one_account_per_role(self):
        output, errors = run_seed_demo()

        self.assertEqual(errors, "")
        self.assertEqual(Organisation.objects.count(), len(seed_demo.ORGANISATIONS))
        combined = Organisation.objects.get(name="North East Combined Authority")
        self.assertEqual(combined.councils.count(), 7)
        self.assertEqual(
            list(
                Organisation.objects.get(name="Gateshead Council").councils.values_list(
                    "gss_code", flat=True
                )
            ),
            ["E08000037"],
        )
        self.assertEqual(
            set(Organisation.objects.values_list("kind", flat=True)), set(OrganisationKind)
        )
        moderator = User.objects.get(email="moderator@waymark.example")
        self.assertTrue(is_moderator(moderator))
        self.assertEqual(
            Membership.objects.get(user__email="council.manager@waymark.example").role,
            Role.MANAGER,
        )

    def test_printed_passwords_work(self):
        output, _ = run_seed_demo()

        passwords = printed_passwords(output)
        self.assertEqual(set(passwords), {account.email for account in seed_demo.ACCOUNTS})
        for email, password in passwords.items():
            with self.subTest(email=email):
                self.assertTrue(User.objects.get(email=email).check_password(password))

    def test_running_twice_duplicates_nothing_and_prints_the_same_passwords(self):
        first_output, _ = run_seed_demo()
        counts = self.counts()

        second_output, _ = run_seed_demo()

        self.assertEqual(self.counts(), counts)
        first, second = printed_passwords(first_output), printed_passwords(second_output)
        self.assertEqual(first, second)
        for email, password in second.items():
            self.assertTrue(User.objects.get(email=email).check_password(password))

    def test_the_kept_passwords_file_is_readable_by_its_owner_only(self):
        run_seed_demo()

        mode = os.stat(settings.DEMO_PASSWORDS_FILE).st_mode
        self.assertEqual(stat.S_IMODE(mode), 0o600)

    def test_an_account_whose_password_changed_gets_a_new_one_printed(self):
        first = printed_passwords(run_seed_demo()[0])
        manager = User.objects.get(email="council.manager@waymark.example")
        manager.set_password("chosen-by-the-developer")
        manager.save()

        second = printed_passwords(run_seed_demo()[0])

        self.assertNotEqual(second[manager.email], first[manager.email])
        manager.refresh_from_db()
        self.assertTrue(manager.check_password(second[manager.email]))
        others = {email for email in first if email != manager.email}
        self.assertEqual({e: second[e] for e in others}, {e: first[e] for e in others})

    def test_a_new_database_gets_new_passwords_despite_the_file(self):
        first = printed_passwords(run_seed_demo()[0])
        User.objects.all().delete()

        second = printed_passwords(run_seed_demo()[0])

        self.assertTrue(all(first[email] != second[email] for email in first))

    def test_new_passwords_gives_every_account_a_new_one(self):
        first = printed_passwords(run_seed_demo()[0])

        second = printed_passwords(run_seed_demo("--new-passwords")[0])

        self.assertTrue(all(first[email] != second[email] for email in first))
        for email, password in second.items():
            self.assertTrue(User.objects.get(email=email).check_password(password))

    def test_a_missing_council_is_skipped_with_a_warning(self):
        organisations = (
            seed_demo.DemoOrganisation(
                "Imaginary Council", OrganisationKind.LOCAL_AUTHORITY, ("E08000037", "E99999999")
            ),
            *seed_demo.ORGANISATIONS,
        )
        with mock.patch.object(seed_demo, "ORGANISATIONS", organisations):
            _, errors = run_seed_demo()

        self.assertIn("E99999999", errors)
        imaginary = Organisation.objects.get(name="Imaginary Council")
        self.assertEqual(
            list(imaginary.councils.values_list("gss_code", flat=True)), ["E08000037"]
        )

    @override_settings(DEBUG=False)
    def test_refuses_when_debug_is_off(self):
        with self.assertRaisesMessage(CommandError, "runs only with DEBUG on"):
            run_seed_demo()
        self.assertFalse(User.objects.exists())
