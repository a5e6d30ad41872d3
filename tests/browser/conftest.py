"""Browser fixtures: pytest-flask's live server and one headless Debian Chromium per session.

The live server is forked from the test process; the database engine's pool is emptied first so
that the server never inherits (and shares) a connection of the test process. Chromium starts
after the fork, so the fork never happens in a process that already runs Playwright's driver.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from app.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def server(app, request):
    """pytest-flask's `live_server`, forked from a process that holds no database connection.

    The server is told its name is `localhost`, so that the links it prints (share text, poster,
    QR code) are `http://localhost:PORT/...` like `server.url()`, which Chromium can open.
    The test process then gets its configuration back: the forked server keeps its own copy,
    and tests that run later in the session see the app as it was.
    """
    original = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = "localhost"
    with app.app_context():
        db.engine.dispose()
    try:
        return request.getfixturevalue("live_server")
    finally:
        app.config["SERVER_NAME"] = original


@pytest.fixture(scope="session")
def browser(server):
    """One headless Chromium for the whole session (Debian's; nothing is downloaded)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _end_test_transaction(app):
    """Close the test's own database transaction before the tables are emptied.

    Reading a factory-made row after its commit opens a transaction in the session of the
    request context pytest-flask pushes for the test; on PostgreSQL it would hold a lock that
    the TRUNCATE of `_empty_tables` (another session) waits for. This teardown runs first.
    """
    yield
    db.session.rollback()


@pytest.fixture(scope="session")
def artifacts():
    """The gitignored folder where browser tests leave their screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
