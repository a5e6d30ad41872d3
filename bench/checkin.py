"""Check-in benchmark: the production server on loopback, 5,000 registered participants,
several client processes checking them in, against a trivial route measured in the same run.

Run with `make bench` (SQLite) or `DATABASE_URL=postgresql+psycopg://... make bench`.
Prints figures; asserts nothing about time.
"""

import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", 5000))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
THREADS = int(os.environ.get("BENCH_THREADS", 4))  # >1 switches gunicorn to its gthread worker (keep-alive)
TRIVIAL_REQUESTS = int(os.environ.get("BENCH_TRIVIAL", 3000))
PASSWORD = "bench-password-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(env: dict) -> tuple[int, list[str]]:
    """Migrate an empty database and load a hearing with PARTICIPANTS registered people."""
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    if env["DATABASE_URL"].startswith("postgresql"):
        import sqlalchemy as sa

        engine = sa.create_engine(env["DATABASE_URL"])
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    os.environ.update(env)
    from app import create_app
    from app.auth.models import Membership, User
    from app.extensions import db
    from app.municipalities.models import Municipality
    from app.registration.models import Participant
    from app.registration.service import new_token
    from tests.helpers import Factory

    app = create_app()
    with app.app_context():
        municipality = Municipality.from_preset("KG", "bench", "Bench aiyl aimak")
        db.session.add(municipality)
        db.session.flush()
        user = User(username="bench", full_name="Bench clerk")
        user.set_password(PASSWORD)
        db.session.add_all([user, Membership(user=user, municipality_id=municipality.id, role="clerk")])
        db.session.commit()
        hearing = Factory().hearing(municipality, state="announced")
        bands = [band.id for band in municipality.age_bands]
        codes = set()
        rows = []
        from app.rules.codes import new_code

        while len(rows) < PARTICIPANTS:
            code = new_code()
            if code in codes:
                continue
            codes.add(code)
            gender = ("female", "male", "undisclosed")[len(rows) % 3]
            rows.append({"hearing_id": hearing.id, "token": new_token(), "short_code": code, "source": "online",
                         "gender": gender, "age_band_id": bands[len(rows) % len(bands)], "disability": False})
        db.session.execute(db.insert(Participant), rows)
        db.session.commit()
        return hearing.id, [row["token"] for row in rows]


class Session:
    """A logged-in clerk's browser: cookies, CSRF token, one keep-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(3):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def login(self):
        _, page = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"csrf_token": token, "username": "bench", "password": PASSWORD})
        status, _ = self.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status
        self.csrf = token


def check_in_worker(port, hearing_id, tokens, queue):
    """Check in every token of this client's share; report latencies and outcomes."""
    session = Session(port)
    session.login()
    latencies, ok, errors = [], [], 0
    headers = {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true",
               "X-CSRFToken": session.csrf}
    for token in tokens:
        body = urllib.parse.urlencode({"code": f"http://127.0.0.1:{port}/t/{token}", "method": "scanner"})
        start = time.perf_counter()
        status, data = session.request("POST", f"/manage/hearings/{hearing_id}/checkin", body, headers)
        latencies.append(time.perf_counter() - start)
        if status == 200 and b'data-result="checked_in"' in data:
            ok.append(token)
        else:
            errors += 1
    queue.put((latencies, ok, errors))


def trivial_worker(port, count, queue):
    session = Session(port)
    latencies, errors = [], 0
    for _ in range(count):
        start = time.perf_counter()
        status, _ = session.request("GET", "/healthz")
        latencies.append(time.perf_counter() - start)
        errors += status != 200
    queue.put((latencies, [], errors))


def run_clients(target, args_per_client):
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=target, args=(*args, queue)) for args in args_per_client]
    start = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    elapsed = time.perf_counter() - start
    for process in processes:
        process.join()
    latencies = [lat for result in results for lat in result[0]]
    ok = [token for result in results for token in result[1]]
    errors = sum(result[2] for result in results)
    return latencies, ok, errors, elapsed


def summary(name, latencies, errors, elapsed):
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    rate = len(ordered) / elapsed
    print(f"{name:<10} {len(ordered):>6} requests  {rate:8.1f}/s  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms",
          f" errors {errors}")
    return rate, p50, p95


def main():
    workdir = tempfile.mkdtemp(prefix="bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite"
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "bench-secret"}
    print(f"database: {url.split('@')[-1]}  participants: {PARTICIPANTS}  clients: {CLIENTS}  "
          f"gunicorn workers: {WORKERS} x {THREADS} threads")
    hearing_id, tokens = prepare_database(env)
    port = free_port()
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [gunicorn, "--workers", str(WORKERS), "--threads", str(THREADS), "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        shares = [tokens[i::CLIENTS] for i in range(CLIENTS)]
        trivial = run_clients(trivial_worker, [(port, TRIVIAL_REQUESTS // CLIENTS)] * CLIENTS)
        checkins = run_clients(check_in_worker, [(port, hearing_id, share) for share in shares])
    finally:
        server.terminate()
        server.wait()
    t_rate, t_p50, t_p95 = summary("trivial", trivial[0], trivial[2], trivial[3])
    c_rate, c_p50, c_p95 = summary("check-in", checkins[0], checkins[2], checkins[3])
    print(f"ratio check-in/trivial: p50 {c_p50 / t_p50:.2f}x  p95 {c_p95 / t_p95:.2f}x  rate {c_rate / t_rate:.2f}x")

    os.environ.update(env)
    from app import create_app
    from app.extensions import db
    from app.registration.models import CheckIn

    with create_app().app_context():
        stored = db.session.scalar(db.select(db.func.count(CheckIn.id)))
    print(f"acknowledged check-ins: {len(checkins[1])}  stored: {stored}  lost: {len(checkins[1]) - stored}")


if __name__ == "__main__":
    main()
