"""Crash safety: the production server is killed with SIGKILL while 20 client processes check people in and
vote; after a restart on the same database every acknowledged request is there and nothing is half-written.

Runs on SQLite (WAL, a file of its own) and on PostgreSQL (a database of its own, dropped afterwards).
"""

import multiprocessing
import time
import uuid
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app import create_app
from app.audit.models import AuditEvent
from app.audit.service import GENESIS, event_digest, event_fields
from app.auth.models import User
from app.extensions import db
from app.hearings.models import Hearing
from app.proposals import service as proposals
from app.registration import service as registration
from app.registration.models import CheckIn, Participant
from app.registration.service import new_token
from app.rules.codes import new_code
from app.voting import service as voting
from app.voting.models import Ballot, BallotChoice, VotingSetup
from tests import crash_clients as crash
from tests.helpers import PASSWORD, Factory

MAINTENANCE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CLIENTS = 20
PARTICIPANTS = 400  # half are in the hall when voting opens, the other half arrive during the run
PROJECTS = 5
KILL_AFTER = {"checkin": 20, "ballot": 40}  # acknowledged before the kill
AFTER_RESTART = {"checkin": 10, "ballot": 20}  # acknowledged after the restart before the clients stop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of this test's own: a SQLite file, or a PostgreSQL database created and dropped here."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite'}"
        return
    name = f"hearings_crash_{uuid.uuid4().hex[:12]}"
    maintenance = sa.create_engine(MAINTENANCE_URL, isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield MAINTENANCE_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with maintenance.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        maintenance.dispose()


def _hall(url: str) -> dict:
    """A participatory-budget hearing with PROJECTS admitted projects and PARTICIPANTS registered tickets;
    the first half is checked in (through the service) and voting is open."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "crash-test-secret"})
    with app.test_request_context():
        factory = Factory()
        municipality = factory.municipality(slug="crash", name="Crash", settlements=("Crash",))
        clerk = factory.user("crashclerk", municipality, "clerk")
        hearing = factory.hearing(municipality, state="announced", envelope=Decimal("1000000"),
                                  kind="participatory_budget")  # fmt: skip
        projects = []
        for n in range(PROJECTS):
            proposal = proposals.submit(hearing, {"title": f"Project {n + 1}", "category": "water_supply",
                                                  "settlement_id": municipality.settlements[0].id})  # fmt: skip
            proposals.set_cost(proposal, Decimal(100000), clerk)
            proposals.admit(proposal, clerk)
            projects.append(proposal.id)
        tokens = _register(hearing, municipality)
        present = tokens[: PARTICIPANTS // 2]
        for participant in db.session.scalars(sa.select(Participant).where(Participant.token.in_(present))):
            registration.check_in(hearing, participant, clerk, "code")
        voting.open_voting(hearing, clerk)
        world = {"hearing_id": hearing.id, "projects": projects, "present": present,
                 "arriving": tokens[PARTICIPANTS // 2 :]}  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    return world


def _register(hearing, municipality) -> list[str]:
    """PARTICIPANTS registered tickets in one insert (as bench/checkin.py loads them)."""
    bands = [band.id for band in municipality.age_bands]
    codes: set[str] = set()
    while len(codes) < PARTICIPANTS:
        codes.add(new_code())
    rows = [{"hearing_id": hearing.id, "token": new_token(), "short_code": code, "source": "online",
             "gender": ("female", "male", "undisclosed")[n % 3], "age_band_id": bands[n % len(bands)],
             "disability": False} for n, code in enumerate(sorted(codes))]  # fmt: skip
    db.session.execute(sa.insert(Participant), rows)
    db.session.commit()
    return [row["token"] for row in rows]


def _plans(world: dict, port: int, tmp_path, deadline: float) -> list[crash.ClientPlan]:
    sessions = crash.open_sessions(port, "crashclerk", PASSWORD, world["present"][0])
    return [
        crash.ClientPlan(index=n, port=port, hearing_id=world["hearing_id"], sessions=sessions,
                         checked_in=world["present"][n::CLIENTS], arriving=world["arriving"][n::CLIENTS],
                         projects=world["projects"], log_path=str(tmp_path / f"client-{n}.jsonl"), deadline=deadline)
        for n in range(CLIENTS)
    ]  # fmt: skip


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _crash_and_restart(server, url: str, port: int, log, counters: dict, run: dict):
    """SIGKILL the master and its workers at once, wait until clients hit the dead port, start a new server."""
    run["killed_at"] = time.time()
    run["victims"] = crash.kill_group(server)
    run["survivors"] = crash.live_members(server.pid)
    run["before"] = {op: counters[op].value for op in ("checkin", "ballot", "errors")}
    _wait_for(lambda: counters["errors"].value > run["before"]["errors"], 10, "clients to see the dead server")
    time.sleep(0.5)  # clients keep knocking on a closed port for a while
    run["restarted_at"] = time.time()
    server = crash.start_server(url, port, log)
    run["restarted"] = server
    crash.wait_until_serving(server, port)
    run["served_again"] = time.time()
    return server


def _run(url: str, world: dict, tmp_path) -> dict:
    """Serve, start the clients, SIGKILL the server group mid-run, restart it, let the clients go on, stop."""
    context = multiprocessing.get_context("fork")
    counters = {name: context.Value("i", 0) for name in ("checkin", "ballot", "errors")}
    stop = context.Event()
    port, log = crash.free_port(), tmp_path / "gunicorn.log"
    server = crash.start_server(url, port, log)
    run, clients = {"started": time.time()}, []
    try:
        crash.wait_until_serving(server, port)
        run["served"] = time.time()
        plans = _plans(world, port, tmp_path, deadline=time.time() + 180)
        clients = [context.Process(target=crash.client_main, args=(plan, counters, stop)) for plan in plans]
        for client in clients:
            client.start()
        reached = lambda goals: all(counters[op].value >= n for op, n in goals.items())  # noqa: E731
        _wait_for(lambda: reached(KILL_AFTER), 60, "acknowledgements before the kill")
        server = _crash_and_restart(server, url, port, log, counters, run)
        goals = {op: run["before"][op] + n for op, n in AFTER_RESTART.items()}
        _wait_for(lambda: reached(goals), 60, "acknowledgements after the restart")
        stop.set()
        for client in clients:
            client.join(30)
        run["client_exit_codes"] = [client.exitcode for client in clients]
    finally:
        stop.set()
        for client in clients:
            if client.is_alive():
                client.kill()
                client.join(5)
        # Stopped by a second SIGKILL, with no request in flight: gunicorn's own shutdowns sleep 3-4 s.
        crash.kill_group(run.get("restarted", server))
    run["stopped"] = time.time()
    run["log"] = crash.read_logs(tmp_path / f"client-{n}.jsonl" for n in range(CLIENTS))
    return run


def _audit_breaks() -> list[int]:
    """Ids of audit events whose link or hash does not match a recomputation of the chain."""
    previous, broken = GENESIS, []
    for event in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != previous or event.hash != event_digest(previous, event_fields(event)):
            broken.append(event.id)
        previous = event.hash
    return broken


def _half_written(hearing_id: int) -> dict[str, int]:
    """Counts of rows that only a torn transaction could leave; all must be zero."""
    count = lambda query: db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))  # noqa: E731
    created = sa.select(AuditEvent.object_id).where(AuditEvent.action == "checkin.create")
    return {
        "check-ins without participant": count(sa.select(CheckIn.id).outerjoin(Participant).where(
            Participant.id.is_(None))),
        "check-ins without their audit event": count(sa.select(CheckIn.id).where(CheckIn.id.not_in(created))),
        "check-in audit events without check-in": count(created.where(
            AuditEvent.object_id.not_in(sa.select(CheckIn.id)))),
        "ballots without choices": count(sa.select(Ballot.id).where(
            Ballot.id.not_in(sa.select(BallotChoice.ballot_id)))),
        "choices without ballot": count(sa.select(BallotChoice.id).where(
            BallotChoice.ballot_id.not_in(sa.select(Ballot.id)))),
        "ballots of tickets not checked in": count(sa.select(Ballot.id).where(
            Ballot.participant_id.not_in(sa.select(CheckIn.participant_id)))),
        "rows of another hearing": count(sa.select(Ballot.id).where(Ballot.hearing_id != hearing_id))
        + count(sa.select(CheckIn.id).where(CheckIn.hearing_id != hearing_id)),
    }  # fmt: skip


def _stored(url: str, hearing_id: int) -> dict:
    """What the database holds after the run, read by a fresh app; then voting closes and is counted."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "crash-test-secret"})
    with app.test_request_context():
        token_of = dict(db.session.execute(sa.select(Participant.id, Participant.token)).all())
        check_ins = Counter(token_of[p] for p in db.session.scalars(sa.select(CheckIn.participant_id)))
        ballots = {token_of[b.participant_id]: (b.version, sorted(c.proposal_id for c in b.choices))
                   for b in db.session.scalars(sa.select(Ballot))}  # fmt: skip
        hearing = db.session.get(Hearing, hearing_id)
        setup = db.session.scalar(sa.select(VotingSetup).where(VotingSetup.hearing_id == hearing_id))
        actions = Counter(db.session.scalars(sa.select(AuditEvent.action)))
        stored = {"check_ins": check_ins, "ballots": ballots, "half_written": _half_written(hearing_id),
                  "audit_breaks": _audit_breaks(), "state": hearing.state, "actions": actions,
                  "voting_window": (setup.opened_at is not None, setup.closed_at is None),
                  "values": set(db.session.scalars(sa.select(BallotChoice.value)))}  # fmt: skip
        clerk = db.session.scalar(sa.select(User).filter_by(username="crashclerk"))
        stored["counted"] = voting.close_voting(hearing, clerk).ballots
        stored["audit_breaks_after_close"] = _audit_breaks()
        db.session.remove()
        db.engine.dispose()
    return stored


def _histories(log: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Per operation and ticket, the attempts in the order they were sent, each marked acknowledged or not."""
    histories: dict[str, dict[str, list[dict]]] = {"checkin": defaultdict(list), "ballot": defaultdict(list)}
    for entry in log:
        if entry["kind"] == "attempt":
            histories[entry["op"]][entry["token"]].append({"choices": entry.get("choices"), "acked": False})
        elif entry["kind"] == "ack":
            histories[entry["op"]][entry["token"]][-1]["acked"] = True
    return histories


def _ballot_mismatches(history: dict[str, list[dict]], stored: dict) -> list[str]:
    """Voters whose stored ballot is not their last acknowledged one (or a later unanswered attempt)."""
    wrong = []
    for token, attempts in history.items():
        acked = [n for n, attempt in enumerate(attempts) if attempt["acked"]]
        version, choices = stored.get(token, (0, None))
        allowed = [attempt["choices"] for attempt in attempts[acked[-1] if acked else 0 :]]
        if not len(acked) <= version <= len(attempts) or (version and choices not in allowed):
            wrong.append(f"{token[:8]}: stored v{version} {choices}, acked {len(acked)} of {len(attempts)}")
    return wrong + [f"{token[:8]}: never sent" for token in stored if token not in history]


def _figures(run: dict, log: list[dict]) -> dict:
    """Acknowledgements before the kill and after the restart, connection errors while the server was down."""
    acks = [entry for entry in log if entry["kind"] == "ack"]
    return {
        "before": Counter(e["op"] for e in acks if e["t"] < run["killed_at"]),
        "after": Counter(e["op"] for e in acks if e["t"] >= run["restarted_at"]),
        "errors_after_kill": sum(e["kind"] == "connection_error" and e["t"] >= run["killed_at"] for e in log),
        "repeats": sum(e.get("result") == "already" for e in acks),
        "seconds": round(run["stopped"] - run["started"], 1),
        # seconds from the first start: served, killed, restarted, served again, last acknowledgement, stopped
        "timeline": [round(moment - run["started"], 1) for moment in (
            run["served"], run["killed_at"], run["restarted_at"], run["served_again"], max(e["t"] for e in acks),
            run["stopped"])],
    }


def test_every_acknowledged_check_in_and_ballot_survives_a_sigkill_of_the_server(database_url, tmp_path):
    started = time.time()
    crash.migrate(database_url)
    world = _hall(database_url)
    run = _run(database_url, world, tmp_path)
    log = run["log"]
    figures = _figures(run, log)
    print(f"\n{database_url.split(':')[0]}: {figures}, total {time.time() - started:.1f} s")

    # The crash really happened, mid-run, and the clients lived through it.
    assert len(run["victims"]) >= 3 and run["survivors"] == set()  # the master and both workers
    assert figures["before"]["checkin"] > 0 and figures["before"]["ballot"] > 0
    assert figures["after"]["checkin"] > 0 and figures["after"]["ballot"] > 0
    assert figures["errors_after_kill"] > 0
    assert run["client_exit_codes"] == [0] * CLIENTS
    assert [e for e in log if e["kind"] == "refused"] == []  # no 4xx or 5xx, only answers or dead sockets

    stored = _stored(database_url, world["hearing_id"])
    histories = _histories(log)
    acked_check_ins = {token for token, tries in histories["checkin"].items() if any(t["acked"] for t in tries)}
    assert acked_check_ins and all(stored["check_ins"][token] == 1 for token in acked_check_ins)
    assert all(stored["check_ins"][token] == 1 for token in world["present"])
    assert set(stored["check_ins"]) <= set(world["present"]) | set(histories["checkin"])
    assert max(stored["check_ins"].values()) == 1
    assert _ballot_mismatches(histories["ballot"], stored["ballots"]) == []
    assert stored["half_written"] == dict.fromkeys(stored["half_written"], 0)
    assert stored["values"] == {1}  # approval ballots: a tick is worth one

    # The audit chain is whole and the hearing moved through its states once, and can still be counted.
    assert stored["audit_breaks"] == [] and stored["audit_breaks_after_close"] == []
    assert stored["actions"]["checkin.create"] == len(stored["check_ins"])
    assert stored["actions"]["hearing.open"] == 1 and stored["actions"]["hearing.open_voting"] == 1
    assert stored["state"] == "voting" and stored["voting_window"] == (True, True)
    assert stored["counted"] == len(stored["ballots"])
