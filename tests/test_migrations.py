"""The schema comes only from migrations, and they build it from an empty database."""

import os
import subprocess
import sys

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_migrated_schema_matches_the_models(app):
    """The session database was built by `upgrade()` from zero; nothing is missing or extra."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_flask_db_upgrade_builds_an_empty_sqlite_database_from_zero(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py"}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    result = subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    engine.dispose()
    assert {"municipality", "hearing", "audit_event", "alembic_version"} <= tables
    assert mode == "wal"
