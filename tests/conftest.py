"""Fixtures: one migrated database per run (SQLite, or PostgreSQL via TEST_DATABASE_URL),
emptied after every test, plus factories and a logged-in client helper."""

import contextvars
import os

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.registration import panel_cache
from tests.helpers import Factory


class IsolatedClient(FlaskClient):
    """Runs every request in its own application context, as a real server does.

    pytest-flask keeps a context pushed during each test; without this, requests would share
    its `g` (the cached locale, the cached user) and its database session.
    """

    def open(self, *args, **kwargs):
        def in_own_context():
            try:
                return FlaskClient.open(self, *args, **kwargs)
            finally:
                self._context_stack.close()  # pop the request's contexts inside the same Context

        response = contextvars.Context().run(in_own_context)
        if has_app_context():
            db.session.expire_all()  # the test's own reads must see what the request committed
        return response


def _reset_database(url: str) -> None:
    """Start from an empty database so that the migrations run from zero."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside TEST_DATABASE_URL's: `test_gw0`, ...

    They are made from the given database (same server, same credentials) and kept for the next run.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    given = sa.engine.make_url(url)
    name = f"{given.database}_{worker}"
    engine = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The app on a database built by running every migration from an empty schema."""
    tmp = tmp_path_factory.mktemp("instance")
    url = _worker_database(os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite'}")
    _reset_database(url)

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = str(tmp / "uploads")

    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before pytest exits (ResourceWarning otherwise)


def empty_tables(app) -> None:
    """Delete every row of every table (the schema stays)."""
    if has_app_context():
        db.session.remove()  # end the test's own transaction, or PostgreSQL's TRUNCATE waits for it
    with app.app_context():
        db.session.rollback()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{name}"' for name in tables)
            db.session.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                db.session.execute(sa.text(f'DELETE FROM "{name}"'))
        db.session.commit()
    panel_cache.clear()  # panels rendered from the rows just deleted


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Empty every table after each test so that tests never see each other's rows."""
    yield
    if "app" in request.fixturenames:
        empty_tables(request.getfixturevalue("app"))


@pytest.fixture
def make(app):
    """Factories for municipalities, users and hearings."""
    return Factory()
