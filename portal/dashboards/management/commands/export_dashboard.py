"""Write a place's published dashboard tables as CSV files, for councils' own reporting:
the same tables, through the same disclosure control, as the fuller dashboard."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.dashboards import figures, queries
from portal.dashboards.csvfiles import write_table
from portal.places.choices import place_choices


class Command(BaseCommand):
    help = (
        "Write the published dashboard tables of PLACE (uk, an ONS region code or a "
        "council's GSS code) as CSV files in a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("place", help="uk, an ONS region code or a council's GSS code")
        parser.add_argument("--period", choices=sorted(queries.PERIODS), default="12m")
        parser.add_argument("--folder", default=".", help="where to write (made if missing)")

    def handle(self, *args, place, period, folder, **options):
        code = place
        if code.lower() == "uk":
            found, code = None, "uk"
        else:
            found = place_choices().find(code)
            if found is None:
                raise CommandError(f"No active region or council has the code {code!r}.")
        published = figures.dashboard(found, queries.Filters(period=period), full=True)
        directory = Path(folder)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for table in published.tables:
            path = directory / f"{code}-{period}-{table.slug}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                write_table(table, out)
            written.append(path)
        for path in written:
            self.stdout.write(str(path))
