"""CPV codes: looking them up, and the form field posters choose them with.

The codes come from the CPV 2008 fixtures, loaded by data migrations: ``data/cpv.json``
(``0002_load_cpv``: the divisions and the digital divisions) and ``data/cpv_2008_en.csv``
(``0005_load_full_cpv``: all 9,454 codes). A code that is not in the table is still a
valid choice when it has 8 digits, so lookups here say "no description" rather than
"invalid".

- ``search_cpv`` matches codes by their leading digits, or descriptions by every word
  given, reading everyday words through the synonym table (portal/lib/synonyms.py:
  "cyber" finds security software); broader codes (divisions, then groups,
  classes...) come first.
- ``division_choices`` and ``group_choices`` feed the list page's CPV filter.
- ``describe_codes`` names a list of codes in one query.
- ``CpvCodesField`` and its ``CpvPickerWidget``: a text box of codes that works without
  JavaScript, which static/js/pickers.js turns into GOV.UK's accessible-autocomplete
  over the ``procurement:cpv-search`` page's JSON suggestions. A page showing the
  widget loads that script with ``{% include "includes/picker_script.html" %}`` in its
  ``body_end`` block.
- ``known_codes`` and ``KnownCpvCodesField``: codes that must be in the vocabulary (what
  a business supplies), typed whole or as a division's or group's leading digits; the
  diagnostic's profile and ``manage.py recommend`` check them with the same function.
"""

import re
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.lib.synonyms import Term, terms_of
from portal.procurement.models import CpvCode, validate_cpv_code

SEARCH_LIMIT = 20
# Longer than any useful search: the rest is ignored rather than sent to the database.
MAX_QUERY_LENGTH = 200

# One code as people write it: 8 digits, maybe with the check digit ("72212000-4").
CODE_WITH_CHECK_DIGIT = re.compile(r"^(\d{8})(?:-\d)?$")
# Leading digits of a code (a division "72", a group "722"...), maybe a whole code with
# its check digit.
CODE_PREFIX = re.compile(r"^(\d{1,8})(?:-\d)?$")
# What separates codes in the text box: commas, semicolons, spaces, new lines.
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def code_level(code: str) -> int:
    """2 for a division (72000000), 3 for a group (72200000), ... 8 for a full code."""
    return max(len(code.rstrip("0")), 2)


def _by_level():
    """Orders codes broadest first: a division before its groups, a group before its
    classes, and so on (one CASE over the trailing zeros, the same on every database)."""
    return Case(
        *(When(code__endswith="0" * zeros, then=Value(8 - zeros)) for zeros in range(6, 0, -1)),
        default=Value(8),
        output_field=IntegerField(),
    )


def _phrase_pattern(words: tuple[str, ...]) -> str:
    return r"\W+".join(re.escape(word) for word in words)


# {a term of the synonym table: the codes holding one of its phrases as whole words}
_synonym_codes: dict[Term, tuple[str, ...]] = {}


def _codes_with_phrases(term: Term) -> tuple[str, ...]:
    """The codes whose description holds one of the term's phrases as whole words.

    The regular expression (the same on PostgreSQL and in Python, SQLite's) costs many
    times a LIKE (on PostgreSQL 18 µs a description), so only the descriptions holding
    one of the phrases' longest words get it (in a CASE, which both databases evaluate
    in order). The table is a fixture and the synonym table is fixed, so each term is
    looked up once per process.
    """
    if term not in _synonym_codes:
        longest = sorted((max(words, key=len) for words in term.alternatives), key=len)
        kept = []
        for word in longest:
            if not any(shorter in word for shorter in kept):
                kept.append(word)
        holds_a_word = Q()
        for word in kept:
            holds_a_word |= Q(description__icontains=word)
        phrases = "|".join(_phrase_pattern(words) for words in term.alternatives)
        as_words = Q(description__iregex=rf"(^|\W)({phrases})(\W|$)")
        matched = Case(
            When(holds_a_word, then=ExpressionWrapper(as_words, output_field=BooleanField())),
            default=Value(False),
            output_field=BooleanField(),
        )
        _synonym_codes[term] = tuple(
            CpvCode.objects.filter(matched).order_by("code").values_list("code", flat=True)
        )
    return _synonym_codes[term]


def _words_condition(term: Term) -> Q:
    """A term of words: as typed, anywhere in the description, so a word still being
    typed matches ("secur"); from the synonym table, any of its phrases as whole words
    ("cyber" finds "security software" but not "cybercafé", nor "security services").
    """
    if term.synonym:
        return Q(code__in=_codes_with_phrases(term))
    return Q(description__icontains=" ".join(term.alternatives[0]))


def matching_cpv_codes(text: str) -> QuerySet:
    """The codes matching a search, broadest first; none for an empty search.

    Each term of the text must match: digits match the start of the code ("72",
    "7221", "72212000-4"), anything else the words of the description,
    case-insensitively ("software development", "Software DEV"), with the synonyms and
    everyday words of portal/lib/synonyms.py ("cyber", "IT", "AI").
    """
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    conditions = Q()
    words = []
    for term in CODE_SEPARATORS.split(text):
        prefix = CODE_PREFIX.match(term)
        if prefix:
            conditions &= Q(code__startswith=prefix.group(1))
        elif term:
            words.append(term)
    for term in terms_of(" ".join(words)):
        conditions &= _words_condition(term)
    if not conditions:
        return CpvCode.objects.none()
    return CpvCode.objects.filter(conditions).annotate(level=_by_level()).order_by("level", "code")


def search_cpv(text: str, *, limit: int = SEARCH_LIMIT) -> list[CpvCode]:
    """At most ``limit`` codes matching ``text`` (see ``matching_cpv_codes``): one query."""
    return list(matching_cpv_codes(text)[:limit])


_division_cache: list[tuple[str, str]] = []


def division_choices() -> list[tuple[str, str]]:
    """The 45 CPV divisions as ("72", "IT services: consulting, ..."), in code order.

    The table is a fixture, so it is read once per process (and again only while it is
    empty, so a process started before the data migration does not keep an empty list).
    """
    if not _division_cache:
        _division_cache.extend(
            (code[:2], description)
            for code, description in CpvCode.objects.filter(code__endswith="000000")
            .order_by("code")
            .values_list("code", "description")
        )
    return list(_division_cache)


def clear_cpv_cache() -> None:
    """Forget the divisions and synonyms' codes read (after the table changes: tests, a
    new data migration)."""
    _division_cache.clear()
    _synonym_codes.clear()


def group_choices(*divisions: str) -> list[tuple[str, str]]:
    """The groups of these divisions as ("722", "Software programming and ..."), in code
    order: one query (none when no division is given).

    Each division is its 2 digits ("72") or its code ("72000000"); anything else is
    ignored.
    """
    starts = Q()
    for division in divisions:
        digits = (division or "")[:2]
        if len(digits) == 2 and digits.isdigit():
            starts |= Q(code__startswith=digits)
    if not starts:
        return []
    return [
        (code[:3], description)
        for code, description in CpvCode.objects.filter(starts, code__endswith="00000")
        .exclude(code__endswith="000000")
        .order_by("code")
        .values_list("code", "description")
    ]


def code_descriptions(codes: Iterable[str], *, with_divisions: bool = False) -> dict[str, str]:
    """{code: description} for these codes (and their divisions, if asked): one query,
    none when there are no codes. A code the fixture does not hold is missing."""
    wanted = set(codes)
    if not wanted:
        return {}
    if with_divisions:
        wanted |= {f"{code[:2]}000000" for code in wanted}
    return dict(CpvCode.objects.filter(code__in=wanted).values_list("code", "description"))


def describe_codes(codes: Iterable[str]) -> list[tuple[str, str | None]]:
    """Each code with its description, or None for a code the fixture does not hold,
    in the order given: one query (none for no codes)."""
    codes = list(codes)
    if not codes:
        return []
    descriptions = dict(
        CpvCode.objects.filter(code__in=set(codes)).values_list("code", "description")
    )
    return [(code, descriptions.get(code)) for code in codes]


def split_codes(value) -> list[str]:
    """The terms of a text box of codes (or the items of a list), as typed."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else [str(item) for item in value]
    return [term for item in items for term in CODE_SEPARATORS.split(item) if term]


def clean_code(term: str) -> str:
    """ "72212000-4" → "72212000"; anything else is returned as it is, to be rejected."""
    match = CODE_WITH_CHECK_DIGIT.match(term)
    return match.group(1) if match else term


def _unknown_code_error(term: str, code: str | None) -> ValidationError:
    if code is None:
        return ValidationError(
            _(
                "“%(value)s” is not a CPV code: enter 8 digits, like 72000000, or the "
                "first 2 or 3 digits of a division or group, like 72 or 722."
            ),
            code="invalid_cpv",
            params={"value": term[:20]},
        )
    return ValidationError(
        _(
            "%(code)s is not a CPV code we know. Choose codes from the list, like "
            "72000000 for IT services."
        ),
        code="unknown_cpv",
        params={"code": code},
    )


def known_codes(value) -> list[str]:
    """The CPV codes of a text box or a list, each of which the vocabulary must hold:
    sorted, each once, as 8 digits. A code may be typed whole ("72200000", with or
    without its check digit) or as its leading digits ("72" is the division 72000000,
    "722" the group 72200000). One query (none for no codes).

    Raises ValidationError with one message per term that is not a code or not in the
    vocabulary, naming it.
    """
    wanted: dict[str, str] = {}  # code → the term typed
    errors = []
    for term in dict.fromkeys(split_codes(value)):
        prefix = CODE_PREFIX.match(term)
        if prefix is None or len(prefix.group(1)) < 2:
            errors.append(_unknown_code_error(term, None))
            continue
        wanted.setdefault(prefix.group(1).ljust(8, "0"), term)
    if wanted:
        known = set(CpvCode.objects.filter(code__in=wanted).values_list("code", flat=True))
        errors += [
            _unknown_code_error(term, code) for code, term in wanted.items() if code not in known
        ]
    if errors:
        raise ValidationError(errors)
    return sorted(wanted)


class CpvPickerWidget(forms.Textarea):
    """The codes as text (one a line), a list of the chosen codes with their names, and
    a link to the CPV search page; static/js/pickers.js adds the autocomplete.

    The field template treats it as a textarea (GOV.UK classes, label, hint, error).
    The script reads its words from data- attributes, so they are translated here.
    """

    template_name = "procurement/cpv/widget.html"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "rows": 3,
                "spellcheck": "false",
                "autocomplete": "off",
                "data-module": "cpv-picker",
                "data-search-url": reverse_lazy("procurement:cpv-search"),
                "data-no-results": _("No CPV codes found"),
                "data-one-result": _("1 result available"),
                # {count} and {code} are replaced by the script.
                "data-many-results": _("{count} results available"),
                "data-selected-option": _("{option} {position} of {count} is highlighted"),
                "data-added": _("{code} added"),
                "data-removed": _("{code} removed"),
                "data-already-chosen": _("{code} is already chosen"),
                "data-remove": _("Remove"),
                "data-chosen-heading": _("CPV codes chosen"),
                "data-no-description": _("Not in our list of CPV codes"),
                "data-instructions": _(
                    "Type words or the first digits of a code. Use the up and down "
                    "arrow keys to move through the results and the Enter key to add one."
                ),
                **(attrs or {}),
            }
        )

    def format_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return "\n".join(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        codes = []
        for term in split_codes(value):
            code = clean_code(term)
            if CODE_WITH_CHECK_DIGIT.match(code) and code not in codes:
                codes.append(code)
        context["widget"]["chosen"] = [
            {"code": code, "description": description}
            for code, description in describe_codes(codes)
        ]
        context["widget"]["search_url"] = self.attrs["data-search-url"]
        return context


class CpvCodesField(forms.Field):
    """One or more CPV codes: a list of codes, or text with codes separated by commas,
    spaces or new lines. A check digit ("72212000-4") is dropped. The cleaned value is
    the codes sorted, each once. Any 8-digit code is accepted, listed or not.
    """

    widget = CpvPickerWidget
    default_error_messages = {
        "required": _("Enter at least one CPV code, for example 72212000"),
        "max_codes": ngettext_lazy(
            "Enter no more than %(limit)d CPV code",
            "Enter no more than %(limit)d CPV codes",
            "limit",
        ),
    }

    def __init__(self, *, max_codes: int | None = None, **kwargs):
        kwargs.setdefault("label", _("CPV codes"))
        kwargs.setdefault(
            "help_text",
            _(
                "The 8-digit codes of the Common Procurement Vocabulary, separated by "
                "commas or on separate lines, for example 72212000."
            ),
        )
        self.max_codes = max_codes
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        codes = set()
        errors = []
        for term in dict.fromkeys(split_codes(value)):
            code = clean_code(term)
            try:
                validate_cpv_code(code)
            except ValidationError as error:
                errors.extend(error.error_list)
            else:
                codes.add(code)
        if errors:
            raise ValidationError(errors)
        return sorted(codes)

    def validate(self, value):
        super().validate(value)
        if self.max_codes is not None and len(value) > self.max_codes:
            raise ValidationError(
                self.error_messages["max_codes"],
                code="max_codes",
                params={"limit": self.max_codes},
            )

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class KnownCpvCodesField(CpvCodesField):
    """CPV codes the vocabulary holds (``known_codes``), none required by default: what a
    business supplies. The picker offers only codes of the vocabulary, and without
    JavaScript a division or group can be typed as its first digits ("72", "722")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        return known_codes(value)
