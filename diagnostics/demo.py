"""Demo assessments, so that a fresh development site shows peer benchmarks, dashboards
and a council map with real shapes.

`create_demo_assessments` makes completed assessments with answers drawn at random from a
fixed seed and scored by the same `scoring.score` as real ones. They are spread unevenly,
as real use would be: over half go to a few busy councils (the North East, where the
demo organisations are, and some big cities), enough for each to pass the dashboards'
disclosure threshold of 10; the rest go round every region to councils picked at random,
so most councils have a handful (suppressed on the map) and some none. Completion dates
run over the last 18 months, more of them recent (use is growing), and scores lean with
the business's size and rise a little over time, so the trend and the map show something.
Each demo assessment's chain and public_id are UUIDs derived from its number in a
namespace of their own, so running it again creates only the ones missing. Rows are
written with bulk_create: 600 take a few seconds.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from diagnostics.definitions import (
    DONT_KNOW,
    Count,
    Definition,
    Grid,
    Ladder,
    Question,
    StageScale,
    TickList,
    latest_published,
)
from diagnostics.models import Answer, Assessment, AssessmentStatus, DimensionScore
from diagnostics.scoring import score
from diagnostics.services import DEFAULT_QUESTIONNAIRE
from portal.places.models import Council

DEMO_NAMESPACE = uuid.UUID("5f2b9c6e-8d1a-4c3e-9a57-0d6f1e2b3c4d")
DEFAULT_SEED = 2020  # the year of the techUK report

# Most UK businesses are micro; the demo leans the same way.
SIZE_WEIGHTS = {"micro": 60, "small": 25, "medium": 10, "large": 5}
# Bigger firms tend to be further along; added to the business's skill (0 to 1).
SIZE_SKILL = {"micro": -0.06, "small": 0.0, "medium": 0.06, "large": 0.12}
STAGE_WEIGHTS = {"pre_start": 8, "start_up": 25, "growing": 32, "established": 30, "scaling": 5}
# Roughly the UK's mix of small firms by SIC section (every section appears).
SIC_WEIGHTS = {
    "A": 3, "B": 1, "C": 6, "D": 1, "E": 1, "F": 14, "G": 12, "H": 4, "I": 7, "J": 10,
    "K": 2, "L": 3, "M": 14, "N": 7, "O": 1, "P": 3, "Q": 5, "R": 3, "S": 5, "T": 1, "U": 1,
}  # fmt: skip

# The busy councils (GSS code → weight): BUSY_SHARE of the demo assessments are shared
# among them by weight, so of the default 600 each gets roughly 8 to 50, a few near the threshold.
BUSY_COUNCILS = {
    "E08000037": 80,  # Gateshead
    "E08000021": 70,  # Newcastle upon Tyne
    "E08000024": 45,  # Sunderland
    "E06000047": 45,  # County Durham
    "E08000022": 30,  # North Tyneside
    "E06000057": 25,  # Northumberland
    "E08000023": 14,  # South Tyneside
    "E08000003": 45,  # Manchester
    "E08000025": 45,  # Birmingham
    "E08000035": 30,  # Leeds
    "E06000023": 25,  # Bristol
    "W06000015": 25,  # Cardiff
    "S12000049": 25,  # Glasgow
    "N09000003": 14,  # Belfast
}
BUSY_SHARE = 0.55  # of the demo assessments, those that go to the busy councils
HISTORY_DAYS = 548  # 18 months


def demo_chain(number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"chain-{number}")


def demo_public_id(number: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"assessment-{number}")


def _random_answer(question: Question, rng: random.Random, skill: float) -> Any:
    """An answer leaning better or worse with the business's `skill` (0 to 1)."""
    if rng.random() < 0.04:
        return DONT_KNOW
    match question:
        case Ladder():
            options = sorted(question.options, key=lambda option: option.points)
            index = round(min(max(rng.gauss(skill, 0.25), 0), 1) * (len(options) - 1))
            return options[index].key
        case TickList():
            ticked = [o.key for o in question.scoring_options if rng.random() < skill]
            exclusive = [o.key for o in question.options if o.exclusive]
            if not ticked and exclusive and rng.random() < 0.5:
                return exclusive[:1]
            return ticked
        case Count():
            return [o.key for o in question.options if rng.random() < skill / 2]
        case Grid():
            columns = sorted(question.columns, key=lambda column: column.points)
            return {
                row.key: columns[
                    round(min(max(rng.gauss(skill, 0.3), 0), 1) * (len(columns) - 1))
                ].key
                for row in question.rows
            }
        case StageScale():
            stages = sorted(question.stages, key=lambda stage: stage.points)
            return {
                item.key: stages[
                    round(min(max(rng.gauss(skill * 0.7, 0.3), 0), 1) * (len(stages) - 1))
                ].key
                for item in question.items
            }
    raise TypeError(f"no demo answers for {type(question).__name__}")


def _random_profile(definition: Definition, rng: random.Random, council: Council) -> dict:
    profile: dict[str, Any] = {"council": council.gss_code}
    for field in definition.profile:
        keys = [option.key for option in field.options]
        if field.kind == "single":
            weights = {"size": SIZE_WEIGHTS, "stage": STAGE_WEIGHTS, "sic_section": SIC_WEIGHTS}
            known = weights.get(field.key, {})
            if known and set(known) == set(keys):
                profile[field.key] = rng.choices(keys, weights=[known[key] for key in keys])[0]
            else:
                profile[field.key] = rng.choice(keys)
        elif field.kind == "multi":
            profile[field.key] = [key for key in keys if rng.random() < 0.35]
    return profile


def create_demo_assessments(count: int = 600, seed: int = DEFAULT_SEED) -> int:
    """Create the demo assessments 0 … count-1 that do not exist yet; the number created."""
    definition = latest_published(DEFAULT_QUESTIONNAIRE)
    councils = list(
        Council.objects.active().select_related("region").order_by("region__itl_code", "name")
    )
    if not councils:
        return 0
    busy = [council for council in councils if council.gss_code in BUSY_COUNCILS]
    busy_weights = [BUSY_COUNCILS[council.gss_code] for council in busy]
    by_region: dict[int, list[Council]] = {}
    for council in councils:
        if council.gss_code not in BUSY_COUNCILS:
            by_region.setdefault(council.region_id, []).append(council)
    regions = list(by_region.values())

    existing = set(
        Assessment.objects.filter(
            public_id__in=[demo_public_id(n) for n in range(count)]
        ).values_list("public_id", flat=True)
    )
    rng = random.Random(seed)
    now = timezone.now()
    assessments, answers_by_public_id, results = [], {}, {}
    for number in range(count):
        # Draw for every number, made or not, so each demo business is the same every run
        # (and the first n are the same whatever the count).
        if busy and rng.random() < BUSY_SHARE:
            council = rng.choices(busy, weights=busy_weights)[0]
        else:
            council = rng.choice(regions[number % len(regions)])
        profile = _random_profile(definition, rng, council)
        # More recent than not: a triangle from 18 months ago rising to today.
        days_ago = rng.triangular(1, HISTORY_DAYS, 1)
        improvement = 0.08 * (1 - days_ago / HISTORY_DAYS)
        skill = rng.betavariate(2, 2) + SIZE_SKILL.get(profile["size"], 0) + improvement
        skill = min(max(skill, 0.0), 1.0)
        answers = {
            key: _random_answer(question, rng, skill)
            for key, question in definition.questions.items()
        }
        completed = now - datetime.timedelta(days=days_ago)
        public_id = demo_public_id(number)
        if public_id in existing:
            continue
        result = score(definition, {**profile, **answers})
        applicable = {key for key, item in result.items.items() if item is not None}
        answers_by_public_id[public_id] = {k: v for k, v in answers.items() if k in applicable}
        results[public_id] = result
        assessments.append(
            Assessment(
                public_id=public_id,
                chain=demo_chain(number),
                questionnaire=definition.slug,
                version=definition.version,
                major_version=definition.major,
                council=council,
                region_id=council.region_id,
                size=profile["size"],
                stage=profile["stage"],
                sic_section=profile["sic_section"],
                profile=profile,
                status=AssessmentStatus.COMPLETED,
                started=completed - datetime.timedelta(minutes=rng.randint(8, 40)),
                updated=completed,
                completed=completed,
                overall_score=result.overall,
                overall_band=result.overall_band or "",
                result=result.as_dict(),
                counts_for_peers=True,
            )
        )
    if not assessments:
        return 0
    with transaction.atomic():
        Assessment.objects.bulk_create(assessments, batch_size=500)
        ids = dict(
            Assessment.objects.filter(public_id__in=list(results)).values_list("public_id", "pk")
        )
        Answer.objects.bulk_create(
            (
                Answer(assessment_id=ids[public_id], question=key, value=value, answered=now)
                for public_id, answers in answers_by_public_id.items()
                for key, value in answers.items()
            ),
            batch_size=2000,
        )
        DimensionScore.objects.bulk_create(
            (
                DimensionScore(
                    assessment_id=ids[public_id],
                    dimension=key,
                    score=value,
                    band=result.bands[key] or "",
                )
                for public_id, result in results.items()
                for key, value in result.dimensions.items()
            ),
            batch_size=2000,
        )
    return len(assessments)


# What seed_demo runs (portal/lib/registry.py): its option, and the line it prints.


def add_arguments(parser) -> None:
    parser.add_argument(
        "--assessments",
        type=int,
        default=600,
        help="How many completed demo diagnostics to have, for peer benchmarks "
        "(default 600; existing ones are kept).",
    )


def seed_demo(options) -> str:
    wanted = options["assessments"]
    created = create_demo_assessments(count=wanted)
    return (
        f"Demo diagnostics: {created} completed assessments created "
        f"({wanted} wanted; existing ones kept)."
    )
