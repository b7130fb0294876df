"""The browser suite: Debian's Chromium driven by Playwright against pytest-django's live
server. One browser for the whole session; a fresh context (cookies, storage) per test.

Never `playwright install`: the browser is /usr/bin/chromium (scripts/ensure_chromium.py
installs Debian's package when it is missing). The static files come from frontend/build, which
`make` builds."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import AXE

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to
# build their data would otherwise be refused as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
FRONTEND_BUILD = ROOT / "frontend" / "build"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]
VIEWPORT = {"width": 1280, "height": 900}


def _require(path: Path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}). {_HOW_TO_FIX[what]}", pytrace=False)


_HOW_TO_FIX = {
    "Chromium": "Run `python scripts/ensure_chromium.py` (installs Debian's chromium).",
    "The built frontend": "Run `make frontend` (or `make test`) to build frontend/build.",
    "axe-core": "Run `make frontend` to install frontend/node_modules.",
}


# One Playwright and one Chromium per test process, however many modules use the `browser`
# fixture (an app's own browser test may import it): Playwright's sync API refuses to start a
# second time while the first is running.
_SHARED: dict[str, object] = {}


def shared_browser():
    if "browser" not in _SHARED:
        from django.db import connections
        from playwright.sync_api import sync_playwright

        # Once Playwright's event loop runs in this thread, Django keeps its connections in a
        # context variable instead of a thread-local: the tests get fresh connection objects.
        # Carry over the database snapshot the test database was made with, or serialized
        # rollback would have nothing to put back.
        snapshots = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        playwright = sync_playwright().start()
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
    return _SHARED["browser"]


def close_shared_browser() -> None:
    browser = _SHARED.pop("browser", None)
    if browser is not None:
        browser.close()
        _SHARED.pop("playwright").stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require(CHROMIUM, "Chromium")
    _require(FRONTEND_BUILD / "govuk" / "govuk-frontend.min.css", "The built frontend")
    _require(AXE, "axe-core")
    yield shared_browser()
    close_shared_browser()


@pytest.fixture
def _audit_guard_lifted_for_flush(transactional_db):
    """A transactional test ends by emptying every table (a TRUNCATE on PostgreSQL, a DELETE on
    SQLite), which the audit table's append-only guard refuses while it holds rows. The test's
    audit rows are first deleted with the guard lifted by DDL for that one statement (this
    database is the suite's own); the flush then finds the table empty, which the guard allows.
    No session setting can lift the guard (recovery/core/append_only.py)."""
    yield
    from recovery.audit.models import AuditEvent
    from recovery.core.append_only import empty_for_tests

    empty_for_tests(AuditEvent)
    # The defensible decision log (decisions): its recorded entries are guarded the same way.
    from recovery.decisions.models import DecisionEntry

    empty_for_tests(DecisionEntry)
    # The fortnightly reports to ministers (ministers): kept as made, guarded the same way.
    from recovery.probation.ministers_models import MinistersReport

    empty_for_tests(MinistersReport)


@pytest.fixture
def server(
    live_server, transactional_db, django_db_serialized_rollback, _audit_guard_lifted_for_flush
) -> str:
    """The live server's base URL. The test's data is committed so the server thread sees it;
    afterwards every table is emptied, and the reference data that migrations load (the stage
    ladder, the regime elements) is put back for the next test (serialized rollback)."""
    return live_server.url


@pytest.fixture
def new_page(browser, server):
    """new_page(javascript=True, enforce_csp=False): a page in a fresh context.

    Axe is injected as a script tag, which the service's Content Security Policy would refuse,
    so contexts that run axe bypass the CSP; a context made with enforce_csp=True keeps it, to
    find the violations a real browser would report."""
    contexts = []

    def make(*, javascript: bool = True, enforce_csp: bool = False):
        context = browser.new_context(
            base_url=server,
            viewport=VIEWPORT,
            java_script_enabled=javascript,
            bypass_csp=not enforce_csp,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
