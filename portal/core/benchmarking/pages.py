"""The pages benchmark: the server time of the pages a founder meets first, on the demo.

python manage.py benchmark pages

Loads the demo data (``seed_demo``, as ``make run`` does) into the throwaway database,
then measures the home page, the diagnostic's profile page (a visitor who has just
started), the support list and the contracts list, beside the constant view. The home
and profile pages carry the council picker; the lists carry the place filters. Prints,
last, one JSON line with each page's ``<page>_p50_ms`` and ``<page>_p95_ms``, the
constant view's, and the home and profile pages' p50 as a ratio to the support list's.
"""

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse

from portal.core.benchmarking import CONSTANT_PATH, measure, table


def add_arguments(parser):
    parser.add_argument(
        "--demo-assessments",
        type=int,
        default=600,
        help="completed demo diagnostics to load with the demo data (pages suite)",
    )


def _load_demo(assessments: int) -> None:
    with tempfile.TemporaryDirectory(prefix="waymark-benchmark-") as directory:
        # The demo accounts' passwords go to a throwaway file, never the developer's.
        passwords = str(Path(directory) / "demo-passwords.json")
        with override_settings(DEBUG=True, DEMO_PASSWORDS_FILE=passwords):
            call_command("seed_demo", "--assessments", str(assessments), stdout=StringIO())


def _founder_profile_page() -> tuple[Client, str]:
    """A visitor who has just started the diagnostic, and their profile page."""
    client = Client()
    response = client.post(reverse("diagnostics:start"))
    return client, response["Location"]


def run(options):
    _load_demo(options["demo_assessments"])
    repetitions, warmup = options["repetitions"], options["warmup"]
    founder, profile = _founder_profile_page()
    timings = {
        "constant": measure("constant", CONSTANT_PATH, repetitions=repetitions, warmup=warmup),
        "home": measure("home", reverse("core:home"), repetitions=repetitions, warmup=warmup),
        "profile": measure(
            "profile", profile, repetitions=repetitions, warmup=warmup, client=founder
        ),
        "support": measure(
            "support", reverse("catalogue:search"), repetitions=repetitions, warmup=warmup
        ),
        "contracts": measure(
            "contracts", reverse("procurement:list"), repetitions=repetitions, warmup=warmup
        ),
    }
    figures = {
        "database": connections["default"].vendor,
        "repetitions": repetitions,
        **{f"{name}_status": timing.status for name, timing in timings.items()},
        **{f"{name}_queries": timing.queries for name, timing in timings.items()},
        **{f"{name}_p50_ms": round(timing.p50_ms, 2) for name, timing in timings.items()},
        **{f"{name}_p95_ms": round(timing.p95_ms, 2) for name, timing in timings.items()},
    }
    support = timings["support"].p50_ms
    figures["home_to_support_p50"] = round(timings["home"].p50_ms / support, 2)
    figures["profile_to_support_p50"] = round(timings["profile"].p50_ms / support, 2)
    return table(list(timings.values())), figures
