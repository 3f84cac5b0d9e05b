"""The compiled catalogues (.mo) the tests read: ``make setup`` builds them from the
committed .po files; a test run started without it (pytest alone, after a merge that
changed a .po) builds the stale ones itself, each into a temporary file renamed into
place, so that test processes running side by side never read a half-written one."""

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings


def compile_stale_catalogues() -> list[Path]:
    """Compile every .po of LOCALE_PATHS whose .mo is missing or older; returns them."""
    compiled = []
    for locale_path in settings.LOCALE_PATHS:
        for po in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo-tmp")
            os.close(handle)
            try:
                subprocess.run(
                    ["msgfmt", "--check-format", "-o", temporary, str(po)],
                    check=True,
                    capture_output=True,
                )
                os.replace(temporary, mo)
            finally:
                if os.path.exists(temporary):
                    os.remove(temporary)
            compiled.append(mo)
    return compiled
