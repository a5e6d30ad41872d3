"""Check-in only: the first two phases of bench/load.py (/healthz, then every participant checked in), for a
quick look after a change on the desk's path. Same settings as bench/load.py (BENCH_DATABASES, BENCH_CLIENTS,
BENCH_WORKERS, BENCH_THREADS, BENCH_PARTICIPANTS, ...). Prints figures; asserts nothing about time.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import common, data, load  # noqa: E402


def run(kind: str) -> bool:
    """Trivial route and check-ins on one database; True when nothing failed or got lost."""
    s, clients = load.SETTINGS, load.SETTINGS["clients"]
    with common.database(kind) as url:
        env = common.server_env(url)
        common.migrate(env)
        app = data.make_app(url)
        plan = data.seed(app, s["participants"], s["proposals"])
        with common.gunicorn(env, s["workers"], s["threads"]) as server:
            load.warm_up(server.port, plan)
            trivial = common.run_clients("/healthz", load.trivial_client,
                                         [(server.port, max(1, s["trivial"] // clients))] * clients, server)
            checkins = common.run_clients("check-in", load.checkin_client, [
                (server.port, plan.hearing_id, share) for share in load.shares(plan.tokens, clients)], server)
        stored, _ = data.stored(app, plan.hearing_id)
    print(f"\n== {kind}: {s['participants']} participants, {clients} clients, "
          f"gunicorn {s['workers']} workers x {s['threads']} threads")
    print(common.header())
    print(common.line(trivial))
    print(common.line(checkins))
    print(common.ratio(checkins, trivial))
    print(f"workers' shares of server CPU (%): /healthz {common.worker_shares(trivial)}, "
          f"check-in {common.worker_shares(checkins)}")
    print(f"acknowledged check-ins {len(checkins.ok)}, stored {stored}")
    return trivial.errors == checkins.errors == 0 and len(checkins.ok) == stored


if __name__ == "__main__":
    sys.exit(0 if all([run(kind) for kind in load.DATABASES]) else 1)
