#!/usr/bin/env python3
"""Lighthouse on Accord's release server: `make audit` (docs/PERFORMANCE.md,
"Lighthouse (issue 16)").

Starts target/release/accord over a fresh SQLite file (the server migrates
and seeds it at start) on a free loopback port, picks a commitment's
permalink from the JSON API, and runs Lighthouse in Debian's Chromium on `/`
and that permalink with its mobile (default) and desktop presets. Each
page x preset runs several times (3 by default) and the median score of each
category counts: the machine is shared, and a busy core moves the
performance score by several points between identical runs.

The bars (issue 16): accessibility, best practices and SEO 100 on both
presets; performance at least 95 on mobile (desktop performance is reported
but has no bar). Exits 1 when a median is under its bar.

Every run's JSON and HTML report is kept under target/audit/, named
<page>-<preset>-<run>.report.{json,html}; target/audit/summary.json holds
the scores of every run and the medians.

Python 3 standard library; Lighthouse from `make tool-lighthouse` (npm,
in .tools/), Chromium from `make tool-chromium`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accord_harness import (  # noqa: E402
    DEFAULT_BINARY,
    REPO,
    Client,
    Server,
    check_prerequisites,
    free_port,
    list_slugs,
)

LIGHTHOUSE = REPO / ".tools" / "node_modules" / ".bin" / "lighthouse"
OUT_DIR = REPO / "target" / "audit"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PRESETS = ("mobile", "desktop")
# (category, preset) -> the lowest median score (0-100) that passes.
BARS = {
    ("accessibility", "mobile"): 100,
    ("accessibility", "desktop"): 100,
    ("best-practices", "mobile"): 100,
    ("best-practices", "desktop"): 100,
    ("seo", "mobile"): 100,
    ("seo", "desktop"): 100,
    ("performance", "mobile"): 95,
}
# Headless Chromium as root in a VM: no sandbox (root), no GPU.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


def chromium_path() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit("chromium is missing: run `make tool-chromium`")


def chromium_version(path: str) -> str:
    result = subprocess.run([path, "--version"], capture_output=True, text=True)
    return result.stdout.strip()


def lighthouse_version() -> str:
    result = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True)
    return result.stdout.strip()


def pick_permalink(port: int) -> str:
    """The first commitment the list API names: a seeded, rated permalink."""
    client = Client(port)
    try:
        slugs = list_slugs(client)
    finally:
        client.close()
    if not slugs:
        raise RuntimeError("the seeded database lists no commitments")
    return f"/commitments/{slugs[0]}"


def run_lighthouse(url: str, preset: str, output_stem: Path, chrome: str) -> dict:
    """One Lighthouse run; returns {category: score 0-100} and failing audits."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chrome}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        "--output=html",
        f"--output-path={output_stem}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    report_path = output_stem.parent / f"{output_stem.name}.report.json"
    if result.returncode != 0 or not report_path.is_file():
        raise RuntimeError(
            f"lighthouse {url} ({preset}) exited with {result.returncode}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    report = json.loads(report_path.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse {url} ({preset}): {report['runtimeError']}")
    scores = {}
    for name in CATEGORIES:
        score = report["categories"][name]["score"]
        scores[name] = None if score is None else round(score * 100)
    # What held a category under 100: every audit of the category with a
    # score below 1 that counts towards it (weight > 0).
    shortfalls = {}
    for name in CATEGORIES:
        missed = []
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"].get(ref["id"], {})
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                missed.append(f"{ref['id']} ({score:.2f})")
        shortfalls[name] = missed
    metrics = {}
    for audit_id in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"):
        audit = report["audits"].get(audit_id)
        if audit:
            metrics[audit_id] = audit.get("displayValue", "")
    return {"scores": scores, "shortfalls": shortfalls, "metrics": metrics}


def format_table(pages: dict[str, str], medians: dict) -> str:
    header = "| page | preset | " + " | ".join(CATEGORIES) + " |"
    rule = "|---|---|" + "---:|" * len(CATEGORIES)
    lines = [header, rule]
    for page in pages:
        for preset in PRESETS:
            cells = []
            for category in CATEGORIES:
                score = medians[page][preset][category]
                bar = BARS.get((category, preset))
                mark = "" if bar is None or (score is not None and score >= bar) else " ✗"
                cells.append(f"{'—' if score is None else score}{mark}")
            lines.append(f"| `{pages[page]}` | {preset} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page and preset; the median counts (default 3)")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--keep", action="store_true", help="keep the server's database and log")
    parser.add_argument(
        "--out-dir", type=Path, default=OUT_DIR, help="where the reports go; emptied first (default target/audit)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    check_prerequisites(args.binary)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make tool-lighthouse`")
    chrome = chromium_path()
    versions = {"lighthouse": lighthouse_version(), "chromium": chromium_version(chrome)}

    out_dir = args.out_dir.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    workdir = Path(tempfile.mkdtemp(prefix="accord-audit-"))
    server = Server(args.binary, workdir / "accord.db", free_port(), workdir / "server.log")
    server.start()
    failed = True
    try:
        pages = {"home": "/", "permalink": pick_permalink(server.port)}
        print(f"Lighthouse {versions['lighthouse']}, {versions['chromium']}, {args.runs} run(s) each, on {server.origin}")
        runs: dict = {page: {preset: [] for preset in PRESETS} for page in pages}
        for page, path in pages.items():
            for preset in PRESETS:
                for run in range(1, args.runs + 1):
                    started = time.monotonic()
                    outcome = run_lighthouse(server.origin + path, preset, out_dir / f"{page}-{preset}-{run}", chrome)
                    runs[page][preset].append(outcome)
                    scores = ", ".join(f"{c} {outcome['scores'][c]}" for c in CATEGORIES)
                    print(f"  {path} {preset} run {run}: {scores} ({time.monotonic() - started:.0f} s)", flush=True)

        medians: dict = {}
        for page in pages:
            medians[page] = {}
            for preset in PRESETS:
                medians[page][preset] = {}
                for category in CATEGORIES:
                    values = [r["scores"][category] for r in runs[page][preset] if r["scores"][category] is not None]
                    medians[page][preset][category] = round(statistics.median(values)) if values else None

        print()
        print(format_table(pages, medians))
        failures = []
        for page, path in pages.items():
            for (category, preset), bar in BARS.items():
                score = medians[page][preset][category]
                if score is None or score < bar:
                    missed = sorted({m for r in runs[page][preset] for m in r["shortfalls"][category]})
                    failures.append(f"{path} {preset} {category}: median {score}, bar {bar}; audits: {', '.join(missed) or '?'}")
        print()
        for page, path in pages.items():
            for preset in PRESETS:
                metrics = runs[page][preset][len(runs[page][preset]) // 2]["metrics"]
                print(f"{path} {preset}: " + ", ".join(f"{k} {v}" for k, v in metrics.items()))

        summary = {
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": versions,
            "pages": pages,
            "runs": runs,
            "medians": medians,
            "failures": failures,
        }
        (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
        print(f"\nReports in {out_dir}/")
        if failures:
            print("\nFAIL:")
            for line in failures:
                print(f"  {line}")
            return 1
        print("\nPASS: every median meets its bar")
        failed = False
        return 0
    finally:
        server.stop()
        if args.keep or failed:
            print(f"server database and log kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
