"""Welsh in a questionnaire definition: a file that declares "languages": ["en", "cy"] carries
a Welsh twin beside every text ("text" and "text_cy"), each one translated; `Text` gives the
text in the active language. 1.2.0 is 1.1.0 with Welsh."""

import json
from fractions import Fraction

import pytest
from django.utils import translation

from diagnostics.definitions import (
    DefinitionError,
    Text,
    build_definition,
    definition_as_dict,
    latest_published,
    load_definition,
)
from diagnostics.definitions.export import EXPORT_ONLY_KEYS
from tests.diagnostics.examples import definition_document
from tests.diagnostics.test_definitions import scoring_shape

TEXT_KEYS = {"title", "description", "text", "hint", "label", "next_steps", "dont_know", "na"}


def in_welsh(document: dict) -> dict:
    """The document with a made-up Welsh twin beside every text, and Welsh declared."""

    def twin(value):
        if isinstance(value, dict):
            twinned = {}
            for key, item in value.items():
                if key == "recommend":
                    twinned[key] = item
                    continue
                twinned[key] = twin(item)
                if key in TEXT_KEYS and isinstance(item, str):
                    twinned[f"{key}_cy"] = f"Cymraeg: {item}"
            return twinned
        if isinstance(value, list):
            return [twin(item) for item in value]
        return value

    return {"languages": ["en", "cy"], **twin(document)}


def welsh_document() -> dict:
    document = definition_document()
    document["dimensions"][0]["questions"][0]["hint"] = "A hint."
    return in_welsh(document)


# The format ---------------------------------------------------------------------------------


def test_a_welsh_document_loads_with_both_languages_of_every_text():
    definition = build_definition(welsh_document())

    assert definition.languages == ("en", "cy")
    question = definition.questions["Q1"]
    assert question.text == Text("Question Q1?", "Cymraeg: Question Q1?")
    assert question.hint == Text("A hint.", "Cymraeg: A hint.")
    assert all(text.cy == f"Cymraeg: {text.en}" for _, text in definition.texts())


def test_a_document_without_languages_is_english_only_as_before():
    definition = build_definition(definition_document())

    assert definition.languages == ("en",)
    assert all(text.en and not text.cy for _, text in definition.texts())


def drop(path):
    """A breakage that deletes the key at `path` (a list of keys and indexes)."""

    def breakage(document):
        *parents, last = path
        target = document
        for step in parents:
            target = target[step]
        del target[last]

    breakage.__name__ = "without_" + "_".join(str(step) for step in path)
    return breakage


def english_as_welsh(document):
    option = document["dimensions"][0]["questions"][0]["options"][1]
    option["label_cy"] = option["label"]


def english_as_welsh_with_other_spaces(document):
    band = document["bands"][0]
    band["text_cy"] = f"  {band['text']} "


def welsh_without_english(document):
    question = document["dimensions"][0]["questions"][1]
    question["hint_cy"] = "Awgrym."


def empty_welsh(document):
    document["flags"][0]["text_cy"] = " "


MISSING = [
    (["title_cy"], "title_cy"),
    (["answer_labels", "dont_know_cy"], "answer_labels.dont_know_cy"),
    (["bands", 1, "label_cy"], "bands[1].label_cy"),
    (["bands", 3, "text_cy"], "bands[3].text_cy"),
    (["profile", 0, "text_cy"], "profile[0].text_cy"),
    (["profile", 1, "options", 0, "label_cy"], "profile[1].options[0].label_cy"),
    (["dimensions", 1, "title_cy"], "dimensions[1].title_cy"),
    (["dimensions", 0, "questions", 0, "text_cy"], "dimensions[0].questions[0].text_cy"),
    (["dimensions", 0, "questions", 0, "hint_cy"], "dimensions[0].questions[0].hint_cy"),
    (
        ["dimensions", 0, "questions", 1, "options", 2, "label_cy"],
        "dimensions[0].questions[1].options[2].label_cy",
    ),
    (
        ["dimensions", 0, "advice", "developing", "next_steps_cy"],
        "dimensions[0].advice.developing.next_steps_cy",
    ),
    (["flags", 0, "text_cy"], "flags[0].text_cy"),
]


@pytest.mark.parametrize(
    ("path", "where"), [pytest.param(path, where, id=where) for path, where in MISSING]
)
def test_a_missing_welsh_text_is_refused_naming_it(path, where):
    document = welsh_document()
    drop(path)(document)

    with pytest.raises(DefinitionError) as error:
        build_definition(document)

    assert str(error.value) == f"{where}: is required: the definition is in Welsh too"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            english_as_welsh,
            "dimensions[0].questions[0].options[1].label_cy: is the English text: translate it "
            "(only names and codes stay)",
        ),
        (
            english_as_welsh_with_other_spaces,
            "bands[0].text_cy: is the English text: translate it (only names and codes stay)",
        ),
        (
            welsh_without_english,
            "dimensions[0].questions[1].hint_cy: has no English hint beside it",
        ),
        (empty_welsh, "flags[0].text_cy: must be a non-empty string"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_an_untranslated_or_stray_welsh_text_is_refused(breakage, message):
    document = welsh_document()
    breakage(document)

    with pytest.raises(DefinitionError) as error:
        build_definition(document)

    assert str(error.value) == message


@pytest.mark.parametrize("same", ["Cyber Essentials", "ISO 9001", "0%", "10–49", "Data"])
def test_names_codes_and_texts_without_letters_may_stay_the_same(same):
    document = welsh_document()
    option = document["dimensions"][0]["questions"][0]["options"][1]
    option["label"] = option["label_cy"] = same

    assert build_definition(document).questions["Q1"].options[1].label == Text(same, same)


def test_welsh_twins_are_refused_unless_the_file_declares_welsh():
    document = welsh_document()
    del document["languages"]

    with pytest.raises(DefinitionError) as error:
        build_definition(document)

    assert str(error.value).startswith("title_cy: unknown key (allowed: ")


@pytest.mark.parametrize(
    "languages", [[], ["cy"], ["cy", "en"], ["en", "fr"], ["en", "cy", "cy"], "en,cy", ["en", 1]]
)
def test_languages_must_be_english_first_then_welsh_once(languages):
    document = welsh_document()
    document["languages"] = languages

    with pytest.raises(DefinitionError) as error:
        build_definition(document)

    assert str(error.value) == 'languages: must be a list of "en", "cy", "en" first, once each'


def test_an_english_only_file_may_say_so():
    document = definition_document()
    document["languages"] = ["en"]

    assert build_definition(document).languages == ("en",)


def test_the_export_carries_the_welsh_twins_and_reads_back_the_same():
    definition = build_definition(welsh_document())
    exported = definition_as_dict(definition)
    for key in EXPORT_ONLY_KEYS:
        exported.pop(key, None)

    assert exported["languages"] == ["en", "cy"]
    assert exported["dimensions"][0]["questions"][0]["hint_cy"] == "Cymraeg: A hint."
    assert build_definition(json.loads(json.dumps(exported))) == definition


# Text in the active language ------------------------------------------------------------


def test_text_is_welsh_only_when_welsh_is_active_and_there_is_welsh():
    text = Text("Data", "Data")
    both = Text("Your scores", "Eich sgoriau")
    english_only = Text("Your scores")

    with translation.override("cy"):
        assert (str(both), str(english_only), str(text)) == ("Eich sgoriau", "Your scores", "Data")
        assert f"{both}" == "Eich sgoriau"
    for language in ("en", "en-gb"):
        with translation.override(language):
            assert str(both) == "Your scores"
    assert both.localised("cy") == "Eich sgoriau"
    assert both.localised("en") == "Your scores"
    assert (both.language("cy"), english_only.language("cy"), both.language("en")) == (
        "cy",
        "en",
        "en",
    )
    with translation.override("cy"):
        assert (both.language(), english_only.language()) == ("cy", "en")
    assert not Text("") and Text("A hint.")


# Digital maturity 1.2.0 -------------------------------------------------------------------


def test_1_2_0_is_the_latest_and_is_1_1_0_with_welsh():
    later = load_definition("digital-maturity", "1.2.0")
    earlier = load_definition("digital-maturity", "1.1.0")

    assert latest_published("digital-maturity") is later
    assert later.languages == ("en", "cy")
    # Wording only: a minor version.
    assert later.major == earlier.major
    assert scoring_shape(later) == scoring_shape(earlier)
    assert [(where, text.en) for where, text in later.texts()] == [
        (where, text.en) for where, text in earlier.texts()
    ]
    assert [r for d in later.dimensions for a in d.advice.values() for r in a.recommend] == [
        r for d in earlier.dimensions for a in d.advice.values() for r in a.recommend
    ]
    assert later.min_applicable_share == Fraction(3, 5)


def test_every_text_of_1_2_0_has_welsh_that_is_not_the_english():
    definition = load_definition("digital-maturity", "1.2.0")
    texts = list(definition.texts())

    assert len(texts) > 400
    assert [where for where, text in texts if not text.cy] == []
    same = {text.en for _, text in texts if text.cy == text.en}
    assert same <= {"Data", "Cyber Essentials"}


def test_1_2_0_in_welsh_uses_the_glossary_terms():
    definition = load_definition("digital-maturity", "1.2.0")
    with translation.override("cy"):
        titles = [str(dimension.title) for dimension in definition.dimensions]
        bands = [str(band.label) for band in definition.bands]
        assert str(definition.title) == "Gwiriad aeddfedrwydd digidol"
        assert str(definition.dont_know_label) == "Dydw i ddim yn gwybod"
        assert str(definition.questions["S3"].hint) == "Dewiswch bob un sy’n berthnasol."

    assert titles == [
        "Strategaeth ac arweinyddiaeth ddigidol",
        "Sgiliau digidol",
        "Mabwysiadu technoleg ddigidol",
        "Data",
        "Seiberddiogelwch a seilwaith",
        "Ymchwil ac arloesi",
        "Cyllid a pharodrwydd am fuddsoddiad",
        "Masnach, marchnadoedd a pharodrwydd ar gyfer caffael",
    ]
    assert bands == ["Cychwynnol", "Datblygol", "Sefydledig", "Uwch"]


def test_no_welsh_text_of_1_2_0_keeps_a_straight_apostrophe_or_an_english_word():
    """GOV.UK Welsh style: curly apostrophes; and a few English words that would betray an
    untranslated phrase (names such as Cyber Essentials or Find a Tender are allowed)."""
    definition = load_definition("digital-maturity", "1.2.0")
    english_words = {"the", "and", "your", "business", "with", "for", "we", "our", "of"}
    for where, text in definition.texts():
        assert "'" not in text.cy, where
        words = {word.strip(".,:;()‘’?").lower() for word in text.cy.split()}
        assert not words & english_words, (where, words & english_words)
