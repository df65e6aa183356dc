"""Crash consistency: kill -9 at random points of init, backup, import-json --replace, returns --apply, rollover.

After each kill the database opens and is exactly as before or as after the command (the
export-json of every edition compared with both), and every file with a backup name is a
sound SQLite database holding the editions. The kill points are drawn from a seeded RNG
over the time a complete run takes, so a failure is reproducible.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kodomo_desktop.core.backup_files import backups_of, edition_years, integrity_problem, open_read_only
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.opening import open_database
from tests.excel_corpus import ReturnEditor, write_templates

pytestmark = pytest.mark.slow

TRIES = 3
RESULTS = "実績 (令和6年度)"
State = dict[int, str] | None  # fiscal year -> export-json; None: no database (absent, or no tables)


def state(path: Path) -> State:
    if not path.exists():
        return None
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]:
            return None
    finally:
        conn.close()
    open_database(str(path), seed=False).dispose()  # it opens (and is at this version's schema)
    db = Database(str(path))
    try:
        with db.engine.connect() as conn:
            years = [row[0] for row in conn.exec_driver_sql("SELECT fiscal_year FROM edition ORDER BY fiscal_year")]
        return {year: dump_document(export_document(db, year)) for year in years}
    finally:
        db.dispose()


def check_backups(path: Path, years: set[int]) -> None:
    for backup, _when, _reason in backups_of(path):
        conn = open_read_only(backup)
        try:
            assert integrity_problem(conn) is None, backup
            assert edition_years(conn) == years, backup
        finally:
            conn.close()


def command(path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kodomo_desktop", "--db", str(path), *args]


BACKUP = "import sys; from kodomo_desktop.core.database import Database; Database(sys.argv[1]).backup('crash-test')"


@pytest.fixture(scope="module")
def inputs(seeded_template, tmp_path_factory) -> dict[str, Path]:
    """The files the commands take, made once from the seeded database."""
    folder = tmp_path_factory.mktemp("crash-inputs")
    shutil.copy(seeded_template, folder / "db.sqlite")
    db = Database(str(folder / "db.sqlite"))
    doc = export_document(db, 2024)
    doc["title"] = "置き換えた題名"
    for program in doc["programs"][:20]:
        program["summary"] = f"{program['summary']}（改訂）"
    (folder / "edition.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    templates = write_templates(db, folder / "templates")
    db.dispose()
    centre = ReturnEditor(templates["子育て支援部 子ども総合相談センター"]).set("P0049", RESULTS, "相談 120件")
    shukan = ReturnEditor(templates["子育て支援部主幹付"]).set("P0049", RESULTS, "相談 120件")
    shukan.set("P0049", "通称", "相談")
    return {
        "json": folder / "edition.json",
        "a": centre.save(folder / "a.xlsx"),
        "b": shukan.save(folder / "b.xlsx"),
    }


def operations(inputs: dict[str, Path]) -> dict[str, tuple[bool, Callable[[Path], list[str]]]]:
    """name -> (starts from the seeded database, the command on a database path)."""
    return {
        "init": (False, lambda p: command(p, "init")),
        "backup": (True, lambda p: [sys.executable, "-c", BACKUP, str(p)]),
        "import-json --replace": (True, lambda p: command(p, "import-json", str(inputs["json"]), "--replace")),
        "import-returns --apply": (
            True,
            lambda p: command(p, "import-returns", str(inputs["a"]), str(inputs["b"]), "--apply"),
        ),
        "rollover": (True, lambda p: command(p, "rollover", "--from", "2024")),
    }


def fingerprint(folder: Path) -> set[tuple[str, int, int]]:
    found = set()
    for p in folder.rglob("*"):
        try:
            stat = p.stat()
        except FileNotFoundError:
            continue  # removed while listed
        found.add((str(p), stat.st_size, stat.st_mtime_ns))
    return found


def timed_run(args: list[str], folder: Path) -> tuple[float, float]:
    """Run to the end: (when the first file in folder changed, when it ended), in seconds from the start.

    The kills aim between the two: before the first change the command is only Python starting."""
    started = time.monotonic()
    first_change = None
    initial = fingerprint(folder)
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while process.poll() is None:
        if first_change is None and fingerprint(folder) != initial:
            first_change = time.monotonic() - started
        time.sleep(0.01)
    took = time.monotonic() - started
    _out, err = process.communicate()
    assert process.returncode == 0, err
    return (first_change if first_change is not None else 0.0), took


@pytest.mark.parametrize("name", ["init", "backup", "import-json --replace", "import-returns --apply", "rollover"])
def test_kill_9_leaves_before_or_after_and_sound_backups(name, inputs, seeded_template, tmp_path):
    seeded, make = operations(inputs)[name]
    rng = random.Random(f"issue-15:{name}")

    def fresh(folder: Path) -> Path:
        folder.mkdir()
        path = folder / "kodomo.sqlite"
        if seeded:
            shutil.copy(seeded_template, path)
        return path

    reference = fresh(tmp_path / "reference")
    before = state(reference)
    first_change, took = timed_run(make(reference), reference.parent)
    after = state(reference)
    assert after is not None and (name == "backup" or after != before)
    years = set(before or after)  # what a backup holds: the database before the command

    for n in range(TRIES):
        path = fresh(tmp_path / f"try-{n}")
        process = subprocess.Popen(make(path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # a point from just before the first write to a little past the end (the "after" case)
        time.sleep(rng.uniform(first_change * 0.9, took * 1.05))
        process.kill()
        process.wait()
        found = state(path)
        assert found in (before, after), f"{name}: try {n} left a state that is neither before nor after"
        check_backups(path, years)
