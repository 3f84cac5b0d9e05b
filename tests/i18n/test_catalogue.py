"""The Welsh catalogue (locale/cy/LC_MESSAGES/django.po):

- it is up to date with the code: ``manage.py update_messages`` (``make messages``) run
  on a copy of the code changes nothing in it but the header's dates;
- its header has CLDR's six Welsh plural forms, and every plural message has six;
- every founder-facing or public string has a Welsh translation that is not its
  English text, outside a short allow-list (names, codes, words Welsh borrows as they
  are). Founder-facing and public strings are those of the templates and modules listed
  here; staff pages (curation, posting, imports, the advice queue, the analysts' full
  dashboard, the admin) may stay English (DESIGN.md, "People and what they do").
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = Path("locale/cy/LC_MESSAGES/django.po")
PLURAL_FORMS = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"
# What update_messages reads: copied to a temporary folder, where it runs.
SOURCES = ("manage.py", "portal", "diagnostics", "templates", "locale")
DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)

# Founder-facing and public: templates and modules by path prefix, less the staff ones
# under them (a reference to a staff path does not make a string founder-facing; one
# to any founder-facing path does).
FOUNDER_FACING = (
    "templates/base.html",
    "templates/home.html",
    "templates/form_page.html",
    "templates/includes/",
    "templates/core/",
    "templates/errors/",
    "templates/accounts/",
    "templates/diagnostics/",
    "templates/catalogue/",
    "templates/procurement/",
    "templates/matching/",
    "templates/places/",
    "templates/advice/",
    "templates/dashboards/",
    "templates/emails/base.html",
    "templates/emails/diagnostics_",
    "templates/emails/advice_request_confirmation",
    "templates/emails/welcome",
    "templates/emails/password_reset",
    "templates/emails/email_proof",
    "templates/emails/matching/",
    "templates/emails/procurement/",
    "diagnostics/",
    "portal/lib/",
    "portal/core/",
    "portal/places/",
    "portal/accounts/",
    "portal/catalogue/",
    "portal/procurement/",
    "portal/matching/",
    "portal/advice/",
    "portal/dashboards/",
)
STAFF = (
    "templates/catalogue/curation/",
    "templates/catalogue/import.html",
    "templates/procurement/posting/",
    "templates/procurement/imports/",
    "templates/advice/queue/",
    "templates/dashboards/full.html",
    "templates/accounts/membership_requests.html",
    "templates/accounts/organisations.html",
    "templates/includes/organisation_chooser.html",
    "templates/includes/idle_timeout.html",
    "templates/admin/",
    "diagnostics/admin.py",
    "portal/lib/admin.py",
    "portal/accounts/admin.py",
    "portal/accounts/idle.py",
    "portal/catalogue/admin.py",
    "portal/catalogue/views/curation.py",
    "portal/catalogue/views/imports.py",
    "portal/catalogue/import_forms.py",
    "portal/catalogue/check_forms.py",
    "portal/catalogue/curator_list.py",
    "portal/catalogue/csv_format.py",
    "portal/catalogue/emails.py",
    "portal/procurement/admin.py",
    "portal/procurement/views/posting.py",
    "portal/procurement/views/imports.py",
    "portal/procurement/importing/",
    "portal/procurement/emails.py",
    "portal/matching/admin.py",
    "portal/advice/admin.py",
    "portal/advice/queue",
    "portal/advice/casework.py",
    "portal/advice/digest.py",
    "portal/dashboards/management/",
    "portal/core/management/",
)

# Welsh that is the English text: names and codes, and words Welsh uses as they are.
ALLOWED_SAME = {
    "Waymark",
    "GOV.UK",
    "OCDS",
    "CPV",
    "SIC",
    "CSV",
    "JSON",
    "English",
    "Cymraeg",
    "Open Referral UK",
    "Companies House",
    "Cyber Essentials",
    "Beta",  # GOV.UK's Welsh phase banner
    "Data",  # the dimension: "data" in Welsh too
    "data",
    "Grant",
    "grant",
    "Sector",
    "sector",
    "Band",
    "band",
    "Cost",  # "cost" is Welsh too
    "cost",
    "micro",  # the size adjective, as Welsh business support writes it
    "OCID",  # codes
    "CPV: %(codes)s",
    "Lot %(id)s",  # "lot" is the Welsh procurement term too
    "Lot %(number)d: %(error)s",
}
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[sdif]|\{[^}]*\}|<[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    fuzzy: bool = False


def _unquote(text: str) -> str:
    return text[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def read_catalogue(text: str) -> list[Entry]:
    """The entries of a .po file (enough of the format for ours: no obsolete entries)."""
    entries, entry, key = [], Entry(), None
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry.msgid or entry.msgstr:
                entries.append(entry)
            entry, key = Entry(), None
        elif line.startswith("#:"):
            entry.references += line[2:].split()
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if isinstance(key, int):
                entry.msgstr[key] += value
            else:
                setattr(entry, key, getattr(entry, key) + value)
        else:
            word, _, rest = line.partition(" ")
            value = _unquote(rest)
            index = re.fullmatch(r"msgstr\[(\d)\]", word)
            if index:
                key = int(index.group(1))
                entry.msgstr[key] = value
            elif word == "msgstr":
                key = 0
                entry.msgstr[0] = value
            else:
                key = word
                setattr(entry, key, value)
    return entries


def _catalogue() -> list[Entry]:
    return read_catalogue((ROOT / CATALOGUE).read_text(encoding="utf-8"))


def founder_facing(entry: Entry) -> bool:
    return any(
        reference.startswith(FOUNDER_FACING) and not reference.startswith(STAFF)
        for reference in entry.references
    )


def untranslated_problems(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        if not entry.msgid or not founder_facing(entry):
            continue
        where = f"{entry.msgid!r} ({', '.join(entry.references[:2])})"
        forms = list(entry.msgstr.values())
        if entry.fuzzy or not forms or not all(form.strip() for form in forms):
            problems.append(f"no Welsh for {where}")
            continue
        words = PLACEHOLDER.sub("", entry.msgid).strip()
        if not re.search(r"[A-Za-z]", words) or entry.msgid in ALLOWED_SAME:
            continue
        english = {entry.msgid, entry.msgid_plural}
        if any(form in english for form in forms):
            problems.append(f"Welsh equal to the English for {where}")
    return problems


def test_the_welsh_catalogue_is_up_to_date_with_the_code(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
            )
        else:
            shutil.copy2(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": ""}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "update_messages"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    committed = DATES.sub("", (ROOT / CATALOGUE).read_text(encoding="utf-8"))
    refreshed = DATES.sub("", (tmp_path / CATALOGUE).read_text(encoding="utf-8"))
    assert refreshed == committed, (
        "locale/cy/LC_MESSAGES/django.po is out of date with the code: run `make messages` "
        "and commit it"
    )


def test_the_header_has_welsh_and_its_six_plural_forms():
    [header] = [entry for entry in _catalogue() if entry.msgid == ""]
    assert "Language: cy\n" in header.msgstr[0]
    assert f"Plural-Forms: {PLURAL_FORMS}\n" in header.msgstr[0]


def test_every_plural_message_has_six_forms():
    wrong = [
        entry.msgid
        for entry in _catalogue()
        if entry.msgid_plural and sorted(entry.msgstr) != list(range(6))
    ]
    assert not wrong, f"plural messages without six forms: {wrong}"


def test_the_check_finds_a_missing_a_copied_and_a_staff_string():
    sample = """
#: templates/diagnostics/start.html
msgid "Start now"
msgstr ""

#: templates/matching/recommended.html
msgid "Recommended for you"
msgstr "Recommended for you"

#: templates/catalogue/curation/queue.html
msgid "Curation queue"
msgstr ""

#: templates/includes/header.html templates/catalogue/curation/queue.html
msgid "Home"
msgstr "Hafan"

#: templates/includes/footer.html
msgid "Waymark"
msgstr "Waymark"

#: portal/procurement/services/alerts.py
msgid "%(count)d new"
msgid_plural "%(count)d new ones"
msgstr[0] "%(count)d newydd"
msgstr[1] ""
"""
    problems = untranslated_problems(read_catalogue(sample))
    assert problems == [
        "no Welsh for 'Start now' (templates/diagnostics/start.html)",
        "Welsh equal to the English for 'Recommended for you' "
        "(templates/matching/recommended.html)",
        "no Welsh for '%(count)d new' (portal/procurement/services/alerts.py)",
    ]


def test_every_founder_facing_and_public_string_is_in_welsh():
    problems = untranslated_problems(_catalogue())
    assert not problems, f"{len(problems)} strings:\n" + "\n".join(problems)
