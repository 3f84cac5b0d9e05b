"""The account page's panels (portal/accounts/panels.py): the contract pages and the
person's diagnostics come from the apps above accounts, which register them."""

from django.test import TestCase, override_settings
from django.urls import reverse

from portal.accounts.panels import account_panels, register_account_panel, unregister_account_panel
from tests.diagnostics.test_results_panels import PANEL_TEMPLATE, TEMPLATES
from tests.factories import create_cluster_body_poster, create_council_a_curator

ACCOUNT_URL = reverse("accounts:account")


class AccountPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.poster = create_cluster_body_poster()
        cls.curator = create_council_a_curator()

    def page(self, user):
        self.client.force_login(user)
        response = self.client.get(ACCOUNT_URL)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_contract_diagnostic_and_advice_panels_are_registered_by_their_apps(self):
        self.assertEqual(
            [panel.name for panel in account_panels()], ["procurement", "diagnostics", "advice"]
        )

    def test_the_panels_sit_between_the_requests_and_the_organisations_in_order(self):
        page = self.page(self.poster)

        positions = [
            page.index(text)
            for text in (
                "Your contract opportunities",
                "Contract opportunities you have saved",
                "Your assessments",
                "Take the digital maturity check",
                "Your organisations",
            )
        ]
        self.assertEqual(positions, sorted(positions))

    def test_the_contract_panel_offers_posting_only_to_posters(self):
        self.assertIn(reverse("procurement:posting-dashboard"), self.page(self.poster))
        page = self.page(self.curator)

        self.assertNotIn(reverse("procurement:posting-dashboard"), page)
        self.assertIn(reverse("procurement:saved-opportunities"), page)

    @override_settings(TEMPLATES=TEMPLATES)
    def test_a_panel_registered_by_another_app_is_shown_with_its_context(self):
        def context_function(*, request, user):
            return {"name": "test", "heading": f"Hello {user.full_name}", "overall": ""}

        register_account_panel(
            "test", template=PANEL_TEMPLATE, context_function=context_function, order=15
        )
        self.addCleanup(unregister_account_panel, "test")

        page = self.page(self.poster)

        panel = page.index(f"Hello {self.poster.full_name}")
        self.assertLess(page.index("Contract opportunities you have saved"), panel)
        self.assertLess(panel, page.index("Your assessments"))
