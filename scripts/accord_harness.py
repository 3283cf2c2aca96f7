"""Shared pieces of scripts/crash_test.py and scripts/load_test.py.

Starts the release server on a fresh SQLite file, creates editor accounts
with `accord user add`, and speaks HTTP to the server the way a signed-in
editor's browser would (Origin header, session cookie, form posts) -- with
the Python standard library only, so nothing needs installing.
"""

from __future__ import annotations

import datetime as _dt
import http.client
import json
import math
import os
import random
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO / "target" / "release" / "accord"
SITE_ROOT = REPO / "target" / "site"
PASSWORD = "crash and load test password"

# Statuses a writer may set: any status except not_fulfilled, which the
# server refuses before a commitment's due date unless a source says it was
# abandoned (a validation rule, not what these tests exercise).
WRITABLE_STATUSES = ("in_progress", "stalled", "partly_fulfilled", "fulfilled", "not_yet_rated")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_prerequisites(binary: Path) -> None:
    if not binary.is_file():
        raise SystemExit(f"{binary} is missing: build it with `make release-server` (or `make release`)")
    if not SITE_ROOT.is_dir():
        raise SystemExit(f"{SITE_ROOT} is missing: run `make release` once")


class Server:
    """One `accord serve` process on a given database file and port."""

    def __init__(self, binary: Path, db_path: Path, port: int, log_path: Path, rust_log: str = "info,sqlx=warn"):
        self.binary = binary
        self.db_path = db_path
        self.port = port
        self.log_path = log_path
        self.rust_log = rust_log
        self.proc: subprocess.Popen | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite://{self.db_path}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            LEPTOS_SITE_ADDR=f"127.0.0.1:{self.port}",
            LEPTOS_SITE_ROOT=str(SITE_ROOT),
            LEPTOS_OUTPUT_NAME="accord",
            ACCORD_PUBLIC_URL=self.origin,
            RUST_LOG=self.rust_log,
        )
        return env

    def start(self, timeout: float = 60.0) -> float:
        """Starts the server and waits until /healthz answers 200; returns the seconds it took."""
        started = time.monotonic()
        log = open(self.log_path, "ab")
        log.write(f"\n===== start at {_dt.datetime.now().isoformat()} on port {self.port}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(
            [str(self.binary)], cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with status {self.proc.returncode} while starting; log tail:\n{self.log_tail()}"
                )
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f} s; log tail:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to flush, checkpoint or unlock anything."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (graceful shutdown); SIGKILL if it does not stop in time."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.proc.returncode

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def add_editor(binary: Path, database_url: str, name: str, password: str = PASSWORD) -> None:
    """`accord user add NAME` with the password on standard input."""
    result = subprocess.run(
        [str(binary), "user", "add", name, "--database-url", database_url],
        input=f"{password}\n",
        text=True,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"accord user add {name} failed: {result.stdout}{result.stderr}")


def read_rss_kb(pid: int) -> int | None:
    """The process's resident set size (VmRSS) in KB, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Sent(Exception):
    """The request was sent but no complete answer came back (in flight)."""

    def __init__(self, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


class NotSent(Exception):
    """The request could not be sent at all (no connection)."""

    def __init__(self, cause: BaseException):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.cause = cause


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    headers: list = field(default_factory=list)

    def json(self):
        return json.loads(self.body)


class Client:
    """One keep-alive HTTP/1.1 connection with its own session cookie, like one browser tab."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.port = port
        self.timeout = timeout
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie: str | None = None
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.connect()
        return self.conn

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        """Raises NotSent if nothing reached the server, Sent if the answer was lost."""
        headers = {"Accept": "application/json", "Origin": self.origin}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = f"accord_session={self.cookie}"
        started = time.monotonic()
        try:
            conn = self._connect()
            conn.request(method, path, body=body, headers=headers)
        except OSError as error:  # refused, reset before sending...
            self.close()
            raise NotSent(error) from error
        try:
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise Sent(error) from error
        seconds = time.monotonic() - started
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("accord_session="):
                cookie = value.split(";", 1)[0].split("=", 1)[1]
                # An expired cookie (sign-out) clears it.
                self.cookie = cookie or None
        if response.will_close:
            self.close()
        return Answer(response.status, data, seconds, response.getheaders())

    def login(self, name: str, password: str = PASSWORD) -> Answer:
        answer = self.request("POST", "/api/login", {"name": name, "password": password})
        if not 200 <= answer.status < 300 or not self.cookie:
            raise RuntimeError(f"sign-in of {name} failed: {answer.status} {answer.body[:300]!r}")
        return answer


@dataclass
class CommitmentState:
    slug: str
    version: int
    parties: list[str]
    source_ids: list[int]


def read_commitment(client: Client, slug: str) -> CommitmentState:
    """The commitment's current version, owing parties and sources, from the JSON API."""
    answer = client.request("GET", f"/api/v1/commitments/{slug}")
    if answer.status != 200:
        raise RuntimeError(f"GET /api/v1/commitments/{slug}: {answer.status} {answer.body[:300]!r}")
    detail = answer.json()
    item = detail["commitment"]
    summary = item.get("commitment", item)
    parties = [p["party"]["code"] for p in summary["party_statuses"]]
    # A rating needs evidence dated after the summit (the promise's own
    # record is not progress), so writes cite only such sources.
    held_on = summary["summit"]["held_on"]
    later = [int(s["id"]) for s in detail["sources"] if s["dated_on"] > held_on]
    if not later:
        raise RuntimeError(f"{slug} has no source dated after its summit")
    return CommitmentState(slug, int(detail["version"]), parties, later)


def status_change_form(state: CommitmentState, note: str, rng: random.Random) -> dict:
    """The fields the commitment page's "Update status" form posts, citing an existing source."""
    return {
        "slug": state.slug,
        "version": str(state.version),
        "party": rng.choice(state.parties),
        "status": rng.choice(WRITABLE_STATUSES),
        # The server refuses dates in its future (UTC) and before the summit.
        "effective_on": _dt.datetime.now(_dt.timezone.utc).date().isoformat(),
        "note": note,
        "source_ids[]": [str(rng.choice(state.source_ids))],
    }


def list_slugs(client: Client) -> list[str]:
    answer = client.request("GET", "/api/v1/commitments?per_page=200")
    if answer.status != 200:
        raise RuntimeError(f"GET /api/v1/commitments: {answer.status} {answer.body[:300]!r}")
    page = answer.json()
    return [item.get("commitment", item)["slug"] for item in page["items"]]


def notes_in_database(db_path: Path, prefix: str) -> set[str]:
    """Every status-update note starting with `prefix`, read through a read-only connection."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("SELECT DISTINCT note FROM status_updates WHERE note LIKE ?", (prefix + "%",)).fetchall()
    finally:
        conn.close()
    return {row[0] for row in rows}


def integrity_check(db_path: Path, read_only: bool = True) -> str:
    """SQLite's `PRAGMA integrity_check` ("ok" when sound) and the foreign key check."""
    uri = f"file:{db_path}?mode=ro" if read_only else f"file:{db_path}"
    conn = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        result = "; ".join(str(r[0]) for r in rows)
        broken_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken_keys:
            result += f"; {len(broken_keys)} foreign key violations"
        return result
    finally:
        conn.close()


def consistency_problems(db_path: Path) -> list[str]:
    """Accord's own invariants that a half-applied write would break: every
    status update has its evidence, and each commitment's version is the
    number of its revisions plus one (one revision per write)."""
    checks = {
        # A revert to a version with no status yet sets a party back to Not
        # yet rated and cites nothing, by design (docs/METHODOLOGY.md).
        "status updates without evidence": """
            SELECT COUNT(*) FROM status_updates su
            WHERE NOT EXISTS (SELECT 1 FROM status_update_sources s WHERE s.status_update_id = su.id)
              AND NOT (su.status = 'not_yet_rated' AND su.note LIKE 'Reverted to version %')""",
        "commitments whose version does not match their revisions": """
            SELECT COUNT(*) FROM commitments c
            WHERE c.version <> 1 + (SELECT COUNT(*) FROM revisions r WHERE r.commitment_id = c.id)
               OR c.version < coalesce((SELECT MAX(r.version) FROM revisions r WHERE r.commitment_id = c.id), 0)""",
    }
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        problems = []
        for label, sql in checks.items():
            (count,) = conn.execute(sql).fetchone()
            if count:
                problems.append(f"{count} {label}")
        return problems
    finally:
        conn.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def least_squares_slope(points: list[tuple[float, float]]) -> float:
    """Slope of the least-squares line through (x, y) points (0 with fewer than two)."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
