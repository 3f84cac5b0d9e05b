"""Reading the cases ``manage.py recommend`` ranks: business profiles with answers or
scores, checked field by field so that bad input names the case and the field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone

from diagnostics.definitions import latest_published
from diagnostics.scoring import AnswerError, score
from portal.matching.recommendations import business_from_result
from portal.matching.records import DIMENSIONS, FLAG_DIMENSIONS, Business
from portal.matching.supplies import clean_supplies
from portal.places.models import Council

QUESTIONNAIRE = "digital-maturity"
CASE_KEYS = {"id", "profile", "answers", "scores", "today"}
PROFILE_KEYS = (
    "council",
    "size",
    "stage",
    "sic_section",
    "turnover",
    "customer_types",
    "plans",
    "supplies",
)


class CaseError(ValueError):
    def __init__(self, case_id, field: str, message: str):
        self.case_id, self.field = case_id, field
        super().__init__(f"case {case_id!r}: {field}: {message}")


@dataclass(frozen=True)
class Case:
    id: str
    business: Business
    today: date | None

    @property
    def now(self) -> datetime | None:
        if self.today is None:
            return None
        return timezone.make_aware(datetime.combine(self.today, time(12)))


def read_cases(document) -> list[Case]:
    if not isinstance(document, list):
        raise CaseError("-", "file", "must hold a JSON list of cases")
    definition = latest_published(QUESTIONNAIRE)
    seen = set()
    cases = []
    for position, raw in enumerate(document, start=1):
        if not isinstance(raw, Mapping):
            raise CaseError(f"#{position}", "case", "must be a JSON object")
        case_id = raw.get("id")
        if not isinstance(case_id, str | int) or isinstance(case_id, bool) or case_id == "":
            raise CaseError(f"#{position}", "id", "must be a non-empty string or number")
        case_id = str(case_id)
        if case_id in seen:
            raise CaseError(case_id, "id", "is used by another case")
        seen.add(case_id)
        cases.append(_read_case(case_id, raw, definition))
    return cases


def _read_case(case_id: str, raw: Mapping, definition) -> Case:
    unknown = sorted(set(raw) - CASE_KEYS)
    if unknown:
        raise CaseError(case_id, unknown[0], "is not a case field")
    if ("answers" in raw) == ("scores" in raw):
        raise CaseError(case_id, "answers", 'give either "answers" or "scores", not both')
    profile = raw.get("profile")
    if not isinstance(profile, Mapping):
        raise CaseError(case_id, "profile", "must be a JSON object")
    council, values = _read_profile(case_id, profile, definition)
    if "answers" in raw:
        result = _score_answers(case_id, raw["answers"], values, definition)
    else:
        result = _read_scores(case_id, raw["scores"])
    return Case(
        id=case_id,
        business=business_from_result(council=council, profile=values, result=result),
        today=_read_today(case_id, raw.get("today")),
    )


def _read_profile(case_id: str, profile: Mapping, definition):
    unknown = sorted(set(profile) - set(PROFILE_KEYS))
    if unknown:
        raise CaseError(case_id, f"profile.{unknown[0]}", "is not a profile field")
    code = profile.get("council")
    if not isinstance(code, str):
        raise CaseError(case_id, "profile.council", "must be a council's GSS code")
    council = Council.objects.select_related("region").filter(gss_code=code).first()
    if council is None:
        raise CaseError(case_id, "profile.council", f"unknown council {code!r}")
    values = {}
    fields = definition.profile_fields
    for key in PROFILE_KEYS[1:-1]:
        if key not in profile or profile[key] in (None, ""):
            continue
        value = profile[key]
        options = fields[key].option_keys()
        if fields[key].kind == "multi":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise CaseError(case_id, f"profile.{key}", "must be a list of option keys")
            bad = [v for v in value if v not in options]
            if bad:
                raise CaseError(case_id, f"profile.{key}", f"unknown option {bad[0]!r}")
        elif not isinstance(value, str) or value not in options:
            raise CaseError(case_id, f"profile.{key}", f"unknown option {value!r}")
        values[key] = value
    values["supplies"] = _read_supplies(case_id, profile.get("supplies", []))
    return council, values


def _read_supplies(case_id: str, supplies) -> list[str]:
    """Checked as the diagnostic's profile form checks them: the same field."""
    if not isinstance(supplies, list) or not all(isinstance(v, str) for v in supplies):
        raise CaseError(case_id, "profile.supplies", "must be a list of CPV codes or divisions")
    try:
        return clean_supplies(supplies)
    except ValidationError as error:
        raise CaseError(case_id, "profile.supplies", " ".join(error.messages)) from None


def _score_answers(case_id: str, answers, profile: Mapping, definition) -> dict:
    if not isinstance(answers, Mapping):
        raise CaseError(case_id, "answers", "must be a JSON object of question keys to answers")
    scored_profile = {
        key: value for key, value in profile.items() if key in definition.profile_fields
    }
    try:
        return score(definition, {**scored_profile, **answers}).as_dict()
    except AnswerError as error:
        raise CaseError(case_id, f"answers.{error.key}", str(error)) from None


def _read_scores(case_id: str, scores) -> dict:
    if not isinstance(scores, Mapping):
        raise CaseError(case_id, "scores", 'must be {"dimensions": {...}, "flags": [...]}')
    unknown = sorted(set(scores) - {"dimensions", "flags"})
    if unknown:
        raise CaseError(case_id, f"scores.{unknown[0]}", "is not a scores field")
    dimensions = scores.get("dimensions")
    if not isinstance(dimensions, Mapping):
        raise CaseError(case_id, "scores.dimensions", "must map dimensions to scores 0-100")
    for key, value in dimensions.items():
        if key not in DIMENSIONS:
            raise CaseError(case_id, f"scores.dimensions.{key}", "is not a dimension")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise CaseError(
                case_id, f"scores.dimensions.{key}", f"{value!r} is not a score from 0 to 100"
            )
    flags = scores.get("flags", [])
    if not isinstance(flags, list):
        raise CaseError(case_id, "scores.flags", "must be a list of flag keys")
    for flag in flags:
        if flag not in FLAG_DIMENSIONS:
            raise CaseError(case_id, "scores.flags", f"unknown flag {flag!r}")
    return {"dimensions": dict(dimensions), "flags": list(flags)}


def _read_today(case_id: str, value) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad_date()
    except ValueError:
        raise CaseError(case_id, "today", f"{value!r} is not a date YYYY-MM-DD") from None


def _bad_date():
    raise ValueError
