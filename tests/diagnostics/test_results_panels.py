"""The results page's panel registry (diagnostics/panels.py): what apps above
diagnostics add to the page without diagnostics importing them."""

import copy
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse

from diagnostics.panels import (
    RESULTS_PANELS,
    register_results_panel,
    results_panels,
    unregister_results_panel,
)
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.peer_data import complete_assessment
from tests.diagnostics.test_results import open_as_owner

TEMPLATES = copy.deepcopy(settings.TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
PANEL_TEMPLATE = "tests/results_panel.html"


def heading_context(heading):
    def context_function(*, request, assessment):
        return {"name": heading.lower(), "heading": heading, "overall": assessment.overall_score}

    return context_function


@override_settings(TEMPLATES=TEMPLATES)
class ResultsPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment(profile=TRADING_PUBLIC, answers={})
        cls.url = reverse("diagnostics:results", args=[cls.assessment.public_id])

    def setUp(self):
        # Only the panels each test registers: not those the installed apps above
        # diagnostics (the matcher) register.
        self.enterContext(RESULTS_PANELS.suspended())
        open_as_owner(self.client, self.assessment)

    def register(self, name, **kwargs):
        register_results_panel(name, template=PANEL_TEMPLATE, **kwargs)
        self.addCleanup(unregister_results_panel, name)

    def page(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_no_panel_is_shown_when_none_is_registered(self):
        self.assertEqual(results_panels(), [])

        self.assertNotIn("test-results-panel", self.page())

    def test_a_registered_panel_shows_its_template_with_its_context_below_the_action_plan(self):
        self.register("next", context_function=heading_context("What to do next"))

        page = self.page()

        self.assertIn('<h2 class="govuk-heading-l">What to do next</h2>', page)
        self.assertIn(f'<p class="govuk-body">{self.assessment.overall_score}</p>', page)
        panel = page.index('id="panel-what to do next"')
        self.assertLess(page.index('id="action-plan"'), panel)
        self.assertLess(panel, page.index('id="your-answers"'))

    def test_panels_are_shown_in_their_order(self):
        self.register("adviser", context_function=heading_context("Ask an adviser"), order=20)
        self.register("matcher", context_function=heading_context("What to do next"), order=10)

        page = self.page()

        self.assertLess(page.index("What to do next"), page.index("Ask an adviser"))

    def test_a_panel_whose_context_function_returns_none_is_left_out(self):
        self.register("hidden", context_function=lambda *, request, assessment: None)

        self.assertNotIn("test-results-panel", self.page())

    def test_an_unregistered_panel_is_gone(self):
        self.register("next", context_function=heading_context("What to do next"))
        unregister_results_panel("next")

        self.assertNotIn("What to do next", self.page())

    def test_a_name_is_registered_once(self):
        self.register("next", context_function=heading_context("What to do next"))

        with self.assertRaises(ValueError):
            register_results_panel(
                "next", template=PANEL_TEMPLATE, context_function=heading_context("Again")
            )
