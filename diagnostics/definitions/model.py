"""The loaded form of a questionnaire definition: immutable dataclasses and the constants
the format reserves. Numbers are `Fraction` so that scoring is exact."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType
from typing import ClassVar

from django.utils.translation import get_language

__all__ = [
    "CONTRACT_OPPORTUNITY",
    "CPV_CODE_PATTERN",
    "DONT_KNOW",
    "KEY_PATTERN",
    "LANGUAGES",
    "MAX_KEY_LENGTH",
    "NOT_APPLICABLE",
    "NO_TEXT",
    "OPTIONAL_PROFILE_KINDS",
    "OVERALL",
    "PROFILE_KINDS",
    "QUESTION_KINDS",
    "SHA256_PATTERN",
    "SLUG_PATTERN",
    "SUPPORT_KINDS",
    "TEXT_KEYS",
    "VERSION_PATTERN",
    "AllOf",
    "AnswerAtMost",
    "AnswerIncludes",
    "AnyOf",
    "Band",
    "BandAdvice",
    "Condition",
    "Count",
    "Definition",
    "DefinitionError",
    "Dimension",
    "Flag",
    "Grid",
    "Ladder",
    "Option",
    "ProfileField",
    "ProfileIn",
    "ProfileIncludes",
    "Question",
    "Recommendation",
    "StageScale",
    "Text",
    "TickList",
    "same_in_every_language",
    "version_key",
]

# Answers every question accepts besides its own options.
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "na"

# The key of the overall score beside the dimension keys (in a result's bands); no dimension
# may use it.
OVERALL = "overall"

# The support kinds of DESIGN.md, and the one non-support target a recommendation may name.
SUPPORT_KINDS = frozenset(
    {
        "accelerator",
        "incubator",
        "grant",
        "loan",
        "equity_investment",
        "voucher",
        "training_course",
        "advice_and_mentoring",
        "network_or_peer_group",
        "event",
    }
)
CONTRACT_OPPORTUNITY = "contract_opportunity"

KEY_PATTERN = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*")
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VERSION_PATTERN = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
SHA256_PATTERN = re.compile(r"[0-9a-f]{64}")
MAX_KEY_LENGTH = 64


# The languages a definition may carry its texts in: English always, first; Welsh when the
# file declares it ("languages": ["en", "cy"]), as a twin beside each text ("text_cy").
LANGUAGES = ("en", "cy")
# The keys whose values are texts a person reads, and so have a Welsh twin. (`source` and a
# recommendation's `topic` are for auditors and curators, not shown: English only.)
TEXT_KEYS = frozenset(
    {"title", "description", "text", "hint", "label", "next_steps", DONT_KNOW, NOT_APPLICABLE}
)
# Texts that read the same in Welsh as in English: names and codes, and the few words Welsh
# spells the same ("Data"). A text without letters ("0%") may always stay the same.
SAME_IN_WELSH = frozenset(
    {"Cyber Essentials", "Cyber Essentials Plus", "Data", "ISO 27001", "ISO 9001", "Waymark"}
)


def same_in_every_language(english: str) -> bool:
    """Whether a translation may repeat `english` unchanged: a name or a code."""
    return english.strip() in SAME_IN_WELSH or not any(c.isalpha() for c in english)


@dataclass(frozen=True, slots=True)
class Text:
    """A text of the questionnaire, in English and (when the file has it) Welsh.

    `str()` gives it in the active language (`django.utils.translation.get_language()`):
    Welsh when Welsh is active and the file has it, English otherwise. So templates
    (``{{ question.text }}``), forms and messages show the right one without branching;
    code that keeps a text beyond the request (JSON documents, stored data) calls `str()`
    while the person's language is active, or `localised(language)`.
    """

    en: str
    cy: str = ""

    def localised(self, language: str | None = None) -> str:
        return self.cy if self.language(language) == "cy" else self.en

    def language(self, language: str | None = None) -> str:
        """The language `localised` gives, "cy" or "en": a Welsh page marks an English
        fallback (a version without Welsh) with ``lang="en"``."""
        language = (language or get_language() or "en").lower()
        if self.cy and (language == "cy" or language.startswith("cy-")):
            return "cy"
        return "en"

    def __str__(self) -> str:
        return self.localised()

    def __bool__(self) -> bool:
        return bool(self.en)


NO_TEXT = Text("")


class DefinitionError(ValueError):
    """A definition file that breaks a rule; `path` is the key path of the offending value."""

    def __init__(self, path: str, message: str, *, source: str = ""):
        self.path = path
        self.message = message
        self.source = source
        located = f"{path}: {message}" if path else message
        super().__init__(f"{source}: {located}" if source else located)


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: Text
    hint: Text
    # None for tick-list and count options, which score by how many are ticked.
    points: Fraction | None
    # A tick-list's "none of these": scores 0 and cannot be ticked with anything else.
    exclusive: bool = False


# The kinds of profile field: a single or multiple choice of the field's options; a council
# from portal.places; CPV codes (what the business supplies) from the CPV vocabulary, which
# another app provides (see diagnostics/profile_kinds.py). Neither of the last two has
# options in the definition, and no condition can test them.
PROFILE_KINDS = ("single", "multi", "council", "cpv")
# Kinds that may be left unanswered: an optional field never holds up the profile.
OPTIONAL_PROFILE_KINDS = frozenset({"cpv"})
# A CPV code as the profile holds it: 8 digits, without the check digit.
CPV_CODE_PATTERN = re.compile(r"[0-9]{8}")


@dataclass(frozen=True, slots=True)
class ProfileField:
    key: str
    kind: str  # one of PROFILE_KINDS
    text: Text
    hint: Text
    options: tuple[Option, ...]

    def option_keys(self) -> frozenset[str]:
        return frozenset(option.key for option in self.options)

    @property
    def has_options(self) -> bool:
        return self.kind in ("single", "multi")

    @property
    def optional(self) -> bool:
        return self.kind in OPTIONAL_PROFILE_KINDS


@dataclass(frozen=True, slots=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class ProfileIn:
    """A single-choice profile field is (or, negated, is not) one of `keys`."""

    field: str
    keys: frozenset[str]
    negated: bool


@dataclass(frozen=True, slots=True)
class ProfileIncludes:
    """A multiple-choice profile field includes (or, negated, excludes) `key`."""

    field: str
    key: str
    negated: bool


@dataclass(frozen=True, slots=True)
class AnswerAtMost:
    """A ladder's answer scores at most `points` ("don't know" scores 0)."""

    question: str
    points: Fraction


@dataclass(frozen=True, slots=True)
class AnswerIncludes:
    """A tick-list or count answer includes (or, negated, lacks) `option`."""

    question: str
    option: str
    negated: bool


type Condition = AllOf | AnyOf | ProfileIn | ProfileIncludes | AnswerAtMost | AnswerIncludes


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    text: Text
    hint: Text
    source: str
    weight: Fraction
    # The question applies only when this holds; otherwise it is N/A and may be hidden.
    show_if: Condition | None

    kind: ClassVar[str] = ""


@dataclass(frozen=True, slots=True)
class Ladder(Question):
    """One option; s = points / highest points."""

    kind: ClassVar[str] = "ladder"
    options: tuple[Option, ...]

    @property
    def max_points(self) -> Fraction:
        return max(option.points for option in self.options)


@dataclass(frozen=True, slots=True)
class TickList(Question):
    """Any of the options; s = scoring options ticked / number of scoring options."""

    kind: ClassVar[str] = "tick_list"
    options: tuple[Option, ...]

    @property
    def scoring_options(self) -> tuple[Option, ...]:
        return tuple(option for option in self.options if not option.exclusive)


@dataclass(frozen=True, slots=True)
class Grid(Question):
    """One column per row; s = sum of the chosen points / (rows × highest column points)."""

    kind: ClassVar[str] = "grid"
    rows: tuple[Option, ...]
    columns: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class StageScale(Question):
    """A stage per item; s = mean of the `top` highest stages / highest stage."""

    kind: ClassVar[str] = "stage_scale"
    items: tuple[Option, ...]
    stages: tuple[Option, ...]
    top: int


@dataclass(frozen=True, slots=True)
class Count(Question):
    """Any of the options; s = min(number ticked, cap) / cap."""

    kind: ClassVar[str] = "count"
    options: tuple[Option, ...]
    cap: int


QUESTION_KINDS: dict[str, type[Question]] = {
    kind.kind: kind for kind in (Ladder, TickList, Grid, StageScale, Count)
}


@dataclass(frozen=True, slots=True)
class Recommendation:
    kind: str  # one of SUPPORT_KINDS, or CONTRACT_OPPORTUNITY
    topic: str


@dataclass(frozen=True, slots=True)
class BandAdvice:
    text: Text
    next_steps: Text
    recommend: tuple[Recommendation, ...]


@dataclass(frozen=True, slots=True)
class Band:
    key: str
    label: Text
    up_to: Fraction  # a score belongs to the first band whose up_to it does not exceed
    text: Text


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    title: Text
    source: str
    questions: tuple[Question, ...]
    advice: Mapping[str, BandAdvice]  # band key → what the band means and what to do next


@dataclass(frozen=True, slots=True)
class Flag:
    key: str
    dimension: str
    when: Condition
    text: Text
    recommend: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Definition:
    slug: str
    version: str
    title: Text
    description: Text
    min_applicable_share: Fraction
    dont_know_label: Text
    not_applicable_label: Text
    bands: tuple[Band, ...]
    profile: tuple[ProfileField, ...]
    dimensions: tuple[Dimension, ...]
    flags: tuple[Flag, ...]
    # The languages of its texts: ("en",) or ("en", "cy").
    languages: tuple[str, ...] = ("en",)

    @property
    def major(self) -> int:
        return version_key(self.version)[0]

    @cached_property
    def questions(self) -> Mapping[str, Question]:
        return MappingProxyType(
            {question.key: question for dim in self.dimensions for question in dim.questions}
        )

    @cached_property
    def profile_fields(self) -> Mapping[str, ProfileField]:
        return MappingProxyType({field.key: field for field in self.profile})

    def texts(self) -> Iterator[tuple[str, Text]]:
        """(where, text) for every text a person reads, such as ("S1.options.none.label",
        Text(...)): what a translation must cover."""
        yield "title", self.title
        if self.description:
            yield "description", self.description
        yield "answer_labels.dont_know", self.dont_know_label
        yield "answer_labels.na", self.not_applicable_label
        for band in self.bands:
            yield f"bands.{band.key}.label", band.label
            yield f"bands.{band.key}.text", band.text
        for field in self.profile:
            yield from _texts_of(field.key, field, field.options)
        for dimension in self.dimensions:
            yield f"{dimension.key}.title", dimension.title
            for band, advice in dimension.advice.items():
                yield f"{dimension.key}.advice.{band}.text", advice.text
                yield f"{dimension.key}.advice.{band}.next_steps", advice.next_steps
            for question in dimension.questions:
                options = [
                    option
                    for name in ("options", "rows", "columns", "items", "stages")
                    for option in getattr(question, name, ())
                ]
                yield from _texts_of(question.key, question, options)
        for flag in self.flags:
            yield f"flags.{flag.key}.text", flag.text

    def __str__(self) -> str:
        return f"{self.slug} {self.version}"


def _texts_of(key: str, asked: Question | ProfileField, options) -> Iterator[tuple[str, Text]]:
    yield f"{key}.text", asked.text
    if asked.hint:
        yield f"{key}.hint", asked.hint
    for option in options:
        yield f"{key}.{option.key}.label", option.label
        if option.hint:
            yield f"{key}.{option.key}.hint", option.hint


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION_PATTERN.fullmatch(version)
    if match is None:
        raise ValueError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch
