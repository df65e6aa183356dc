"""`init` and first start: one step from no database to a seeded one; a migrated database with no edition repaired."""

from __future__ import annotations

import io
import sqlite3

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core import opening
from kodomo_desktop.core.interchange import latest_year
from kodomo_desktop.core.opening import open_database


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(path), *args], out, err)
    return code, out.getvalue(), err.getvalue()


def tables(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    finally:
        conn.close()


def test_a_failure_between_migration_and_seed_leaves_no_database(tmp_path, monkeypatch):
    path = tmp_path / "kodomo.sqlite"

    def full_disk(db):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(opening, "install_seed", full_disk)
    with pytest.raises(OSError):
        open_database(str(path))
    assert not path.exists() or tables(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["kodomo.sqlite"])  # no building file left
    monkeypatch.undo()
    code, out, _err = run(path, "init")
    assert code == 0 and "令和6年度" in out


def test_init_repairs_a_migrated_database_with_no_edition(tmp_path):
    path = tmp_path / "kodomo.sqlite"
    open_database(str(path), seed=False).dispose()  # what an older version's interrupted init left
    code, _out, err = run(path, "export-json")
    assert code != 0 and "kodomo-desktop init" in err
    code, out, err = run(path, "init")
    assert code == 0 and "年度版が1つもなかったため、令和6年度版" in err and "令和6年度" in out
    code, out, _err = run(path, "export-json")
    assert code == 0 and '"fiscal_year": 2024' in out
    code, _out, err = run(path, "init")  # already seeded: nothing added twice
    assert code == 0 and "年度版が1つもなかった" not in err


def test_first_start_builds_the_database_whole(tmp_path):
    path = tmp_path / "new" / "kodomo.sqlite"
    db = open_database(str(path))
    assert latest_year(db) == 2024 and db.revision() is not None
    db.dispose()
    assert sorted(p.name for p in path.parent.iterdir()) == ["kodomo.sqlite"]
