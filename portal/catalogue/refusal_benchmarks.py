"""The CSV upload refusal benchmark: how long the upload page takes to refuse each kind
of bad file (issue 18: "the benchmark, not the test, reports how long a refusal takes").

python manage.py benchmark csv_refusal --repetitions 50

A curator posts each kind of file through the real page (``catalogue:offer-import``,
the whole middleware stack, as the test client does): an empty file, one over the size
limit, binary data, UTF-16 text, and a name that is a path to something not a CSV file
("../../etc/passwd"). Each body is encoded once, so the figures are the server's: parsing
the upload, the form, and the import service reading as far as it needs to refuse. Beside
them: a well-formed file of one offer (checked, not saved: the page's usual work) and the
constant view. Prints p50 and p95 per kind, each kind's p50 as a ratio of the constant
view's, and last one JSON line. A kind whose answer is not its refusal message counts in
``errors``.
"""

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from portal.accounts.models import Membership, Role, User
from portal.catalogue.csv_format import HEADERS, MAX_FILE_BYTES
from portal.catalogue.synthetic import synthetic_curator
from portal.core.benchmarking import CONSTANT_PATH, Timing, measure, percentile
from portal.places.models import Council

GATESHEAD = "E08000037"
# The start of a PNG image: a picture uploaded by mistake.
PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"


def add_arguments(parser):
    # Only the shared --repetitions and --warmup.
    return None


def _csv(*rows: dict) -> bytes:
    lines = [",".join(HEADERS)]
    lines += [",".join(row.get(name, "") for name in HEADERS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


ONE_OFFER = {
    "external_id": "benchmark-1",
    "title": "Digital skills course",
    "summary": "Free training in cloud accounting for small firms.",
    "provider_name": "Gateshead Business Hub",
    "kind": "training_course",
    "dimensions": "skills;adoption",
    "sizes": "micro;small",
    "councils": GATESHEAD,
    "cost": "free",
    "delivery": "online",
    "application_url": "https://example.org/courses/1",
}


def kinds() -> dict[str, tuple[str, bytes, str | None]]:
    """Kind → (file name, content, the message its refusal shows; None: not refused)."""
    return {
        "empty": ("offers.csv", b"", "The selected file is empty"),
        "oversize": (
            "offers.csv",
            _csv(ONE_OFFER) + b" " * MAX_FILE_BYTES,
            "smaller than 5 MB",
        ),
        "binary": ("offers.csv", PNG_START * 64, "binary data"),
        "utf16": ("offers.csv", _csv(ONE_OFFER).decode().encode("utf-16"), "UTF-16 text"),
        "path_name": ("../../etc/passwd", _csv(ONE_OFFER), "must be a CSV file"),
        "well_formed": ("offers.csv", _csv(ONE_OFFER), None),
    }


def _curator_client() -> Client:
    organisation = synthetic_curator()
    organisation.councils.add(Council.objects.get(gss_code=GATESHEAD))
    user = User.objects.create_user(
        email="benchmark.curator@example.com", full_name="Benchmark Curator"
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: bytes):
    return client.generic("POST", url, body, content_type=MULTIPART_CONTENT)


def measure_post(name, client, url, body, *, repetitions, warmup) -> tuple[Timing, object]:
    """Server time of posting the encoded ``body`` to ``url``, and the last answer."""
    for _ in range(warmup):
        _post(client, url, body)
    times = []
    response = None
    for _ in range(repetitions):
        start = time.perf_counter()
        response = _post(client, url, body)
        times.append((time.perf_counter() - start) * 1000)
    timing = Timing(
        name=name,
        path=url,
        p50_ms=percentile(times, 0.5),
        p95_ms=percentile(times, 0.95),
        queries=0,
        status=response.status_code,
    )
    return timing, response


def run(options):
    repetitions, warmup = options["repetitions"], options["warmup"]
    client = _curator_client()
    url = reverse("catalogue:offer-import")
    constant = measure("constant", CONSTANT_PATH, repetitions=repetitions, warmup=warmup)
    rows = [("kind", "p50 ms", "p95 ms", "x constant", "status", "answer")]
    figures_by_kind, errors = {}, 0
    for kind, (name, content, message) in kinds().items():
        body = encode_multipart(
            BOUNDARY, {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
        )
        timing, response = measure_post(
            kind, client, url, body, repetitions=repetitions, warmup=warmup
        )
        text = response.content.decode()
        refused = "govuk-error-summary" in text
        if message is None:
            answer = "checked" if not refused and response.status_code == 200 else "WRONG"
        else:
            answer = "refused" if refused and message in text else "WRONG"
        errors += answer == "WRONG"
        ratio = timing.p50_ms / constant.p50_ms
        figures_by_kind[kind] = {
            "bytes": len(content),
            "p50_ms": round(timing.p50_ms, 2),
            "p95_ms": round(timing.p95_ms, 2),
            "p50_to_constant": round(ratio, 1),
            "status": timing.status,
            "answer": answer,
        }
        rows.append(
            (
                kind,
                f"{timing.p50_ms:.2f}",
                f"{timing.p95_ms:.2f}",
                f"{ratio:.1f}",
                str(timing.status),
                answer,
            )
        )
    rows.append(("constant", f"{constant.p50_ms:.3f}", f"{constant.p95_ms:.3f}", "1.0", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    report = "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
    refusals = [k for k, (_n, _c, message) in kinds().items() if message is not None]
    worst = max(refusals, key=lambda kind: figures_by_kind[kind]["p95_ms"])
    report += (
        f"\n\n{repetitions} posts of each kind on {connections['default'].vendor}; "
        f"the slowest refusal is {worst} ({figures_by_kind[worst]['p95_ms']:.2f} ms p95); "
        f"{errors} answered otherwise than expected"
    )
    figures = {
        "database": connections["default"].vendor,
        "repetitions": repetitions,
        "constant_p50_ms": round(constant.p50_ms, 3),
        "kinds": figures_by_kind,
        "worst_refusal": worst,
        "worst_refusal_p95_ms": figures_by_kind[worst]["p95_ms"],
        "errors": errors,
    }
    return report, figures
