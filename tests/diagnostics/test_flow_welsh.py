"""The questionnaire's own texts in Welsh (1.2.0): the question pages, check your answers,
the results and the download show the definition's Welsh when Welsh is active, and English
otherwise; an assessment begun on 1.1.0 moves to 1.2.0 while in progress.

Welsh is asked for the way the site's pages ask for it: the address is reversed with Welsh
active (a /cy/ address once the site has them) and the browser prefers Welsh."""

import json

from django.test import TestCase, override_settings
from django.utils import translation

from diagnostics import services
from diagnostics.definitions import load_definition
from diagnostics.models import Assessment
from diagnostics.scoring import score
from portal.lib.vocabularies import Dimension, MaturityLevel
from tests.diagnostics.flow_support import best_section_answers, flow_url, section_post
from tests.diagnostics.test_flow import grant_to
from tests.factories import create_assessment

WELSH = load_definition("digital-maturity", "1.2.0")
S1 = WELSH.questions["S1"]
S3 = WELSH.questions["S3"]

LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]


@override_settings(LANGUAGES=LANGUAGES)
class WelshPagesTests(TestCase):
    def get(self, name, assessment, language="cy", **kwargs):
        with translation.override(language):
            url = flow_url(name, assessment, **kwargs)
        return self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    def test_a_question_page_in_welsh_shows_the_welsh_questions_options_and_hints(self):
        assessment = create_assessment()
        grant_to(self.client, assessment)

        response = self.get("section", assessment, number=1)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Strategaeth ac arweinyddiaeth ddigidol")
        self.assertContains(response, S1.text.cy)
        self.assertContains(response, S1.options[1].label.cy)
        self.assertContains(response, "Dewiswch bob un sy’n berthnasol.")
        self.assertContains(response, WELSH.dont_know_label.cy)
        self.assertNotContains(response, S1.text.en)
        self.assertNotContains(response, S1.options[1].label.en)

    def test_the_same_page_in_english_is_unchanged(self):
        assessment = create_assessment()
        grant_to(self.client, assessment)

        response = self.get("section", assessment, language="en-gb", number=1)

        self.assertContains(response, "Digital strategy and leadership")
        self.assertContains(response, S1.text.en)
        self.assertContains(response, "Select all that apply.")
        self.assertNotContains(response, S1.text.cy)

    def test_the_profile_page_in_welsh(self):
        assessment = create_assessment(profile=None)
        grant_to(self.client, assessment)

        response = self.get("profile", assessment)

        self.assertContains(response, "Ym mha ardal cyngor mae eich busnes?")
        self.assertContains(response, "Gweithgynhyrchu")  # SIC section C
        self.assertContains(response, "Gwiriad aeddfedrwydd digidol")

    def test_a_missing_answer_names_the_welsh_question(self):
        assessment = create_assessment()
        grant_to(self.client, assessment)
        with translation.override("cy"):
            url = flow_url("section", assessment, number=1)
        answers = best_section_answers(1, skip=("S1",))

        response = self.client.post(url, section_post(1, answers), HTTP_ACCEPT_LANGUAGE="cy")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, S1.text.cy)
        self.assertNotContains(response, S1.text.en)

    def test_check_your_answers_in_welsh(self):
        assessment = create_assessment(sections=8)
        grant_to(self.client, assessment)

        response = self.get("check-answers", assessment)

        self.assertContains(response, S1.text.cy)
        self.assertContains(response, S1.options[-1].label.cy)  # the best answer
        self.assertContains(response, "Sgiliau digidol")
        self.assertContains(response, "Ym mha ardal cyngor mae eich busnes?")
        self.assertNotContains(response, S1.text.en)

    def test_results_in_welsh_name_the_dimensions_and_say_what_the_bands_mean(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        grant_to(self.client, assessment)
        band = {band.key: band for band in WELSH.bands}[assessment.overall_band]
        advice = WELSH.dimensions[0].advice[assessment.result["bands"]["strategy"]]

        response = self.get("results", assessment)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, band.label.cy)
        self.assertContains(response, band.text.cy)
        self.assertContains(response, advice.text.cy)
        self.assertContains(response, advice.next_steps.cy)
        for dimension in WELSH.dimensions:
            self.assertContains(response, dimension.title.cy)
        self.assertNotContains(response, band.text.en)
        self.assertNotContains(response, "Digital strategy and leadership")

        english = self.get("results", assessment, language="en-gb")
        self.assertContains(english, band.text.en)
        self.assertContains(english, "Digital strategy and leadership")
        self.assertNotContains(english, band.text.cy)

    def test_the_download_is_in_the_language_of_the_page(self):
        assessment = services.submit_assessment(assessment=create_assessment(sections=8))
        grant_to(self.client, assessment)

        document = json.loads(self.get("download", assessment).content)

        self.assertEqual(document["title"], "Gwiriad aeddfedrwydd digidol")
        first = document["answers"][0]
        self.assertEqual((first["question"], first["text"]), ("S1", S1.text.cy))
        self.assertEqual(first["answer_text"], S1.options[-1].label.cy)
        self.assertEqual(document["dimensions"][3]["title"], "Data")


@override_settings(LANGUAGES=LANGUAGES)
class MinorVersionTests(TestCase):
    """Wording-only versions: an assessment in progress follows the newest one of its major
    version; a completed one keeps the version that scored it."""

    def on_1_1_0(self, **kwargs) -> Assessment:
        assessment = create_assessment(**kwargs)
        Assessment.objects.filter(pk=assessment.pk).update(version="1.1.0")
        assessment.refresh_from_db()
        return assessment

    def test_an_assessment_in_progress_on_1_1_0_is_shown_in_welsh_and_moves_on_saving(self):
        assessment = self.on_1_1_0(sections=1)
        grant_to(self.client, assessment)
        with translation.override("cy"):
            url = flow_url("section", assessment, number=2)

        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
        self.assertContains(response, WELSH.questions["K1"].text.cy)
        assessment.refresh_from_db()
        self.assertEqual(assessment.version, "1.1.0")  # reading changes nothing

        response = self.client.post(
            url, section_post(2, best_section_answers(2)), HTTP_ACCEPT_LANGUAGE="cy"
        )
        self.assertEqual(response.status_code, 302)
        assessment.refresh_from_db()
        self.assertEqual((assessment.version, assessment.major_version), ("1.2.0", 1))
        self.assertTrue(services.stored_answers(assessment).keys() >= {"S1", "K1"})

    def test_submitting_an_assessment_begun_on_1_1_0_scores_it_on_1_2_0_alike(self):
        assessment = self.on_1_1_0(sections=8)
        earlier = load_definition("digital-maturity", "1.1.0")
        expected = score(
            earlier,
            services.scoring_answers(assessment, services.stored_answers(assessment)),
        )

        submitted = services.submit_assessment(assessment=assessment)

        self.assertEqual(submitted.version, "1.2.0")
        self.assertEqual(submitted.result["version"], "1.2.0")
        self.assertEqual(submitted.result["dimensions"], expected.as_dict()["dimensions"])
        self.assertEqual(submitted.overall_band, expected.overall_band)

    def test_a_completed_assessment_keeps_its_version_and_its_results_still_show(self):
        assessment = self.on_1_1_0(sections=8)
        assessment = services.submit_assessment(assessment=assessment)
        self.assertEqual(assessment.version, "1.2.0")
        Assessment.objects.filter(pk=assessment.pk).update(version="1.1.0")
        assessment.refresh_from_db()
        grant_to(self.client, assessment)

        self.assertEqual(services.definition_of(assessment).version, "1.1.0")
        with translation.override("cy"):
            url = flow_url("results", assessment)
        response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="cy")
        self.assertEqual(response.status_code, 200)
        # 1.1.0 has no Welsh: its texts stay English rather than disappear.
        self.assertContains(response, "Digital strategy and leadership")


def test_the_vocabulary_names_the_dimensions_and_levels_as_the_questionnaire_does():
    """The matcher's reasons and the dashboards name dimensions and levels through
    portal.lib.vocabularies (gettext); the questionnaire names them in its own file. Same
    English, so the Welsh catalogue uses the questionnaire's Welsh (locale/cy/GLOSSARY.md)."""
    with translation.override("en"):
        assert [(d.key, str(d.title)) for d in WELSH.dimensions] == [
            (key, str(Dimension(key).label)) for key in Dimension.values
        ]
        assert [(b.key, str(b.label)) for b in WELSH.bands] == [
            (key, str(MaturityLevel(key).label)) for key in MaturityLevel.values
        ]
