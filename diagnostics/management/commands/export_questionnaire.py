"""Print a questionnaire definition as JSON, for anyone auditing the scores."""

import json

from django.core.management.base import BaseCommand, CommandError

from diagnostics.definitions import (
    PUBLISHED,
    QUESTIONNAIRES_DIR,
    definition_as_dict,
    file_sha256,
    known_versions,
    load_definition,
)


def known_questionnaires() -> str:
    return ", ".join(f"{slug} {version}" for slug, version in known_versions()) or "none"


class Command(BaseCommand):
    # Reads only the definition files: no database, so no need for the project's checks.
    requires_system_checks = []
    help = (
        "Print a questionnaire definition as JSON: keys, kinds, options, points, weights, "
        "show_if, flags, bands and the scoring formula, enough to recompute every score."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the questionnaire, such as digital-maturity")
        parser.add_argument("version", help="its version, such as 1.0.0")

    def handle(self, *args, slug, version, **options):
        if (slug, version) not in known_versions():
            raise CommandError(
                f"no questionnaire {slug} {version}; known: {known_questionnaires()}"
            )
        definition = load_definition(slug, version)
        export = definition_as_dict(definition)
        export["file"] = {
            "path": f"diagnostics/questionnaires/{slug}/{version}.json",
            "sha256": file_sha256(QUESTIONNAIRES_DIR / slug / f"{version}.json"),
            "published": (slug, version) in PUBLISHED,
        }
        self.stdout.write(json.dumps(export, indent=2, ensure_ascii=False))
