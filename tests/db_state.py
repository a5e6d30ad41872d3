"""Database snapshots and storage invariants for the security tests.

`snapshot()` fingerprints every table, so that a refused request can be shown to have written nothing.
`storage_violations()` finds values that SQLite stores silently but PostgreSQL refuses (NUL characters,
strings longer than their column, integers outside a 32-bit column): on SQLite they show a request that
would be a 500 on PostgreSQL.
"""

import hashlib
import re

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


def storage_violations(tables=None) -> list[str]:
    """Every stored value PostgreSQL would have refused, as 'table.column: why' (in `tables`, default all)."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if tables is not None and table.name not in tables:
                continue
            checked = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Integer))]
            if not checked:
                continue
            for row in connection.execute(sa.select(*checked)):
                for column, value in zip(checked, row, strict=True):
                    problem = _problem(column, value)
                    if problem:
                        found.append(f"{table.name}.{column.name}: {problem}")
    return found


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


class WriteWatch:
    """The tables that committed transactions wrote to, from the engine's events (no table is read).

    Much cheaper than two snapshots around every request, so that hundreds of hostile requests fit in seconds.
    """

    def __init__(self, engine):
        self.engine = engine
        self.pending: dict[int, set[str]] = {}
        self.committed: set[str] = set()

    def _execute(self, connection, _cursor, statement, _parameters, _context, _executemany):
        match = WRITE.match(statement)
        if match:
            self.pending.setdefault(id(connection), set()).add(match.group(1))

    def _commit(self, connection):
        self.committed |= self.pending.pop(id(connection), set())

    def _rollback(self, connection):
        self.pending.pop(id(connection), None)

    def take(self) -> set[str]:
        """The tables written and committed since the last call."""
        written, self.committed = self.committed, set()
        return written

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._execute)
        sa.event.listen(self.engine, "commit", self._commit)
        sa.event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._execute)
        sa.event.remove(self.engine, "commit", self._commit)
        sa.event.remove(self.engine, "rollback", self._rollback)
