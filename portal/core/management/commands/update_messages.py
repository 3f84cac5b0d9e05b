"""``manage.py update_messages``: refresh every catalogue in locale/ from the code and the
templates (Django's makemessages, run by ``make messages``), the one place that says
what is scanned. tests/i18n/test_catalogue.py runs it on a copy and fails if the
committed catalogue differs from what it writes."""

from django.core.management import BaseCommand, call_command

# Not ours, not shipped, or not user-facing: scanned by nobody.
IGNORED = [
    ".venv",
    "venv",
    "node_modules",
    "static",
    "staticfiles",
    "tests",
    "scripts",
    "frontend",
    "htmlcov",
    ".make",
    ".git",
]
OPTIONS = {
    "all": True,
    "domain": "django",
    "extensions": ["html", "txt", "py"],
    # File names only: line numbers would change the catalogue at every edit.
    "add_location": "file",
    "no_obsolete": True,
    "ignore_patterns": IGNORED,
    "verbosity": 0,
}


class Command(BaseCommand):
    help = "Refresh locale/*/LC_MESSAGES/django.po from the code and templates."

    def handle(self, *args, **options):
        call_command("makemessages", **OPTIONS)
