"""Backups of the whole database: SQLite's online backup API, or pg_dump and pg_restore for PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@dataclass(frozen=True)
class Summary:
    """What a backup file or a restored database holds: its size and the rows of every table."""

    path: str
    size: int
    rows: dict[str, int]

    @property
    def total(self) -> int:
        """All rows of the app's tables (the schema version row not counted)."""
        return sum(n for name, n in self.rows.items() if name != VERSION_TABLE)


def table_rows(connection: sa.Connection) -> dict[str, int]:
    """Rows per table of the app's schema (and the schema version) present behind `connection`."""
    present = set(sa.inspect(connection).get_table_names())
    names = [table.name for table in db.metadata.sorted_tables if table.name in present]
    if VERSION_TABLE in present:
        names.append(VERSION_TABLE)
    count = sa.select(sa.func.count())
    return {name: connection.scalar(count.select_from(sa.table(name))) for name in names}


def backup(engine: sa.Engine, path: str) -> Summary:
    """Write a consistent copy of the database behind `engine` to `path`, replacing it only when complete."""
    partial = path + ".partial"
    if os.path.exists(partial):
        os.remove(partial)
    if engine.dialect.name == "sqlite":
        rows = _backup_sqlite(engine, path, partial)
    elif engine.dialect.name == "postgresql":
        rows = _backup_postgresql(engine, partial)
    else:
        raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
    os.replace(partial, path)
    return Summary(path, os.path.getsize(path), rows)


def current_rows(engine: sa.Engine) -> dict[str, int]:
    """Rows per table of the database behind `engine` now."""
    with engine.connect() as connection:
        return table_rows(connection)


def restore(engine: sa.Engine, path: str) -> Summary:
    """Replace the whole database behind `engine` with the backup in `path`."""
    with open(path, "rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    engine.dispose()  # our own pooled connections must not hold the tables the restore replaces
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup.")
        _restore_sqlite(engine, path)
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{path} is not a pg_dump archive in the custom format.")
        _run("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", path, url=engine.url)
    else:
        raise BackupError(f"Restoring {engine.dialect.name} databases is not supported.")
    engine.dispose()
    return Summary(path, os.path.getsize(path), current_rows(engine))


def _sqlite_file(engine: sa.Engine) -> str:
    """The file of an SQLite engine; an in-memory database has none to back up."""
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return database


def _backup_sqlite(engine: sa.Engine, path: str, partial: str) -> dict[str, int]:
    """Copy the live database page by page with SQLite's online backup API (consistent while the app writes)."""
    if os.path.exists(path) and os.path.samefile(path, _sqlite_file(engine)):
        raise BackupError("The backup would overwrite the database itself; choose another path.")
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            target.close()
    finally:
        raw.close()
    copy = sa.create_engine(f"sqlite:///{partial}", poolclass=sa.pool.NullPool)
    try:
        with copy.connect() as connection:
            return table_rows(connection)
    finally:
        copy.dispose()


def _restore_sqlite(engine: sa.Engine, path: str) -> None:
    """Copy the backup over the live database with the online backup API, after checking the file is sound."""
    source = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in source.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path} is damaged: {problems[0]}")
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)
        finally:
            raw.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path}: {error}") from error
    finally:
        source.close()


def _backup_postgresql(engine: sa.Engine, partial: str) -> dict[str, int]:
    """pg_dump in the custom format, reading the snapshot in which the rows are counted."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
            rows = table_rows(connection)
            _run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", url=engine.url)
    return rows


def libpq_target(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for a SQLAlchemy URL, and the environment carrying its password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # not on the command line, where `ps` would show it
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return dsn, env


def _run(program: str, *args: str, url: sa.URL) -> None:
    """Run a PostgreSQL client program against `url`; its error output becomes the BackupError."""
    binary = shutil.which(program) or f"/usr/bin/{program}"
    if not os.path.exists(binary):
        raise BackupError(f"{program} was not found; install the PostgreSQL client programs.")
    dsn, env = libpq_target(url)
    done = subprocess.run([binary, *args, f"--dbname={dsn}"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{program} failed: {done.stderr.strip()}")
