"""The load run still works: a tiny run of bench/load.py against the real server, figures printed, no errors.

Nothing here looks at time. On the PostgreSQL pass of the suite the run also goes to PostgreSQL, in a
throwaway database the bench creates and drops next to the test database.
"""

import os
import re
import subprocess
import sys

import sqlalchemy as sa

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("check-in", "ballot", "live panel", "results page")
TINY = {"BENCH_PARTICIPANTS": "40", "BENCH_PROPOSALS": "12", "BENCH_CLIENTS": "2", "BENCH_WORKERS": "1",
        "BENCH_THREADS": "2", "BENCH_TRIVIAL": "20", "BENCH_PANEL": "10", "BENCH_RESULTS": "4"}  # fmt: skip


def tiny_run() -> tuple[subprocess.CompletedProcess, int]:
    """The bench's output, and on how many databases it ran."""
    env = {**os.environ, **TINY, "BENCH_DATABASES": "sqlite"}
    test_url = os.environ.get("TEST_DATABASE_URL", "")
    if test_url.startswith("postgresql"):
        env["BENCH_DATABASES"] = "sqlite,postgresql"
        admin = sa.engine.make_url(test_url).set(database="postgres")
        env["BENCH_POSTGRES_ADMIN_URL"] = admin.render_as_string(hide_password=False)
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "load.py")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    return run, len(env["BENCH_DATABASES"].split(","))


def test_a_tiny_load_run_prints_every_figure_without_errors():
    run, databases = tiny_run()
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("\n== ") == databases
    rows = re.findall(r"^(/healthz|check-in|ballot|live panel|results page) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) "
                      r"+([\d.]+) +(\d+) +([\d.]+)$", run.stdout, re.M)  # fmt: skip
    assert sorted({row[0] for row in rows}) == sorted(["/healthz", *KINDS])
    assert len(rows) == 5 * databases
    assert all(int(row[6]) == 0 for row in rows), run.stdout  # errors column
    assert all(int(row[1]) > 0 and float(row[2]) > 0 for row in rows)
    assert run.stdout.count("  vs /healthz") == 4 * databases
    assert run.stdout.count("acknowledged check-ins 40, stored 40; acknowledged ballots 40, stored 40") == databases
    assert "no errors" in run.stdout.splitlines()[-1]
