"""The results page and the person's own data: email, download, delete, retake."""

import json
import re

from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from diagnostics.access import SESSION_KEY
from diagnostics.models import Answer, Assessment, DimensionScore
from diagnostics.panels import RESULTS_PANELS
from tests.diagnostics.examples import TRADING_PUBLIC, best_answer, worst_answer
from tests.diagnostics.peer_data import complete_assessment, create_peers
from tests.factories import get_council
from tests.queries import assert_queries_do_not_grow, fetch

# Best answers except in Data, where the worst ones raise the personal-data flag; no
# off-site backup raises the backup flag.
MIXED = {
    "T1": ["not_collected"],
    "T2": "rarely",
    "T3": "unsure",
    "T4": [],
    "T5": "nobody",
}


def data_answers():
    """The worst answers of the Data section, read from the definition (keys may change)."""
    from tests.diagnostics.examples import digital_maturity

    definition = digital_maturity()
    data = next(d for d in definition.dimensions if d.key == "data")
    return {question.key: worst_answer(question) for question in data.questions}


def open_as_owner(client, *assessments):
    """Let this browser session open the assessments, as starting or resuming them does."""
    session = client.session
    session[SESSION_KEY] = [str(assessment.public_id) for assessment in assessments]
    session.save()


class ResultsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment(profile=TRADING_PUBLIC, answers=data_answers())
        cls.url = reverse("diagnostics:results", args=[cls.assessment.public_id])

    def setUp(self):
        open_as_owner(self.client, self.assessment)

    def get(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_overall_band_and_score_beside_the_weakest_dimension(self):
        page = self.get()
        self.assertEqual(self.assessment.result["weakest"], "data")
        overall = page.index('id="overall"')
        weakest = page.index('id="weakest"')
        self.assertLess(overall, weakest)
        # 7 dimensions at 100 and Data at 0: 87.5 is shown as 88 (half up).
        self.assertIn(">88<", page[overall:weakest])
        self.assertIn("Advanced", page[overall:weakest])
        self.assertIn("Data", page[weakest : weakest + 600])

    def test_radar_is_an_accessible_svg(self):
        page = self.get()
        svg = re.search(r"<svg class=\"waymark-radar\".*?</svg>", page, re.S).group(0)
        self.assertIn('role="img"', svg)
        self.assertIn('aria-labelledby="radar-title radar-desc"', svg)
        self.assertIn('<title id="radar-title">', svg)
        self.assertIn('<desc id="radar-desc">Digital strategy and leadership: your score 100', svg)
        self.assertIn("Data: your score 0", svg)
        self.assertEqual(svg.count("<tspan"), svg.count("</tspan>"))
        self.assertIn("waymark-radar__business", svg)
        self.assertNotIn("style=", svg)

    def test_table_of_scores_and_bands(self):
        page = self.get()
        table = re.search(
            r'<table class="govuk-table waymark-results__table waymark-results__score-table">'
            r".*?</table>",
            page,
            re.S,
        )
        rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table.group(0), re.S)
        self.assertEqual(len(rows), 1 + 8)
        self.assertIn("Data", rows[4])
        self.assertIn(">0<", rows[4])
        self.assertIn("Starting", rows[4])

    def test_list_of_scores_for_a_phone_says_what_the_table_does(self):
        page = self.get()
        scores = re.search(
            r'<dl class="govuk-summary-list waymark-results__score-list">.*?</dl>', page, re.S
        ).group(0)
        rows = re.findall(r'<div class="govuk-summary-list__row">(.*?)</div>', scores, re.S)
        self.assertEqual(len(rows), 8)
        self.assertIn("Data", rows[3])
        self.assertIn("0 out of 100: Starting", rows[3])
        self.assertIn("Peer median: not enough businesses yet", rows[3])

    def test_action_plan_has_band_text_and_next_steps_weakest_first(self):
        page = self.get()
        plan = page[page.index('id="action-plan"') :]
        self.assertIn("Get advice on the basics of UK GDPR", plan)
        self.assertLess(plan.index('id="dimension-data"'), plan.index('id="dimension-strategy"'))

    def test_critical_flags_come_first(self):
        page = self.get()
        self.assertIn("personal_data_duties_not_met", self.assessment.result["flags"])
        flag = page.index("nothing formal in place for personal data")
        self.assertLess(flag, page.index('id="peers"'))
        self.assertLess(flag, page.index('<svg class="waymark-radar"'))
        self.assertIn("govuk-warning-text", page[flag - 400 : flag])

    def test_no_comparison_and_no_median_polygon_under_ten(self):
        create_peers(count=8, region=self.assessment.region)  # 9 with the business
        page = self.get()
        self.assertIn("Not enough businesses have used Waymark yet to compare yours with.", page)
        self.assertNotIn("waymark-radar__peers", page)
        self.assertEqual(page.count("Not enough businesses yet"), 8)

    def test_peer_sentence_names_the_group_used(self):
        create_peers(
            count=11,
            region=self.assessment.region,
            sic_section="J",
            size="small",
            overall_scores=[10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99],
        )
        page = self.get()
        # 87.5 is above 8 of the 12 and ties with itself: 100 × (8 + 0.5) / 12 = 70.8.
        # The group's 12 businesses are shown rounded to the nearest 5.
        self.assertIn(
            "Your overall score is higher than about 71% of 10 small businesses in "
            "information and communication in the North East that used Waymark.",
            page,
        )
        self.assertIn("not a representative sample", page)
        self.assertIn("waymark-radar__peers", page)
        self.assertNotIn("Not enough businesses yet", page)

    def test_peer_group_size_is_shown_rounded_never_exact(self):
        create_peers(count=12, region=self.assessment.region, sic_section="J", size="small")
        page = self.get()
        # 13 businesses with this one: the dashboards' control shows 15, never 13.
        self.assertIn(
            "of 15 small businesses in information and communication in the North East", page
        )
        self.assertNotRegex(page, r"\b13\s+(small\s+)?businesses")
        self.assertIn("rounded to the nearest 5", page)

    def test_peer_sentence_names_a_wider_group(self):
        create_peers(count=9, region=get_council(gss_code="S12000049").region, size="small")
        page = self.get()
        self.assertIn("of 10 small businesses in information and communication in the UK", page)

    def test_incomplete_assessment_redirects_to_its_task_list(self):
        assessment = Assessment.objects.create(
            questionnaire="digital-maturity", version="1.0.0", major_version=1
        )
        open_as_owner(self.client, assessment)
        response = self.client.get(reverse("diagnostics:results", args=[assessment.public_id]))
        self.assertRedirects(
            response,
            reverse("diagnostics:task-list", args=[assessment.public_id]),
            fetch_redirect_response=False,
        )


class ResultsQueryCountTests(TestCase):
    """The page runs the same queries with 10 businesses in the peer group as with 1,000."""

    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment()
        create_peers(count=9, region=cls.assessment.region)

    def setUp(self):
        # Diagnostics' own page: the panels apps above it add have their own tests
        # (tests/matching/test_query_counts.py).
        self.enterContext(RESULTS_PANELS.suspended())

    def test_same_number_of_queries_at_10_and_at_1000(self):
        open_as_owner(self.client, self.assessment)
        results = fetch(
            self.client, reverse("diagnostics:results", args=[self.assessment.public_id])
        )
        self.assertContains(results(), "of 10 small businesses")

        # The session, the assessment, the peer counts, the medians, the previous result.
        assert_queries_do_not_grow(
            results,
            grow=lambda: create_peers(count=990, region=self.assessment.region),
            maximum=5,
        )
        self.assertContains(results(), "of 1000 small businesses")


class RetakeProgressTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        first = complete_assessment(answers=data_answers())
        cls.first = first
        from diagnostics import services
        from tests.diagnostics.peer_data import answer_and_submit

        retake = services.retake_assessment(assessment=first)
        cls.retake = answer_and_submit(
            retake,
            profile=TRADING_PUBLIC,
            council=get_council(gss_code=TRADING_PUBLIC["council"]),
            choose=best_answer,
            answers={"S1": "ideas"},
        )

    def test_results_show_the_change_since_last_time(self):
        open_as_owner(self.client, self.retake)
        page = self.client.get(
            reverse("diagnostics:results", args=[self.retake.public_id])
        ).content.decode()
        progress = page[page.index('id="progress"') : page.index('id="action-plan"')]
        self.assertIn(timezone.localtime(self.first.completed).strftime("%-d %B %Y"), progress)
        self.assertIn("+100", progress)  # Data: 0 → 100
        self.assertIn("\u221215", progress)  # Strategy: S1 from 4 to 1 point of 4 → 85
        self.assertIn("no change", progress)

    def test_first_results_show_no_progress(self):
        open_as_owner(self.client, self.first)
        page = self.client.get(
            reverse("diagnostics:results", args=[self.first.public_id])
        ).content.decode()
        self.assertNotIn('id="progress"', page)


class YourDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment(answers=data_answers())

    def setUp(self):
        open_as_owner(self.client, self.assessment)

    def url(self, name):
        return reverse(f"diagnostics:{name}", args=[self.assessment.public_id])

    def test_download_is_a_json_attachment_with_question_text(self):
        response = self.client.get(self.url("download"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertTrue(response["Content-Disposition"].startswith("attachment; filename="))
        document = json.loads(response.content)
        self.assertEqual(document["questionnaire"], "digital-maturity")
        self.assertEqual(document["version"], "1.2.0")
        self.assertEqual(len(document["answers"]), 40)
        t3 = next(entry for entry in document["answers"] if entry["question"] == "T3")
        self.assertTrue(t3["text"].endswith("?"))
        self.assertEqual(t3["answer"], data_answers()["T3"])
        self.assertIsInstance(t3["answer_text"], str)
        self.assertEqual(document["item_scores"]["T3"], 0.0)
        self.assertEqual(
            {row["dimension"]: row["band"] for row in document["dimensions"]}["data"], "starting"
        )
        self.assertIn("personal_data_duties_not_met", [f["flag"] for f in document["flags"]])
        size = next(entry for entry in document["profile"] if entry["field"] == "size")
        self.assertEqual(size["answer"], "small")

    def test_delete_asks_first(self):
        response = self.client.get(self.url("delete"))
        self.assertContains(response, "govuk-button--warning")
        self.assertContains(response, "govuk-warning-text")
        self.assertTrue(Assessment.objects.filter(pk=self.assessment.pk).exists())

    def test_delete_removes_the_assessment_and_its_answers_at_once(self):
        response = self.client.post(self.url("delete"))
        self.assertContains(response, "Your answers have been deleted")
        self.assertFalse(Assessment.objects.filter(pk=self.assessment.pk).exists())
        self.assertFalse(Answer.objects.filter(assessment_id=self.assessment.pk).exists())
        self.assertFalse(DimensionScore.objects.filter(assessment_id=self.assessment.pk).exists())
        self.assertEqual(self.client.get(self.url("results")).status_code, 404)

    def test_email_results_sends_a_link(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.url("email-results"), {"email": "founder@example.com"}
            )
        self.assertRedirects(response, self.url("results"), fetch_redirect_response=False)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["founder@example.com"])
        self.assertIn(str(self.assessment.public_id), mail.outbox[0].body)
        page = self.client.get(self.url("results")).content.decode()
        self.assertIn("We have sent a link to your results to founder@example.com", page)

    def test_email_results_with_a_bad_address_shows_the_error(self):
        response = self.client.post(self.url("email-results"), {"email": "not an email"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "govuk-error-summary")
        self.assertContains(response, "Enter an email address in the correct format")
        self.assertEqual(len(mail.outbox), 0)

    def test_take_it_again_starts_a_new_assessment_in_the_chain(self):
        response = self.client.post(self.url("retake"))
        retake = Assessment.objects.exclude(pk=self.assessment.pk).get(chain=self.assessment.chain)
        self.assertRedirects(
            response,
            reverse("diagnostics:task-list", args=[retake.public_id]),
            fetch_redirect_response=False,
        )
        self.assertEqual(retake.previous_id, self.assessment.pk)
        self.assertIn(str(retake.public_id), self.client.session[SESSION_KEY])


class StrangerTests(TestCase):
    """Someone without the assessment in their session gets 404 everywhere."""

    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment()

    def test_stranger_gets_404_on_every_results_url(self):
        public_id = self.assessment.public_id
        for name, method in [
            ("results", "get"),
            ("email-results", "get"),
            ("email-results", "post"),
            ("download", "get"),
            ("delete", "get"),
            ("delete", "post"),
            ("retake", "post"),
        ]:
            with self.subTest(name=name, method=method):
                url = reverse(f"diagnostics:{name}", args=[public_id])
                response = getattr(self.client, method)(url, {"email": "x@example.com"})
                self.assertEqual(response.status_code, 404)
        self.assertTrue(Assessment.objects.filter(pk=self.assessment.pk).exists())
        self.assertEqual(Assessment.objects.filter(chain=self.assessment.chain).count(), 1)
        self.assertEqual(len(mail.outbox), 0)

    def test_another_visitors_assessment_is_404(self):
        other = complete_assessment()
        open_as_owner(self.client, other)
        response = self.client.get(
            reverse("diagnostics:results", args=[self.assessment.public_id])
        )
        self.assertEqual(response.status_code, 404)


class CsrfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.assessment = complete_assessment()

    def test_posts_need_the_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        open_as_owner(client, self.assessment)
        for name in ["email-results", "delete", "retake"]:
            with self.subTest(name=name):
                url = reverse(f"diagnostics:{name}", args=[self.assessment.public_id])
                response = client.post(url, {"email": "founder@example.com"})
                self.assertEqual(response.status_code, 403)
        self.assertTrue(Assessment.objects.filter(pk=self.assessment.pk).exists())
        self.assertEqual(Assessment.objects.filter(chain=self.assessment.chain).count(), 1)
        self.assertEqual(len(mail.outbox), 0)

    def test_the_forms_carry_the_token(self):
        client = Client(enforce_csrf_checks=True)
        open_as_owner(client, self.assessment)
        page = client.get(
            reverse("diagnostics:results", args=[self.assessment.public_id])
        ).content.decode()
        self.assertEqual(page.count('<form method="post"'), page.count("csrfmiddlewaretoken"))
