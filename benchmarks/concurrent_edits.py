"""Five processes editing programs of one edition at once: edits per second, conflicts, and no lost update.

    uv run python benchmarks/concurrent_edits.py [--seconds 30] [--workers 5] [--programs 20]
        [--think 0.005] [--postgres postgresql+psycopg://user@/dbname?host=/socket/dir]

Each worker (an OS process with its own connection) repeatedly picks one of --programs programs
of the FY2024 edition and a field (概要, 実績, 略称), reads the program's version and the field,
waits --think seconds (a person typing), and writes a new value with the version it read. A
refused write (Conflict) is counted and retried after reading again. Against a temporary SQLite
file, and against the PostgreSQL database --postgres names (it is initialised if empty; the
FY2024 edition there is edited).

Afterwards it checks that no update was lost: every committed edit is recorded in the change log
with the version it produced, and is either the field's final value or overwritten by a later
recorded edit that was based on a version at least as new as it (so its writer had seen it).
Prints figures; asserts nothing (not a timed test).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIELDS = ("summary", "results", "alias")
YEAR = 2024


@dataclass
class Edit:
    uid: str
    field: str
    value: str
    based_on: int  # the version the worker read
    version: int  # the version its write produced


@dataclass
class WorkerReport:
    edits: list[Edit] = field(default_factory=list)
    conflicts: int = 0
    waits: int = 0  # writes given up after waiting for the write lock (SQLite busy)


def work(target: str, uids: list[str], seconds: float, think: float, seed: int) -> WorkerReport:
    from sqlalchemy import select

    from kodomo_desktop.core import operations as ops
    from kodomo_desktop.core.database import Database
    from kodomo_desktop.core.errors import Conflict, DatabaseError
    from kodomo_desktop.core.models import Edition, Program

    db = Database(target)
    rng = random.Random(seed)
    report = WorkerReport()
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        uid, name = rng.choice(uids), rng.choice(FIELDS)
        while time.monotonic() < deadline:  # until this edit goes through
            with db.read() as session:
                program = session.scalar(
                    select(Program).join(Edition).where(Edition.fiscal_year == YEAR, Program.uid == uid)
                )
                assert program is not None
                pid, read = program.id, program.version
            time.sleep(rng.uniform(0, think))
            n += 1
            value = f"w{seed}-{n}"
            try:
                result = ops.update_program(db, pid, {name: value}, expected_version=read, source="benchmark")
            except Conflict:
                report.conflicts += 1
                continue
            except DatabaseError:
                report.waits += 1
                continue
            report.edits.append(Edit(uid, name, value, read, result.versions[uid]))
            break
    db.dispose()
    return report


def prepare(target: str, count: int) -> list[str]:
    """The database opened (migrated, seeded when empty), and count program ids of FY2024 to edit."""
    from sqlalchemy import select

    from kodomo_desktop.core.models import Edition, Program
    from kodomo_desktop.core.opening import open_database

    db = open_database(target)
    with db.read() as session:
        uids = list(
            session.scalars(select(Program.uid).join(Edition).where(Edition.fiscal_year == YEAR).order_by(Program.uid))
        )
    db.dispose()
    return random.Random(0).sample(uids, min(count, len(uids)))


def lost_updates(target: str, edits: list[Edit]) -> list[str]:
    """Each committed edit that was lost, described; an empty list when none was."""
    from sqlalchemy import select

    from kodomo_desktop.core.database import Database
    from kodomo_desktop.core.models import ChangeLog, Edition, Program

    db = Database(target)
    problems = []
    with db.read() as session:
        edition_id = session.scalar(select(Edition.id).where(Edition.fiscal_year == YEAR))
        logged = {
            (row.entity_id, row.field, row.version): row.new
            for row in session.scalars(
                select(ChangeLog).where(ChangeLog.source == "benchmark", ChangeLog.edition_id == edition_id)
            )
        }
        final = {
            (p.uid, f): getattr(p, f)
            for p in session.scalars(select(Program).where(Program.edition_id == edition_id))
            for f in FIELDS
        }
    db.dispose()
    by_field: dict[tuple[str, str], list[Edit]] = {}
    for edit in edits:
        if logged.get((edit.uid, edit.field, edit.version)) != edit.value:
            problems.append(f"{edit.uid} {edit.field}={edit.value} (v{edit.version}) is not in the change log")
        by_field.setdefault((edit.uid, edit.field), []).append(edit)
    for key, chain in by_field.items():
        chain.sort(key=lambda e: e.version)
        for earlier, later in itertools.pairwise(chain):
            if later.based_on < earlier.version:
                problems.append(
                    f"{key[0]} {key[1]}: {earlier.value} (v{earlier.version}) overwritten by {later.value} "
                    f"based on v{later.based_on}, which had not seen it"
                )
        if final[key] != chain[-1].value:
            problems.append(f"{key[0]} {key[1]}: the last committed edit {chain[-1].value} is not the final value")
    return problems


def run(label: str, target: str, args: argparse.Namespace) -> None:
    uids = prepare(target, args.programs)
    started = time.monotonic()
    with ProcessPoolExecutor(args.workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(work, target, uids, args.seconds, args.think, i) for i in range(args.workers)]
        reports = [f.result() for f in futures]
    elapsed = time.monotonic() - started
    edits = [e for r in reports for e in r.edits]
    conflicts = sum(r.conflicts for r in reports)
    waits = sum(r.waits for r in reports)
    lost = lost_updates(target, edits)
    print(
        f"{label}: {args.workers} processes, {len(uids)} programs, {args.seconds:.0f} s: "
        f"{len(edits)} edits ({len(edits) / args.seconds:.1f}/s), {conflicts} conflicts detected and retried, "
        f"{waits} writes given up waiting for the lock, {len(lost)} lost updates (wall {elapsed:.1f} s)"
    )
    for problem in lost[:20]:
        print("  LOST:", problem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--programs", type=int, default=20, help="how many programs the workers share")
    parser.add_argument("--think", type=float, default=0.005, help="longest pause between read and write (s)")
    parser.add_argument("--postgres", metavar="URL", help="also run against this PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="only the PostgreSQL run")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", str(Path(tmp) / "concurrent.sqlite"), args)
    if args.postgres:
        run("PostgreSQL", args.postgres, args)


if __name__ == "__main__":
    main()
