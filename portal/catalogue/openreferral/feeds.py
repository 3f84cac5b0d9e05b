"""Reading an Open Referral UK services feed: a URL (its pages fetched in turn), a file,
or a directory of page files. Each page is a dict with a ``contents`` list."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


class FeedUnavailable(Exception):
    """The feed could not be read; the message says why."""


MAX_FEED_PAGES = 1000
MAX_PAGE_BYTES = 20 * 1024 * 1024


def _page_from_json(text: str, where: str) -> dict:
    try:
        page = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedUnavailable(f"{where} is not JSON: {error}") from None
    except RecursionError:
        raise FeedUnavailable(f"{where} is JSON nested too deeply to read") from None
    if isinstance(page, list):  # a bare list of services
        return {"contents": page}
    if not isinstance(page, dict) or not isinstance(page.get("contents", []), list):
        raise FeedUnavailable(f"{where} is not a page of services (no 'contents' list)")
    if "contents" not in page and "id" in page:  # a single service
        return {"contents": [page]}
    return page


def _page_order(path: Path):
    numbers = re.findall(r"\d+", path.stem)
    return (int(numbers[-1]) if numbers else 0, path.name)


def _fetch(url: str, timeout: float) -> str:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "Waymark feed importer"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_PAGE_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise FeedUnavailable(f"Could not read {url}: {error}") from None
    if len(body) > MAX_PAGE_BYTES:
        raise FeedUnavailable(f"{url} is larger than {MAX_PAGE_BYTES // 1024 // 1024} MB")
    return body.decode("utf-8-sig", errors="replace")


def _read_file(path: Path) -> str:
    if path.stat().st_size > MAX_PAGE_BYTES:
        raise FeedUnavailable(f"{path} is larger than {MAX_PAGE_BYTES // 1024 // 1024} MB")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FeedUnavailable(f"{path} is not UTF-8 text") from None


def _with_page(url: str, page: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "page"]
    query.append(("page", str(page)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def read_feed(source: str, *, timeout: float = 30) -> list[dict]:
    """The pages of an ORUK services feed, each a dict with ``contents``.

    ``source`` is a URL (pages are fetched with ``page=1, 2, …`` until the last page),
    a directory (every ``*.json`` file in it is a page, in the order of the number in
    its name) or a file (one page, or a bare list of services).
    """
    if source.startswith(("https://", "http://")):
        pages = []
        for number in range(1, MAX_FEED_PAGES + 1):
            url = _with_page(source, number)
            page = _page_from_json(_fetch(url, timeout), url)
            pages.append(page)
            total_pages = page.get("total_pages")
            if (
                page.get("last_page") is True
                or not page.get("contents")
                or (isinstance(total_pages, int) and number >= total_pages)
            ):
                return pages
        raise FeedUnavailable(f"{source} has more than {MAX_FEED_PAGES} pages")
    path = Path(source)
    if path.is_dir():
        files = sorted(path.glob("*.json"), key=_page_order)
        if not files:
            raise FeedUnavailable(f"{source} has no .json page files")
        return [_page_from_json(_read_file(file), str(file)) for file in files]
    if path.is_file():
        return [_page_from_json(_read_file(path), str(path))]
    raise FeedUnavailable(f"{source} is not a URL, a file or a directory")
