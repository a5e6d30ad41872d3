"""Database snapshots and storage invariants for the security tests.

`snapshot()` fingerprints every table, so that a refused request can be shown to have written nothing.
`storage_violations()` finds values that SQLite stores silently but PostgreSQL refuses (NUL characters,
strings longer than their column, integers outside a 32-bit column): on SQLite they show a request that
would be a 500 on PostgreSQL.
"""

import hashlib

import sqlalchemy as sa

from app.extensions import db

INT32 = 2**31


def snapshot() -> dict[str, str]:
    """A digest of every table's rows, by table name."""
    db.session.expire_all()
    digests = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            digests[table.name] = f"{len(rows)}:{hashlib.sha1(repr(rows).encode()).hexdigest()}"
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ between two snapshots."""
    return sorted(name for name in before if before[name] != after.get(name))


def row_counts() -> dict[str, int]:
    """How many rows each table holds."""
    with db.engine.connect() as connection:
        return {
            table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def _problem(column: sa.Column, value) -> str | None:
    """Why PostgreSQL would refuse `value` in `column`, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return "NUL character"
        if any("\ud800" <= c <= "\udfff" for c in value):
            return "lone surrogate"
        length = getattr(column.type, "length", None)
        if length is not None and len(value) > length:
            return f"{len(value)} characters in a column of {length}"
    elif isinstance(value, int) and not isinstance(value, bool):
        if isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.BigInteger):
            if not -INT32 <= value < INT32:
                return f"{value} outside a 32-bit integer"
    return None


def storage_violations() -> list[str]:
    """Every stored value PostgreSQL would have refused, as 'table.column: why'."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            checked = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Integer))]
            if not checked:
                continue
            for row in connection.execute(sa.select(*checked)):
                for column, value in zip(checked, row, strict=True):
                    problem = _problem(column, value)
                    if problem:
                        found.append(f"{table.name}.{column.name}: {problem}")
    return found
