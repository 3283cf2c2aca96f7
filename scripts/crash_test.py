#!/usr/bin/env python3
"""Crash test: no acknowledged write is lost when the server is killed.

Starts the release server on a fresh database, signs in N editors, and for
K rounds lets them record status changes on a few commitments for a random
0.5-2.5 s, then kills the server with SIGKILL in the middle of that load.
Every write the server acknowledged (2xx) carries a unique note. After each
kill the server is restarted on the same file, and the script checks
through a read-only SQLite connection that the file passes
`PRAGMA integrity_check` and that every acknowledged note is in
`status_updates`; it also checks that no write the server refused (409 or
another error) was stored anyway.

Exit status 0 only if nothing acknowledged is missing, nothing refused is
present and the integrity check says "ok" after every round.

    python3 scripts/crash_test.py [--rounds 10] [--writers 8] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
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
    check_prerequisites,
    consistency_problems,
    free_port,
    integrity_check,
    list_slugs,
    notes_in_database,
    read_commitment,
    status_change_form,
)

NOTE_PREFIX = "crash-test "


@dataclass
class WriterLog:
    acknowledged: list = field(default_factory=list)  # notes answered 2xx
    refused: list = field(default_factory=list)  # notes answered 4xx/5xx (must not be stored)
    in_flight: list = field(default_factory=list)  # notes sent, no answer (server killed)
    conflicts: int = 0
    errors: list = field(default_factory=list)  # (status, body) of unexpected answers
    relogins: int = 0


def writer(
    index: int,
    round_no: int,
    client: Client,
    name: str,
    slugs: list[str],
    stop: threading.Event,
    log: WriterLog,
    rng: random.Random,
) -> None:
    seq = 0
    retry_slug = None  # after a 409: re-read the same commitment and try again
    while not stop.is_set():
        slug, retry_slug = retry_slug or rng.choice(slugs), None
        try:
            state = read_commitment(client, slug)
        except (Sent, NotSent):
            time.sleep(0.01)  # the server is gone (or going): wait for `stop`
            continue
        except RuntimeError as error:
            log.errors.append(("read", str(error)[:200]))
            continue
        seq += 1
        note = f"{NOTE_PREFIX}r{round_no} w{index} n{seq}"
        form = status_change_form(state, note, rng)
        try:
            answer = client.request("POST", "/api/update_status", form)
        except Sent:
            log.in_flight.append(note)
            continue
        except NotSent:
            time.sleep(0.01)
            continue
        if 200 <= answer.status < 300:
            log.acknowledged.append(note)
        elif answer.status == 409:
            log.conflicts += 1  # someone saved first: re-read and try again
            log.refused.append(note)
            retry_slug = slug
        elif answer.status == 401:
            log.refused.append(note)
            log.relogins += 1
            try:
                client.login(name)
            except (Sent, NotSent, RuntimeError):
                pass
        else:
            log.refused.append(note)
            log.errors.append((answer.status, answer.body[:200].decode(errors="replace")))


def start_server(server: Server) -> float:
    """Restarts on the same port; if that port was taken meanwhile, on a new one."""
    try:
        return server.start()
    except RuntimeError as error:
        if "in use" not in str(error).lower():
            raise
        server.port = free_port()
        return server.start()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="kill/restart rounds (default 10)")
    parser.add_argument("--writers", type=int, default=8, help="concurrent signed-in editors (default 8)")
    parser.add_argument("--commitments", type=int, default=4, help="commitments written to per round (default 4)")
    parser.add_argument("--min-seconds", type=float, default=0.5)
    parser.add_argument("--max-seconds", type=float, default=2.5)
    parser.add_argument("--seed", type=int, default=None, help="random seed (printed, to replay a run)")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (it is kept on failure)")
    args = parser.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    binary = args.binary.resolve()
    check_prerequisites(binary)
    workdir = Path(tempfile.mkdtemp(prefix="accord-crash-"))
    db_path = workdir / "accord.db"
    server = Server(binary, db_path, free_port(), workdir / "server.log")
    print(f"crash test: {args.rounds} rounds, {args.writers} writers, seed {seed}")
    print(f"database {db_path}, server log {server.log_path}")

    names = [f"crash{w}" for w in range(args.writers)]
    for name in names:
        add_editor(binary, server.database_url, name)
    start_server(server)
    setup = Client(server.port)
    all_slugs = list_slugs(setup)
    setup.close()
    clients = []
    for name in names:
        client = Client(server.port)
        client.login(name)
        clients.append(client)
    print(f"{len(all_slugs)} seeded commitments; {len(clients)} editors signed in\n")

    header = (
        f"{'round':>5} {'load s':>6} {'acked':>6} {'409':>5} {'errors':>6} {'in flight':>9} "
        f"{'(stored)':>8} {'missing':>7} {'refused stored':>14} {'restart s':>9}  integrity  invariants"
    )
    print(header)
    print("-" * len(header))
    totals = dict(acked=0, conflicts=0, errors=0, in_flight=0, in_flight_stored=0, missing=0, phantom=0, relogins=0)
    failed = False
    idle_rounds = 0
    error_samples = []
    for round_no in range(1, args.rounds + 1):
        slugs = rng.sample(all_slugs, min(args.commitments, len(all_slugs)))
        duration = rng.uniform(args.min_seconds, args.max_seconds)
        stop = threading.Event()
        logs = [WriterLog() for _ in clients]
        threads = [
            threading.Thread(
                target=writer,
                args=(i, round_no, clients[i], names[i], slugs, stop, logs[i], random.Random(rng.random())),
                daemon=True,
            )
            for i in range(len(clients))
        ]
        for t in threads:
            t.start()
        time.sleep(duration)
        server.kill()  # SIGKILL, mid-load
        stop.set()
        for t in threads:
            t.join(30)
        for client in clients:
            client.close()  # the next round's port may differ

        restart_seconds = start_server(server)
        for client in clients:
            client.port = server.port
            client.origin = server.origin

        acknowledged = {n for log in logs for n in log.acknowledged}
        refused = {n for log in logs for n in log.refused}
        in_flight = {n for log in logs for n in log.in_flight}
        integrity = integrity_check(db_path, read_only=True)
        problems = consistency_problems(db_path)
        stored = notes_in_database(db_path, f"{NOTE_PREFIX}r{round_no} ")
        missing = acknowledged - stored
        phantom = refused & stored
        conflicts = sum(log.conflicts for log in logs)
        errors = [e for log in logs for e in log.errors]
        error_samples.extend(errors[:3])
        in_flight_stored = len(in_flight & stored)
        print(
            f"{round_no:>5} {duration:>6.2f} {len(acknowledged):>6} {conflicts:>5} {len(errors):>6} {len(in_flight):>9} "
            f"{in_flight_stored:>8} {len(missing):>7} {len(phantom):>14} {restart_seconds:>9.2f}  {integrity:<9}  "
            f"{'; '.join(problems) or 'ok'}",
            flush=True,
        )
        for note in sorted(missing)[:5]:
            print(f"      MISSING: {note}")
        for note in sorted(phantom)[:5]:
            print(f"      REFUSED BUT STORED: {note}")
        totals["acked"] += len(acknowledged)
        totals["conflicts"] += conflicts
        totals["errors"] += len(errors)
        totals["in_flight"] += len(in_flight)
        totals["in_flight_stored"] += in_flight_stored
        totals["missing"] += len(missing)
        totals["phantom"] += len(phantom)
        totals["relogins"] += sum(log.relogins for log in logs)
        if missing or phantom or integrity != "ok" or problems:
            failed = True
        if not acknowledged:
            idle_rounds += 1

    print("-" * len(header))
    print(
        f"{'total':>5} {'':>6} {totals['acked']:>6} {totals['conflicts']:>5} {totals['errors']:>6} "
        f"{totals['in_flight']:>9} {totals['in_flight_stored']:>8} {totals['missing']:>7} {totals['phantom']:>14}"
    )
    if error_samples:
        print("\nunexpected answers (samples):")
        for status, body in error_samples[:10]:
            print(f"  {status}: {body}")
    # A round with no acknowledged write checked nothing, and an unexpected
    # answer (a 5xx, a refusal of a valid form, a read that failed while the
    # server was up) is a fault in itself: either fails the run.
    if idle_rounds:
        print(f"\nFAIL: {idle_rounds} round(s) had no acknowledged write before the kill (nothing was checked)")
        failed = True
    if totals["errors"]:
        print(f"\nFAIL: {totals['errors']} unexpected answer(s) (samples above)")
        failed = True
    # Sessions are stored in the database: a restart must not sign anyone out.
    if totals["relogins"]:
        print(f"\nFAIL: {totals['relogins']} sign-in(s) repeated after a 401: a restart lost sessions")
        failed = True

    # A final graceful stop, then the check again with a read-write connection
    # (the server checkpoints the WAL into the main file on the way out).
    stop_status = server.stop()
    final_integrity = integrity_check(db_path, read_only=False)
    final_problems = consistency_problems(db_path)
    all_stored = notes_in_database(db_path, NOTE_PREFIX)
    print(
        f"\nafter a graceful stop (exit status {stop_status}): integrity {final_integrity}; "
        f"invariants {'; '.join(final_problems) or 'ok'}; "
        f"{len(all_stored)} crash-test notes stored in all"
    )
    if final_integrity != "ok" or final_problems:
        failed = True
    # SIGTERM must stop the server cleanly (exit 0), within the harness's wait.
    if stop_status != 0:
        print(f"FAIL: the server's graceful stop exited with status {stop_status}")
        failed = True

    if failed:
        print(f"\nFAIL (seed {seed}); kept {workdir}")
        return 1
    print(
        f"\nPASS: {totals['acked']} acknowledged writes over {args.rounds} SIGKILLs, none missing; "
        f"integrity and invariants ok after every restart"
    )
    if args.keep:
        print(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
