"""`flask backup` and `flask restore`: every row of every table survives the round trip, on SQLite and PostgreSQL."""

import os
import secrets
import sqlite3
from datetime import date

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.auth.models import LoginAttempt
from app.config import TestConfig
from app.consultations.models import Consultation, ConsultationCount, ConsultationPriority
from app.demo import load_demo
from app.extensions import db
from app.hearings.models import HearingDocument, Justification
from app.minutes.models import Question
from app.municipalities.models import Settlement
from app.notifications.service import enqueue
from app.organisations.service import add_organisation
from app.publication.models import Correction
from tests.helpers import Factory
from tests.results_fixtures import ballot_hearing, hands_hearing

MAINTENANCE_URL = os.environ.get("PG_MAINTENANCE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def new_app(url: str, tmp_path, migrate: bool = True):
    """An app of its own on the database at `url`, migrated to the newest schema unless told not to."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        UPLOAD_FOLDER = str(tmp_path / "uploads")

    app = create_app(Config)
    if migrate:
        with app.app_context():
            upgrade()
    return app


def close(*apps) -> None:
    """Close the pooled connections of `apps`."""
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def fill(app) -> None:
    """Records in (nearly) every table, written the way the app writes them."""
    with app.app_context():
        load_demo()
        hearing, people = ballot_hearing(Factory(), slug="ak-bulak")
        hands_hearing(Factory(), slug="ak-suu")
        clerk = people["clerk"]
        organisation = add_organisation(hearing.municipality, "Ak-Bulak women's council", "wag", "wag@example.kg")
        consultation = Consultation(hearing_id=hearing.id, held_on=date(2026, 4, 2), place="School", kind="wag_meeting",
                                    organisation_id=organisation.id)  # fmt: skip
        consultation.counts = [ConsultationCount(gender="female", age_band_id=None, count=14)]
        consultation.priorities = [ConsultationPriority(text="Water for the upper street", position=0)]
        db.session.add_all([
            consultation, LoginAttempt(username="aigul", address="10.0.0.7"),
            Question(hearing_id=hearing.id, text="When will the pipe be laid?", asker_gender="female",
                     answered_by="Head", answer="In June", recorded_by_id=clerk.id),
            Justification(hearing_id=hearing.id, stage="publish", requirement="share", text="Harvest week."),
            Correction(hearing_id=hearing.id, user_id=clerk.id, subject="chair", before="A", after="B", reason="Typo"),
            HearingDocument(hearing_id=hearing.id, kind="draft_budget", original_name="budget.pdf",
                            stored_name="f00d.pdf", content_type="application/pdf", size=1234),
        ])  # fmt: skip
        enqueue("wag@example.kg", "Your proposal", "Answered — жооп берилди.")
        db.session.commit()


def every_row(app) -> dict[str, list[tuple]]:
    """All rows of every table of the schema (and the schema version), ordered by primary key."""
    with app.app_context(), db.engine.connect() as connection:
        rows = {
            table.name: [tuple(row) for row in connection.execute(sa.select(table).order_by(*table.primary_key))]
            for table in db.metadata.sorted_tables
        }
        rows["alembic_version"] = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    return rows


def command(app, *args):
    """Run a `flask` command of `app`; its exit code and output."""
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def test_sqlite_backup_restores_every_row_of_every_table_into_a_fresh_database(tmp_path):
    source = new_app(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    target = new_app(f"sqlite:///{tmp_path / 'fresh.sqlite'}", tmp_path)
    try:
        fill(source)
        before = every_row(source)
        assert [name for name, rows in before.items() if not rows] == []  # every table takes part
        code, output = command(source, "backup", str(tmp_path / "copy.sqlite"))
        assert code == 0, output
        rows = sum(len(r) for name, r in before.items() if name != "alembic_version")
        assert f"{len(before) - 1} tables, {rows} rows" in output
        assert not os.path.exists(tmp_path / "copy.sqlite-wal")  # one self-contained file

        code, output = command(target, "restore", str(tmp_path / "copy.sqlite"))
        assert code == 0, output
        assert f"{rows} rows" in output
        assert every_row(target) == before
        assert command(target, "audit", "verify")[0] == 0
    finally:
        close(source, target)


def test_sqlite_backup_while_a_writer_holds_its_transaction_has_only_committed_rows(tmp_path):
    app = new_app(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    writer = sqlite3.connect(tmp_path / "live.sqlite", isolation_level=None)
    try:
        with app.app_context():
            Factory().municipality()
        before = every_row(app)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO settlement (municipality_id, name) VALUES (1, 'Uncommitted')")
        code, output = command(app, "backup", str(tmp_path / "copy.sqlite"))
        assert code == 0, output
        writer.execute("COMMIT")
        copy = new_app(f"sqlite:///{tmp_path / 'copy.sqlite'}", tmp_path, migrate=False)
        assert every_row(copy) == before
        close(copy)
    finally:
        writer.close()
        close(app)


def test_restore_over_data_needs_yes_and_says_what_it_would_overwrite(tmp_path):
    app = new_app(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    try:
        with app.app_context():
            Factory().municipality(settlements=("Kumbel", "Ak-Bulak"))
        backed_up = every_row(app)
        assert command(app, "backup", str(tmp_path / "copy.sqlite"))[0] == 0
        with app.app_context():
            db.session.add(Settlement(municipality_id=1, name="Kara-Oi"))
            db.session.commit()
        changed = every_row(app)

        code, output = command(app, "restore", str(tmp_path / "copy.sqlite"))
        assert code == 1
        assert "settlement 3" in output and "municipality 1" in output and "--yes" in output
        assert every_row(app) == changed

        code, output = command(app, "restore", "--yes", str(tmp_path / "copy.sqlite"))
        assert code == 0, output
        assert every_row(app) == backed_up
    finally:
        close(app)


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(tmp_path):
    app = new_app(f"sqlite:///{tmp_path / 'live.sqlite'}", tmp_path)
    (tmp_path / "notes.txt").write_text("not a database")
    try:
        with app.app_context():
            Factory().municipality()
        before = every_row(app)
        code, output = command(app, "restore", "--yes", str(tmp_path / "notes.txt"))
        assert code == 1 and "not an SQLite backup" in output
        assert every_row(app) == before
    finally:
        close(app)


@pytest.fixture
def postgres_databases():
    """Two throwaway PostgreSQL databases of this test's own; dropped afterwards."""
    maintenance = sa.create_engine(MAINTENANCE_URL, isolation_level="AUTOCOMMIT")
    names = [f"hearings_backup_{secrets.token_hex(4)}_{part}" for part in ("live", "fresh")]
    with maintenance.connect() as connection:
        for name in names:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield [maintenance.url.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        with maintenance.connect() as connection:
            for name in names:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        maintenance.dispose()


def test_postgresql_backup_restores_every_row_of_every_table_into_an_empty_database(tmp_path, postgres_databases):
    live_url, fresh_url = postgres_databases
    source = new_app(live_url, tmp_path)
    target = new_app(fresh_url, tmp_path, migrate=False)  # not even a schema: pg_restore builds it
    try:
        fill(source)
        before = every_row(source)
        code, output = command(source, "backup", str(tmp_path / "hearings.dump"))
        assert code == 0, output
        rows = sum(len(r) for name, r in before.items() if name != "alembic_version")
        assert f"{len(before) - 1} tables, {rows} rows" in output

        code, output = command(target, "restore", str(tmp_path / "hearings.dump"))
        assert code == 0, output
        assert every_row(target) == before
        assert command(target, "audit", "verify")[0] == 0

        assert command(target, "restore", str(tmp_path / "hearings.dump"))[0] == 1  # now it holds data
        code, output = command(target, "restore", "--yes", str(tmp_path / "hearings.dump"))
        assert code == 0, output
        assert every_row(target) == before
    finally:
        close(source, target)
