"""The dashboards benchmark: building a dashboard from cold and from the cache, at scale.

python manage.py benchmark dashboards --assessments 100000

Generates that many completed assessments (profiles, scoring results and dimension
scores, as the diagnostic stores them; one in ten superseded by a retake of the same
business, so it no longer counts), spread over every council, size band, stage and
sector and over the last two years; ``--offers`` synthetic offers (the catalogue
suite's option, portal/catalogue/synthetic.py) and ``--referrals`` referrals to them
(with a fifth as many "useful" marks). Written with bulk_create in batches.

Then it times, with the cache cleared before each cold build:

- ``cold_ms`` / ``warm_ms``: a region's full (analyst's) dashboard, built from the
  database, then from the cache (the median of ``--repetitions``);
- ``council_cold_ms``: one council's full dashboard with every filter (size, sector,
  stage) set;
- ``map_cold_ms``: the UK map's figures (completed businesses per council), through
  portal/dashboards/map_figures.py when present, else the same per-council tally as one
  GROUP BY query over the dashboards' counted assessments (``map_source`` says which).

Prints, last, one JSON line with those figures. The assessments' answers themselves are
not written (the dashboards never read them): only what scoring stores from them.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from diagnostics.definitions import latest_published
from diagnostics.demo import _random_answer, _random_profile
from diagnostics.models import Assessment, AssessmentStatus, DimensionScore
from diagnostics.scoring import score
from diagnostics.services import DEFAULT_QUESTIONNAIRE
from portal.catalogue.models import Offer, Referral
from portal.catalogue.synthetic import create_offers
from portal.dashboards import figures, queries
from portal.matching.models import Feedback
from portal.places.choices import council_place, region_place
from portal.places.models import Council

BATCH_SIZE = 2000
TEMPLATES = 400  # distinct scored answer sets, reused across the generated businesses
SIZE_WEIGHTS = {"micro": 60, "small": 25, "medium": 10, "large": 5}


def add_arguments(parser):
    parser.add_argument(
        "--assessments",
        type=int,
        default=100_000,
        help="completed assessments to generate (dashboards suite)",
    )
    parser.add_argument(
        "--referrals",
        type=int,
        default=50_000,
        help="referrals to generate (dashboards suite)",
    )


def _templates(rng: random.Random, councils: list[Council]):
    """(profile, scoring result as stored, overall band) triples, each scored by the real
    scorer; and the questionnaire."""
    definition = latest_published(DEFAULT_QUESTIONNAIRE)
    made = []
    for _ in range(TEMPLATES):
        profile = _random_profile(definition, rng, rng.choice(councils))
        profile["size"] = rng.choices(list(SIZE_WEIGHTS), weights=list(SIZE_WEIGHTS.values()))[0]
        skill = rng.betavariate(2, 2)
        answers = {
            key: _random_answer(question, rng, skill)
            for key, question in definition.questions.items()
        }
        made.append((profile, score(definition, {**profile, **answers})))
    templates = [
        (profile, result.as_dict(), result.overall_band or "") for profile, result in made
    ]
    return templates, definition


def create_assessments(count: int, *, seed: int = 1) -> int:
    """``count`` completed assessments, one in ten of them superseded by a later one of
    the same chain (``counts_for_peers`` False)."""
    rng = random.Random(seed)
    councils = list(Council.objects.active())
    templates, definition = _templates(rng, councils)
    now = timezone.now()
    made = 0
    with transaction.atomic():
        while made < count:
            size = min(BATCH_SIZE, count - made)
            batch = []
            chain = None
            for index in range(size):
                number = made + index
                # Every tenth assessment is a business's earlier one, superseded by the
                # next (its retake, in the same chain).
                superseded = number % 10 == 8 and index < size - 1
                retake = number % 10 == 9 and chain is not None
                if not retake:
                    chain = uuid.UUID(int=rng.getrandbits(128))
                profile, result, band = rng.choice(templates)
                council = rng.choice(councils)
                completed = now - dt.timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60))
                if superseded:
                    completed -= dt.timedelta(days=60)
                batch.append(
                    Assessment(
                        public_id=uuid.UUID(int=rng.getrandbits(128)),
                        chain=chain,
                        questionnaire=definition.slug,
                        version=definition.version,
                        major_version=definition.major,
                        council_id=council.pk,
                        region_id=council.region_id,
                        size=profile["size"],
                        stage=profile["stage"],
                        sic_section=profile["sic_section"],
                        profile={**profile, "council": council.gss_code},
                        status=AssessmentStatus.COMPLETED,
                        started=completed - dt.timedelta(minutes=rng.randint(8, 40)),
                        updated=completed,
                        completed=completed,
                        overall_score=result["overall"],
                        overall_band=band,
                        result=result,
                        counts_for_peers=not superseded,
                    )
                )
                if not superseded:
                    chain = None
            created = Assessment.objects.bulk_create(batch)
            if created[0].pk is None:  # a backend that returns no keys
                created = list(Assessment.objects.order_by("-pk")[: len(batch)])[::-1]
            DimensionScore.objects.bulk_create(
                DimensionScore(
                    assessment_id=assessment.pk,
                    dimension=key,
                    score=value,
                    band=assessment.result["bands"].get(key) or "",
                )
                for assessment in created
                for key, value in assessment.result["dimensions"].items()
            )
            made += size
    return made


def create_referrals(count: int, *, seed: int = 1) -> int:
    """``count`` referrals to published offers over the last two years, and a fifth as
    many "useful" marks (most of them useful)."""
    rng = random.Random(seed)
    offers = list(Offer.objects.filter(status="published").values_list("pk", flat=True))
    if not offers:
        return 0
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, count, BATCH_SIZE):
            Referral.objects.bulk_create(
                Referral(
                    offer_id=rng.choice(offers),
                    at=now - dt.timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60)),
                    session_hash=f"{rng.getrandbits(64):016x}",
                    source_page="/support/",
                )
                for _ in range(min(BATCH_SIZE, count - start))
            )
        today = timezone.localdate()
        Feedback.objects.bulk_create(
            (
                Feedback(
                    offer_id=rng.choice(offers),
                    useful=rng.random() < 0.7,
                    rank=rng.randint(1, 10),
                    day=today - dt.timedelta(days=rng.randint(0, 700)),
                )
                for _ in range(count // 5)
            ),
            batch_size=BATCH_SIZE,
        )
    return count


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def _cold(function) -> float:
    cache.clear()
    return _timed(function)


def _map_figures():
    """The map's measure and where it came from."""
    try:
        from portal.dashboards import map_figures
    except ImportError:
        map_figures = None
    since = queries.period_start(queries.DEFAULT_PERIOD)
    if map_figures is not None and hasattr(map_figures, "council_figures"):
        return "map_figures", lambda: map_figures.council_figures(
            measure="completed", period=queries.DEFAULT_PERIOD
        )

    def tally():
        counted = queries.counted_q(None, queries.Filters(), start=since)
        return list(
            Assessment.objects.filter(counted)
            .order_by()
            .values("council_id")
            .annotate(businesses=Count("pk"), mean=Avg("overall_score"))
        )

    return "per-council tally", tally


def run(options):
    connection = connections["default"]
    started = time.perf_counter()
    create_assessments(options["assessments"])
    create_offers(options["offers"])
    create_referrals(options["referrals"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    generate_s = time.perf_counter() - started

    # The region and the council with the most businesses: the heaviest to build.
    busiest = (
        Assessment.objects.order_by()
        .values("council_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "council_id")
        .first()
    )
    council = Council.objects.select_related("region").get(pk=busiest["council_id"])
    region, here = region_place(council.region), council_place(council)
    template = Assessment.objects.filter(council=council).order_by("pk").first()
    everything = queries.Filters(
        period=queries.DEFAULT_PERIOD,
        size=template.size,
        sector=template.sic_section,
        stage=template.stage,
    )
    region_filters = queries.Filters(period=queries.DEFAULT_PERIOD)

    def region_dashboard():
        return figures.dashboard(region, region_filters, full=True)

    def council_dashboard():
        return figures.dashboard(here, everything, full=True)

    map_source, map_build = _map_figures()
    repetitions = max(1, min(options["repetitions"], 5))
    # One untimed build first: imports, the questionnaire, the place choices.
    region_dashboard()
    cold = [_cold(region_dashboard) for _ in range(repetitions)]
    region_dashboard()
    warm = [_timed(region_dashboard) for _ in range(options["repetitions"])]
    council_cold = [_cold(council_dashboard) for _ in range(repetitions)]
    map_cold = [_cold(map_build) for _ in range(repetitions)]

    figures_ = {
        "database": connection.vendor,
        "assessments": options["assessments"],
        "offers": options["offers"],
        "referrals": options["referrals"],
        "generate_s": round(generate_s, 1),
        "region": region.code,
        "council": here.code,
        "council_filters": everything.key(),
        "cold_ms": round(statistics.median(cold), 2),
        "warm_ms": round(statistics.median(warm), 3),
        "council_cold_ms": round(statistics.median(council_cold), 2),
        "map_cold_ms": round(statistics.median(map_cold), 2),
        "map_source": map_source,
    }
    report = "\n".join(
        [
            f"{options['assessments']} assessments, {options['offers']} offers, "
            f"{options['referrals']} referrals on {connection.vendor}, "
            f"generated in {generate_s:.1f} s",
            f"region {region.code} ({region.name}), full dashboard, 12 months: "
            f"cold {figures_['cold_ms']} ms (median of {repetitions}), "
            f"warm {figures_['warm_ms']} ms (median of {options['repetitions']})",
            f"council {here.code} ({here.name}), every filter ({everything.key()}): "
            f"cold {figures_['council_cold_ms']} ms",
            f"UK map ({map_source}): cold {figures_['map_cold_ms']} ms",
        ]
    )
    return report, figures_
