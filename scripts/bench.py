#!/usr/bin/env python3
"""Accord's performance benchmark: `make bench` (see docs/PERFORMANCE.md).

Reads: for the freshly seeded database and a generated large one (100,000
commitments x 5 status updates by default, generated once with
`accord-dev generate` and cached under target/bench/), serves each page
with the release server, saves the exact bytes it sends, serves that file
with nginx-light, and measures both with wrk. Writes: 16 signed-in editors
post status updates, alone and with readers at the same time; every
acknowledged write is then looked up in the database. Sizes: the hydration
bundle, the script, the stylesheet and the HTML of `/`, raw and gzip -9.

Python 3 standard library, wrk and nginx (Debian's wrk and nginx-light,
installed by `make tool-bench`). Expects `make release` to have built
target/release/accord and target/site, and `make release-devtools`
target/release/accord-dev (the data generator and the bare-axum baseline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import multiprocessing as mp
import os
import platform
import queue
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# BENCH_BUILD names another build's target directory (a release build of an
# older commit, for a before/after comparison); by default, this tree's.
BUILD = Path(os.environ.get("BENCH_BUILD", REPO / "target"))
BINARY = BUILD / "release" / "accord"
# Benchmark data and the bare-axum baseline: never part of the served binary.
DEV_BINARY = BUILD / "release" / "accord-dev"
SITE = BUILD / "site"
BENCH = REPO / "target" / "bench"
PASSWORD = "benchmark editor password"
# A well-formed session id that no session has: the request is rendered as
# an anonymous reader's but, carrying a session cookie, bypasses the page cache.
UNCACHED_COOKIE = "accord_session=AAAAAAAAAAAAAAAAAAAAAA"
# The server's default log filter, minus the warning tower-sessions logs for
# every unknown session id (the uncached measurements send one).
SERVER_LOG = "info,sqlx=warn,tower_sessions=error,tower_sessions_core=error"
# In the seed data, and so in every database generated from it.
SEED_ITEM = "online-gambling-telecom-fraud"
WRITABLE_STATUSES = ("in_progress", "partly_fulfilled", "stalled", "fulfilled")


# ---------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)


def gzip9(path_or_bytes) -> int:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    out = subprocess.run(["gzip", "-9", "-c"], input=data, capture_output=True, check=True).stdout
    return len(out)


def read_status_kb(pid: int, field: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, limit: float = 180) -> None:
    """Waits until the server has finished what an earlier run left it (wrk
    stops waiting for answers at the end of its run; the server does not)."""
    end = time.monotonic() + limit
    last = cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.5)
        now = cpu_seconds(pid)
        if now - last < 0.05:
            return
        last = now


class RssSampler:
    """Samples VmRSS of a process every 0.2 s while running; keeps the peak."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            kb = read_status_kb(self.pid, "VmRSS")
            if kb:
                self.peak_kb = max(self.peak_kb, kb)
            self._stop.wait(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO).stdout.strip()
        dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO).stdout.strip())
    except (subprocess.CalledProcessError, FileNotFoundError):
        commit, dirty = "unknown", False
    mem_kb = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "kernel": platform.release(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "commit": commit,
        "dirty": dirty,
        "load_before": os.getloadavg()[0],
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ---------------------------------------------------------------- wrk

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        return float("nan")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def wrk(url: str, seconds: float, threads: int, connections: int, headers: list[str] = (), timeout: str = "10s") -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", f"--timeout={timeout}"]
    for h in headers:
        cmd += ["-H", h]
    cmd.append(url)
    # wrk's own CPU time, from the children this process has waited for
    # (wrk is the only one that ends while it runs).
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (children_after.ru_utime - children_before.ru_utime) + (children_after.ru_stime - children_before.ru_stime)
    result = {"cores": cpu / seconds, "rps": 0.0, "p50_ms": float("nan"), "p99_ms": float("nan"), "requests": 0, "non_2xx": 0, "socket_errors": 0}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["rps"] = float(m.group(1))
    if m := re.search(r"^\s+50%\s+(\S+)", out, re.M):
        result["p50_ms"] = _ms(m.group(1))
    if m := re.search(r"^\s+99%\s+(\S+)", out, re.M):
        result["p99_ms"] = _ms(m.group(1))
    if m := re.search(r"(\d+) requests in ([\d.]+(?:us|ms|s|m|h))", out):
        result["requests"] = int(m.group(1))
        result["seconds"] = _ms(m.group(2)) / 1000
    if not result["requests"]:  # wrk prints 0.00us when nothing completed
        result["p50_ms"] = result["p99_ms"] = float("nan")
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["non_2xx"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(x) for x in m.groups())
    result["raw"] = out
    return result


# ---------------------------------------------------------------- servers


class Accord:
    def __init__(self, db: Path, name: str):
        self.db = db
        # Another engine's URL may be set instead (bench_engines.py): the
        # file then names the site's data for what is read from it here.
        self.database_url = f"sqlite://{db}"
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log_path = BENCH / "run" / f"accord-{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(
            os.environ,
            DATABASE_URL=self.database_url,
            LEPTOS_SITE_ADDR=f"127.0.0.1:{self.port}",
            LEPTOS_SITE_ROOT=str(SITE),
            LEPTOS_OUTPUT_NAME="accord",
            ACCORD_PUBLIC_URL=self.origin,
            RUST_LOG=SERVER_LOG,
            # Every client here (64 readers, 16 editors and more) comes from
            # 127.0.0.1, as every reader comes from the proxy in production,
            # where the per-address cap does not apply (docs/DEPLOY.md);
            # with the default cap of 64 the 65th connection was closed.
            ACCORD_MAX_CONNECTIONS_PER_ADDRESS="1024",
        )
        log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen([str(BINARY)], cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        log_file.close()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"accord exited while starting; see {self.log_path}")
            try:
                status, _, _ = http_get(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"accord did not answer /healthz; see {self.log_path}")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Nginx:
    """nginx-light serving saved pages from its own root, with its own config,
    pid, logs and temporary folders under target/bench/run/nginx."""

    def __init__(self, workers: str = "auto"):
        self.dir = BENCH / "run" / "nginx"
        self.root = self.dir / "www"
        self.port = free_port()
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ("www", "temp", "logs"):
            (self.dir / sub).mkdir(parents=True)
        conf = self.dir / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(
            f"""{user}
worker_processes {self.workers};
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path {self.dir}/temp/body;
    proxy_temp_path {self.dir}/temp/proxy;
    fastcgi_temp_path {self.dir}/temp/fastcgi;
    uwsgi_temp_path {self.dir}/temp/uwsgi;
    scgi_temp_path {self.dir}/temp/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root};
    }}
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.dir), "-e", str(self.dir / "logs" / "error.log"), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        (self.root / "ping").write_text("ok")
        while time.monotonic() < deadline:
            try:
                if http_get(self.port, "/ping")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"nginx did not start; see {self.dir}/logs/error.log")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    # http.client would add "Accept-Encoding: identity"; skip it so the
    # request is as bare as wrk's.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def api_json(port: int, path: str):
    status, _, body = http_get(port, path, {"Accept": "application/json"})
    if status != 200:
        raise SystemExit(f"GET {path}: {status} {body[:200]!r}")
    return json.loads(body)


# ---------------------------------------------------------------- databases


def generated_db(commitments: int, updates_per: int, seed: int, busy_updates: int) -> Path:
    """The generated database, from the cache when the same generator made it.
    Besides the `commitments`, one more (`generated-busy-commitment`) has
    `busy_updates` status changes: its permalink and history are measured."""
    generator = (REPO / "store" / "src" / "generate.rs").read_bytes()
    migrations = b"".join(p.read_bytes() for p in sorted((REPO / "migrations" / "sqlite").glob("*.sql")))
    key = hashlib.sha256(generator + migrations).hexdigest()[:10]
    path = BENCH / f"accord-{commitments}x{updates_per}-busy{busy_updates}-seed{seed}-{key}.db"
    if path.exists():
        log(f"reusing {path.relative_to(REPO)}")
        return path
    for stale in BENCH.glob(f"accord-{commitments}x{updates_per}-*seed{seed}-*.db"):
        log(f"removing {stale.name} (made by another version of the generator or schema)")
        stale.unlink()
    partial = path.with_suffix(".partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    log(f"generating {commitments:,} commitments x {updates_per} updates into {path.relative_to(REPO)} (once)")
    started = time.monotonic()
    subprocess.run(
        [
            str(DEV_BINARY), "generate",
            "--commitments", str(commitments), "--updates-per", str(updates_per), "--seed", str(seed),
            "--busy-commitment-updates", str(busy_updates),
            "--database-url", f"sqlite://{partial}",
        ],
        check=True,
        cwd=REPO,
        env=dict(os.environ, RUST_LOG="warn"),
    )
    conn = sqlite3.connect(partial)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)
    log(f"generated in {time.monotonic() - started:.0f} s ({path.stat().st_size / 1e6:.0f} MB)")
    return path


def copy_db(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()
    return target


# ---------------------------------------------------------------- reads


def page_urls(server: Accord, big: bool) -> list[tuple[str, str]]:
    """(kind, URL) of the pages measured, each checked to answer something."""
    # The deepest page by the pager's own links: the last (keyset paging
    # reads it from the far end of the sort's index).
    deep = "/?before=end" if big else "/?sort=last_change"
    filtered = None
    for candidate in ("status=in_progress&party=kr", "status=in_progress&party=cn", "status=not_yet_rated&party=kr", "party=kr"):
        if api_json(server.port, f"/api/v1/commitments?per_page=1&{candidate}")["total"] > 0:
            filtered = f"/?{candidate}"
            break
    item = f"/commitments/{SEED_ITEM}"
    if http_get(server.port, item)[0] != 200:
        item = f"/commitments/{api_json(server.port, '/api/v1/commitments?per_page=1')['items'][0]['slug']}"
    # The same permalink in Korean: served by the same page cache, so its
    # ratio to nginx must match the English page's (docs/I18N.md).
    return [
        ("first page", "/"),
        ("deep page", deep),
        ("filtered", filtered or "/"),
        ("search", "/?q=fraud"),
        ("item", item),
        ("item in Korean", f"/ko{item}"),
    ]


def render_urls(server: Accord, read_urls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(kind, URL) of the views whose uncached render time is measured: every
    list view of the read runs, each sort order, a summit, a theme, a
    party alone, the overdue view, and the permalink and history of the commitment with the
    most status changes."""
    lists = [(kind, url) for kind, url in read_urls if not kind.startswith("item")]
    first = api_json(server.port, "/api/v1/commitments?per_page=1")
    pages = max(1, -(-first["total"] // 50))
    if pages > 2:
        # Links shared before keyset paging (?page=N) still work, by OFFSET.
        lists.append(("old link, middle page", f"/?page={pages // 2}"))
    summit = api_json(server.port, "/api/v1/commitments?per_page=1")["items"][0]["summit"]["slug"]
    lists += [
        ("sort: last change", "/?sort=last_change"),
        ("sort: due", "/?sort=due"),
        ("sort: title", "/?sort=title"),
        ("summit", f"/summits/{summit}"),
        ("theme", "/?theme=security"),
        # A party with no status sums every kept count of the party (issue
        # 17, twelfth part): the widest read of `list_counts`.
        ("party", "/?party=kr"),
        ("overdue", "/?overdue=1"),
    ]
    busiest = busiest_commitment(server.db)
    return lists + [
        ("item, most changes", f"/commitments/{busiest}"),
        ("history, most changes", f"/commitments/{busiest}/history"),
    ]


def busiest_commitment(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT c.slug, count(*) FROM status_updates su JOIN commitments c ON c.id = su.commitment_id "
            "GROUP BY su.commitment_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return row[0]


def render_times(name: str, server: Accord, urls: list[tuple[str, str]], renders: int) -> list[dict]:
    """Median of `renders` uncached requests of each URL, taken round-robin:
    each round renders every URL once, in turn, so that every view sees the
    same minutes of a machine whose speed drifts (issue 17, eleventh part);
    the first round is a warm-up and not counted."""
    times: dict[str, list[float]] = {url: [] for _, url in urls}
    sizes: dict[str, int] = {}
    for i in range(renders + 1):
        for kind, url in urls:
            t = time.monotonic()
            status, _, body = http_get(server.port, url, {"Cookie": UNCACHED_COOKIE})
            if status != 200:
                raise SystemExit(f"[{name}] uncached GET {url}: {status}")
            if i:
                times[url].append((time.monotonic() - t) * 1000)
            sizes[url] = len(body)
    rows = []
    for kind, url in urls:
        log(f"[{name}] render {kind} {url}: median {statistics.median(times[url]):.2f} ms")
        rows.append({"db": name, "kind": kind, "url": url, "bytes": sizes[url], "median_ms": statistics.median(times[url]),
                     "min_ms": min(times[url]), "max_ms": max(times[url])})
    return rows


def bench_reads(name: str, db: Path, nginx: Nginx, args) -> dict:
    server = Accord(db, name)
    log(f"[{name}] starting accord on port {server.port} ({db.name})")
    server.start()
    rows = []
    peak_rss = peak_rss_uncached = 0
    try:
        urls = page_urls(server, big=name != "seed")
        for kind, url in urls:
            started = time.monotonic()
            status, headers, body = http_get(server.port, url)
            first_ms = (time.monotonic() - started) * 1000
            if status != 200:
                raise SystemExit(f"[{name}] GET {url}: {status}")
            if headers.get("content-encoding"):
                raise SystemExit(f"[{name}] {url} came back {headers['content-encoding']}-encoded to a request without Accept-Encoding")
            file_name = f"{name}-{kind.replace(' ', '-')}.html"
            (nginx.root / file_name).write_bytes(body)
            # Uncached renders: sequential, then under load.
            renders = []
            for _ in range(args.renders):
                t = time.monotonic()
                s, _, b = http_get(server.port, url, {"Cookie": UNCACHED_COOKIE})
                renders.append((time.monotonic() - t) * 1000)
                if s != 200:
                    raise SystemExit(f"[{name}] uncached GET {url}: {s}")
            log(f"[{name}] {kind} {url}: {len(body):,} bytes, first {first_ms:.0f} ms, uncached median {statistics.median(renders):.1f} ms")
            accord_url = f"{server.origin}{url}"
            nginx_url = f"http://127.0.0.1:{nginx.port}/{file_name}"
            wait_idle(server.pid)
            wrk(accord_url, args.warmup, args.threads, args.connections)
            wait_idle(server.pid)
            with RssSampler(server.pid) as rss:
                accord = wrk(accord_url, args.duration, args.threads, args.connections)
            peak_rss = max(peak_rss, rss.peak_kb)
            wait_idle(server.pid)
            with RssSampler(server.pid) as rss:
                uncached = wrk(
                    accord_url, args.duration, args.threads, args.uncached_connections,
                    headers=[f"Cookie: {UNCACHED_COOKIE}"], timeout="60s",
                )
            peak_rss_uncached = max(peak_rss_uncached, rss.peak_kb)
            wait_idle(server.pid)
            wrk(nginx_url, args.warmup, args.threads, args.connections)
            ngx = wrk(nginx_url, args.duration, args.threads, args.connections)
            ratio = accord["rps"] / ngx["rps"] if ngx["rps"] else float("nan")
            # Second baseline: the same bytes from a bare axum handler, built
            # with the same profile (`accord-dev serve-bytes`): what hyper and
            # tokio alone cost here, without any of Accord's layers.
            bare = serve_bytes(nginx.root / file_name, args)
            bare_ratio = bare["rps"] / ngx["rps"] if ngx["rps"] else float("nan")
            log(
                f"[{name}] {kind}: accord {accord['rps']:,.0f} req/s (p50 {accord['p50_ms']:.2f} ms), "
                f"uncached {uncached['rps']:,.1f} req/s, nginx {ngx['rps']:,.0f} req/s -> {ratio:.2f}x; "
                f"bare axum {bare['rps']:,.0f} req/s ({bare_ratio:.2f}x nginx)"
            )
            rows.append(
                {
                    "db": name, "kind": kind, "url": url, "bytes": len(body), "first_ms": first_ms,
                    "render_ms": statistics.median(renders), "accord": accord, "uncached": uncached,
                    "nginx": ngx, "ratio": ratio, "bare": bare, "bare_ratio": bare_ratio,
                }
            )
        wait_idle(server.pid)
        renders = render_times(name, server, render_urls(server, urls), args.render_samples)
        hwm = read_status_kb(server.pid, "VmHWM") or 0
    finally:
        server.stop()
    return {"renders": renders, "rows": rows, "peak_rss_kb": peak_rss, "peak_rss_uncached_kb": peak_rss_uncached, "hwm_kb": hwm, "home_html": (nginx.root / f"{name}-first-page.html")}


def serve_bytes(path: Path, args) -> dict:
    """wrk against `accord-dev serve-bytes` serving the file at `path`."""
    port = free_port()
    proc = subprocess.Popen(
        [str(DEV_BINARY), "serve-bytes", "--file", str(path), "--addr", f"127.0.0.1:{port}"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http_get(port, "/")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("accord-dev serve-bytes did not start")
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/"
        wrk(url, args.warmup, args.threads, args.connections)
        return wrk(url, args.duration, args.threads, args.connections)
    finally:
        proc.terminate()
        proc.wait(10)


# ---------------------------------------------------------------- writes


class EditorClient:
    def __init__(self, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie: str | None = None
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Accept": "application/json", "Origin": self.origin}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = f"accord_session={self.cookie}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    raise
                continue
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("accord_session="):
                    self.cookie = value.split(";", 1)[0].split("=", 1)[1] or None
            if response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, data
        raise AssertionError("unreachable")


def read_commitment(client: EditorClient, slug: str) -> tuple[int, list[str], list[int]]:
    status, body = client.request("GET", f"/api/v1/commitments/{slug}")
    if status != 200:
        raise RuntimeError(f"GET /api/v1/commitments/{slug}: {status}")
    detail = json.loads(body)
    item = detail["commitment"]
    parties = [p["party"]["code"] for p in item["party_statuses"]]
    # A rating needs evidence dated after the summit (the promise's own
    # record is not progress), so the writers cite only such sources.
    held_on = item["summit"]["held_on"]
    later = [int(s["id"]) for s in detail["sources"] if s["dated_on"] > held_on]
    if not later:
        raise RuntimeError(f"{slug} has no source dated after its summit")
    return int(detail["version"]), parties, later


def editor_thread(port, name, slug, tag, ready, go, deadline, results, pace=0.0, gate=None):
    """One editor posting status updates until the deadline: back to back
    when `pace` is 0, else one every `pace` seconds (an editor who saves,
    reads, and saves again), starting at a random point of the first period
    so that the editors do not all save in the same instant. With a `gate`
    (an event and a count of saves in flight), the editor saves only while
    the event is set, and the count says when every save has come back."""
    client = EditorClient(port)
    out = {"editor": name, "ok": 0, "conflicts": 0, "errors": {}, "latencies": [], "acked": [], "done_at": []}
    try:
        status, body = client.request("POST", "/api/login", {"name": name, "password": PASSWORD})
        if not 200 <= status < 300 or not client.cookie:
            raise RuntimeError(f"sign-in of {name}: {status} {body[:200]!r}")
        version, parties, sources = read_commitment(client, slug)
    except Exception as error:  # reported, and the run counts it
        out["fatal"] = f"{type(error).__name__}: {error}"
        ready.put(name)
        results.put(out)
        return
    ready.put(name)
    go.wait()
    n = 0
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()

    def period_start() -> float:
        """A random point of the next `pace` seconds."""
        return time.time() + pace * (int.from_bytes(secrets.token_bytes(2), "big") / 65536)

    next_start = period_start() if pace else time.time()
    while time.time() < deadline.value:
        if gate is not None and not gate[0].is_set():
            while not gate[0].wait(0.05) and time.time() < deadline.value:
                pass
            if time.time() >= deadline.value:
                break
            # Back from a pause: a paced editor starts a new period at a
            # random point, rather than catching up on the saves it missed.
            if pace and next_start < time.time():
                next_start = period_start()
        if pace:
            wait = next_start - time.time()
            if wait > 0:
                time.sleep(wait)
            next_start += pace
            if time.time() >= deadline.value:
                break
        n += 1
        note = f"bench {tag} {name} #{n}"
        form = {
            "slug": slug,
            "version": str(version),
            "party": parties[n % len(parties)],
            "status": WRITABLE_STATUSES[n % len(WRITABLE_STATUSES)],
            "effective_on": today,
            "note": note,
            "source_ids[]": [str(sources[n % len(sources)])],
        }
        started = time.time()
        if gate is not None:
            with gate[1].get_lock():
                gate[1].value += 1
        try:
            status, body = client.request("POST", "/api/update_status", form)
        except (OSError, http.client.HTTPException) as error:
            key = f"connection: {type(error).__name__}"
            out["errors"][key] = out["errors"].get(key, 0) + 1
            continue
        finally:
            if gate is not None:
                with gate[1].get_lock():
                    gate[1].value -= 1
        finished = time.time()
        if 200 <= status < 300:
            out["ok"] += 1
            out["acked"].append(note)
            out["latencies"].append((finished - started) * 1000)
            out["done_at"].append(finished)
            version += 1
        elif status == 409:
            out["conflicts"] += 1
            version, parties, sources = read_commitment(client, slug)
        else:
            key = f"{status} {body[:120].decode(errors='replace')}"
            out["errors"][key] = out["errors"].get(key, 0) + 1
    results.put(out)


def editor_process(port, editors, tag, ready, go, deadline, results, pace, cpu, gate=None):
    """Four editors' threads; puts on `cpu` the CPU seconds this process
    spent from the start signal to the end (its sign-ins excluded)."""
    threads = [
        threading.Thread(target=editor_thread, args=(port, name, slug, tag, ready, go, deadline, results, pace, gate))
        for name, slug in editors
    ]
    for t in threads:
        t.start()
    go.wait()
    before = os.times()
    for t in threads:
        t.join()
    after = os.times()
    cpu.put((after.user - before.user) + (after.system - before.system))


def machine_cpu_seconds() -> float:
    """CPU time the whole machine spent busy (not idle or waiting), in seconds."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


def run_writers(server: Accord, editors: list[tuple[str, str]], seconds: float, tag: str, during=None, pace: float = 0.0,
                gated: bool = False) -> dict:
    """Editors sign in, then post status updates for `seconds` (back to back,
    or one every `pace` seconds each); `during`, if given, is called once
    they have started and returns the readers' result. Also reports how the
    machine's CPU time was shared: the server's own, and everything else
    (the editors' Python processes, wrk). When `gated`, the editors start
    paused and `during` is called with the gate (an event that lets them
    save while it is set, and the count of their saves in flight)."""
    ctx = mp.get_context("fork")
    ready, results, cpu = ctx.Queue(), ctx.Queue(), ctx.Queue()
    go = ctx.Event()
    deadline = ctx.Value("d", 0.0)
    gate = (ctx.Event(), ctx.Value("i", 0)) if gated else None
    groups = [editors[i : i + 4] for i in range(0, len(editors), 4)]
    procs = [ctx.Process(target=editor_process, args=(server.port, g, tag, ready, go, deadline, results, pace, cpu, gate))
             for g in groups]
    for p in procs:
        p.start()
    for _ in editors:
        ready.get(timeout=300)
    start = time.time()
    server_cpu_before, machine_cpu_before = cpu_seconds(server.pid), machine_cpu_seconds()
    deadline.value = start + seconds
    go.set()
    if gated:
        readers = during(gate)
        # The slices are over: the editors stop at once.
        deadline.value = time.time()
        gate[0].set()
    else:
        readers = during() if during else None
    outs = [results.get(timeout=seconds + 300) for _ in editors]
    editors_cpu = sum(cpu.get(timeout=300) for _ in procs)
    elapsed = time.time() - start
    server_cpu = (cpu_seconds(server.pid) - server_cpu_before) / elapsed
    machine_cpu = (machine_cpu_seconds() - machine_cpu_before) / elapsed
    for p in procs:
        p.join()
    fatal = [o["fatal"] for o in outs if "fatal" in o]
    if fatal:
        raise SystemExit("editors failed to start: " + "; ".join(fatal))
    latencies = sorted(x for o in outs for x in o["latencies"])
    errors: dict[str, int] = {}
    for o in outs:
        for k, v in o["errors"].items():
            errors[k] = errors.get(k, 0) + v
    ok = sum(o["ok"] for o in outs)
    # Gated, the editors saved only during the readers' slices beside them.
    saving_seconds = readers["editors_seconds"] if gated else seconds
    return {
        "ok": ok,
        "writes_per_s": ok / saving_seconds,
        "conflicts": sum(o["conflicts"] for o in outs),
        "errors": errors,
        "error_count": sum(errors.values()),
        "p50_ms": latencies[len(latencies) // 2] if latencies else float("nan"),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan"),
        "acked": [n for o in outs for n in o["acked"]],
        "readers": readers,
        "pace": pace,
        "editors": len(editors),
        # Cores busy on average: the server's, the editors' own clients',
        # and the machine's in all.
        "server_cores": server_cpu,
        "editors_cores": editors_cpu / elapsed,
        "machine_cores": machine_cpu,
    }


class EditorProbe:
    """A signed-in editor loading permalinks one after another (each one
    rendered for them: a session is never served from the page cache) while
    the others work; keeps every load's time."""

    def __init__(self, port: int, name: str, slugs: list[str]):
        self.port, self.name, self.slugs = port, name, slugs
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        client = EditorClient(self.port)
        status, body = client.request("POST", "/api/login", {"name": self.name, "password": PASSWORD})
        if not 200 <= status < 300 or not client.cookie:
            raise SystemExit(f"sign-in of {self.name}: {status} {body[:200]!r}")
        self.cookie = client.cookie
        self._thread.start()
        return self

    def _run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        n = 0
        while not self._stop.is_set():
            path = f"/commitments/{self.slugs[n % len(self.slugs)]}"
            n += 1
            started = time.monotonic()
            try:
                conn.putrequest("GET", path, skip_accept_encoding=True)
                conn.putheader("Cookie", f"accord_session={self.cookie}")
                conn.endheaders()
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                key = f"connection: {type(error).__name__}"
                self.errors[key] = self.errors.get(key, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            elapsed = (time.monotonic() - started) * 1000
            # The editor's own page: it must offer the status form.
            if response.status != 200 or b'name="status"' not in body:
                key = f"{response.status}" + ("" if response.status != 200 else " without the editor's form")
                self.errors[key] = self.errors.get(key, 0) + 1
            else:
                self.latencies.append(elapsed)
        conn.close()

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def result(self) -> dict:
        lat = sorted(self.latencies)
        return {
            "loads": len(lat),
            "p50_ms": lat[len(lat) // 2] if lat else float("nan"),
            "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan"),
            "max_ms": lat[-1] if lat else float("nan"),
            "errors": dict(self.errors),
            "error_count": sum(self.errors.values()),
        }


def bench_writes(name: str, db: Path, args) -> dict:
    for user in [f"bench{i:02d}" for i in range(args.editors)] + ["benchprobe"]:
        subprocess.run(
            [str(BINARY), "user", "add", user, "--database-url", f"sqlite://{db}"],
            input=f"{PASSWORD}\n", text=True, capture_output=True, check=True, cwd=REPO,
            env=dict(os.environ, RUST_LOG="warn"),
        )
    server = Accord(db, f"{name}-writes")
    log(f"[{name} writes] starting accord on port {server.port} ({db.name})")
    server.start()
    tag = secrets.token_hex(4)
    runs: dict[str, dict] = {}
    try:
        listing = api_json(server.port, f"/api/v1/commitments?per_page={max(args.editors, 1)}&sort=title")
        slugs = [item["slug"] for item in listing["items"]]
        if len(slugs) < args.editors:
            raise SystemExit(f"[{name}] needs {args.editors} commitments, has {len(slugs)}")
        editors = [(f"bench{i:02d}", slugs[i]) for i in range(args.editors)]
        home = f"{server.origin}/"
        # One complete render fills the page cache; without it 64 readers
        # would all render the page at once (see docs/PERFORMANCE.md).
        http_get(server.port, "/")
        wrk(home, args.warmup, args.threads, args.connections)
        wait_idle(server.pid)
        server_cpu_before, machine_cpu_before, started = cpu_seconds(server.pid), machine_cpu_seconds(), time.time()
        unloaded = wrk(home, args.duration, args.threads, args.connections)
        elapsed = time.time() - started
        unloaded["server_cores"] = (cpu_seconds(server.pid) - server_cpu_before) / elapsed
        unloaded["machine_cores"] = (machine_cpu_seconds() - machine_cpu_before) / elapsed
        wait_idle(server.pid)
        log(f"[{name} writes] readers alone: {unloaded['rps']:,.0f} req/s")

        def readers():
            time.sleep(0.5)
            return wrk(home, args.duration - 1, args.threads, args.connections, timeout="30s")

        def interleaved_readers(gate) -> dict:
            """Readers in short slices, the editors saving in every other
            one (the order alone, with, with, alone, ... so that a drift of
            the machine's rate weighs on both sides alike); each side's rate
            is its requests over its seconds, summed over its slices. One
            10 s run beside two others reads anywhere from 0.72 to 0.97 for
            the same code on this kind of VM (issue 17, ninth and tenth
            parts); slices a few seconds apart see the same machine."""
            active, in_flight = gate
            sides = {"alone": [], "with editors": []}
            for k in range(args.interleave_pairs):
                order = ["alone", "with editors"] if k % 2 == 0 else ["with editors", "alone"]
                for side in order:
                    if side == "alone":
                        active.clear()
                        # Saves sent before the pause finish first.
                        settle = time.time() + 5
                        while in_flight.value and time.time() < settle:
                            time.sleep(0.005)
                    else:
                        active.set()
                    sides[side].append(wrk(home, args.slice, args.threads, args.connections, timeout="30s"))
            active.clear()

            def rate(runs):
                seconds = sum(r.get("seconds", 0) for r in runs)
                if not seconds:
                    raise SystemExit(f"[{name} writes] wrk read nothing in the interleaved slices")
                return sum(r["requests"] for r in runs) / seconds

            pairs = [w["rps"] / a["rps"] for w, a in zip(sides["with editors"], sides["alone"]) if a["rps"]]
            loaded = sides["with editors"]
            return {
                "rps": rate(loaded),
                "alone_rps": rate(sides["alone"]),
                "pair_ratios": pairs,
                "editors_seconds": sum(r.get("seconds", 0) for r in loaded),
                "non_2xx": sum(r["non_2xx"] for runs in sides.values() for r in runs),
                "socket_errors": sum(r["socket_errors"] for runs in sides.values() for r in runs),
                "cores": statistics.mean(r["cores"] for runs in sides.values() for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in loaded),
                "p99_ms": max(r["p99_ms"] for r in loaded),
            }

        def readers_and_probe():
            with EditorProbe(server.port, "benchprobe", [slug for _, slug in editors[1:]]) as probe:
                result = readers()
            result["probe"] = probe.result()
            return result

        # (label, editors, seconds between one editor's saves (0: back to
        # back), what runs beside them)
        # Point 2's two runs are repeated `--write-rounds` times, each round
        # between runs of the readers alone: one 10 s run on this VM reads
        # anywhere from 0.72 to 0.97 for the same code (issue 17, ninth
        # part), so the report gives every round and their median.
        phases = [("editors alone", editors, 0.0, None)]
        for k in range(1, args.write_rounds + 1):
            round_ = f" (round {k})" if args.write_rounds > 1 else ""
            phases += [
                (f"editors + readers{round_}", editors, 0.0, readers),
                (f"editors, one save per {args.editor_pace:g} s each, + readers{round_}", editors, args.editor_pace,
                 readers),
            ]
        phases += [
            ("15 editors + readers + 1 editor loading permalinks", editors[1:], 0.0, readers_and_probe),
            (f"15 editors, one save per {args.editor_pace:g} s each, + readers + 1 editor loading permalinks",
             editors[1:], args.editor_pace, readers_and_probe),
        ]
        # Each run with readers is sandwiched between two runs of the
        # readers alone, and compared with the higher of those two (which
        # flatters nothing) and with their mean: this machine's rate drifts
        # by a tenth or more between minutes (issue 17, ninth part), so a
        # baseline taken a minute away says little about the run.
        last_alone: dict | None = unloaded
        waiting_for_after: list[dict] = []

        def readers_alone(why: str) -> dict:
            wait_idle(server.pid)
            alone = wrk(home, args.duration, args.threads, args.connections)
            for r in waiting_for_after:
                r["after_rps"] = alone["rps"]
                r["baseline_rps"] = max(r["before_rps"], alone["rps"])
                r["mean_baseline_rps"] = (r["before_rps"] + alone["rps"]) / 2
            waiting_for_after.clear()
            log(f"[{name} writes] readers alone ({why}): {alone['rps']:,.0f} req/s")
            return alone

        baselines = [unloaded["rps"]]
        for i, (label, who, pace, during) in enumerate(phases):
            if during is not None and last_alone is None:
                last_alone = readers_alone(f"before {label}")
                baselines.append(last_alone["rps"])
            wait_idle(server.pid)
            result = run_writers(server, who, args.duration, f"{tag}{i}", during=during, pace=pace)
            result["label"] = label
            runs[label] = result
            if result["readers"]:
                result["readers"]["before_rps"] = last_alone["rps"]
                waiting_for_after.append(result["readers"])
            last_alone = None
            line = f"[{name} writes] {label}: {result['writes_per_s']:,.0f} writes/s, {result['error_count']} errors, {result['conflicts']} conflicts"
            if result["readers"]:
                r = result["readers"]
                line += f"; readers {r['rps']:,.0f} req/s ({r['rps'] / r['before_rps']:.2f} of the run before; {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors)"
                if "probe" in r:
                    line += f"; editor's permalink p50 {r['probe']['p50_ms']:.1f} ms, p99 {r['probe']['p99_ms']:.1f} ms ({r['probe']['loads']} loads)"
            log(line)
        after = readers_alone("after the editors")
        baselines.append(after["rps"])
        unloaded["baselines_rps"] = baselines
        # Point 2 again, read in interleaved slices (`interleaved_readers`).
        for kind, pace in (("back to back", 0.0), (f"one save per {args.editor_pace:g} s each", args.editor_pace)):
            if not args.interleave_pairs:
                break
            label = f"interleaved: editors {kind}, readers in {args.slice:g} s slices with and without them"
            wait_idle(server.pid)
            seconds = args.interleave_pairs * 2 * (args.slice + 6) + 60
            result = run_writers(server, editors, seconds, f"{tag}i{len(runs)}", during=interleaved_readers,
                                 pace=pace, gated=True)
            result["label"] = label
            runs[label] = result
            r = result["readers"]
            log(f"[{name} writes] {label}: {result['writes_per_s']:,.0f} writes/s, {result['error_count']} errors; "
                f"readers {r['rps']:,.0f} req/s with the editors, {r['alone_rps']:,.0f} without: "
                f"{r['rps'] / r['alone_rps']:.2f} (pairs {min(r['pair_ratios']):.2f}-{max(r['pair_ratios']):.2f})")
        for label, run_ in runs.items():
            r = run_["readers"]
            if r and "baseline_rps" in r:
                log(f"[{name} writes] {label}: readers {r['rps'] / r['baseline_rps']:.2f} of the higher of the runs "
                    f"alone beside it, {r['rps'] / r['mean_baseline_rps']:.2f} of their mean "
                    f"({r['before_rps']:,.0f} before, {r['after_rps']:,.0f} after)")
    finally:
        server.stop()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stored = {row[0] for row in conn.execute("SELECT note FROM status_updates WHERE note LIKE ?", (f"bench {tag}%",))}
    conn.close()
    acked = [n for run_ in runs.values() for n in run_["acked"]]
    missing = [n for n in acked if n not in stored]
    for run_ in runs.values():
        run_.pop("acked")
    return {"db": name, "unloaded": unloaded, "runs": runs, "acked": len(acked), "missing": len(missing)}


# ---------------------------------------------------------------- sizes


def sizes(home_html: Path) -> list[tuple[str, int, int]]:
    pkg = SITE / "pkg"
    out = []
    for pattern in ("*.wasm", "*.js", "*.css"):
        for path in sorted(pkg.glob(pattern)):
            out.append((f"target/site/pkg/{path.name}", path.stat().st_size, gzip9(path)))
    out.append(("HTML of / (seed database)", home_html.stat().st_size, gzip9(home_html)))
    return out


# ---------------------------------------------------------------- report


def fmt_ms(x: float) -> str:
    if x != x:  # NaN
        return "–"
    return f"{x:.2f}" if x < 10 else f"{x:.0f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(r) for r in rows)])


def report(info: dict, args, reads: dict, writes: list[dict], size_rows) -> str:
    out = []
    out.append(
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory_gb']} GB, Linux {info['kernel']}; "
        f"commit {info['commit']}{' (working tree dirty)' if info['dirty'] else ''}; {info['date']}; "
        f"load average before: {info['load_before']:.2f}"
    )
    out.append(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s --latency after a {args.warmup:g} s warm-up; "
        f"wrk sends no Accept-Encoding, so Accord and nginx both answer uncompressed (identity) bytes. "
        f"nginx-light: worker_processes {args.nginx_workers}, access_log off, serving the saved bytes with default_type text/html. "
        f"'uncached': same URL with a session cookie (bypasses the page cache), wrk -c{args.uncached_connections}; "
        f"'render ms': median of {args.renders} sequential uncached requests. "
        f"'bare axum': the same bytes from `accord-dev serve-bytes` (one axum handler, no middleware), a second baseline."
    )
    out.append("")
    headers = ["DB", "page", "URL", "bytes", "render ms", "Accord req/s", "p50 ms", "p99 ms",
               "uncached req/s", "unc. p50", "nginx req/s", "p50 ms", "p99 ms", "Accord/nginx",
               "bare axum req/s", "bare/nginx"]
    rows = []
    for name, result in reads.items():
        for r in result["rows"]:
            a, u, n = r["accord"], r["uncached"], r["nginx"]
            rows.append([
                name, r["kind"], r["url"], f"{r['bytes']:,}", fmt_ms(r["render_ms"]),
                f"{a['rps']:,.0f}", fmt_ms(a["p50_ms"]), fmt_ms(a["p99_ms"]),
                f"{u['rps']:,.1f}", fmt_ms(u["p50_ms"]),
                f"{n['rps']:,.0f}", fmt_ms(n["p50_ms"]), fmt_ms(n["p99_ms"]), f"{r['ratio']:.2f}",
                f"{r['bare']['rps']:,.0f}", f"{r['bare_ratio']:.2f}",
            ])
    out.append(table(headers, rows))
    problems = [f"{r['db']} {r['url']}: {side} {r[side]['non_2xx']} non-2xx, {r[side]['socket_errors']} socket errors"
                for result in reads.values() for r in result["rows"] for side in ("accord", "uncached", "nginx")
                if r[side]["non_2xx"] or r[side]["socket_errors"]]
    if problems:
        out.append("")
        out.append("Errors during the read runs: " + "; ".join(problems))
    out.append("")
    out.append(table(
        ["DB", "peak VmRSS, read load (cached)", "peak VmRSS, uncached load", "VmHWM at the end"],
        [[name, f"{r['peak_rss_kb'] / 1024:.1f} MB", f"{r['peak_rss_uncached_kb'] / 1024:.1f} MB", f"{r['hwm_kb'] / 1024:.1f} MB"]
         for name, r in reads.items()],
    ))
    out.append("")
    out.append(f"Uncached renders: median (min-max) of {args.render_samples} requests with a session cookie "
               "(the page cache bypassed), taken round-robin (each round renders every view once, in turn), "
               "after one round not counted; wall time over loopback, from the request to the last byte.")
    out.append("")
    out.append(table(
        ["DB", "view", "URL", "bytes", "median ms", "min ms", "max ms"],
        [[r["db"], r["kind"], r["url"], f"{r['bytes']:,}", f"{r['median_ms']:.2f}", f"{r['min_ms']:.2f}", f"{r['max_ms']:.2f}"]
         for result in reads.values() for r in result["renders"]],
    ))
    names = list(reads)
    if len(names) == 2:
        seed, big = names
        out.append("")
        rows = []
        for rs, rb in zip(reads[seed]["rows"], reads[big]["rows"]):
            rows.append([
                rb["kind"], rs["url"] if rs["url"] == rb["url"] else f"{rs['url']} -> {rb['url']}",
                f"{rb['accord']['rps'] / rs['accord']['rps']:.2f}" if rs["accord"]["rps"] else "–",
                f"{rb['uncached']['rps'] / rs['uncached']['rps']:.3f}" if rs["uncached"]["rps"] else "–",
                f"{rs['render_ms'] / rb['render_ms']:.3f}" if rb["render_ms"] else "–",
            ])
        out.append(table(
            ["page", f"URL ({seed} -> {big})", f"req/s {big}/{seed}", f"uncached req/s {big}/{seed}",
             f"render speed {big}/{seed}"],
            rows,
        ))
    out.append("")
    rows = []
    probes = []
    for w in writes:
        for label, run_ in w["runs"].items():
            readers = run_["readers"]
            if readers and "alone_rps" in readers:
                alone = f"{readers['alone_rps']:,.0f} (the slices between)"
                against = f"{readers['rps'] / readers['alone_rps']:.2f} (slices alone)"
            elif readers:
                alone = f"{readers['before_rps']:,.0f} / {readers['after_rps']:,.0f}"
                against = (f"{readers['rps'] / readers['baseline_rps']:.2f} / {readers['rps'] / readers['mean_baseline_rps']:.2f}"
                           if readers["baseline_rps"] else "–")
            else:
                alone = against = "–"
            rows.append([
                w["db"], label, str(run_["editors"]), f"{run_['writes_per_s']:,.0f}", fmt_ms(run_["p50_ms"]), fmt_ms(run_["p99_ms"]),
                str(run_["error_count"]), str(run_["conflicts"]),
                f"{readers['rps']:,.0f}" if readers else "–",
                alone,
                against,
                f"{run_['server_cores']:.2f} / {run_['editors_cores']:.2f} / "
                + (f"{readers['cores']:.2f}" if readers else "–") + f" / {run_['machine_cores']:.2f}",
            ])
            if readers and "probe" in readers:
                p = readers["probe"]
                probes.append([w["db"], label, f"{run_['writes_per_s']:,.0f}", f"{readers['rps']:,.0f}", str(p["loads"]),
                               fmt_ms(p["p50_ms"]), fmt_ms(p["p99_ms"]), fmt_ms(p["max_ms"]), str(p["error_count"])])
    out.append(table(
        ["DB", "run", "editors", "writes/s", "p50 ms", "p99 ms", "errors", "409s",
         "reads/s on / (during)", "reads/s alone, run before / after", "during / higher, mean of those",
         "cores busy: server / editors' clients / wrk / machine"], rows))
    for w in writes:
        u = w["unloaded"]
        out.append(f"{w['db']}: readers alone, cores busy: server {u['server_cores']:.2f} / wrk {u['cores']:.2f} / machine {u['machine_cores']:.2f}")
        if "baselines_rps" in u:
            out.append(f"{w['db']}: readers alone, in order: " + ", ".join(f"{x:,.0f}" for x in u["baselines_rps"])
                       + " req/s; each run with readers is compared with the higher, and with the mean, of the runs alone just before and just after it")
    for w in writes:
        for kind in ("editors + readers", "editors, one save per"):
            rounds = [r["readers"] for label, r in w["runs"].items() if label.startswith(kind) and r["readers"]]
            if len(rounds) > 1:
                higher = statistics.median(r["rps"] / r["baseline_rps"] for r in rounds)
                mean = statistics.median(r["rps"] / r["mean_baseline_rps"] for r in rounds)
                out.append(f"{w['db']}: '{kind}…', median of {len(rounds)} rounds: readers {higher:.2f} of the higher "
                           f"run alone beside each, {mean:.2f} of their mean")
    for w in writes:
        for label, run_ in w["runs"].items():
            r = run_["readers"]
            if r and "alone_rps" in r:
                out.append(f"{w['db']}: '{label}': readers {r['rps'] / r['alone_rps']:.2f} of their rate in the slices alone "
                           f"({len(r['pair_ratios'])} pairs; each pair {min(r['pair_ratios']):.2f} to {max(r['pair_ratios']):.2f}, "
                           f"median {statistics.median(r['pair_ratios']):.2f})")
    for w in writes:
        out.append(f"{w['db']}: {w['acked']:,} acknowledged writes, {w['missing']} missing from the database afterwards")
        for label, run_ in w["runs"].items():
            if run_["errors"]:
                out.append(f"  errors, {label}: {run_['errors']}")
    if probes:
        out.append("")
        out.append("A signed-in editor loading the permalinks the other editors are changing, one after another, "
                   f"while {args.connections} wrk connections read / and 15 editors save:")
        out.append("")
        out.append(table(["DB", "run", "writes/s", "reads/s", "loads", "p50 ms", "p99 ms", "max ms", "errors"], probes))
    out.append("")
    out.append(table(["file", "raw bytes", "gzip -9 bytes"], [[n, f"{r:,}", f"{g:,}"] for n, r, g in size_rows]))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commitments", type=int, default=100_000)
    parser.add_argument("--updates-per", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--busy-updates", type=int, default=10_000,
                        help="status changes of the one busy commitment in the generated database")
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--uncached-connections", type=int, default=8)
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--render-samples", type=int, default=21,
                        help="sequential uncached requests per view in the render-time table")
    parser.add_argument("--editors", type=int, default=16)
    parser.add_argument("--write-rounds", type=int, default=3,
                        help="rounds of the back-to-back and paced write runs beside readers, each between runs of the readers alone")
    parser.add_argument("--interleave-pairs", type=int, default=10,
                        help="pairs of reader slices, with the editors saving and without, for point 2's interleaved runs (0: none)")
    # wrk reads whole seconds only.
    parser.add_argument("--slice", type=int, default=2, help="seconds of one reader slice in the interleaved runs")
    parser.add_argument("--editor-pace", type=float, default=1.0,
                        help="seconds between one editor's saves in the paced runs (the others save back to back)")
    parser.add_argument("--nginx-workers", default="auto")
    parser.add_argument("--skip-big", action="store_true", help="only the seed database (a quick run)")
    parser.add_argument("--write-dbs", default="seed,big", help="comma-separated: seed (seed data + 16 generated commitments), big")
    parser.add_argument("--postgres", action="store_true",
                        help="SQLite and PostgreSQL side by side, and two replicas against one (scripts/bench_engines.py)")
    parser.add_argument("--renders-only", action="store_true",
                        help="with --postgres: only the uncached renders of each site on each engine")
    parser.add_argument("--writes-only", action="store_true",
                        help="with --postgres: only the editors' status writes on each site and engine")
    args = parser.parse_args()
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_engines

        bench_engines.run(args)
        return

    for tool in ("wrk", "gzip"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run `make tool-bench`")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        raise SystemExit("nginx is missing: run `make tool-bench`")
    if not BINARY.exists() or not DEV_BINARY.exists() or not list((SITE / "pkg").glob("*.wasm")):
        raise SystemExit("target/release/accord, accord-dev or target/site is missing: run `make release release-devtools`")

    info = machine()
    big_name = f"{args.commitments // 1000}k" if args.commitments % 1000 == 0 else str(args.commitments)
    run_dir = BENCH / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    log(f"{info['nproc']} CPUs, {info['cpu']}; commit {info['commit']}{' (dirty)' if info['dirty'] else ''}")

    dbs = {"seed": run_dir / "seed.db"}  # created and seeded by the server itself
    if not args.skip_big:
        dbs[big_name] = generated_db(args.commitments, args.updates_per, args.seed, args.busy_updates)

    nginx = Nginx(args.nginx_workers)
    nginx.start()
    reads = {}
    writes = []
    try:
        for name, db in dbs.items():
            reads[name] = bench_reads(name, db, nginx, args)
        for which in [w.strip() for w in args.write_dbs.split(",") if w.strip()]:
            if which == "seed":
                # The seed has 13 commitments; 16 editors each need their own.
                db = run_dir / "writes-seed.db"
                copy_db(dbs["seed"], db)
                subprocess.run(
                    [str(DEV_BINARY), "generate", "--commitments", str(args.editors), "--updates-per", "2",
                     "--database-url", f"sqlite://{db}"],
                    check=True, capture_output=True, cwd=REPO, env=dict(os.environ, RUST_LOG="warn"),
                )
                writes.append(bench_writes("seed+16", db, args))
            elif which == "big" and big_name in dbs:
                db = copy_db(dbs[big_name], run_dir / f"writes-{big_name}.db")
                writes.append(bench_writes(big_name, db, args))
    finally:
        nginx.stop()

    size_rows = sizes(reads["seed"]["home_html"])
    text = report(info, args, reads, writes, size_rows)
    print()
    print(text)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (BENCH / f"results-{stamp}.md").write_text(text + "\n")
    for result in reads.values():
        result["home_html"] = str(result["home_html"])
        for r in result["rows"]:
            for side in ("accord", "uncached", "nginx"):
                r[side].pop("raw", None)
    (BENCH / f"results-{stamp}.json").write_text(
        json.dumps({"machine": info, "args": vars(args), "reads": reads, "writes": writes, "sizes": size_rows}, indent=1)
    )
    print(f"\n(saved as target/bench/results-{stamp}.md and .json)")

    # Figures from a run that lost writes or got errors measure a broken
    # server: the run fails, after saving what it saw.
    failures = [
        f"{r['db']} {r['url']}: {side} {r[side]['non_2xx']} non-2xx, {r[side]['socket_errors']} socket errors"
        for result in reads.values() for r in result["rows"] for side in ("accord", "uncached", "nginx")
        if r[side]["non_2xx"] or r[side]["socket_errors"]
    ]
    for w in writes:
        if w["missing"]:
            failures.append(f"{w['db']}: {w['missing']} acknowledged writes missing from the database")
        if not w["acked"]:
            failures.append(f"{w['db']}: no write was acknowledged")
        for label, run_ in w["runs"].items():
            if run_["error_count"]:
                failures.append(f"{w['db']} writes, {label}: {run_['error_count']} errors")
            readers = run_["readers"] or {}
            if readers.get("non_2xx") or readers.get("socket_errors"):
                failures.append(f"{w['db']} readers, {label}: {readers.get('non_2xx')} non-2xx, {readers.get('socket_errors')} socket errors")
            if readers.get("probe", {}).get("error_count"):
                failures.append(f"{w['db']} editor loading permalinks, {label}: {readers['probe']['errors']}")
    if failures:
        for failure in failures:
            print(f"FAIL: {failure}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
