"""What compressing a response costs: real pages and fragments rendered by the app, each compressed at the
levels the app uses (brotli 4 and gzip 6 for dynamic responses, brotli 11 and gzip 9 once per static file).

Renders, on a throwaway SQLite database with the benchmark's data (BENCH_PARTICIPANTS, default 200;
BENCH_PROPOSALS, default 12): the desk's check-in fragment, the live panel fragment,
the ballot page, the published results page, and the two largest static files. Prints the size of each, the
compressed sizes and the median CPU milliseconds of one compression. Asserts nothing about time.
Run with `.venv/bin/python bench/compression.py`.
"""

import gzip
import os
import statistics
import sys
import time
import urllib.parse

import brotli

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import common, data  # noqa: E402

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "200"))
PROPOSALS = int(os.environ.get("BENCH_PROPOSALS", "12"))
LEVELS = {
    "br 4": lambda body: brotli.compress(body, quality=4),
    "gzip 6": lambda body: gzip.compress(body, 6),
    "br 5": lambda body: brotli.compress(body, quality=5),
    "br 11": lambda body: brotli.compress(body, quality=11),
    "gzip 9": lambda body: gzip.compress(body, 9),
}
HTMX = {"HX-Request": "true"}


def cost(compress, body: bytes) -> float:
    """Median CPU milliseconds of one compression of `body`, over repeats that take about 0.2 s."""
    start = time.process_time()
    compress(body)
    once = max(time.process_time() - start, 1e-5)
    repeats = max(5, min(500, int(0.2 / once)))
    times = []
    for _ in range(repeats):
        start = time.process_time_ns()
        compress(body)
        times.append(time.process_time_ns() - start)
    return statistics.median(times) / 1e6


def bodies(app, plan) -> dict[str, bytes]:
    """The responses a citizen's phone and a desk tablet receive, uncompressed."""
    client = app.test_client()
    got = {}
    page = client.get("/login").get_data(as_text=True)
    token = common.CSRF_FIELD.search(page.encode()).group(1).decode()
    client.post("/login", data={"csrf_token": token, "username": data.USERNAME, "password": data.PASSWORD})
    desk = f"/manage/hearings/{plan.hearing_id}"
    link = urllib.parse.quote(f"http://localhost/t/{plan.tokens[0]}", safe="")
    got["check-in fragment (POST)"] = client.post(f"{desk}/checkin", data=f"code={link}&method=scanner", headers={
        **HTMX, "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"}).data  # fmt: skip
    got["live panel fragment"] = client.get(f"{desk}/live/panel", headers=HTMX).data
    data.open_voting(app, plan.hearing_id)
    voter = app.test_client()
    got["ballot page"] = voter.get(f"/t/{plan.tokens[0]}/ballot").data
    got["public results page"] = voter.get(f"/h/{plan.results_code}/results").data
    for name in ("css/app.css", "vendor/htmx-2.0.11/htmx.min.js"):
        with open(os.path.join(app.static_folder, name), "rb") as file:
            got[f"static {name.rsplit('/', 1)[-1]}"] = file.read()
    return got


def main() -> int:
    with common.sqlite_database() as url:
        env = common.server_env(url)
        common.migrate(env)
        app = data.make_app(url)
        app.config["RATELIMIT_ENABLED"] = False
        plan = data.seed(app, PARTICIPANTS, PROPOSALS)
        with app.app_context():
            got = bodies(app, plan)
    print(f"{PARTICIPANTS} participants, {PROPOSALS} proposals; KB and median CPU ms of one compression")
    print(f"{'response':<28} {'KB':>6}  " + "  ".join(f"{name:>15}" for name in LEVELS))
    for name, body in got.items():
        cells = []
        for compress in LEVELS.values():
            size, ms = len(compress(body)), cost(compress, body)
            cells.append(f"{size / 1024:5.1f} KB {ms:5.2f}")
        print(f"{name:<28} {len(body) / 1024:6.1f}  " + "  ".join(f"{cell:>15}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
