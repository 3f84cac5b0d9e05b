"""python manage.py benchmark SUITE [options]: see DESIGN.md, "Benchmarks".

Builds the suite's data in a throwaway database (never the development one), warms
up, measures, prints a readable table and, last, one line of JSON with the figures.
"""

import importlib
import json

from django.core.management.base import BaseCommand, CommandError

from portal.core.benchmarking import throwaway_database
from portal.lib.registry import benchmark_suites


class Command(BaseCommand):
    help = "Run a benchmark suite in a throwaway database and print its figures."

    def add_arguments(self, parser):
        suites = benchmark_suites()
        parser.add_argument("suite", choices=sorted(suites))
        parser.add_argument("--repetitions", type=int, default=200)
        parser.add_argument("--warmup", type=int, default=20)
        for module in suites.values():
            importlib.import_module(module).add_arguments(parser)

    def handle(self, *args, suite, **options):
        if options["repetitions"] < 1:
            raise CommandError("--repetitions must be at least 1")
        module = importlib.import_module(benchmark_suites()[suite])
        with throwaway_database():
            report, figures = module.run(options)
        self.stdout.write(report)
        self.stdout.write(json.dumps({"suite": suite, **figures}, sort_keys=True))
