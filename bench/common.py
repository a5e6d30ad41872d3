"""Shared pieces of the benchmarks: throwaway databases, the production server, HTTP clients, figures.

Nothing here asserts anything about time: the benchmarks print figures and fail only on errors or crashes.
"""

import contextlib
import gzip
import http.client
import multiprocessing
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

import brotli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
# Trust auth on loopback, as in CI; the benchmark creates and drops its own database there.
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# What Chromium sends, so that the server compresses as it does for a browser; "identity" to compare without.
ACCEPT_ENCODING = os.environ.get("BENCH_ACCEPT_ENCODING", "gzip, deflate, br, zstd")
DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}
# One connection per request, as gunicorn sees traffic behind a reverse proxy (nginx's default to its upstream)
# and as many phones each sending their own. BENCH_KEEPALIVE=1 keeps each client's connection open instead:
# gunicorn then keeps a connection on the worker that accepted it, and a few clients can pile onto one worker
# (one worker at 94 % of a core while the other idled at 57 %, in a run of 8 clients and 2 workers).
KEEPALIVE = os.environ.get("BENCH_KEEPALIVE", "0") == "1"
CSRF_FIELD = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def sqlite_database():
    """A fresh SQLite file in a temporary directory; yields its URL."""
    with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
        yield f"sqlite:///{workdir}/bench.sqlite"


@contextlib.contextmanager
def postgres_database():
    """A throwaway PostgreSQL database with a unique name, dropped afterwards; yields its URL."""
    import sqlalchemy as sa

    name = f"hearings_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database(kind: str):
    """The throwaway database of `kind` ("sqlite" or "postgresql")."""
    return postgres_database() if kind == "postgresql" else sqlite_database()


def server_env(url: str) -> dict:
    """The environment of the server and of the in-process data setup."""
    return {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi.py", "SECRET_KEY": "bench-secret-" + "x" * 32,
            "SECURE_COOKIES": "0"}  # plain http on loopback, even with HEARINGS_ENV=production


def migrate(env: dict) -> None:
    """Run every migration on the (empty) database, as `flask db upgrade` does in production."""
    subprocess.run([os.path.join(BIN, "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


@dataclass
class Server:
    """A running gunicorn: its port and the process id of its master."""

    port: int
    pid: int

    def cpu_seconds(self) -> dict[int, float]:
        """CPU time used so far by the master and by each worker, by process id (from /proc; empty without)."""
        ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        used = {}
        for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(entry) == self.pid or int(fields[1]) == self.pid:  # fields[1] is the parent's id
                used[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks  # user and system time
        return used


@contextlib.contextmanager
def gunicorn(env: dict, workers: int, threads: int):
    """The production server on a loopback port; yields a Server once /healthz answers."""
    port = free_port()
    command = [os.path.join(BIN, "gunicorn"), "--worker-class", "gthread", "--workers", str(workers),
               "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
               "wsgi:app"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    probe.close()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer /healthz")
        yield Server(port, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


class Session:
    """One browser: cookies, a CSRF token, one keep-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method, path, body=None, headers=None) -> tuple[int, bytes]:
        """Send one request: on a connection of its own, or with BENCH_KEEPALIVE=1 on the kept-alive one."""
        headers = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if not KEEPALIVE:
            return self._once(method, path, body, headers)
        for attempt in range(3):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                encoding = response.getheader("Content-Encoding")
                if encoding:
                    data = DECODERS[encoding](data)
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self._keep_cookie(value)
        return response.status, data

    def _keep_cookie(self, set_cookie: str) -> None:
        """Remember the name and value of a Set-Cookie header (its attributes do not matter here)."""
        name, _, rest = set_cookie.partition("=")
        self.cookies[name.strip()] = rest.split(";", 1)[0]

    def _once(self, method, path, body, headers) -> tuple[int, bytes]:
        """One request on a new connection that the server closes after answering.

        Written on the socket rather than through http.client, whose header parsing costs the client processes
        (which share the server's two cores) about a third of their CPU: the answer is read to the end of the
        stream, so no length or chunk needs parsing.
        """
        data = body.encode() if isinstance(body, str) else (body or b"")
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close",
                 f"Content-Length: {len(data)}", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head, _, payload = b"".join(chunks).partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        if not status_line.startswith("HTTP/1."):
            raise http.client.BadStatusLine(status_line[:80])  # closed before answering: counted as an error
        encoding = None
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._keep_cookie(value)
            elif name == "content-encoding":
                encoding = value
            elif name == "transfer-encoding":
                raise http.client.HTTPException(f"unexpected Transfer-Encoding: {value}")
        if encoding:
            payload = DECODERS[encoding](payload)
        return int(status_line.split(" ", 2)[1]), payload

    def fetch_csrf(self, path: str) -> str:
        """Read the CSRF token from a page's form (this also starts the session cookie)."""
        _, page = self.request("GET", path)
        self.csrf = CSRF_FIELD.search(page).group(1).decode()
        return self.csrf

    def login(self, username: str, password: str, form_page: str) -> None:
        """Log in through the login form, then read the CSRF token from `form_page` (a page with a form)."""
        body = urllib.parse.urlencode({"csrf_token": self.fetch_csrf("/login"), "username": username,
                                       "password": password})  # fmt: skip
        status, _ = self.request("POST", "/login", body, FORM)
        if status != 302:
            raise RuntimeError(f"login answered {status}")
        self.fetch_csrf(form_page)  # in case logging in started a new session


@dataclass
class Figures:
    """One measured kind of request: latencies in seconds, errors, wall time, and what succeeded."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    ok: list = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # the first few error descriptions
    server_cpu: float = 0.0  # CPU seconds the server's processes used during the phase
    worker_cpu: list[float] = field(default_factory=list)  # the same, for each worker

    @property
    def cpu_per_request(self) -> float:
        """Server CPU milliseconds per request: steadier than latency on a busy machine."""
        return self.server_cpu / len(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def rate(self) -> float:
        """Requests per second over the wall time of the whole phase."""
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def run_clients(name: str, target, args_per_client: list[tuple], server: Server | None = None) -> Figures:
    """Run `target(*args, ready, go, queue)` in one process per client; time from the start signal.

    Each client prepares (logs in, reads a CSRF token), says ready, then waits, so that only the
    measured requests fall inside the wall time.
    """
    context = multiprocessing.get_context("fork")
    queue, ready, go = context.Queue(), context.Semaphore(0), context.Event()
    processes = [context.Process(target=target, args=(*args, ready, go, queue)) for args in args_per_client]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    cpu = server.cpu_seconds() if server else {}
    start = time.perf_counter()
    go.set()
    results = [queue.get() for _ in processes]
    figures = Figures(name, elapsed=time.perf_counter() - start)
    if server:
        used = {pid: seconds - cpu.get(pid, 0.0) for pid, seconds in server.cpu_seconds().items()}
        figures.server_cpu = sum(used.values())
        figures.worker_cpu = [seconds for pid, seconds in sorted(used.items()) if pid != server.pid]
    for process in processes:
        process.join()
        if process.exitcode:
            raise RuntimeError(f"a {name} client crashed (exit code {process.exitcode})")
    for latencies, ok, errors, samples in results:
        figures.latencies += latencies
        figures.ok += ok
        figures.errors += errors
        figures.samples += samples[: 3 - len(figures.samples)] if len(figures.samples) < 3 else []
    return figures


def measure(session: Session, items, send, ready, go, queue) -> None:
    """The client loop: `send(session, item)` returns (ok, description) for each item, timed."""
    ready.release()
    go.wait()
    latencies, ok, errors, samples = [], [], 0, []
    for item in items:
        start = time.perf_counter()
        try:
            success, description = send(session, item)
        except (OSError, http.client.HTTPException) as error:
            success, description = False, repr(error)
            session.connection.close()
        latencies.append(time.perf_counter() - start)
        if success:
            ok.append(item)
        else:
            errors += 1
            if len(samples) < 3:
                samples.append(description)
    queue.put((latencies, ok, errors, samples))


def header() -> str:
    """The column titles of `line`."""
    return (f"{'':24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} "
            f"{'cpu ms/req':>10}")  # fmt: skip


def line(figures: Figures, indent: str = "") -> str:
    """One printed row of figures."""
    return (f"{indent + figures.name:24} {len(figures.latencies):8d} {figures.rate:8.1f} {figures.percentile(50):8.2f} "
            f"{figures.percentile(95):8.2f} {figures.percentile(99):8.2f} {figures.errors:6d} "
            f"{figures.cpu_per_request:10.2f}")  # fmt: skip


def worker_shares(figures: Figures) -> str:
    """Each worker's share of the server's CPU during the phase, as "48/52": even shares mean balanced work."""
    total = sum(figures.worker_cpu)
    return "/".join(f"{100 * seconds / total:.0f}" for seconds in figures.worker_cpu) if total else "-"


def ratio(figures: Figures, trivial: Figures) -> str:
    """How a kind of request compares with the trivial route of the same run."""
    def times(a, b):
        return f"{a / b:6.2f}x" if b else "     -"

    return (f"{'  vs /healthz':24} {'':8} {times(figures.rate, trivial.rate):>8} "
            f"{times(figures.percentile(50), trivial.percentile(50)):>8} "
            f"{times(figures.percentile(95), trivial.percentile(95)):>8} "
            f"{times(figures.percentile(99), trivial.percentile(99)):>8} {'':6} "
            f"{times(figures.cpu_per_request, trivial.cpu_per_request):>10}")  # fmt: skip
