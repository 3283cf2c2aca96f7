"""`make bench BENCH_ARGS=--postgres`: the two engines side by side, and two
replicas against one (docs/PERFORMANCE.md, "SQLite and PostgreSQL").

For the seeded site (with one generated commitment per editor) and, unless
--skip-big, the generated large site, the SQLite file is copied to a
PostgreSQL database with `accord migrate-db` (kept between runs under a
name made from the file's). The same release binary then serves each:

- reads: each page's cached rate against nginx serving the same bytes, and
  the median of uncached renders of the list views and the busiest
  commitment's page;
- writes: 16 editors saving status changes back to back, alone; every
  acknowledged write is then looked up in that engine's database;
- replicas (PostgreSQL, the seeded site): nginx in front of one replica and
  then of two, round-robin, each measured cached and uncached.

With --renders-only, only the uncached renders (a quick look at a large
site on both engines, without the minutes of reads, writes and replicas);
with --writes-only, only the editors' writes (to compare a change to the
write path with the code before it).

Figures are from one machine with both servers and PostgreSQL on it; the
report says so.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import time
import urllib.parse
from pathlib import Path

import bench as b

ADMIN_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def psql(sql: str, url: str = ADMIN_URL) -> str:
    result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"psql: {result.stderr.strip()}")
    return result.stdout.strip()


def pg_url(name: str) -> str:
    parts = urllib.parse.urlsplit(ADMIN_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def pg_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def postgres_copy(sqlite_db: Path) -> tuple[str, float | None]:
    """The PostgreSQL database holding a copy of `sqlite_db`, made by
    `accord migrate-db` unless a database of the same file is kept; with the
    seconds the command took (None when reused)."""
    file_key = hashlib.sha256(sqlite_db.name.encode()).hexdigest()[:6]
    stat = sqlite_db.stat()
    version_key = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:10]
    name = f"accord_bench_{file_key}_{version_key}"
    if pg_exists(name):
        b.log(f"reusing PostgreSQL database {name} for {sqlite_db.name}")
        return name, None
    # Copies of an earlier version of the same file are dropped.
    for stale in psql(f"SELECT datname FROM pg_database WHERE datname LIKE 'accord_bench_{file_key}_%'").splitlines():
        if stale:
            psql(f"DROP DATABASE IF EXISTS {stale} WITH (FORCE)")
    psql(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    b.log(f"accord migrate-db {sqlite_db.name} -> {name}")
    started = time.monotonic()
    moved = subprocess.run([str(b.BINARY), "migrate-db", "--from", f"sqlite://{sqlite_db}", "--to", pg_url(name)],
                           capture_output=True, text=True, cwd=b.REPO, env=dict(os.environ, RUST_LOG="warn"))
    took = time.monotonic() - started
    if moved.returncode != 0:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        raise SystemExit(f"migrate-db failed:\n{moved.stdout}\n{moved.stderr}")
    for line in moved.stdout.splitlines():
        if "compared the same" in line or "the same from both" in line or line.startswith("took:"):
            b.log(f"  {line}")
    return name, took


def scratch_postgres(template: str) -> str:
    """A database copied from `template` for a run that writes."""
    name = f"{template}_w"
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


def server_on(url: str, source: Path, name: str) -> b.Accord:
    server = b.Accord(source, name)
    server.database_url = url
    return server


def read_figures(label: str, server: b.Accord, nginx: b.Nginx, urls: list[tuple[str, str]], args) -> list[dict]:
    rows = []
    for kind, url in urls:
        status, _, body = b.http_get(server.port, url)
        if status != 200:
            raise SystemExit(f"[{label}] GET {url}: {status}")
        file_name = "".join(c if c.isalnum() else "-" for c in f"{label}-{kind}") + ".html"
        (nginx.root / file_name).write_bytes(body)
        accord_url = f"{server.origin}{url}"
        nginx_url = f"http://127.0.0.1:{nginx.port}/{file_name}"
        b.wait_idle(server.pid)
        b.wrk(accord_url, args.warmup, args.threads, args.connections)
        b.wait_idle(server.pid)
        accord = b.wrk(accord_url, args.duration, args.threads, args.connections)
        b.wait_idle(server.pid)
        b.wrk(nginx_url, args.warmup, args.threads, args.connections)
        ngx = b.wrk(nginx_url, args.duration, args.threads, args.connections)
        ratio = accord["rps"] / ngx["rps"] if ngx["rps"] else float("nan")
        b.log(f"[{label}] {kind}: {accord['rps']:,.0f} req/s, nginx {ngx['rps']:,.0f} -> {ratio:.2f}")
        rows.append({"kind": kind, "url": url, "accord": accord, "nginx": ngx, "ratio": ratio})
    return rows


def render_figures(label: str, server: b.Accord, source: Path, big: bool, args) -> dict[str, float]:
    urls = [
        ("first page", "/"),
        ("sort: title", "/?sort=title"),
        ("filtered", "/?status=in_progress&party=kr"),
        ("search", "/?q=fraud"),
        ("overdue", "/?overdue=1"),
        ("deep page", "/?before=end" if big else "/?sort=last_change"),
    ]
    busiest = b.busiest_commitment(source)
    urls += [("item, most changes", f"/commitments/{busiest}"),
             ("history, most changes", f"/commitments/{busiest}/history")]
    b.wait_idle(server.pid)
    rows = b.render_times(label, server, urls, args.render_samples)
    return {row["kind"]: row["median_ms"] for row in rows}


def add_editors(url: str, count: int) -> list[str]:
    names = [f"bench{i:02d}" for i in range(count)]
    for user in names:
        subprocess.run([str(b.BINARY), "user", "add", user, "--database-url", url], input=f"{b.PASSWORD}\n",
                       text=True, capture_output=True, check=True, cwd=b.REPO, env=dict(os.environ, RUST_LOG="warn"))
    return names


def stored_notes(engine: str, where: str, tag: str) -> set[str]:
    if engine == "SQLite":
        conn = sqlite3.connect(f"file:{where}?mode=ro", uri=True)
        try:
            return {row[0] for row in conn.execute("SELECT note FROM status_updates WHERE note LIKE ?", (f"bench {tag}%",))}
        finally:
            conn.close()
    out = psql(f"SELECT note FROM status_updates WHERE note LIKE 'bench {tag}%'", where)
    return set(out.splitlines())


def write_figures(engine: str, url: str, where: str, source: Path, args) -> dict:
    names = add_editors(url, args.editors)
    server = server_on(url, source, f"{engine}-writes")
    server.start()
    try:
        listing = b.api_json(server.port, f"/api/v1/commitments?per_page={args.editors}&sort=title")
        slugs = [item["slug"] for item in listing["items"]]
        editors = list(zip(names, slugs))
        tag = secrets.token_hex(4)
        b.wait_idle(server.pid)
        result = b.run_writers(server, editors, args.duration, tag)
    finally:
        server.stop()
    stored = stored_notes(engine, where, tag)
    missing = [n for n in result["acked"] if n not in stored]
    b.log(f"[{engine} writes] {result['writes_per_s']:,.0f} writes/s (p50 {result['p50_ms']:.1f} ms, p99 "
          f"{result['p99_ms']:.1f} ms), {result['error_count']} errors, {len(result['acked'])} acknowledged, "
          f"{len(missing)} missing")
    return {"writes_per_s": result["writes_per_s"], "p50_ms": result["p50_ms"], "p99_ms": result["p99_ms"],
            "errors": result["error_count"], "acked": len(result["acked"]), "missing": len(missing),
            "server_cores": result["server_cores"], "machine_cores": result["machine_cores"]}


class Balancer:
    """nginx proxying to the given replicas, round-robin."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.dir = b.BENCH / "run" / f"balancer-{len(ports)}"
        self.port = b.free_port()
        self.proc = None

    def start(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ("temp", "logs"):
            (self.dir / sub).mkdir(parents=True)
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in self.ports)
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(f"""{user}
worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/temp/body;
    proxy_temp_path {self.dir}/temp/proxy;
    fastcgi_temp_path {self.dir}/temp/fastcgi;
    uwsgi_temp_path {self.dir}/temp/uwsgi;
    scgi_temp_path {self.dir}/temp/scgi;
    upstream accord {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{self.port};
        location / {{
            proxy_pass http://accord;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
        }}
    }}
}}
""")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc = subprocess.Popen([nginx, "-p", str(self.dir), "-e", str(self.dir / "logs" / "error.log"),
                                      "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if b.http_get(self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"the balancer did not start; see {self.dir}/logs/error.log")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def replica_figures(url: str, source: Path, args) -> dict:
    """nginx in front of one replica, then of two: `/` cached and uncached."""
    out = {}
    replicas = [server_on(url, source, f"replica-{i}") for i in range(2)]
    for r in replicas:
        r.start()
    try:
        for count in (1, 2):
            balancer = Balancer([r.port for r in replicas[:count]])
            balancer.start()
            try:
                front = f"http://127.0.0.1:{balancer.port}/"
                for r in replicas[:count]:
                    b.http_get(r.port, "/")
                b.wrk(front, args.warmup, args.threads, args.connections)
                cached = b.wrk(front, args.duration, args.threads, args.connections)
                uncached = b.wrk(front, args.duration, args.threads, args.uncached_connections,
                                 headers=[f"Cookie: {b.UNCACHED_COOKIE}"], timeout="60s")
            finally:
                balancer.stop()
            b.log(f"[replicas] {count} behind nginx: cached {cached['rps']:,.0f} req/s, uncached {uncached['rps']:,.1f} req/s")
            out[count] = {"cached": cached, "uncached": uncached}
    finally:
        for r in replicas:
            r.stop()
    return out


def fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def run(args) -> None:
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (`make tool-bench`; psql: Debian's postgresql-client)")
    if not b.BINARY.exists() or not b.DEV_BINARY.exists():
        raise SystemExit("target/release/accord or accord-dev is missing: run `make release release-devtools`")
    info = b.machine()
    run_dir = b.BENCH / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    b.log(f"{info['nproc']} CPUs, {info['cpu']}; commit {info['commit']}{' (dirty)' if info['dirty'] else ''}")

    # The seeded site, and one generated commitment per editor for the writes.
    seed = run_dir / "seed.db"
    starter = b.Accord(seed, "seed")
    starter.start()
    starter.stop()
    subprocess.run([str(b.DEV_BINARY), "generate", "--commitments", str(args.editors), "--updates-per", "2",
                    "--database-url", f"sqlite://{seed}"], check=True, capture_output=True, cwd=b.REPO,
                   env=dict(os.environ, RUST_LOG="warn"))
    sites = {"seed+16": seed}
    if not args.skip_big:
        big_name = f"{args.commitments // 1000}k" if args.commitments % 1000 == 0 else str(args.commitments)
        sites[big_name] = b.generated_db(args.commitments, args.updates_per, args.seed, args.busy_updates)

    nginx = b.Nginx(args.nginx_workers)
    nginx.start()
    results: dict = {"sites": {}}
    try:
        for name, source in sites.items():
            database, migrate_seconds = postgres_copy(source)
            site = {"migrate_seconds": migrate_seconds, "engines": {}}
            for engine, url in (("SQLite", f"sqlite://{source}"), ("PostgreSQL", pg_url(database))):
                label = f"{name} {engine}"
                reads, renders = [], {}
                if not args.writes_only:
                    server = server_on(url, source, label.replace(" ", "-"))
                    server.start()
                    try:
                        urls = [("first page", "/"), ("search", "/?q=fraud"), ("item", f"/commitments/{b.SEED_ITEM}")]
                        if not args.renders_only:
                            reads = read_figures(label, server, nginx, urls, args)
                        renders = render_figures(label, server, source, name != "seed+16", args)
                    finally:
                        server.stop()
                if args.renders_only:
                    site["engines"][engine] = {"reads": reads, "renders": renders, "writes": None}
                    continue
                # Writes on a copy: the kept site is not changed.
                if engine == "SQLite":
                    copy = b.copy_db(source, run_dir / f"writes-{name}.db")
                    writes = write_figures(engine, f"sqlite://{copy}", str(copy), copy, args)
                else:
                    scratch = scratch_postgres(database)
                    writes = write_figures(engine, pg_url(scratch), pg_url(scratch), source, args)
                    psql(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
                site["engines"][engine] = {"reads": reads, "renders": renders, "writes": writes}
            results["sites"][name] = site
        if not args.renders_only and not args.writes_only:
            seed_database, _ = postgres_copy(seed)
            scratch = scratch_postgres(seed_database)
            results["replicas"] = replica_figures(pg_url(scratch), seed, args)
            psql(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
    finally:
        nginx.stop()

    text = report(info, args, results)
    print()
    print(text)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (b.BENCH / f"engines-{stamp}.md").write_text(text + "\n")
    print(f"\n(saved as target/bench/engines-{stamp}.md)")
    written = [(name, engine, e) for name, site in results["sites"].items()
               for engine, e in site["engines"].items() if e["writes"] is not None]
    failures = [f"{name} {engine}: {e['writes']['missing']} acknowledged writes missing"
                for name, engine, e in written if e["writes"]["missing"]]
    failures += [f"{name} {engine}: no write acknowledged" for name, engine, e in written if not e["writes"]["acked"]]
    failures += [f"{name} {engine} {r['url']}: {r['accord']['non_2xx']} non-2xx, {r['accord']['socket_errors']} socket errors"
                 for name, site in results["sites"].items() for engine, e in site["engines"].items()
                 for r in e["reads"] if r["accord"]["non_2xx"] or r["accord"]["socket_errors"]]
    if failures:
        for failure in failures:
            print(f"FAIL: {failure}")
        raise SystemExit(1)


def report(info: dict, args, results: dict) -> str:
    lines = [
        f"## SQLite and PostgreSQL side by side ({time.strftime('%Y-%m-%d')}, commit {info['commit']}"
        f"{' (dirty)' if info['dirty'] else ''})",
        "",
        f"{info['nproc']} CPUs ({info['cpu']}); the server, PostgreSQL {psql('SHOW server_version')}, nginx and the "
        f"load generators share them. wrk: {args.threads} threads, {args.connections} connections, "
        f"{args.duration:g} s; renders: median of {args.render_samples} uncached requests; writes: "
        f"{args.editors} editors back to back for {args.duration:g} s.",
        "",
    ]
    for name, site in results["sites"].items():
        sqlite, postgres = site["engines"]["SQLite"], site["engines"]["PostgreSQL"]
        moved = site["migrate_seconds"]
        lines += [f"### {name}" + (f" (moved with `accord migrate-db` in {moved:.0f} s)" if moved else ""), ""]
        lines += ["| | SQLite | PostgreSQL |", "|---|---|---|"]
        for a, p in zip(sqlite["reads"], postgres["reads"]):
            lines.append(f"| {a['kind']} `{a['url']}`, cached: req/s (share of nginx's) | "
                         f"{fmt(a['accord']['rps'])} ({a['ratio']:.2f}) | {fmt(p['accord']['rps'])} ({p['ratio']:.2f}) |")
        for kind in sqlite["renders"]:
            lines.append(f"| uncached render, {kind}: median ms | {sqlite['renders'][kind]:.1f} | "
                         f"{postgres['renders'][kind]:.1f} |")
        w_a, w_p = sqlite["writes"], postgres["writes"]
        if w_a is None or w_p is None:
            lines.append("")
            continue
        lines.append(f"| status writes/s, {args.editors} editors (p50 / p99 ms) | {fmt(w_a['writes_per_s'])} "
                     f"({w_a['p50_ms']:.0f} / {w_a['p99_ms']:.0f}) | {fmt(w_p['writes_per_s'])} "
                     f"({w_p['p50_ms']:.0f} / {w_p['p99_ms']:.0f}) |")
        lines.append(f"| acknowledged writes missing | {w_a['missing']} of {w_a['acked']} | "
                     f"{w_p['missing']} of {w_p['acked']} |")
        lines.append("")
    replicas = results.get("replicas")
    if replicas:
        lines += ["### Replicas on PostgreSQL behind nginx (the seeded site, `/`)", "",
                  "| | one replica | two replicas |", "|---|---|---|",
                  f"| cached req/s | {fmt(replicas[1]['cached']['rps'])} | {fmt(replicas[2]['cached']['rps'])} |",
                  f"| uncached req/s | {fmt(replicas[1]['uncached']['rps'], 1)} | "
                  f"{fmt(replicas[2]['uncached']['rps'], 1)} |", ""]
    return "\n".join(lines)
