"""Load run: the production server (gunicorn) on loopback, on SQLite and on PostgreSQL, with a hearing of
5,000 participants and 200 proposals. Several client processes, each opening a connection per request as a
reverse proxy does, measure in one server run per database the trivial route (/healthz) and then:

  check-in      the desk's check-in POST (a scanned ticket link), every participant once
  ballot        the voter's ballot POST /t/<token>/ballot (approval, 5 of 200 projects), every ticket once
  live panel    GET of the htmx fragment the clerk's live page polls
  results       GET /h/<code>/results of a published hearing with 5,000 ballots and 200 proposals

Prints requests per second, p50, p95, p99 and errors, and each beside /healthz of the same run, and how
the server's CPU was shared between its workers. Asserts
nothing about time; exits non-zero on errors, crashes or a lost acknowledged write.

Run with `make bench` (both databases) or `.venv/bin/python bench/load.py`. Settings (environment):
BENCH_DATABASES (sqlite,postgresql), BENCH_PARTICIPANTS (5000), BENCH_PROPOSALS (200), BENCH_CLIENTS (8),
BENCH_WORKERS (2), BENCH_THREADS (4), BENCH_TRIVIAL (3000), BENCH_PANEL (2000), BENCH_RESULTS (200),
BENCH_POSTGRES_ADMIN_URL (maintenance connection that creates and drops the throwaway database),
BENCH_ACCEPT_ENCODING (default Chromium's "gzip, deflate, br, zstd"; "identity" for uncompressed answers),
BENCH_KEEPALIVE (1: each client keeps one connection open; see bench/common.py).
"""

import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import common, data  # noqa: E402

SETTINGS = {name: int(os.environ.get(f"BENCH_{name.upper()}", default)) for name, default in (
    ("participants", 5000), ("proposals", 200), ("clients", 8), ("workers", 2), ("threads", 4),
    ("trivial", 3000), ("panel", 2000), ("results", 200))}  # fmt: skip
DATABASES = [d.strip() for d in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if d.strip()]
HTMX = {"HX-Request": "true"}


def shares(items: list, clients: int) -> list[list]:
    """Deal the items out to the clients like cards."""
    return [items[i::clients] for i in range(clients)]


# -- clients (each runs in its own process) ------------------------------------------------------


def trivial_client(port, count, ready, go, queue):
    """GET /healthz `count` times."""
    def send(session, _):
        status, _ = session.request("GET", "/healthz")
        return status == 200, f"/healthz answered {status}"

    common.measure(common.Session(port), range(count), send, ready, go, queue)


def checkin_client(port, hearing_id, tokens, ready, go, queue):
    """A desk tablet: log in, then check in each ticket of this share by its scanned link."""
    session = common.Session(port)
    session.login(data.USERNAME, data.PASSWORD, f"/manage/hearings/{hearing_id}/desk")
    headers = {**common.FORM, **HTMX, "X-CSRFToken": session.csrf}
    path = f"/manage/hearings/{hearing_id}/checkin"

    def send(session, token):
        body = urllib.parse.urlencode({"code": f"http://127.0.0.1:{port}/t/{token}", "method": "scanner"})
        status, page = session.request("POST", path, body, headers)
        return status == 200 and b'data-result="checked_in"' in page, f"check-in answered {status}"

    common.measure(session, tokens, send, ready, go, queue)


def ballot_client(port, numbered_tokens, project_ids, ready, go, queue):
    """Voters' phones: each ticket of this share sends its ballot once (the form's token read beforehand)."""
    session = common.Session(port)
    session.fetch_csrf(f"/t/{numbered_tokens[0][1]}/ballot")

    def send(session, item):
        n, token = item
        fields = [("csrf_token", session.csrf)] + [("project", p) for p in data.choices_of(n, project_ids)]
        status, _ = session.request("POST", f"/t/{token}/ballot", urllib.parse.urlencode(fields), common.FORM)
        return status == 303, f"ballot answered {status}"

    common.measure(session, numbered_tokens, send, ready, go, queue)


def panel_client(port, hearing_id, count, ready, go, queue):
    """The clerk's live page polling its panel."""
    session = common.Session(port)
    session.login(data.USERNAME, data.PASSWORD, f"/manage/hearings/{hearing_id}/desk")
    path = f"/manage/hearings/{hearing_id}/live/panel"

    def send(session, _):
        status, page = session.request("GET", path, headers=HTMX)
        return status == 200 and b'id="live-panel"' in page, f"live panel answered {status}"

    common.measure(session, range(count), send, ready, go, queue)


def results_client(port, code, count, ready, go, queue):
    """Citizens reading the published results."""
    def send(session, _):
        status, page = session.request("GET", f"/h/{code}/results")
        return status == 200 and b"Project 1" in page, f"results answered {status}"

    common.measure(common.Session(port), range(count), send, ready, go, queue)


def warm_up(port, plan) -> None:
    """Render every measured page a few times first, so that each worker has compiled its templates."""
    clerk, citizen = common.Session(port), common.Session(port)
    clerk.login(data.USERNAME, data.PASSWORD, f"/manage/hearings/{plan.hearing_id}/desk")
    for _ in range(10):
        clerk.request("GET", f"/manage/hearings/{plan.hearing_id}/desk")
        clerk.request("GET", f"/manage/hearings/{plan.hearing_id}/live/panel", headers=HTMX)
        citizen.request("GET", f"/t/{plan.tokens[0]}/ballot")
        citizen.request("GET", f"/h/{plan.results_code}/results")


# -- one database --------------------------------------------------------------------------------


def run(kind: str) -> bool:
    """Set up, serve and measure on one database; print the figures; True when nothing failed."""
    s, clients = SETTINGS, SETTINGS["clients"]
    with common.database(kind) as url:
        env = common.server_env(url)
        started = time.perf_counter()
        common.migrate(env)
        app = data.make_app(url)
        plan = data.seed(app, s["participants"], s["proposals"])
        print(f"\n== {kind}: {s['participants']} participants, {s['proposals']} proposals, {clients} client "
              f"processes, gunicorn {s['workers']} workers x {s['threads']} threads "
              f"(set up in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        with common.gunicorn(env, s["workers"], s["threads"]) as server:
            port = server.port
            warm_up(port, plan)
            each = max(1, s["trivial"] // clients)
            trivial = common.run_clients("/healthz", trivial_client, [(port, each)] * clients, server)
            checkins = common.run_clients("check-in", checkin_client, [
                (port, plan.hearing_id, share) for share in shares(plan.tokens, clients)], server)  # fmt: skip
            data.open_voting(app, plan.hearing_id)
            voters = [(n, t) for n, t in enumerate(plan.tokens)]
            ballots = common.run_clients("ballot", ballot_client, [
                (port, share, plan.project_ids) for share in shares(voters, clients) if share], server)  # fmt: skip
            panel = common.run_clients("live panel", panel_client, [
                (port, plan.hearing_id, max(1, s["panel"] // clients))] * clients, server)  # fmt: skip
            results = common.run_clients("results page", results_client, [
                (port, plan.results_code, max(1, s["results"] // clients))] * clients, server)  # fmt: skip
        stored_checkins, stored_ballots = data.stored(app, plan.hearing_id)
    print(common.header())
    print(common.line(trivial))
    for figures in (checkins, ballots, panel, results):
        print(common.line(figures))
        print(common.ratio(figures, trivial))
    print("workers' shares of server CPU (%): " + ", ".join(
        f"{f.name} {common.worker_shares(f)}" for f in (trivial, checkins, ballots, panel, results)))
    for figures in (trivial, checkins, ballots, panel, results):
        for sample in figures.samples:
            print(f"  error ({figures.name}): {sample}")
    lost = (len(checkins.ok) - stored_checkins) + (len(ballots.ok) - stored_ballots)
    print(f"acknowledged check-ins {len(checkins.ok)}, stored {stored_checkins}; "
          f"acknowledged ballots {len(ballots.ok)}, stored {stored_ballots}")  # fmt: skip
    print(f"targets (2-core machine): check-ins/s >= 300: {checkins.rate:.0f}; ballots/s >= 300: {ballots.rate:.0f}; "
          f"live panel p95 < 4x /healthz p95: {panel.percentile(95) / max(trivial.percentile(95), 1e-9):.2f}x")
    errors = sum(f.errors for f in (trivial, checkins, ballots, panel, results))
    return errors == 0 and lost == 0


def main() -> int:
    """Run every chosen database one after the other; the exit status says whether anything failed."""
    started = time.perf_counter()
    failed = [kind for kind in DATABASES if not run(kind)]
    print(f"\nload run finished in {time.perf_counter() - started:.0f} s; "
          + (f"FAILED on {', '.join(failed)} (errors or lost writes)" if failed else "no errors"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
