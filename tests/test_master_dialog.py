"""The master-list dialog with real widgets (offscreen): every button's operation, and merge."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select as sql_select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import Program
from kodomo_desktop.ui.master_dialog import MasterListDialog
from tests.helpers import written


@pytest.fixture
def dialog(qtbot, sample_db, runner, monkeypatch):
    # information boxes would wait for a click
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: QMessageBox.StandardButton.Ok)
    widget = MasterListDialog(sample_db, submit=runner.submit)
    qtbot.addWidget(widget)
    return widget


def tree(dialog) -> list[tuple[str, list[str]]]:
    t = dialog.tree
    return [
        (t.topLevelItem(i).text(0), [t.topLevelItem(i).child(j).text(0) for j in range(t.topLevelItem(i).childCount())])
        for i in range(t.topLevelItemCount())
    ]


def select(dialog, department: str, division: str | None = None) -> None:
    for i in range(dialog.tree.topLevelItemCount()):
        top = dialog.tree.topLevelItem(i)
        if top.text(0) == department:
            if division is None:
                dialog.tree.setCurrentItem(top)
                return
            for j in range(top.childCount()):
                if top.child(j).text(0) == division:
                    dialog.tree.setCurrentItem(top.child(j))
                    return
    raise AssertionError(f"{department} {division} not in the tree")


def divisions_of(db, uid: str) -> list[tuple[str, str | None]]:
    program = next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)
    return [(d["department"], d["division"]) for d in program["divisions"]]


def test_shows_the_master_list_with_usage(dialog):
    assert dict(tree(dialog))["子育て支援部"] == ["子育て支援課", "主幹付", "おやこ応援課"]
    assert dict(tree(dialog))["選挙管理委員会事務局"] == ["（部として）"]
    select(dialog, "子育て支援部")
    assert dialog.tree.currentItem().text(1) == "3"
    select(dialog, "選挙管理委員会事務局", "（部として）")
    assert not dialog.buttons["rename"].isEnabled()


def test_add_rename_move(qtbot, runner, dialog):
    with qtbot.waitSignal(dialog.changed):
        dialog.add_department("こども未来部")
    assert dialog.tree.currentItem().text(0) == "こども未来部"
    dialog.add_division("こども政策課")
    written(qtbot, runner)
    assert dialog.tree.currentItem().text(0) == "こども政策課"
    dialog.rename_selected("こども企画課")
    written(qtbot, runner)
    assert dict(tree(dialog))["こども未来部"] == ["（部として）", "こども企画課"]
    dialog.move_selected(-1)
    written(qtbot, runner)
    assert dict(tree(dialog))["こども未来部"] == ["こども企画課", "（部として）"]
    assert dialog.tree.currentItem().text(0) == "こども企画課"


def test_a_refused_operation_is_shown_and_changes_nothing(qtbot, runner, dialog, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    before = tree(dialog)
    select(dialog, "子育て支援部", "主幹付")
    dialog.rename_selected("子育て支援課")
    written(qtbot, runner)
    assert "すでに所管の一覧にあります" in shown[0]
    assert tree(dialog) == before


def test_deactivate_and_reactivate(qtbot, runner, dialog):
    select(dialog, "子育て支援部", "おやこ応援課")
    dialog.toggle_active_selected()
    written(qtbot, runner)
    assert dialog.tree.currentItem().text(2) == "使用停止"
    assert dialog.buttons["active"].text() == "使用再開"
    dialog.toggle_active_selected()
    written(qtbot, runner)
    assert dialog.tree.currentItem().text(2) == ""


def test_merge_moves_the_programs(qtbot, runner, dialog, sample_db):
    select(dialog, "子育て支援部")
    dialog.add_division("おやか応援課")
    written(qtbot, runner)
    typo = dialog.selected()
    with sample_db.read() as s:
        p0001 = s.scalar(sql_select(Program.id).where(Program.uid == "P0001"))
    ops.set_divisions(sample_db, p0001, [("子育て支援部", "おやか応援課")])
    select(dialog, "子育て支援部", "おやこ応援課")
    target = dialog.selected()
    select(dialog, "子育て支援部", "おやか応援課")
    assert target in dialog.merge_candidates(typo)
    dialog.merge_selected(target)
    written(qtbot, runner)
    assert divisions_of(sample_db, "P0001") == [("子育て支援部", "おやこ応援課")]
    assert "おやか応援課" not in dict(tree(dialog))["子育て支援部"]
    assert dialog.selected() == target and dialog.tree.currentItem().text(1) == "2"
