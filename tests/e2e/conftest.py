"""Real-browser tests: Playwright's sync API driving Debian's Chromium against the live server."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium. Missing on a developer's machine: the e2e tests are skipped;
    missing under CI (the CI variable is set): they fail, so they cannot silently not run."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def browser(chromium_path, live_server, monkeypatch):
    """A browser for one test, started once the database and the live server are ready.

    While Playwright's sync API is running, the thread has a running event loop, and
    Django then keeps its database connections in a different (async) slot: a
    connection made before Playwright started is not the one seen after. The test
    database is set up, and its contents restored (serialized_rollback), on the first
    kind; so Playwright must start after that and stop before the test's flush.

    Django also refuses ORM calls from a thread with a running loop unless told it is
    safe, which it is here: the loop only drives the browser. The variable is set for
    the test only, so it cannot leak into a subprocess another test starts (manage.py
    check --deploy rejects it).
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    # CI shares two cores between the live server, Chromium and the tests: give slow
    # moments room rather than fail on them (5 s is Playwright's default).
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # A test that used the ORM while the loop ran opened connections in the async
        # slot; close them here, where that slot is still the one seen, or PostgreSQL
        # cannot drop the test database at the end.
        connections.close_all()


def _watch_console(page):
    """Keep the page's console errors (a blocked script or style shows up there)."""
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield _watch_console(context.new_page())
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False)
    page = _watch_console(context.new_page())
    page.javascript_enabled = False  # assert_accessible reads it: see _axe_page_for
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_script():
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run npm ci", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@contextmanager
def _axe_page_for(page):
    """The page axe can run in: ``page`` itself, or, for a page without JavaScript, a copy.

    With JavaScript off Chromium runs no timers, not even for page.evaluate, and axe.run
    waits on setTimeout: it would never return (and page.evaluate has no timeout). So
    the copy is the page's HTML as it stands, served at its address in a context with
    JavaScript on but every script request refused: the same document and styles, no
    script of ours run on it (init.js would add the js-enabled classes). No page here
    uses <noscript>, the one thing this copy would show differently.
    """
    if getattr(page, "javascript_enabled", True):
        yield page
        return
    html = page.content()

    def serve(route):
        request = route.request
        if request.is_navigation_request():
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.route("**/*", serve)
        copy.goto(page.url)
        assert copy.title() == page.title(), "axe's copy is not the page"
        yield copy
    finally:
        context.close()


@pytest.fixture
def assert_accessible(axe_script):
    """Runs axe-core on the page and fails on any serious or critical violation.

    axe goes in with page.evaluate (through DevTools), which the page's Content Security
    Policy does not govern; a <script> tag added to the page would be blocked. A page
    without JavaScript is checked as a copy (_axe_page_for).
    """

    def check(page):
        with _axe_page_for(page) as checked:
            checked.evaluate(axe_script)
            results = checked.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        serious = [
            violation
            for violation in results["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        report = "\n".join(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            + "\n".join(f"    {node['target']}" for node in violation["nodes"])
            for violation in serious
        )
        if serious:
            pytest.fail(f"axe found serious or critical problems on {page.url}:\n{report}")

    return check
