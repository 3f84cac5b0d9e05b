"""python manage.py recommend FILE: rank support and opportunities for each case in FILE
(or "-" for standard input) and print them as one JSON object, for auditing the matcher.

It runs the pages' own code path (portal/matching/recommendations.py) against the
catalogue in the configured database. Bad input exits with status 2, naming the case and
the field.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from portal.lib.jsonfiles import read_json_argument
from portal.matching.cases import CaseError, read_cases
from portal.matching.recommendations import recommend

TOP = 20


class Command(BaseCommand):
    help = "Print the top 20 offers and opportunities for each business case in FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", help='a JSON list of cases, or "-" for standard input')

    def handle(self, *args, file, **options):
        document = read_json_argument(file, returncode=2)
        try:
            cases = read_cases(document)
        except CaseError as error:
            raise CommandError(str(error), returncode=2) from None
        output = {}
        for case in cases:
            recommendations = recommend(case.business, today=case.today, now=case.now, limit=TOP)
            output[case.id] = recommendations.as_json()
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
