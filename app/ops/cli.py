"""The `flask audit verify`, `flask backup` and `flask restore` commands."""

import click

from app.extensions import db
from app.ops import backup as backups
from app.ops import bp
from app.rules.audit_chain import CUT_OFF, EDITED, MIN_SEAL_DIGITS, MOVED, RESEALED, ChainBreak, parse_seal


def _size(n: float) -> str:
    """A byte count as people read it."""
    if n < 1024:
        return f"{int(n)} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            break
    return f"{n:.1f} {unit}"


def _describe(broken: ChainBreak) -> str:
    """One line saying which event broke the chain and what that means."""
    if broken.kind == CUT_OFF:
        end = f"the log ends at event {broken.previous_id}" if broken.previous_id else "the log is empty"
        return f"event {broken.event_id}: sealed but not in the log ({end}): events were cut off or deleted"
    if broken.kind == RESEALED:
        return f"event {broken.event_id}: its hash is not the sealed one: it or an event before it was rewritten"
    if broken.kind == EDITED:
        return f"event {broken.event_id}: hash mismatch, the row was changed after it was written"
    if broken.kind == MOVED:
        target = f"event {broken.linked_to}" if broken.linked_to else "the start of the chain"
        after = f"event {broken.previous_id}" if broken.previous_id else "the start"
        return f"event {broken.event_id}: links to {target}, not to {after}: rows were inserted or reordered"
    before = f"event {broken.previous_id}" if broken.previous_id else "the start of the chain"
    return (f"event {broken.event_id}: prev_hash does not match {before}: "
            "the event before it was deleted or its hash rewritten")  # fmt: skip


def _echo_summary(summary: backups.Summary, verb: str) -> None:
    """Print the size, the number of tables and rows, and the rows of every non-empty table."""
    tables = [name for name in summary.rows if name != backups.VERSION_TABLE]
    click.echo(f"{verb} {summary.path}: {_size(summary.size)}, {len(tables)} tables, {summary.total} rows.")
    filled = [f"{name} {summary.rows[name]}" for name in tables if summary.rows[name]]
    if filled:
        click.echo("  " + ", ".join(filled))


def _where() -> str:
    """The database URL without its password."""
    return db.engine.url.render_as_string(hide_password=True)


@bp.cli.group()
def audit():
    """The append-only, hash-chained audit log."""


def _seals(ctx, param, values) -> dict[int, str]:
    seals = {}
    for value in values:
        seal = parse_seal(value)
        if seal is None:
            raise click.BadParameter(f"{value!r} is not EVENT:HASH (the hash in full or its first "
                                     f"{MIN_SEAL_DIGITS} or more hex digits)")  # fmt: skip
        seals[seal[0]] = seal[1]
    return seals


@audit.command()
@click.option("--show", default=20, show_default=True, help="Print at most this many breaks.")
@click.option("--seal", "seals", multiple=True, callback=_seals, metavar="EVENT:HASH",
              help="An event and hash recorded earlier (this command's last line, or a published hearing's seal); "
                   "fails if that event is gone or changed. Repeatable.")  # fmt: skip
def verify(show, seals):
    """Walk the audit chain; exit 1 naming each event where it breaks.

    The chain shows edited, deleted and moved events, but not events cut off its end: give the seals
    recorded earlier to check that too.
    """
    from app.audit.service import verify as verify_chain

    report = verify_chain(keep=show, seals=seals)
    if report.intact:
        tail = f" (last event {report.last_id}, hash {report.last_hash})" if report.last_id else ""
        click.echo(f"{report.events} events, chain intact{tail}.")
        return
    for broken in report.breaks:
        click.echo(_describe(broken), err=True)
    more = report.break_count - len(report.breaks)
    if more:
        click.echo(f"... and {more} more.", err=True)
    click.echo(f"{report.events} events, chain BROKEN at {report.break_count} places.", err=True)
    raise SystemExit(1)


@bp.cli.command()
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup(path):
    """Write a consistent copy of the whole database to PATH while the app keeps running."""
    try:
        summary = backups.backup(db.engine, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    _echo_summary(summary, f"Backed up {_where()} to")


@bp.cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
def restore(path, yes):
    """Replace the whole database with the backup in PATH; nothing else runs afterwards."""
    present = backups.current_rows(db.engine)
    filled = {name: n for name, n in present.items() if n and name != backups.VERSION_TABLE}
    if filled and not yes:
        click.echo(f"{_where()} already holds data that the restore would overwrite:", err=True)
        click.echo("  " + ", ".join(f"{name} {n}" for name, n in filled.items()), err=True)
        click.echo("Run again with --yes to replace it.", err=True)
        raise SystemExit(1)
    db.session.remove()
    try:
        summary = backups.restore(db.engine, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    _echo_summary(summary, f"Restored {_where()} from")
