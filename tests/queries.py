"""The check that a page or a function runs no more queries as the data grows."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(run: Callable[[], Any]) -> int:
    """How many queries ``run()`` sends to the database."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def fetch(client, url: str, data=None, *, status: int = 200, **extra) -> Callable[[], Any]:
    """A callable that GETs ``url`` with ``client`` (``extra`` as for ``client.get``) and
    checks the status code, for ``count_queries`` and ``assert_queries_do_not_grow``."""

    def get():
        response = client.get(url, data or {}, **extra)
        assert response.status_code == status, (
            f"GET {url} {data or ''} answered {response.status_code}, not {status}"
        )
        return response

    return get


def assert_queries_do_not_grow(
    run: Callable[..., Any] | Mapping[str, Callable[..., Any]],
    *,
    grow: Callable[[], Any] | None = None,
    sizes: tuple[int, int] | None = None,
    maximum: int | None = None,
) -> tuple[int, int] | dict[str, tuple[int, int]]:
    """Assert that ``run`` sends no more queries at a large data size than at a small one
    (and, with ``maximum``, no more than that), and return the two counts. (Fewer at the
    large size is the small size's cold start: what a process keeps, like the places,
    is read on the first page only.)

    Either ``grow``: count ``run()``, call ``grow()`` to add data, count ``run()`` again;
    or ``sizes=(small, large)``: count ``run(small)`` and ``run(large)``, for work whose
    size is its argument. ``run`` may be a dict of callables by name (several pages or
    filters measured around one ``grow``); the counts then come back by name. The failure
    message gives both counts of each, and the queries run at the large size."""
    __tracebackhide__ = True  # pytest shows the failing test's line, not this one's
    if (grow is None) == (sizes is None):
        raise TypeError("give either grow or sizes")
    runs = dict(run) if isinstance(run, Mapping) else {"": run}
    small_args, large_args = ((), ()) if sizes is None else ((sizes[0],), (sizes[1],))

    def measure(args):
        captured = {}
        for name, each in runs.items():
            with CaptureQueriesContext(connection) as captured[name]:
                each(*args)
        return captured

    small = measure(small_args)
    if grow is not None:
        grow()
    large = measure(large_args)

    problems = []
    for name in runs:
        before, after = len(small[name]), len(large[name])
        if after <= before and (maximum is None or after <= maximum):
            continue
        allowed = "" if maximum is None else f" (at most {maximum} allowed)"
        sql = "\n".join(f"  {query['sql']}" for query in large[name].captured_queries)
        problems.append(
            f"{name + ': ' if name else ''}{before} queries at the small size, {after} at "
            f"the large{allowed}; the queries at the large size:\n{sql}\n"
        )
    if problems:
        raise AssertionError("".join(problems))
    counts = {name: (len(small[name]), len(large[name])) for name in runs}
    return counts if isinstance(run, Mapping) else counts[""]
