#!/usr/bin/env python3
"""Load test: readers and signed-in writers at once against the release server.

Starts the release server on a fresh, seeded database; 64 readers (threads
requesting `/`, `/?status=in_progress`, `/commitments/{slug}` and
`/api/v1/commitments`) and 16 writers (each its own editor account,
recording status changes with evidence, re-reading and retrying on 409)
run together for 60 s. Prints throughput, 409 conflicts, errors, timeouts,
p50/p99 latencies and the server's resident memory (VmRSS, sampled every
second) with the least-squares slope of RSS over the second half of the
run. Afterwards it checks that every acknowledged write is in the database
and that no refused one is.

Exit status 1 on any error (a non-2xx answer other than a writer's 409, or
a broken connection), any timeout (10 s per request), any acknowledged
write missing from the database, no write acknowledged at all, a graceful
stop that exits non-zero, or RSS growing over the second half of the run
faster than --max-rss-slope (64 KB/s by default) plus twice the
database's own growth in those seconds.

The client is Python: readers and writers run as threads spread over
several processes (--reader-processes, --writer-processes) so the GIL of
one interpreter does not cap the load. On a 2-core machine the clients
and the server share the same cores; the printed CPU figures show who used
them.

    python3 scripts/load_test.py [--seconds 60] [--readers 64] [--writers 16]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

# How fast the server's resident memory may grow over the second half of a
# run (KB/s): a fixed allowance, plus twice the growth of the data the
# database holds in the same seconds (SQLite's page caches hold the pages
# the writers add, until they are full). A readers-only run must stay within the allowance; a leak
# of 128 bytes per request at ~2,000 reads/s (256 KB/s) is beyond either.
MAX_RSS_SLOPE_KB_PER_S = 64.0
STORED_GROWTH_ALLOWANCE = 2.0

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accord_harness import (  # noqa: E402
    DEFAULT_BINARY,
    Client,
    NotSent,
    Sent,
    Server,
    add_editor,
    check_prerequisites,
    consistency_problems,
    free_port,
    integrity_check,
    least_squares_slope,
    list_slugs,
    notes_in_database,
    percentile,
    read_commitment,
    read_rss_kb,
    status_change_form,
)

NOTE_PREFIX = "load-test "
TIMEOUT = 10.0


def is_timeout(error: Exception) -> bool:
    cause = getattr(error, "cause", error)
    return isinstance(cause, TimeoutError)


def new_stats() -> dict:
    return dict(
        reads=0,
        read_latencies=[],
        read_errors=0,
        writes=0,  # acknowledged (2xx)
        write_latencies=[],
        conflicts=0,
        write_errors=0,
        writer_reads=0,  # the GETs writers make to learn the current version
        timeouts=0,
        error_samples=[],
        acknowledged=[],
        refused=[],
        read_by_kind={},
        read_seconds=[],  # when each read completed, in whole seconds since the start
        write_seconds=[],  # the same for acknowledged writes
    )


def read_kind(path: str) -> str:
    if path.startswith("/commitments/"):
        return "/commitments/{slug}"
    return path


def reader_thread(port: int, paths: list[list[str]], start_at: float, end_at: float, stats: dict, lock, seed: float):
    rng = random.Random(seed)
    client = Client(port, timeout=TIMEOUT)
    latencies, reads, errors, timeouts, samples = [], 0, 0, 0, []
    by_kind: dict[str, list[float]] = {}
    done_at: list[int] = []
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < end_at:
        path = rng.choice(rng.choice(paths))
        try:
            answer = client.request("GET", path)
        except (Sent, NotSent) as error:
            if is_timeout(error):
                timeouts += 1
            else:
                errors += 1
            samples.append(f"GET {path}: {error}")
            continue
        if answer.seconds > TIMEOUT:
            timeouts += 1
        if 200 <= answer.status < 300:
            reads += 1
            latencies.append(answer.seconds)
            done_at.append(int(time.time() - start_at))
            by_kind.setdefault(read_kind(path), []).append(answer.seconds)
        else:
            errors += 1
            samples.append(f"GET {path}: {answer.status} {answer.body[:160]!r}")
    client.close()
    with lock:
        stats["reads"] += reads
        stats["read_latencies"].extend(latencies)
        stats["read_errors"] += errors
        stats["timeouts"] += timeouts
        stats["error_samples"].extend(samples[:5])
        stats["read_seconds"].extend(done_at)
        for kind, values in by_kind.items():
            stats["read_by_kind"].setdefault(kind, []).extend(values)


def writer_thread(port: int, name: str, index: str, slugs: list[str], start_at: float, end_at: float, stats, lock, seed):
    rng = random.Random(seed)
    client = Client(port, timeout=TIMEOUT)
    local = new_stats()
    try:
        client.login(name)
    except Exception as error:  # noqa: BLE001 - reported, counted as an error
        local["write_errors"] += 1
        local["error_samples"].append(f"sign-in {name}: {error}")
        end_at = 0
    time.sleep(max(0.0, start_at - time.time()))
    seq = 0
    retry_slug = None  # after a 409: re-read the same commitment and try again
    while time.time() < end_at:
        slug, retry_slug = retry_slug or rng.choice(slugs), None
        try:
            state = read_commitment(client, slug)
            local["writer_reads"] += 1
        except (Sent, NotSent) as error:
            local["timeouts" if is_timeout(error) else "write_errors"] += 1
            local["error_samples"].append(f"GET commitment {slug}: {error}")
            continue
        except RuntimeError as error:
            local["write_errors"] += 1
            local["error_samples"].append(str(error)[:200])
            continue
        seq += 1
        note = f"{NOTE_PREFIX}{index} n{seq}"  # index: "<seed> w<n>", unique to this run
        try:
            answer = client.request("POST", "/api/update_status", status_change_form(state, note, rng))
        except (Sent, NotSent) as error:
            local["timeouts" if is_timeout(error) else "write_errors"] += 1
            local["error_samples"].append(f"POST update_status: {error}")
            continue
        if answer.seconds > TIMEOUT:
            local["timeouts"] += 1
        if 200 <= answer.status < 300:
            local["writes"] += 1
            local["write_seconds"].append(int(time.time() - start_at))
            local["write_latencies"].append(answer.seconds)
            local["acknowledged"].append(note)
        elif answer.status == 409:
            local["conflicts"] += 1  # expected: another editor saved first; re-read and retry
            local["refused"].append(note)
            retry_slug = slug
        else:
            local["write_errors"] += 1
            local["refused"].append(note)
            local["error_samples"].append(f"POST update_status: {answer.status} {answer.body[:160]!r}")
    client.close()
    with lock:
        for key, value in local.items():
            if isinstance(value, dict):
                continue  # read_by_kind: readers only
            if isinstance(value, list):
                stats[key].extend(value if key != "error_samples" else value[:5])
            else:
                stats[key] += value


def worker_process(kind: str, port: int, jobs: list, payload: list, start_at: float, end_at: float, queue, seed):
    """Runs one thread per job (a reader, or a writer's (name, index)) and reports the sums."""
    stats = new_stats()
    lock = threading.Lock()
    rng = random.Random(seed)
    threads = []
    for job in jobs:
        if kind == "reader":
            target, args = reader_thread, (port, payload, start_at, end_at, stats, lock, rng.random())
        else:
            name, index = job
            target, args = writer_thread, (port, name, index, payload, start_at, end_at, stats, lock, rng.random())
        threads.append(threading.Thread(target=target, args=args, daemon=True))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put(stats)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def stored_bytes(db_path: Path) -> int:
    """The data the database holds (its pages, WAL included, as a reader sees
    them): it only grows with the writes, unlike the files, which a
    checkpoint moves between. 0 if it cannot be read this instant."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            size = conn.execute("PRAGMA page_size").fetchone()[0]
            return pages * size
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def wal_bytes(db_path: Path) -> int:
    try:
        return (db_path.parent / (db_path.name + "-wal")).stat().st_size
    except OSError:
        return 0


def split(items: list, parts: int) -> list[list]:
    return [items[i::parts] for i in range(parts) if items[i::parts]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of the load (default 60)")
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--reader-processes", type=int, default=4)
    parser.add_argument("--writer-processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (it is kept on failure)")
    parser.add_argument(
        "--max-rss-slope",
        type=float,
        default=MAX_RSS_SLOPE_KB_PER_S,
        help=f"RSS growth allowed over the second half beyond the database's own, in KB/s (default {MAX_RSS_SLOPE_KB_PER_S:.0f})",
    )
    parser.add_argument(
        "--start-from",
        type=Path,
        default=None,
        help="start from a copy of this database (e.g. one a long run kept) instead of a fresh seeded one",
    )
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    binary = args.binary.resolve()
    check_prerequisites(binary)
    workdir = Path(tempfile.mkdtemp(prefix="accord-load-"))
    db_path = workdir / "accord.db"
    server = Server(binary, db_path, free_port(), workdir / "server.log")
    print(
        f"load test: {args.readers} readers ({min(args.readers, args.reader_processes)} processes), "
        f"{args.writers} writers ({min(args.writers, args.writer_processes)} processes), "
        f"{args.seconds:.0f} s, seed {seed}"
    )
    print(f"database {db_path}, server log {server.log_path}")

    names = [f"load{w}" for w in range(args.writers)]
    if args.start_from:
        shutil.copyfile(args.start_from, db_path)
    for name in names:
        try:
            add_editor(binary, server.database_url, name)
        except RuntimeError as error:
            if not (args.start_from and "already exists" in str(error)):
                raise
    server.start()
    setup = Client(server.port)
    slugs = list_slugs(setup)
    setup.close()
    # Each request picks one of four kinds with equal odds, then (for a
    # commitment page) one of the seeded commitments.
    read_paths = [["/"], ["/?status=in_progress"], ["/api/v1/commitments"], [f"/commitments/{s}" for s in slugs]]
    print(f"{len(slugs)} seeded commitments; reads spread evenly over 4 kinds of request")

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    start_at = time.time() + 3.0  # processes start, writers sign in, then all begin together
    end_at = start_at + args.seconds
    processes = []
    for jobs in split(list(range(args.readers)), args.reader_processes):
        processes.append(
            ctx.Process(
                target=worker_process,
                args=("reader", server.port, jobs, read_paths, start_at, end_at, queue, rng.random()),
            )
        )
    for jobs in split([(n, f"{seed} w{i}") for i, n in enumerate(names)], args.writer_processes):
        processes.append(
            ctx.Process(target=worker_process, args=("writer", server.port, jobs, slugs, start_at, end_at, queue, rng.random()))
        )
    for p in processes:
        p.start()

    pid = server.pid
    idle_rss = read_rss_kb(pid)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the `accord user add` runs so far
    clients_cpu_before = before.ru_utime + before.ru_stime
    own = resource.getrusage(resource.RUSAGE_SELF)
    own_cpu_before = own.ru_utime + own.ru_stime
    time.sleep(max(0.0, start_at - time.time()))
    cpu_start, busy_start = cpu_seconds(pid), machine_busy()
    samples = []  # (seconds since start, RSS KB)
    wal_sizes = []  # bytes of <db>-wal at the same instants
    stored_sizes = []  # (seconds since start, KB of database + WAL)
    next_sample = start_at
    while True:
        now = time.time()
        if now >= end_at:
            break
        if now >= next_sample:
            rss = read_rss_kb(pid)
            if rss is not None:
                samples.append((now - start_at, rss))
                wal_sizes.append(wal_bytes(db_path))
                size = stored_bytes(db_path)
                if size:
                    stored_sizes.append((now - start_at, size / 1024))
            next_sample += 1.0
        time.sleep(max(0.0, min(next_sample, end_at) - time.time()))
    end_rss = read_rss_kb(pid)
    if end_rss is not None:
        samples.append((time.time() - start_at, end_rss))
    cpu_end, busy_end = cpu_seconds(pid), machine_busy()
    elapsed = args.seconds

    results = [queue.get(timeout=TIMEOUT + 60) for _ in processes]
    for p in processes:
        p.join(30)
    # The client processes have been waited for, the server not yet.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (children.ru_utime + children.ru_stime - clients_cpu_before) / elapsed * 100
    client_cpu += (own.ru_utime + own.ru_stime - own_cpu_before) / elapsed * 100
    stats = new_stats()
    for r in results:
        for key, value in r.items():
            if key == "read_by_kind":
                for kind, values in value.items():
                    stats[key].setdefault(kind, []).extend(values)
            elif isinstance(value, list):
                stats[key].extend(value)
            else:
                stats[key] += value

    # Every acknowledged write stored, no refused one, file sound.
    alive = server.proc.poll() is None
    stored = notes_in_database(db_path, f"{NOTE_PREFIX}{seed} ")
    acknowledged = set(stats["acknowledged"])
    refused = set(stats["refused"])
    missing = acknowledged - stored
    phantom = refused & stored
    db_bytes = sum(f.stat().st_size for f in workdir.glob("accord.db*") if f.suffix != ".lock")
    stop_status = server.stop()
    integrity = integrity_check(db_path, read_only=False)
    problems = consistency_problems(db_path)

    reads = sorted(stats["read_latencies"])
    writes = sorted(stats["write_latencies"])
    errors = stats["read_errors"] + stats["write_errors"]
    half = [(t, kb) for t, kb in samples if t >= elapsed / 2]
    slope = least_squares_slope(half)
    stored_half = [(t, kb) for t, kb in stored_sizes if t >= elapsed / 2]
    stored_slope = max(0.0, least_squares_slope(stored_half)) if len(stored_half) >= 2 else 0.0
    # SQLite's page cache keeps the pages the writers add, so memory may grow
    # as fast as the database does (bounded by the cache sizes in longer
    # runs); anything beyond that, plus a fixed allowance, is a leak.
    rss_limit = args.max_rss_slope + STORED_GROWTH_ALLOWANCE * stored_slope
    middle = min(samples, key=lambda s: abs(s[0] - elapsed / 2))[1] if samples else None
    ncpu = os.cpu_count() or 1
    machine_cpu = (busy_end[0] - busy_start[0]) / max(1, busy_end[1] - busy_start[1]) * 100
    server_cpu = (cpu_end - cpu_start) / elapsed * 100

    def ms(values, fraction):
        return percentile(values, fraction) * 1000

    print()
    print(f"{'':<28}{'reads':>12}{'writes':>12}")
    print(f"{'completed (2xx)':<28}{stats['reads']:>12}{stats['writes']:>12}")
    print(f"{'per second':<28}{stats['reads'] / elapsed:>12.1f}{stats['writes'] / elapsed:>12.1f}")
    print(f"{'p50 latency ms':<28}{ms(reads, 0.50):>12.1f}{ms(writes, 0.50):>12.1f}")
    print(f"{'p99 latency ms':<28}{ms(reads, 0.99):>12.1f}{ms(writes, 0.99):>12.1f}")
    print(f"{'max latency ms':<28}{(reads[-1] if reads else 0) * 1000:>12.1f}{(writes[-1] if writes else 0) * 1000:>12.1f}")
    print(f"{'errors':<28}{stats['read_errors']:>12}{stats['write_errors']:>12}")
    print("reads by kind:")
    for kind in sorted(stats["read_by_kind"]):
        values = sorted(stats["read_by_kind"][kind])
        print(
            f"  {kind:<26}{len(values):>8} ({len(values) / elapsed:6.1f}/s)  "
            f"p50 {ms(values, 0.50):7.1f} ms  p99 {ms(values, 0.99):7.1f} ms"
        )
    print(f"409 conflicts (re-read and retried): {stats['conflicts']}")
    print(f"writers' version reads (GET /api/v1/commitments/{{slug}}, not counted above): {stats['writer_reads']}")
    print(f"timeouts (> {TIMEOUT:.0f} s): {stats['timeouts']}")
    print(
        f"server RSS KB: idle {idle_rss}, start of load (after the writers' sign-ins) "
        f"{samples[0][1] if samples else None}, middle {middle}, "
        f"end {samples[-1][1] if samples else None}, max {max(kb for _, kb in samples) if samples else None}"
    )
    print(f"RSS slope over the second half: {slope:+.1f} KB/s ({len(half)} samples); "
          f"the database's data grew {stored_slope:+.1f} KB/s; limit {rss_limit:.0f} KB/s")
    step = max(1, int(round(elapsed / 12)))  # about a dozen points of the curve
    trace = [f"{t:.0f}s {kb / 1024:.1f}" for t, kb in samples if int(round(t)) % step == 0]
    print(f"RSS MB over time: {', '.join(trace)}")
    if wal_sizes:
        print(f"WAL file: largest {max(wal_sizes) / 1e6:.1f} MB, at the end {wal_sizes[-1] / 1e6:.1f} MB")
    buckets = 6
    width = elapsed / buckets
    def rates(seconds):
        counts = [0] * buckets
        for t in seconds:
            counts[min(buckets - 1, int(t // width))] += 1
        return " ".join(f"{c / width:6.1f}" for c in counts)
    print(f"reads/s in each sixth of the run:  {rates(stats['read_seconds'])}")
    print(f"writes/s in each sixth of the run: {rates(stats['write_seconds'])}")
    print(
        f"CPU: server {server_cpu:.0f}% of one core, Python clients {client_cpu:.0f}% (from process start); "
        f"whole machine {machine_cpu:.0f}% busy of {ncpu} cores"
    )
    other_cpu = max(0.0, machine_cpu * ncpu - server_cpu - client_cpu)
    print(
        f"CPU used by other processes during the run (machine minus server and clients): {other_cpu:.0f}% of one core"
        + (" -- figures depressed by other work on the machine" if other_cpu > 25 else "")
    )
    print(
        f"after the run: {len(acknowledged)} acknowledged writes, {len(missing)} missing from the database, "
        f"{len(phantom)} refused but stored; server still up: {alive}; graceful stop exit status {stop_status}; "
        f"integrity {integrity}; invariants {'; '.join(problems) or 'ok'}; database + WAL {db_bytes / 1e6:.1f} MB at the end of the load"
    )
    if stats["error_samples"]:
        print("\nerror samples:")
        for sample in stats["error_samples"][:15]:
            print(f"  {sample}")

    reasons = []
    if errors:
        reasons.append(f"{errors} errors")
    if stats["timeouts"]:
        reasons.append(f"{stats['timeouts']} timeouts")
    if missing or phantom:
        reasons.append(f"{len(missing)} acknowledged writes missing, {len(phantom)} refused ones stored")
    if integrity != "ok" or problems:
        reasons.append(f"integrity {integrity}; invariants {'; '.join(problems) or 'ok'}")
    if not alive:
        reasons.append("the server died under load")
    if stop_status != 0:
        reasons.append(f"the graceful stop exited with status {stop_status}")
    if args.writers and not acknowledged:
        reasons.append("no write was acknowledged (nothing was checked)")
    # Memory must level off: bounded caches, no leak. The docs call memory
    # flat only as far as this check holds.
    if len(half) < 5:
        reasons.append(f"only {len(half)} RSS samples in the second half: the slope says nothing")
    elif slope > rss_limit:
        reasons.append(
            f"RSS grew {slope:+.1f} KB/s over the second half, faster than the database "
            f"({stored_slope:+.1f} KB/s) allows (limit {rss_limit:.0f} KB/s)"
        )
    failed = bool(reasons)
    for reason in reasons:
        print(f"FAIL: {reason}")
    if failed:
        print(f"\nFAIL (seed {seed}); kept {workdir}")
        return 1
    print(
        f"\nPASS: no errors, no timeouts, every acknowledged write stored, "
        f"RSS slope {slope:+.1f} KB/s within {rss_limit:.0f} KB/s"
    )
    if args.keep:
        print(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
