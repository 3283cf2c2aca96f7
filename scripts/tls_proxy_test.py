#!/usr/bin/env python3
"""Accord behind nginx with TLS, as docs/DEPLOY.md deploys it (`make test-proxy`).

Makes a self-signed certificate for `localhost` with openssl, starts the
release server on a fresh database (ACCORD_PUBLIC_URL=https://localhost:PORT/,
ACCORD_TRUSTED_PROXIES=127.0.0.1) and, in front of it, nginx running as the
current user from its own prefix in target/tls-proxy-test/ (no system
configuration is read or touched) with docs/deploy/nginx-accord.conf -- the
file DEPLOY.md installs, with only its ports, server name, certificate paths
and upstream address replaced. Then, over https with the certificate
verified, it checks what the deployment promises:

  * plain http is sent to https (301);
  * every answer carries Strict-Transport-Security, once;
  * an editor made with `accord user add` signs in, gets a session cookie
    marked Secure (and HttpOnly, SameSite=Lax), and is recognised with it;
  * a cross-origin post, and a post that names no origin, are refused (403);
  * the page cache still serves through the proxy: the second reader of the
    home page gets the very bytes of the first with the same ETag (only kept
    pages have one, and a page rendered again differs by its CSP nonce), and
    a reader holding the ETag gets 304;
  * sign-in failures are counted against the client's own address, which
    Accord takes from nginx's X-Forwarded-For: clients connect from 127.0.0.2
    and 127.0.0.3 (nginx itself reaches Accord from 127.0.0.1), a client's
    own X-Forwarded-For is replaced by nginx and not believed, six failures
    from one client naming six different X-Forwarded-For addresses are
    refused at the sixth (429), and a client reaching Accord directly, not
    through a trusted proxy, is counted at its socket's address whatever
    X-Forwarded-For it sends;
  * systemd accepts docs/deploy/accord.service (`systemd-analyze verify`)
    and rates its exposure 2.0 or better (`systemd-analyze security`);
  * Accord exits 0 on SIGTERM.

Each check prints PASS or FAIL with what it saw; the exit status is 1 if any
failed. nginx and the server are stopped on every exit path; their logs stay
in target/tls-proxy-test/ (emptied at the start of the next run).

    python3 scripts/tls_proxy_test.py [--binary target/release/accord]

Python 3 standard library, Debian's openssl and nginx (`make tool-bench`).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accord_harness import (  # noqa: E402
    DEFAULT_BINARY,
    PASSWORD,
    REPO,
    Server,
    add_editor,
    check_prerequisites,
    free_port,
)

RUN_DIR = REPO / "target" / "tls-proxy-test"
NGINX_CONF = REPO / "docs" / "deploy" / "nginx-accord.conf"
UNIT_FILE = REPO / "docs" / "deploy" / "accord.service"
EDITOR = "proxy-editor"
# Addresses on the loopback network (all of 127.0.0.0/8 is local on Linux)
# the test's clients connect from; nginx reaches Accord from 127.0.0.1.
CLIENT_A = "127.0.0.2"
CLIENT_B = "127.0.0.3"
CLIENT_C = "127.0.0.4"
DIRECT_CLIENT = "127.0.0.5"
# Addresses a client claims in its own X-Forwarded-For (documentation ranges).
SPOOFED = ["203.0.113.9", "198.51.100.7", "192.0.2.1", "203.0.113.10", "198.51.100.8", "192.0.2.2"]


class Failed(Exception):
    """A promise the deployment did not keep."""


class ProxiedServer(Server):
    """`accord serve` as DEPLOY.md runs it: its public URL is nginx's https
    address, and it believes X-Forwarded-For from nginx only."""

    def __init__(self, public_url: str, trusted_proxies: str, **kwargs):
        super().__init__(**kwargs)
        self.public_url = public_url
        self.trusted_proxies = trusted_proxies

    def env(self) -> dict:
        env = super().env()
        env.update(ACCORD_PUBLIC_URL=self.public_url, ACCORD_TRUSTED_PROXIES=self.trusted_proxies)
        return env


class Nginx:
    """nginx as the current user, from its own prefix, with DEPLOY.md's site file."""

    def __init__(self, run_dir: Path, https_port: int, http_port: int, upstream_port: int, cert: Path, key: Path):
        self.dir = run_dir / "nginx"
        self.https_port = https_port
        self.http_port = http_port
        self.upstream_port = upstream_port
        self.cert = cert
        self.key = key
        self.proc: subprocess.Popen | None = None

    def site_conf(self) -> str:
        """The deployed file with only addresses, name and paths replaced;
        each replaced line must be found, so the test cannot drift from the
        documented file without failing."""
        text = NGINX_CONF.read_text()
        replacements = [
            ("    server 127.0.0.1:3000;", f"    server 127.0.0.1:{self.upstream_port};"),
            ("    listen 80;", f"    listen 127.0.0.1:{self.http_port};"),
            ("    listen [::]:80;\n", ""),
            ("    listen 443 ssl http2;", f"    listen 127.0.0.1:{self.https_port} ssl http2;"),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("server_name accord.example.org;", "server_name localhost;"),
            ("/etc/letsencrypt/live/accord.example.org/fullchain.pem", str(self.cert)),
            ("/etc/letsencrypt/live/accord.example.org/privkey.pem", str(self.key)),
            # The https port is not 443 here: the redirect must name it.
            ("return 301 https://$host$request_uri;", f"return 301 https://$host:{self.https_port}$request_uri;"),
            ("root /var/www/html;", f"root {self.dir}/www;"),
        ]
        for old, new in replacements:
            if old not in text:
                raise Failed(f"{NGINX_CONF.relative_to(REPO)} no longer contains {old.strip()!r}: update the test with it")
            text = text.replace(old, new)
        return text

    def start(self) -> None:
        for sub in ("temp", "logs"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        (self.dir / "accord.conf").write_text(self.site_conf())
        # As root, nginx would hand its workers to `nobody`, who cannot read
        # this folder; as anyone else, it keeps the current user.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"""{user}
worker_processes 1;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {self.dir}/logs/access.log;
    client_body_temp_path {self.dir}/temp/body;
    proxy_temp_path {self.dir}/temp/proxy;
    fastcgi_temp_path {self.dir}/temp/fastcgi;
    uwsgi_temp_path {self.dir}/temp/uwsgi;
    scgi_temp_path {self.dir}/temp/scgi;
    include {self.dir}/accord.conf;
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        checked = subprocess.run(
            [nginx, "-t", "-p", str(self.dir), "-e", str(self.dir / "logs" / "error.log"), "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        if checked.returncode != 0:
            raise Failed(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.dir), "-e", str(self.dir / "logs" / "error.log"), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Failed(f"nginx exited with {self.proc.returncode}; see {self.dir}/logs/error.log")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise Failed(f"nginx did not listen within 10 s; see {self.dir}/logs/error.log")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def make_certificate(run_dir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, valid for a day."""
    cert, key = run_dir / "localhost.crt", run_dir / "localhost.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return cert, key


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.getheaders()
        self.body = response.read()

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def header(self, name: str) -> str:
        values = self.all(name)
        return values[0] if values else ""


class Browser:
    """Requests over https to nginx from a chosen loopback address, the
    certificate verified against the test's own, like a browser that trusts it."""

    def __init__(self, port: int, cafile: Path, source: str):
        self.port = port
        self.source = source
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.origin = f"https://localhost:{port}"
        self.cookie: str | None = None

    def request(self, method: str, path: str, headers: dict | None = None, form: dict | None = None) -> Answer:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=20, source_address=(self.source, 0))
        tls = self.context.wrap_socket(raw, server_hostname="localhost")
        conn = http.client.HTTPSConnection("localhost", self.port, context=self.context, timeout=20)
        conn.sock = tls
        sent = {"Host": f"localhost:{self.port}", **(headers or {})}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            sent["Cookie"] = f"accord_session={self.cookie}"
        try:
            conn.request(method, path, body=body, headers=sent)
            answer = Answer(conn.getresponse())
        finally:
            conn.close()
        for value in answer.all("set-cookie"):
            if value.startswith("accord_session="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1] or None
        return answer

    def sign_in(self, name: str, password: str, extra_headers: dict | None = None) -> Answer:
        headers = {"Origin": self.origin, "Accept": "application/json", **(extra_headers or {})}
        return self.request("POST", "/api/login", headers=headers, form={"name": name, "password": password})


def plain_request(port: int, source: str, method: str, path: str, headers: dict, body: str | None = None) -> Answer:
    """A plain-http request to 127.0.0.1:port from `source`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers)
        return Answer(conn.getresponse())
    finally:
        conn.close()


def failed_login_addresses(db_path: Path, user_name: str) -> list[str]:
    """The addresses Accord counted `user_name`'s failed sign-ins against."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("SELECT address FROM failed_logins WHERE user_name = ? ORDER BY id", (user_name,)).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


class Checks:
    def __init__(self):
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, ok: bool, seen: str) -> None:
        self.results.append((name, ok, seen))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {seen}", flush=True)

    @property
    def failures(self) -> int:
        return sum(1 for _, ok, _ in self.results if not ok)


def run_checks(checks: Checks, server: ProxiedServer, nginx: Nginx, cert: Path) -> None:
    https, http_port = nginx.https_port, nginx.http_port
    reader = Browser(https, cert, CLIENT_A)

    # Plain http goes to https.
    answer = plain_request(http_port, CLIENT_A, "GET", "/commitments?q=x", {"Host": "localhost"})
    checks.check(
        "http is redirected to https",
        answer.status == 301 and answer.header("location") == f"https://localhost:{https}/commitments?q=x",
        f"{answer.status} Location: {answer.header('location')!r}",
    )

    # TLS, HSTS and the page cache, as a reader.
    first = reader.request("GET", "/")
    second = reader.request("GET", "/")
    hsts = first.all("strict-transport-security")
    checks.check(
        "the home page is served over verified TLS",
        first.status == 200 and b"<html" in first.body,
        f"{first.status}, {len(first.body)} bytes",
    )
    checks.check(
        "Strict-Transport-Security is sent once, for a year at least",
        len(hsts) == 1 and (m := re.search(r"max-age=(\d+)", hsts[0])) is not None and int(m.group(1)) >= 31536000,
        f"{hsts!r}",
    )
    # Only a kept page has an ETag; every render carries a new CSP nonce,
    # so two renders are never the same bytes.
    etag = first.header("etag")
    checks.check(
        "the second reader gets the kept page (same ETag, same bytes)",
        bool(etag) and second.header("etag") == etag and second.body == first.body,
        f"ETags {etag!r} / {second.header('etag')!r}, same bytes: {second.body == first.body}",
    )
    revalidated = reader.request("GET", "/", headers={"If-None-Match": etag or '"none"'})
    checks.check(
        "a reader holding the ETag gets 304",
        revalidated.status == 304 and not revalidated.body,
        f"{revalidated.status}, {len(revalidated.body)} bytes",
    )

    # An editor signs in through the proxy.
    editor = Browser(https, cert, CLIENT_A)
    signed_in = editor.sign_in(EDITOR, PASSWORD)
    cookies = [v for v in signed_in.all("set-cookie") if v.startswith("accord_session=")]
    attributes = {part.strip().split("=", 1)[0].lower() for part in cookies[0].split(";")[1:]} if cookies else set()
    samesite = re.search(r";\s*SameSite=(\w+)", cookies[0], re.I).group(1) if cookies and re.search(r";\s*SameSite=(\w+)", cookies[0], re.I) else ""
    checks.check(
        "the editor signs in and the session cookie is Secure, HttpOnly, SameSite=Lax",
        200 <= signed_in.status < 400 and len(cookies) == 1 and {"secure", "httponly"} <= attributes and samesite.lower() == "lax",
        f"{signed_in.status}, Set-Cookie attributes {sorted(attributes)}, SameSite={samesite or '-'}",
    )
    whoami = editor.request("GET", "/api/whoami", headers={"Accept": "application/json"})
    checks.check(
        "the session cookie is honoured through the proxy",
        whoami.status == 200 and EDITOR.encode() in whoami.body,
        f"{whoami.status} {whoami.body[:120]!r}",
    )
    editor_page = editor.request("GET", "/")
    checks.check(
        "a signed-in editor's page is not the kept one",
        editor_page.status == 200 and "no-store" in editor_page.header("cache-control") and editor_page.header("etag") != etag,
        f"{editor_page.status} Cache-Control: {editor_page.header('cache-control')!r}",
    )

    # Cross-origin posts, and posts naming no origin, are refused, cookie or not.
    form = {"name": EDITOR, "password": PASSWORD}
    for label, headers in [
        ("another site's Origin", {"Origin": "https://evil.example"}),
        ("the http origin of the same host", {"Origin": f"http://localhost:{https}"}),
        ("no Origin or Referer", {}),
    ]:
        answer = editor.request("POST", "/api/logout", headers={"Accept": "application/json", **headers}, form={})
        checks.check(f"a post with {label} is refused", answer.status == 403, f"{answer.status}")
    still = editor.request("GET", "/api/whoami", headers={"Accept": "application/json"})
    checks.check("the refused posts did not sign the editor out", EDITOR.encode() in still.body, f"{still.status}")
    stranger = Browser(https, cert, CLIENT_A)
    answer = stranger.request("POST", "/api/login", headers={"Origin": "https://evil.example", "Accept": "application/json"}, form=form)
    checks.check(
        "a cross-origin sign-in is refused and starts no session",
        answer.status == 403 and stranger.cookie is None,
        f"{answer.status}, cookie set: {stranger.cookie is not None}",
    )

    # The client's address comes from nginx, never from the client.
    Browser(https, cert, CLIENT_A).sign_in("probe-a", "wrong password", {"X-Forwarded-For": SPOOFED[0]})
    Browser(https, cert, CLIENT_B).sign_in("probe-b", "wrong password", {"X-Forwarded-For": f"{SPOOFED[1]}, {SPOOFED[2]}"})
    seen_a = failed_login_addresses(server.db_path, "probe-a")
    seen_b = failed_login_addresses(server.db_path, "probe-b")
    checks.check(
        "a failure through nginx is counted at the client's address, not nginx's nor a claimed one",
        seen_a == [CLIENT_A] and seen_b == [CLIENT_B],
        f"from {CLIENT_A} claiming {SPOOFED[0]}: {seen_a}; from {CLIENT_B} claiming {SPOOFED[1]}, {SPOOFED[2]}: {seen_b}",
    )
    statuses = []
    for n, claimed in enumerate(SPOOFED):
        statuses.append(Browser(https, cert, CLIENT_C).sign_in(f"probe-c{n}", "wrong password", {"X-Forwarded-For": claimed}).status)
    checks.check(
        "six failures from one client claiming six addresses: the sixth is refused (429)",
        statuses[-1] == 429 and all(s not in (429,) and 400 <= s < 500 for s in statuses[:-1]),
        f"statuses {statuses}",
    )
    direct_origin = f"https://localhost:{https}"
    plain_request(
        server.port,
        DIRECT_CLIENT,
        "POST",
        "/api/login",
        {"Origin": direct_origin, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded",
         "X-Forwarded-For": SPOOFED[3]},
        urllib.parse.urlencode({"name": "probe-direct", "password": "wrong password"}),
    )
    seen_direct = failed_login_addresses(server.db_path, "probe-direct")
    checks.check(
        "a client reaching Accord directly is counted at its own address, its X-Forwarded-For ignored",
        seen_direct == [DIRECT_CLIENT],
        f"from {DIRECT_CLIENT} claiming {SPOOFED[3]}: {seen_direct}",
    )


def check_unit_file(checks: Checks, binary: Path) -> None:
    """DEPLOY.md's systemd unit, as systemd itself reads it (the binary
    under test in place of /opt/accord/accord, which must exist to verify)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("SKIP  the systemd unit: systemd-analyze is not installed", flush=True)
        return
    unit_dir = RUN_DIR / "systemd"
    unit_dir.mkdir()
    unit = unit_dir / "accord.service"
    text = UNIT_FILE.read_text()
    if "ExecStart=/opt/accord/accord serve" not in text:
        raise Failed(f"{UNIT_FILE.relative_to(REPO)} no longer starts /opt/accord/accord serve: update the test")
    unit.write_text(text.replace("ExecStart=/opt/accord/accord serve", f"ExecStart={binary} serve"))
    verified = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    checks.check(
        "systemd-analyze verify accepts the unit",
        verified.returncode == 0 and not verified.stderr.strip(),
        (verified.stderr.strip() or "no complaints")[:300],
    )
    rated = subprocess.run([analyze, "security", "--offline=yes", str(unit)], capture_output=True, text=True)
    level = re.search(r"Overall exposure level for accord\.service: ([0-9.]+)", rated.stdout)
    checks.check(
        "systemd-analyze security rates the unit's exposure 2.0 or better",
        level is not None and float(level.group(1)) <= 2.0,
        level.group(0) if level else (rated.stderr.strip() or rated.stdout.strip())[-300:],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    args = parser.parse_args()
    binary = args.binary.resolve()
    check_prerequisites(binary)
    for tool in ("openssl",):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing (Debian's openssl package)")
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        raise SystemExit("nginx is missing: run `make tool-bench`")

    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    cert, key = make_certificate(RUN_DIR)
    https_port, http_port, accord_port = free_port(), free_port(), free_port()
    server = ProxiedServer(
        public_url=f"https://localhost:{https_port}/",
        trusted_proxies="127.0.0.1",
        binary=binary,
        db_path=RUN_DIR / "accord.db",
        port=accord_port,
        log_path=RUN_DIR / "server.log",
    )
    nginx = Nginx(RUN_DIR, https_port, http_port, accord_port, cert, key)
    checks = Checks()

    def stop_on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    started = time.monotonic()
    stopped_cleanly = None
    try:
        check_unit_file(checks, binary)
        add_editor(binary, server.database_url, EDITOR)
        server.start()
        nginx.start()
        print(f"nginx https://localhost:{https_port}/ (http on {http_port}) -> accord on 127.0.0.1:{accord_port}", flush=True)
        run_checks(checks, server, nginx, cert)
    except Failed as error:
        checks.check("the deployment starts", False, str(error))
    finally:
        nginx.stop()
        stopped_cleanly = server.stop()
    checks.check("accord stops cleanly on SIGTERM", stopped_cleanly == 0, f"exit status {stopped_cleanly}")

    print()
    print(f"TLS proxy test: {len(checks.results) - checks.failures} of {len(checks.results)} checks passed "
          f"in {time.monotonic() - started:.1f} s (logs in {RUN_DIR.relative_to(REPO)}/)")
    if checks.failures:
        print("FAILED:")
        for name, ok, seen in checks.results:
            if not ok:
                print(f"  - {name}: {seen}")
        print(f"\nserver log tail:\n{server.log_tail(15)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
