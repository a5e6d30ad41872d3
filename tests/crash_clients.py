"""The crash-safety run's moving parts: the production server as a process group, and client processes
that check people in and vote over HTTP, logging every attempt and every acknowledged success."""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
CSRF = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# What a dead, restarting or idle-closing server looks like to a client.
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- the server ------------------------------------------------------------------------------------------------


def server_env(url: str) -> dict:
    """The environment of `make serve` in production, on the given database."""
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "crash-test-secret", "HEARINGS_ENV": "production",
            "FLASK_APP": "wsgi.py", "PYTHONPATH": ROOT}  # fmt: skip


def migrate(url: str) -> None:
    """`flask db upgrade` on an empty database, as `make serve` does first."""
    subprocess.run([os.path.join(BIN, "flask"), "db", "upgrade"], cwd=ROOT, env=server_env(url), check=True,
                   capture_output=True, timeout=120)  # fmt: skip


def start_server(url: str, port: int, log_path) -> subprocess.Popen:
    """gunicorn as `make serve` runs it, in its own session so that its whole group can be killed."""
    command = [os.path.join(BIN, "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}",
               "wsgi:app"]  # fmt: skip
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, cwd=ROOT, env=server_env(url), stdout=log, stderr=log,
                                start_new_session=True)  # fmt: skip


def wait_until_serving(server: subprocess.Popen, port: int, timeout: float = 30) -> None:
    """Block until /healthz answers 200; fail if the master died or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except CONNECTION_ERRORS:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def live_members(pgid: int) -> set[int]:
    """Pids of the process group that still run (zombies count as gone)."""
    members = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":  # fields after "(comm)": state, ppid, pgrp, ...
            members.add(int(entry))
    return members


def kill_group(server: subprocess.Popen, sig=signal.SIGKILL, timeout: float = 10) -> set[int]:
    """Send `sig` to the master and its workers at once; return the pids that were alive just before."""
    members = live_members(server.pid)
    try:
        os.killpg(server.pid, sig)
    except ProcessLookupError:
        return members
    try:
        server.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)
    deadline = time.monotonic() + timeout
    while live_members(server.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return members


# -- the clients -----------------------------------------------------------------------------------------------


@dataclass
class ClientPlan:
    """One client's share: tickets already in the hall, tickets it checks in, the projects on the ballot."""

    index: int
    port: int
    hearing_id: int
    sessions: tuple  # ((desk cookies, desk CSRF token), (phone cookies, phone CSRF token)) from open_sessions
    checked_in: list[str]
    arriving: list[str]
    projects: list[int]
    log_path: str
    deadline: float  # time.time() after which the client gives up whatever happens


class Browser:
    """One cookie jar and one keep-alive connection; any connection failure surfaces to the caller."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = None

    def request(self, method: str, path: str, fields: dict | None = None, headers: dict | None = None):
        """Send one request; return (status, headers, body)."""
        headers = dict(headers or {})
        body = urllib.parse.urlencode(fields, doseq=True) if fields is not None else None
        if body is not None:
            headers.update(FORM)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.connection is None:  # a long timeout: a request given up on could still commit later
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except BaseException:
            self.connection.close()
            self.connection = None
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def csrf_from(self, path: str) -> str:
        """The session's CSRF token, read from a page with a form."""
        status, _, page = self.request("GET", path)
        match = CSRF.search(page)
        if match is None:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return match.group(1).decode()


class Client:
    """A desk tablet and the voters' phones of one client process, logging to a JSON-lines file."""

    def __init__(self, plan: ClientPlan, counters, log):
        self.plan, self.counters, self.log = plan, counters, log
        self.desk, self.phone = Browser(plan.port), Browser(plan.port)

    def note(self, **entry) -> None:
        """Append one line to this client's log (written before the next request goes out)."""
        self.log.write(json.dumps({"t": time.time(), "client": self.plan.index, **entry}) + "\n")
        self.log.flush()

    def connection_error(self, what: str, error: Exception) -> None:
        """Log a failed request and pause briefly, as a tablet on a dropped network would."""
        self.note(kind="connection_error", op=what, error=type(error).__name__)
        with self.counters["errors"].get_lock():
            self.counters["errors"].value += 1
        time.sleep(0.1)

    def start(self) -> None:
        """Take over the shared desk and phone sessions (logging 20 tablets in would only measure scrypt)."""
        (self.desk.cookies, self.desk_csrf), (self.phone.cookies, self.phone_csrf) = self.plan.sessions

    def check_in(self, token: str) -> bool:
        """Scan one ticket at the desk; True when the desk says checked in (or already, after a lost answer)."""
        self.note(kind="attempt", op="checkin", token=token)
        fields = {"code": f"http://127.0.0.1:{self.plan.port}/t/{token}", "method": "scanner"}
        headers = {"HX-Request": "true", "X-CSRFToken": self.desk_csrf}
        status, _, body = self.desk.request("POST", f"/manage/hearings/{self.plan.hearing_id}/checkin", fields,
                                            headers)  # fmt: skip
        result = re.search(rb'data-result="([a-z_]+)"', body)
        result = result.group(1).decode() if result else None
        if status == 200 and result in ("checked_in", "already"):
            self.acknowledge("checkin", token=token, result=result)
            return True
        self.note(kind="refused", op="checkin", token=token, status=status, result=result)
        return False

    def vote(self, token: str, choices: list[int]) -> bool:
        """Send one ballot from the voter's phone; True when it redirects to the receipt."""
        self.note(kind="attempt", op="ballot", token=token, choices=choices)
        fields = {"csrf_token": self.phone_csrf, "project": [str(p) for p in choices]}
        status, headers, _ = self.phone.request("POST", f"/t/{token}/ballot", fields)
        location = headers.get("Location", "")
        if status == 303 and location.endswith(f"/t/{token}/receipt"):
            self.acknowledge("ballot", token=token, choices=choices)
            return True
        self.note(kind="refused", op="ballot", token=token, status=status)
        return False

    def acknowledge(self, op: str, **entry) -> None:
        self.note(kind="ack", op=op, **entry)
        with self.counters[op].get_lock():
            self.counters[op].value += 1

    def run(self, stop) -> None:
        """Check one arrival in for every three ballots, until told to stop; a failed request moves on."""
        plan, rng = self.plan, random.Random(self.plan.index)
        voters, arriving, step = list(plan.checked_in), list(plan.arriving), 0
        while not stop.is_set() and time.time() < plan.deadline:
            try:
                if arriving and step % 4 == 0:
                    if self.check_in(arriving[0]):
                        voters.append(arriving[0])
                    arriving.pop(0)  # a refusal is logged (and fails the test); a lost answer raised above
                else:
                    chosen = sorted(rng.sample(plan.projects, rng.randint(1, len(plan.projects))))
                    self.vote(voters[step % len(voters)], chosen)
            except CONNECTION_ERRORS as error:
                self.connection_error("checkin" if arriving and step % 4 == 0 else "ballot", error)
            step += 1


def open_sessions(port: int, username: str, password: str, ticket: str) -> tuple:
    """Log a desk in and open a voter's phone session; return their cookies and CSRF tokens."""
    desk, phone = Browser(port), Browser(port)
    token = desk.csrf_from("/login")
    status, _, _ = desk.request("POST", "/login", {"csrf_token": token, "username": username, "password": password})
    if status != 302:
        raise RuntimeError(f"login answered {status}")
    phone_token = phone.csrf_from(f"/t/{ticket}/ballot")
    for browser in (desk, phone):
        browser.connection.close()
    return (desk.cookies, token), (phone.cookies, phone_token)


def client_main(plan: ClientPlan, counters: dict, stop) -> None:
    """Entry point of one client process."""
    with open(plan.log_path, "a", buffering=1) as log:
        client = Client(plan, counters, log)
        client.start()
        client.run(stop)
        client.note(kind="done")


def read_logs(paths) -> list[dict]:
    """Every line of every client's log, in the order each client wrote them."""
    entries = []
    for path in paths:
        if not os.path.exists(path):  # a client that never started
            continue
        with open(path) as handle:
            entries.extend(json.loads(line) for line in handle if line.strip())
    return entries
