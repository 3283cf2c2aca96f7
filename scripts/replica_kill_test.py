#!/usr/bin/env python3
"""Replica-kill test: two `accord serve` replicas on one PostgreSQL database
behind nginx behave as one site, and losing one loses nothing.

Makes a fresh PostgreSQL database, starts replicas A and B on it (A loads
the shipped data), and puts nginx (Debian's, as the current user, from a
folder of its own) in front of them, round-robin. Then:

1. A write through one replica is seen on the other: B's kept page of a
   commitment is read, a status change is saved through A, and B is asked
   again every 20 ms until its page shows the change (and the other way
   round). It must within a second.
2. Readers and signed-in editors run through nginx; after a few seconds
   replica A is killed with SIGKILL in the middle of that load, and the
   load goes on through B. Every reader must keep being answered 200;
   every write acknowledged (2xx) must be in the database, and no refused
   one; an editor's session, kept in PostgreSQL, must still be good on B.
3. A is started again on its port and must rejoin: nginx sends it readers
   again, and it shows writes made through B.

Prints the figures docs/RELIABILITY.md quotes. Exit status 0 only if every
check held. The database is dropped at the end (kept with --keep).

    python3 scripts/replica_kill_test.py [--binary target/debug/accord]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accord_harness import (  # noqa: E402
    DEFAULT_BINARY,
    Client,
    NotSent,
    Sent,
    Server,
    add_editor,
    free_port,
    list_slugs,
    read_commitment,
    status_change_form,
)

NOTE_PREFIX = "replica-kill "
ADMIN_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


class Failed(Exception):
    """A promise the replicas did not keep."""


def psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise Failed(f"psql failed: {result.stderr.strip()}")
    return result.stdout


def database_url(name: str) -> str:
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


class Replica(Server):
    """`accord serve` on the shared PostgreSQL database, its public URL nginx's."""

    def __init__(self, name: str, pg_url: str, public_url: str, **kwargs):
        super().__init__(db_path=Path("/nonexistent"), **kwargs)
        self.name = name
        self.pg_url = pg_url
        self.public_url = public_url

    @property
    def database_url(self) -> str:
        return self.pg_url

    def env(self) -> dict:
        env = super().env()
        env.update(ACCORD_PUBLIC_URL=self.public_url, ACCORD_TRUSTED_PROXIES="127.0.0.1")
        return env


class Nginx:
    """nginx, round-robin over the replicas; it says which one answered."""

    def __init__(self, run_dir: Path, port: int, upstreams: list[int]):
        self.dir = run_dir / "nginx"
        self.port = port
        self.upstreams = upstreams
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        for sub in ("temp", "logs"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in self.upstreams)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"""{user}
worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/temp/body;
    proxy_temp_path {self.dir}/temp/proxy;
    fastcgi_temp_path {self.dir}/temp/fastcgi;
    uwsgi_temp_path {self.dir}/temp/uwsgi;
    scgi_temp_path {self.dir}/temp/scgi;
    upstream accord {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            proxy_pass http://accord;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_connect_timeout 1s;
            # A replica that refuses or drops the connection: the request
            # goes to the other one (a POST only if it was never sent).
            proxy_next_upstream error timeout;
            add_header X-Accord-Replica $upstream_addr always;
        }}
    }}
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        log = str(self.dir / "logs" / "error.log")
        checked = subprocess.run([nginx, "-t", "-p", str(self.dir), "-e", log, "-c", str(conf)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise Failed(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.dir), "-e", log, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failed(f"nginx exited with {self.proc.returncode}; see {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise Failed("nginx did not listen within 10 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class ReaderLog:
    answers: list = field(default_factory=list)  # (monotonic time, status, replica port or None)
    failures: list = field(default_factory=list)  # (monotonic time, what)


@dataclass
class WriterLog:
    acknowledged: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    in_flight: list = field(default_factory=list)
    conflicts: int = 0
    errors: list = field(default_factory=list)
    unauthorised: int = 0


def replica_of(answer) -> int | None:
    for name, value in answer.headers:
        if name.lower() == "x-accord-replica":
            # "127.0.0.1:PORT", or two of them when nginx tried a second.
            return int(value.split(",")[-1].strip().rsplit(":", 1)[1])
    return None


def reader(port: int, paths: list[str], stop: threading.Event, log: ReaderLog) -> None:
    client = Client(port)
    n = 0
    while not stop.is_set():
        path = paths[n % len(paths)]
        n += 1
        try:
            answer = client.request("GET", path)
        except (Sent, NotSent) as error:
            log.failures.append((time.monotonic(), f"GET {path}: {error}"))
            time.sleep(0.01)
            continue
        log.answers.append((time.monotonic(), answer.status, replica_of(answer)))
        if answer.status != 200:
            log.failures.append((time.monotonic(), f"GET {path}: {answer.status}"))
    client.close()


def writer(index: int, client: Client, slugs: list[str], stop: threading.Event, log: WriterLog, rng: random.Random) -> None:
    seq = 0
    retry = None
    while not stop.is_set():
        slug, retry = retry or rng.choice(slugs), None
        try:
            state = read_commitment(client, slug)
        except (Sent, NotSent) as error:
            log.errors.append(("read", str(error)[:200]))
            time.sleep(0.01)
            continue
        except RuntimeError as error:
            log.errors.append(("read", str(error)[:200]))
            continue
        seq += 1
        note = f"{NOTE_PREFIX}w{index} n{seq}"
        try:
            answer = client.request("POST", "/api/update_status", status_change_form(state, note, rng))
        except Sent:
            log.in_flight.append(note)
            continue
        except NotSent:
            log.refused.append(note)
            continue
        if 200 <= answer.status < 300:
            log.acknowledged.append(note)
        elif answer.status == 409:
            log.conflicts += 1
            log.refused.append(note)
            retry = slug
        elif answer.status == 401:
            log.unauthorised += 1
            log.refused.append(note)
        elif answer.status == 502 and b"nginx" in answer.body:
            # nginx sent the form to A, and A died before answering: as for
            # a lost answer, the outcome is unknown (nginx does not send a
            # POST it has sent once to the other replica).
            log.in_flight.append(note)
        else:
            log.refused.append(note)
            log.errors.append((answer.status, answer.body[:200].decode(errors="replace")))


def notes_stored(pg_url: str) -> set[str]:
    out = psql(pg_url, f"SELECT DISTINCT note FROM status_updates WHERE note LIKE '{NOTE_PREFIX}%'")
    return {line for line in out.splitlines() if line}


def seconds_until_seen(write_through: Client, read_on: int, slug: str, note: str, rng: random.Random) -> float:
    """Saves a status change through one replica and asks the other for the
    commitment's page (as an anonymous reader, served from its page cache
    when it keeps one) until the page shows it."""
    reader_client = Client(read_on)
    path = f"/commitments/{slug}"
    first = reader_client.request("GET", path)
    again = reader_client.request("GET", path)  # now kept, if it is kept
    if first.status != 200 or again.status != 200:
        raise Failed(f"GET {path} on port {read_on}: {first.status}, {again.status}")
    if note.encode() in again.body:
        raise Failed("the note is on the page before it was written")
    state = read_commitment(write_through, slug)
    answer = write_through.request("POST", "/api/update_status", status_change_form(state, note, rng))
    if not 200 <= answer.status < 300:
        raise Failed(f"the write for the freshness check was refused: {answer.status} {answer.body[:200]!r}")
    saved = time.monotonic()
    while time.monotonic() - saved < 5:
        page = reader_client.request("GET", path)
        if page.status == 200 and note.encode() in page.body:
            reader_client.close()
            return time.monotonic() - saved
        time.sleep(0.02)
    reader_client.close()
    raise Failed(f"port {read_on} did not show a write made through the other replica within 5 s")


def direct_editor(port: int, public_origin: str, cookie: str) -> Client:
    """An editor's connection straight to one replica, with the session
    (kept in PostgreSQL) signed in through nginx."""
    client = Client(port)
    client.origin = public_origin
    client.cookie = cookie
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--before", type=float, default=3.0, help="seconds of load before the kill")
    parser.add_argument("--after", type=float, default=4.0, help="seconds of load on one replica")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the database and the folder")
    args = parser.parse_args()

    binary = args.binary.resolve()
    if not binary.is_file():
        raise SystemExit(f"{binary} is missing: build it (`cargo build -p server --bin accord`)")
    if shutil.which("psql") is None:
        raise SystemExit("psql is missing (Debian's postgresql-client)")
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    workdir = Path(tempfile.mkdtemp(prefix="accord-replicas-"))
    name = f"accord_replica_kill_{os.getpid()}"
    pg_url = database_url(name)
    psql(ADMIN_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(ADMIN_URL, f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    nginx_port = free_port()
    public = f"http://127.0.0.1:{nginx_port}"
    a = Replica("A", pg_url, public, binary=binary, port=free_port(), log_path=workdir / "replica-a.log")
    b = Replica("B", pg_url, public, binary=binary, port=free_port(), log_path=workdir / "replica-b.log")
    nginx = Nginx(workdir, nginx_port, [a.port, b.port])
    print(f"replica-kill test: seed {seed}; database {name}; A on {a.port}, B on {b.port}, nginx on {nginx_port}")
    failed: list[str] = []
    try:
        a.start()
        b.start()
        nginx.start()
        names = [f"replica{w}" for w in range(args.writers)]
        for editor in names:
            add_editor(binary, pg_url, editor)
        setup = Client(nginx_port)
        slugs = list_slugs(setup)
        setup.close()
        editors = []
        for editor in names:
            client = Client(nginx_port)
            client.login(editor)
            editors.append(client)

        # 1. Each replica shows what the other wrote, from its kept pages.
        via_a = direct_editor(a.port, public, editors[0].cookie)
        via_b = direct_editor(b.port, public, editors[0].cookie)
        a_to_b = seconds_until_seen(via_a, b.port, slugs[0], f"{NOTE_PREFIX}fresh a-to-b", rng)
        b_to_a = seconds_until_seen(via_b, a.port, slugs[1], f"{NOTE_PREFIX}fresh b-to-a", rng)
        print(f"a write through A was on B's page after {a_to_b * 1000:.0f} ms; through B, on A's after {b_to_a * 1000:.0f} ms")
        for seconds, what in ((a_to_b, "A to B"), (b_to_a, "B to A")):
            if seconds > 1.0:
                failed.append(f"{what}: a write took {seconds:.2f} s to show on the other replica (more than 1 s)")
        via_a.close()
        via_b.close()

        # 2. Load through nginx; A is killed in the middle of it.
        paths = ["/", f"/commitments/{slugs[2]}", "/summits", f"/api/v1/commitments/{slugs[3]}", "/feed.atom"]
        stop = threading.Event()
        reader_logs = [ReaderLog() for _ in range(args.readers)]
        writer_logs = [WriterLog() for _ in editors]
        written = slugs[4:8]
        threads = [threading.Thread(target=reader, args=(nginx_port, paths, stop, log), daemon=True) for log in reader_logs]
        threads += [
            threading.Thread(target=writer, args=(i, editors[i], written, stop, writer_logs[i], random.Random(rng.random())), daemon=True)
            for i in range(len(editors))
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.before)
        killed_at = time.monotonic()
        a.kill()
        time.sleep(args.after)
        # 3. A comes back on its port and rejoins.
        restart_started = time.monotonic()
        restart_seconds = a.start()
        time.sleep(3.0)  # nginx tries A again after fail_timeout (2 s)
        stop.set()
        for t in threads:
            t.join(30)
        ended = time.monotonic()
        for client in editors:
            client.close()

        answers = [x for log in reader_logs for x in log.answers]
        failures = sorted(x for log in reader_logs for x in log.failures)
        during = [x for x in answers if killed_at <= x[0] < restart_started]
        before = [x for x in answers if x[0] < killed_at]
        rejoined = [x for x in answers if x[0] >= restart_started + restart_seconds and x[2] == a.port]
        before_a = sum(1 for x in before if x[2] == a.port)
        acknowledged = {n for log in writer_logs for n in log.acknowledged}
        refused = {n for log in writer_logs for n in log.refused}
        in_flight = {n for log in writer_logs for n in log.in_flight}
        errors = [e for log in writer_logs for e in log.errors]
        unauthorised = sum(log.unauthorised for log in writer_logs)
        stored = notes_stored(pg_url)
        missing = acknowledged - stored
        phantom = refused & stored
        print(
            f"load {ended - started:.1f} s: {len(answers)} reader answers "
            f"({len(before)} before the kill, {before_a} of them from A; {len(during)} while A was down; "
            f"{len(rejoined)} from A after it restarted in {restart_seconds:.2f} s)"
        )
        print(
            f"reader failures: {len(failures)}; writes acknowledged {len(acknowledged)}, all stored: "
            f"{'yes' if not missing else f'NO, {len(missing)} missing'}; refused {len(refused)} "
            f"(409 {sum(log.conflicts for log in writer_logs)}), refused but stored {len(phantom)}; "
            f"in flight at the kill {len(in_flight)} ({len(in_flight & stored)} stored); "
            f"sign-ins lost {unauthorised}; unexpected answers {len(errors)}"
        )
        for when, what in failures[:10]:
            print(f"  reader failure at +{when - started:.2f} s: {what}")
        for sample in errors[:10]:
            print(f"  unexpected: {sample}")
        if failures:
            failed.append(f"{len(failures)} reader request(s) failed")
        if before_a == 0:
            failed.append("nginx sent no reader to A before the kill: the test checked nothing")
        if len(during) < 10:
            failed.append(f"only {len(during)} reader answers while A was down")
        if not rejoined:
            failed.append("A answered no reader after it restarted: it did not rejoin")
        if missing:
            failed.append(f"{len(missing)} acknowledged write(s) missing: {sorted(missing)[:5]}")
        if phantom:
            failed.append(f"{len(phantom)} refused write(s) stored anyway")
        if not acknowledged:
            failed.append("no write was acknowledged: the test checked nothing")
        if unauthorised:
            failed.append(f"{unauthorised} write(s) refused as signed out: a session was lost with A")
        if errors:
            failed.append(f"{len(errors)} unexpected answer(s) to editors")

        # The restarted A shows the last write, made while it was down or since.
        newest = psql(
            pg_url,
            "SELECT c.slug || ' ' || su.note FROM status_updates su JOIN commitments c ON c.id = su.commitment_id "
            f"WHERE su.note LIKE '{NOTE_PREFIX}w%' ORDER BY su.id DESC LIMIT 1",
        ).strip()
        if newest:
            slug, note = newest.split(" ", 1)
            via_a = Client(a.port)
            page = via_a.request("GET", f"/commitments/{slug}")
            via_a.close()
            if note.encode() not in page.body:
                failed.append(f"the restarted A does not show the last write ({note!r} on {slug})")
    except Failed as error:
        failed.append(str(error))
    finally:
        nginx.stop()
        a.stop()
        b.stop()
    if failed:
        print("\nFAIL:")
        for what in failed:
            print(f"  {what}")
        print(f"kept {workdir} and database {name}")
        print(f"replica A's log tail:\n{a.log_tail(15)}\nreplica B's log tail:\n{b.log_tail(15)}")
        return 1
    print("\nPASS: readers answered throughout, every acknowledged write stored, A rejoined")
    if args.keep:
        print(f"kept {workdir} and database {name}")
    else:
        psql(ADMIN_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
