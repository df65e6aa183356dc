"""The master list guarded at import, its typos found, `validate --file` reporting everything,
and empty 実績 at publishing (issue 14 items 6-8), through the CLI on real database files."""

from __future__ import annotations

import copy
import io
import json

from kodomo_desktop.cli import main
from kodomo_desktop.core.divisions import load_master
from kodomo_desktop.core.opening import open_database
from tests.helpers import SAMPLE_DOCUMENT

TYPO = {"department": "子育て支援部", "division": "おやか応援課"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path, doc: dict, name: str = "edition.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def with_typo() -> dict:
    # a year beside the FY2024 edition every new database is given
    doc = copy.deepcopy({**SAMPLE_DOCUMENT, "fiscal_year": 2023})
    doc["programs"][2]["divisions"] = [TYPO]
    return doc


def state(db: str) -> tuple[str, object]:
    database = open_database(db)
    try:
        return run("--db", db, "editions")[1], load_master(database)
    finally:
        database.dispose()


def test_import_json_refuses_a_division_not_on_the_master_list(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    before = state(db)
    code, out, err = run("--db", db, "import-json", write(tmp_path, with_typo()))
    assert code == 2 and not out
    assert "所管「子育て支援部 おやか応援課」は所管の一覧にありません（候補: 子育て支援部 おやこ応援課、" in err
    assert "P0003" in err and "--add-divisions" in err
    assert state(db) == before


def test_import_json_adds_divisions_when_asked_and_the_typo_is_then_flagged(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    code, out, err = run("--db", db, "import-json", write(tmp_path, with_typo()), "--add-divisions")
    assert code == 0, err
    assert "所管の一覧に1件を追加しました" in out and "子育て支援部 おやか応援課（P0003）" in out
    database = open_database(db)
    try:
        assert load_master(database).is_active(("子育て支援部", "おやか応援課"))
    finally:
        database.dispose()
    # the entry it added sits beside the one it misspells: every edition's validation says so
    code, out, _ = run("--db", db, "validate", "--year", "2024", "--format", "json")
    (near,) = [f for f in json.loads(out)["findings"] if f["code"] == "divisions.near_duplicate"]
    assert "「子育て支援部 おやか応援課」（事業1件）" in near["message"]
    assert "「子育て支援部 おやこ応援課」" in near["message"] and near["severity"] == "info"


def test_validate_file_reports_a_contradiction_and_the_other_mistakes_in_one_run(tmp_path):
    doc = with_typo()  # mistake 1: a division not on the list
    doc["programs"][1]["targets"] = []  # mistake 2: no target
    measure = doc["policies"][0]["measures"][0]
    measure["placements"].append({"program": "P0001", "relisted": True})  # contradiction: placed twice
    doc["programs"].append({**doc["programs"][0], "name": "複製"})  # contradiction the rules cannot see
    path = write(tmp_path, doc)
    assert run("--db", str(tmp_path / "cli.sqlite"), "import-json", path)[0] == 2  # an import refuses it
    code, out, err = run("--db", str(tmp_path / "cli.sqlite"), "validate", "--file", path, "--format", "json")
    assert code == 1, err
    found = {(f["code"], f["program"]): f["message"] for f in json.loads(out)["findings"]}
    assert "候補: 子育て支援部 おやこ応援課" in found["divisions.unknown", "P0003"]
    assert ("targets.none", "P0002") in found
    assert "基本施策1 個別施策1（2回）" in found["placements.twice", "P0001"]
    assert "事業ID「P0001」が重複しています" in found["document.contradiction", "P0001"]
    # the twice-placement is told once, by its rule, not again as a contradiction
    assert sum("二度掲載" in message for message in found.values()) == 0
    code, out, _ = run("--db", str(tmp_path / "cli.sqlite"), "validate", "--file", path)
    assert code == 1 and "[エラー] P0001「複製」 programs/3/id" in out


def test_validate_file_still_stops_at_what_is_not_a_document(tmp_path):
    path = write(tmp_path, {"format": "kodomo-edition/1"})
    code, _, err = run("--db", str(tmp_path / "cli.sqlite"), "validate", "--file", path)
    assert code == 2 and "形式に合いません" in err


def test_publish_of_a_rolled_over_edition_needs_force(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    assert run("--db", db, "rollover", "--from", "2024", "--to", "2025")[0] == 0
    code, _, err = run("--db", db, "publish", "--year", "2025")
    assert code == 2 and "実績が空の事業が124件中124件（100%）あります" in err and "--force" in err
    code, out, err = run("--db", db, "publish", "--year", "2025", "--force")
    assert code == 0, err
    assert "公開しました" in out
