"""Score a file of answers and print the result as JSON, for anyone auditing the scores."""

import json
from collections.abc import Mapping

from django.core.management.base import BaseCommand, CommandError

from diagnostics.definitions import known_versions, load_definition
from diagnostics.management.commands.export_questionnaire import known_questionnaires
from diagnostics.scoring import AnswerError, score
from portal.lib.jsonfiles import read_json_argument

DOCUMENT_KEYS = ("questionnaire", "version", "answers")


class Command(BaseCommand):
    # Reads only the definition files: no database, so no need for the project's checks.
    requires_system_checks = []
    help = (
        'Score {"questionnaire": SLUG, "version": VERSION, "answers": {...}} from FILE '
        '("-" for standard input) and print the result as JSON.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help='a JSON file of answers, or "-" for standard input')

    def handle(self, *args, file, **options):
        document = read_json_argument(file)
        if not isinstance(document, Mapping):
            raise CommandError("the file must hold a JSON object")
        missing = [key for key in DOCUMENT_KEYS if key not in document]
        extra = sorted(set(document) - set(DOCUMENT_KEYS))
        if missing or extra:
            raise CommandError(
                f"the object must have exactly the keys {', '.join(DOCUMENT_KEYS)}"
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + (f"; unknown: {', '.join(extra)}" if extra else "")
            )
        slug, version, answers = (document[key] for key in DOCUMENT_KEYS)
        if (slug, version) not in known_versions():
            raise CommandError(
                f"no questionnaire {slug!r} {version!r}; known: {known_questionnaires()}"
            )
        if not isinstance(answers, Mapping):
            raise CommandError("answers must be a JSON object of keys to answers")
        try:
            result = score(load_definition(slug, version), answers)
        except AnswerError as error:
            raise CommandError(f"answer {error}") from None
        self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
