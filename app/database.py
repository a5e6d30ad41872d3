"""Engine settings: SQLite gets WAL, foreign keys and a busy timeout on every connection."""

from flask import Flask
from sqlalchemy import event

from app.extensions import db


def configure_engine(app: Flask) -> None:
    """Install the SQLite pragmas; PostgreSQL needs nothing here."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
