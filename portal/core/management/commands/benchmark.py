"""python manage.py benchmark SUITE [options]: see DESIGN.md, "Benchmarks".

Builds the suite's data in a throwaway database (never the development one), warms
up, measures, prints a readable table and, last, one line of JSON with the figures.
"""

import importlib
import json

from django.core.management.base import BaseCommand, CommandError

from portal.core.benchmarking import SUITES, throwaway_database


class Command(BaseCommand):
    help = "Run a benchmark suite in a throwaway database and print its figures."

    def add_arguments(self, parser):
        parser.add_argument("suite", choices=sorted(SUITES))
        parser.add_argument("--repetitions", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=20)
        for module in SUITES.values():
            importlib.import_module(module).add_arguments(parser)

    def handle(self, *args, suite, **options):
        if options["repetitions"] < 1:
            raise CommandError("--repetitions must be at least 1")
        module = importlib.import_module(SUITES[suite])
        with throwaway_database():
            report, figures = module.run(options)
        self.stdout.write(report)
        self.stdout.write(json.dumps({"suite": suite, **figures}, sort_keys=True))
