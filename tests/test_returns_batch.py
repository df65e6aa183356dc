"""Returns from several units that change the same shared program (P0049 is in 3 of the 24 templates)."""

from __future__ import annotations

import io
import json

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.excel.apply import ApplyPlan, apply_returns, default_plans
from kodomo_desktop.excel.returns import batch_conflicts, check_returns
from tests.excel_corpus import ReturnEditor, write_templates

CENTRE, SHUKAN = "子育て支援部 子ども総合相談センター", "子育て支援部主幹付"
RESULTS = "実績 (令和6年度)"


def run_cli(db, *args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", db.url, "import-returns", *map(str, args)], out, err)
    return code, out.getvalue(), err.getvalue()


def p0049(db):
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == "P0049")


@pytest.fixture
def two_returns(seeded_db, tmp_path):
    templates = write_templates(seeded_db, tmp_path / "templates")

    def make(centre_value, shukan_value, alias=None):
        a = ReturnEditor(templates[CENTRE]).set("P0049", RESULTS, centre_value)
        if alias:
            a.set("P0049", "通称", alias)
        return a.save(tmp_path / "a.xlsx"), ReturnEditor(templates[SHUKAN]).set("P0049", RESULTS, shukan_value).save(
            tmp_path / "b.xlsx"
        )

    return make


def test_identical_values_merge_and_both_apply(seeded_db, two_returns):
    a, b = two_returns("相談 120件", "相談 120件", alias="相談")
    code, out, _err = run_cli(seeded_db, a, b)
    assert code == 0 and "競合" not in out
    code, out, err = run_cli(seeded_db, a, b, "--apply")
    assert code == 0, err
    assert "回答を読み込んだ後にデータベースが変更されました" not in err
    assert "2 ファイルから 3 件の変更を取り込みました" in err
    program = p0049(seeded_db)
    assert (program["results"], program["alias"]) == ("相談 120件", "相談")


def test_different_values_are_a_conflict_and_nothing_is_applied(seeded_db, two_returns):
    a, b = two_returns("相談 120件", "相談 99件")
    before = export_document(seeded_db, 2024)
    code, out, err = run_cli(seeded_db, a, b, "--apply")
    assert code == 1
    assert "回答どうしの競合 1 件" in out and f"{CENTRE}（a.xlsx）: 「相談 120件」" in out
    assert f"{SHUKAN}（b.xlsx）: 「相談 99件」" in out and "何も取り込んでいません" in err
    assert export_document(seeded_db, 2024) == before

    code, out, _err = run_cli(seeded_db, a, b, "--format", "json")
    (conflict,) = json.loads(out)["conflicts"]
    assert code == 1 and conflict["program"] == "P0049" and conflict["field"] == "results"
    assert [(v["unit"], v["new"]) for v in conflict["values"]] == [(CENTRE, "相談 120件"), (SHUKAN, "相談 99件")]


def test_prefer_settles_the_conflict(seeded_db, two_returns):
    a, b = two_returns("相談 120件", "相談 99件", alias="相談")
    code, _out, err = run_cli(seeded_db, a, b, "--apply", "--prefer", SHUKAN)
    assert code == 0, err
    assert (p0049(seeded_db)["results"], p0049(seeded_db)["alias"]) == ("相談 99件", "相談")


def test_apply_refuses_plans_that_disagree_and_compares_with_the_state_before_the_batch(seeded_db, two_returns):
    a, b = two_returns("相談 120件", "相談 99件")
    results = check_returns(seeded_db, 2024, [a, b])
    (conflict,) = batch_conflicts(results)
    assert conflict.units() == [CENTRE, SHUKAN]
    before = export_document(seeded_db, 2024)
    plans = [ApplyPlan(r, {c.key: c.new for c in r.changes}) for r in results]
    with pytest.raises(InvalidInput, match="別の値に変えています"):
        apply_returns(seeded_db, 2024, plans)
    assert export_document(seeded_db, 2024) == before
    plans, unsettled = default_plans(results, [CENTRE])
    assert unsettled == [] and apply_returns(seeded_db, 2024, plans).applied == 1
    assert p0049(seeded_db)["results"] == "相談 120件"


def test_the_review_offers_each_units_value_and_applies_the_chosen_one(qtbot, seeded_db, two_returns, monkeypatch):
    pytest.importorskip("pytestqt")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from kodomo_desktop.ui.returns_import_dialog import RESOLVE_COLUMN, ReturnsDialog

    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    a, b = two_returns("相談 120件", "相談 99件")
    dialog = ReturnsDialog(seeded_db, 2024)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        dialog.load([a, b])
    assert "回答どうしの競合 1 件" in dialog.summary.text()
    rows = [r for r in range(dialog.changes.rowCount()) if "回答どうしの競合" in dialog.changes.item(r, 3).text()]
    assert len(rows) == 2 and all(dialog.changes.item(r, 0).checkState() == Qt.CheckState.Unchecked for r in rows)
    combo = dialog.changes.cellWidget(rows[0], RESOLVE_COLUMN)
    choice = combo.findText(f"{SHUKAN}の回答")
    assert choice > 0 and combo.findText(f"{CENTRE}の回答") > 0
    combo.activated.emit(choice)
    checked = [dialog.changes.item(r, 0).checkState() == Qt.CheckState.Checked for r in rows]
    assert checked == [False, True]
    dialog.set_accepted(rows[0], True)  # ticking the other unit's row leaves this one out
    assert [dialog.changes.item(r, 0).checkState() == Qt.CheckState.Checked for r in rows] == [True, False]
    combo.activated.emit(choice)
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        dialog.apply()
    assert p0049(seeded_db)["results"] == "相談 99件"
