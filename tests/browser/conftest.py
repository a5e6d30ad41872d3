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
    """pytest-flask's `live_server`, started from a process that holds no database connection."""
    with app.app_context():
        db.engine.dispose()
    return request.getfixturevalue("live_server")


@pytest.fixture(scope="session")
def browser(server):
    """One headless Chromium for the whole session (Debian's; nothing is downloaded)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts():
    """The gitignored folder where browser tests leave their screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
