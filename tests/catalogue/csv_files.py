"""Building offer CSV files for the import tests."""

import csv
import io

from portal.catalogue.csv_format import HEADERS
from tests.factories import COUNCIL_A_GSS_CODE


def offer_csv_row(number: int, **cells) -> dict[str, str]:
    """A valid row for an offer in council A (Gateshead); ``cells`` override columns."""
    row = dict.fromkeys(HEADERS, "")
    row.update(
        external_id=f"row-{number}",
        title=f"Digital skills course {number}",
        summary="Free training in cloud accounting for small firms.",
        provider_name="Gateshead Business Hub",
        kind="training_course",
        dimensions="skills;adoption",
        sizes="micro;small",
        councils=COUNCIL_A_GSS_CODE,
        cost="free",
        delivery="online",
        application_url=f"https://example.org/courses/{number}",
    )
    row.update(cells)
    return row


def offer_csv(rows, *, bom: bool = False, headers=HEADERS) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(headers), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    return (("\ufeff" + text) if bom else text).encode("utf-8")
