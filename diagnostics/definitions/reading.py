"""Reading a definition from JSON and checking every rule of the format, naming the key path
of the first value that breaks one (each object is read with `reader.Reader`)."""

from __future__ import annotations

import json
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from diagnostics.definitions.model import (
    CONTRACT_OPPORTUNITY,
    DONT_KNOW,
    LANGUAGES,
    NOT_APPLICABLE,
    OVERALL,
    PROFILE_KINDS,
    SLUG_PATTERN,
    SUPPORT_KINDS,
    VERSION_PATTERN,
    AllOf,
    AnswerAtMost,
    AnswerIncludes,
    AnyOf,
    Band,
    BandAdvice,
    Condition,
    Count,
    Definition,
    DefinitionError,
    Dimension,
    Flag,
    Grid,
    Ladder,
    Option,
    ProfileField,
    ProfileIn,
    ProfileIncludes,
    Question,
    Recommendation,
    StageScale,
    TickList,
)
from diagnostics.definitions.reader import (
    JsonObject,
    Reader,
    check_key,
    element_path,
    reject_constant,
    unique,
)


def _read_options(
    reader: Reader, name: str, *, points: bool, exclusive: bool = False, at_least: int = 1
) -> tuple[Option, ...]:
    options = []
    for path, raw in reader.items(name, at_least=at_least):
        optional = ("hint", "exclusive") if exclusive else ("hint",)
        option = reader.child(
            raw, path, ("key", "label", "points") if points else ("key", "label"), optional
        )
        key = option.key("key")
        if key in (DONT_KNOW, NOT_APPLICABLE):
            raise DefinitionError(option.at("key"), f"{key!r} is reserved for every question")
        options.append(
            Option(
                key=key,
                label=option.words("label"),
                hint=option.words("hint", optional=True),
                points=option.number("points") if points else None,
                exclusive=option.boolean("exclusive", default=False),
            )
        )
    unique(
        [(o.key, element_path(reader.at(name), i) + ".key") for i, o in enumerate(options)], "key"
    )
    if points and max(option.points for option in options) <= 0:
        raise DefinitionError(reader.at(name), "the highest points must be above 0")
    return tuple(options)


def _read_kind(raw: Any, path: str, kinds: tuple[str, ...]) -> str:
    """The kind of an object, read first because it decides which keys the object may have."""
    if not isinstance(raw, dict):
        raise DefinitionError(path, "must be an object")
    if "kind" not in raw:
        raise DefinitionError(f"{path}.kind", "is required")
    if raw["kind"] not in kinds:
        raise DefinitionError(f"{path}.kind", f"must be one of: {', '.join(kinds)}")
    return raw["kind"]


def _read_profile(reader: Reader) -> tuple[ProfileField, ...]:
    fields = []
    for path, raw in reader.items("profile"):
        kind = _read_kind(raw, path, PROFILE_KINDS)
        if kind in ("single", "multi"):
            field = reader.child(raw, path, ("key", "kind", "text", "options"), ("hint",))
            options = _read_options(field, "options", points=False)
        else:
            # The council and the CPV codes come from vocabularies outside the definition.
            field = reader.child(raw, path, ("key", "kind", "text"), ("hint",))
            options: tuple[Option, ...] = ()
        fields.append(
            ProfileField(
                key=field.key("key"),
                kind=kind,
                text=field.words("text"),
                hint=field.words("hint", optional=True),
                options=options,
            )
        )
    unique([(f.key, f"{reader.at('profile')}[{i}].key") for i, f in enumerate(fields)], "key")
    return tuple(fields)


class _Context:
    """What conditions may refer to while a definition is being read."""

    def __init__(self, profile: tuple[ProfileField, ...], *, welsh: bool):
        self.welsh = welsh
        self.profile = {field.key: field for field in profile}
        self.questions: dict[str, Question] = {}


def _read_condition(raw: Any, path: str, context: _Context, *, answers: bool) -> Condition:
    if not isinstance(raw, dict):
        raise DefinitionError(path, "must be an object")
    for combinator, kind in (("all", AllOf), ("any", AnyOf)):
        if combinator in raw:
            reader = Reader(raw, path, (combinator,))
            return kind(
                tuple(
                    _read_condition(item, item_path, context, answers=answers)
                    for item_path, item in reader.items(combinator)
                )
            )
    if "profile" in raw:
        return _read_profile_condition(raw, path, context)
    if "question" in raw:
        if not answers:
            raise DefinitionError(
                f"{path}.question", "show_if may only test the profile, not other answers"
            )
        return _read_answer_condition(raw, path, context)
    raise DefinitionError(path, "must have one of the keys: all, any, profile, question")


def _one_operator(raw: dict, path: str, subject: str, operators: tuple[str, ...]) -> Reader:
    given = [name for name in operators if name in raw]
    if len(given) != 1:
        raise DefinitionError(path, f"must have exactly one of: {', '.join(operators)}")
    return Reader(raw, path, (subject, given[0]))


def _read_profile_condition(raw: dict, path: str, context: _Context) -> Condition:
    name = raw["profile"]
    field = context.profile.get(name) if isinstance(name, str) else None
    if field is None:
        raise DefinitionError(f"{path}.profile", f"no profile field {name!r}")
    if field.kind == "single":
        reader = _one_operator(raw, path, "profile", ("in", "not_in"))
        operator = "in" if reader.has("in") else "not_in"
        keys = []
        for item_path, key in reader.items(operator):
            if check_key(key, item_path) not in field.option_keys():
                raise DefinitionError(item_path, f"{name} has no option {key!r}")
            keys.append(key)
        return ProfileIn(field.key, frozenset(keys), negated=operator == "not_in")
    if field.kind == "multi":
        reader = _one_operator(raw, path, "profile", ("includes", "excludes"))
        operator = "includes" if reader.has("includes") else "excludes"
        key = reader.key(operator)
        if key not in field.option_keys():
            raise DefinitionError(reader.at(operator), f"{name} has no option {key!r}")
        return ProfileIncludes(field.key, key, negated=operator == "excludes")
    raise DefinitionError(f"{path}.profile", f"the {field.kind} field {name!r} cannot be tested")


def _read_answer_condition(raw: dict, path: str, context: _Context) -> Condition:
    key = raw["question"]
    question = context.questions.get(key) if isinstance(key, str) else None
    if question is None:
        raise DefinitionError(f"{path}.question", f"no question {key!r}")
    if isinstance(question, Ladder):
        reader = _one_operator(raw, path, "question", ("at_most",))
        return AnswerAtMost(question.key, reader.number("at_most"))
    if isinstance(question, TickList | Count):
        reader = _one_operator(raw, path, "question", ("includes", "excludes"))
        operator = "includes" if reader.has("includes") else "excludes"
        option = reader.key(operator)
        if option not in {o.key for o in question.options}:
            raise DefinitionError(reader.at(operator), f"{key} has no option {option!r}")
        return AnswerIncludes(question.key, option, negated=operator == "excludes")
    raise DefinitionError(f"{path}.question", f"{question.kind} answers cannot be tested")


_COMMON_QUESTION_KEYS = ("key", "kind", "text", "weight")
_OPTIONAL_QUESTION_KEYS = ("hint", "source", "show_if")
_KIND_KEYS = {
    "ladder": ("options",),
    "tick_list": ("options",),
    "grid": ("rows", "columns"),
    "stage_scale": ("items", "stages", "top"),
    "count": ("options", "cap"),
}


def _read_question(raw: Any, path: str, context: _Context) -> Question:
    kind = _read_kind(raw, path, tuple(_KIND_KEYS))
    reader = Reader(
        raw,
        path,
        (*_COMMON_QUESTION_KEYS, *_KIND_KEYS[kind]),
        _OPTIONAL_QUESTION_KEYS,
        welsh=context.welsh,
    )
    weight = reader.number("weight")
    if weight <= 0:
        raise DefinitionError(reader.at("weight"), "must be above 0")
    common = {
        "key": reader.key("key"),
        "text": reader.words("text"),
        "hint": reader.words("hint", optional=True),
        "source": reader.text("source", default=""),
        "weight": weight,
        "show_if": (
            _read_condition(reader.value["show_if"], reader.at("show_if"), context, answers=False)
            if reader.has("show_if")
            else None
        ),
    }
    if kind == "ladder":
        return Ladder(**common, options=_read_options(reader, "options", points=True, at_least=2))
    if kind == "tick_list":
        options = _read_options(reader, "options", points=False, exclusive=True)
        if sum(option.exclusive for option in options) > 1:
            raise DefinitionError(reader.at("options"), "only one option may be exclusive")
        if all(option.exclusive for option in options):
            raise DefinitionError(reader.at("options"), "needs at least one scoring option")
        return TickList(**common, options=options)
    if kind == "grid":
        return Grid(
            **common,
            rows=_read_options(reader, "rows", points=False),
            columns=_read_options(reader, "columns", points=True, at_least=2),
        )
    if kind == "stage_scale":
        items = _read_options(reader, "items", points=False)
        top = reader.integer("top")
        if not 1 <= top <= len(items):
            raise DefinitionError(reader.at("top"), f"must be from 1 to {len(items)}")
        stages = _read_options(reader, "stages", points=True, at_least=2)
        return StageScale(**common, items=items, stages=stages, top=top)
    options = _read_options(reader, "options", points=False)
    cap = reader.integer("cap")
    if not 1 <= cap <= len(options):
        raise DefinitionError(reader.at("cap"), f"must be from 1 to {len(options)}")
    return Count(**common, options=options, cap=cap)


def _read_recommendations(reader: Reader, name: str) -> tuple[Recommendation, ...]:
    if not reader.has(name):
        return ()
    recommendations = []
    for path, raw in reader.items(name, at_least=0):
        item = Reader(raw, path, ("kind",), ("topic",))
        kind = item.key("kind")
        if kind not in SUPPORT_KINDS and kind != CONTRACT_OPPORTUNITY:
            allowed = ", ".join(sorted(SUPPORT_KINDS | {CONTRACT_OPPORTUNITY}))
            raise DefinitionError(item.at("kind"), f"must be one of: {allowed}")
        recommendations.append(Recommendation(kind, item.text("topic", default="")))
    return tuple(recommendations)


def _read_bands(reader: Reader) -> tuple[Band, ...]:
    bands = []
    for path, raw in reader.items("bands"):
        item = reader.child(raw, path, ("key", "label", "up_to", "text"))
        up_to = item.number("up_to")
        if bands and up_to <= bands[-1].up_to:
            raise DefinitionError(item.at("up_to"), "must be above the previous band's up_to")
        if up_to == 0:
            raise DefinitionError(item.at("up_to"), "must be above 0")
        bands.append(Band(item.key("key"), item.words("label"), up_to, item.words("text")))
    if bands[-1].up_to != 100:
        raise DefinitionError(f"{reader.at('bands')}[{len(bands) - 1}].up_to", "must be 100")
    unique([(b.key, f"{reader.at('bands')}[{i}].key") for i, b in enumerate(bands)], "key")
    return tuple(bands)


def _read_dimension(raw: Any, path: str, context: _Context, bands: tuple[Band, ...]):
    reader = Reader(
        raw, path, ("key", "title", "questions", "advice"), ("source",), welsh=context.welsh
    )
    questions = []
    for question_path, question_raw in reader.items("questions"):
        question = _read_question(question_raw, question_path, context)
        if question.key in context.questions:
            raise DefinitionError(
                f"{question_path}.key", f"duplicate question key {question.key!r}"
            )
        if question.key in context.profile:
            # Answers hold the profile and the questions in one mapping.
            raise DefinitionError(
                f"{question_path}.key", f"{question.key!r} is already a profile field key"
            )
        context.questions[question.key] = question
        questions.append(question)
    band_keys = tuple(band.key for band in bands)
    advice_reader = reader.object("advice", band_keys)
    advice = {}
    for band_key in band_keys:
        item = advice_reader.object(band_key, ("text", "next_steps"), ("recommend",))
        advice[band_key] = BandAdvice(
            item.words("text"), item.words("next_steps"), _read_recommendations(item, "recommend")
        )
    key = reader.key("key")
    if key == OVERALL:
        raise DefinitionError(reader.at("key"), f"{OVERALL!r} is reserved for the overall score")
    return Dimension(
        key=key,
        title=reader.words("title"),
        source=reader.text("source", default=""),
        questions=tuple(questions),
        advice=MappingProxyType(advice),
    )


def _read_flags(reader: Reader, context: _Context, dimensions: set[str]) -> tuple[Flag, ...]:
    flags = []
    for path, raw in reader.items("flags", at_least=0):
        item = reader.child(raw, path, ("key", "dimension", "when", "text"), ("recommend",))
        dimension = item.key("dimension")
        if dimension not in dimensions:
            raise DefinitionError(item.at("dimension"), f"no dimension {dimension!r}")
        flags.append(
            Flag(
                key=item.key("key"),
                dimension=dimension,
                when=_read_condition(item.value["when"], item.at("when"), context, answers=True),
                text=item.words("text"),
                recommend=_read_recommendations(item, "recommend"),
            )
        )
    unique([(f.key, f"{reader.at('flags')}[{i}].key") for i, f in enumerate(flags)], "key")
    return tuple(flags)


_TOP_LEVEL_KEYS = ("slug", "version", "title", "scoring", "answer_labels")
_TOP_LEVEL_LISTS = ("bands", "profile", "dimensions", "flags")


def _read_languages(raw: Any) -> tuple[str, ...]:
    """The languages of the texts, read first because they decide which keys are allowed:
    English, and optionally Welsh ("languages": ["en", "cy"]); English only when absent."""
    if not isinstance(raw, dict) or "languages" not in raw:
        return ("en",)
    value = raw["languages"]
    if (
        not isinstance(value, list)
        or not value
        or value[0] != "en"
        or any(language not in LANGUAGES for language in value)
        or len(set(value)) != len(value)
    ):
        allowed = ", ".join(f'"{language}"' for language in LANGUAGES)
        raise DefinitionError("languages", f'must be a list of {allowed}, "en" first, once each')
    return tuple(value)


def build_definition(raw: Any, *, source: str = "") -> Definition:
    """Check a decoded JSON document and return the definition it describes."""
    try:
        languages = _read_languages(raw)
        reader = Reader(
            raw,
            "",
            (*_TOP_LEVEL_KEYS, *_TOP_LEVEL_LISTS),
            ("description", "languages"),
            welsh="cy" in languages,
        )
        slug = reader.text("slug")
        if not SLUG_PATTERN.fullmatch(slug):
            raise DefinitionError("slug", "must be lower-case words joined by '-'")
        version = reader.text("version")
        if not VERSION_PATTERN.fullmatch(version):
            raise DefinitionError("version", "must be MAJOR.MINOR.PATCH, such as 1.0.0")
        scoring = reader.object("scoring", ("min_applicable_share",))
        share = scoring.number("min_applicable_share")
        if not 0 < share <= 1:
            raise DefinitionError(
                scoring.at("min_applicable_share"), "must be above 0 and at most 1"
            )
        labels = reader.object("answer_labels", (DONT_KNOW, NOT_APPLICABLE))
        bands = _read_bands(reader)
        context = _Context(_read_profile(reader), welsh=reader.welsh)
        dimensions = tuple(
            _read_dimension(item, path, context, bands)
            for path, item in reader.items("dimensions")
        )
        unique(
            [(d.key, f"dimensions[{i}].key") for i, d in enumerate(dimensions)], "dimension key"
        )
        flags = _read_flags(reader, context, {d.key for d in dimensions})
        return Definition(
            slug=slug,
            version=version,
            title=reader.words("title"),
            description=reader.words("description", optional=True),
            min_applicable_share=share,
            dont_know_label=labels.words(DONT_KNOW),
            not_applicable_label=labels.words(NOT_APPLICABLE),
            bands=bands,
            profile=tuple(context.profile.values()),
            dimensions=dimensions,
            flags=flags,
            languages=languages,
        )
    except DefinitionError as error:
        if source and not error.source:
            raise DefinitionError(error.path, error.message, source=source) from None
        raise


def parse_definition(text: str | bytes, *, source: str = "") -> Definition:
    """Decode a definition from JSON text (refusing duplicate keys and NaN) and check it."""
    try:
        raw = json.loads(
            text,
            object_pairs_hook=JsonObject.from_pairs,
            parse_float=Decimal,
            parse_constant=reject_constant,
        )
    except json.JSONDecodeError as error:
        raise DefinitionError("", f"not valid JSON: {error}", source=source) from None
    except DefinitionError as error:
        raise DefinitionError(error.path, error.message, source=source) from None
    return build_definition(raw, source=source)
