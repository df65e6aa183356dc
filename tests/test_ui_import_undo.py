"""Imports as undo steps in the window: applied returns and JSON documents are undone and redone
above the earlier edits, and an undo that would overwrite a later edit asks first."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.settings import Settings
from kodomo_desktop.ui.undo_commands import EditField
from tests.helpers import program_id, pushed, settle, shown_window

pytest.importorskip("pytestqt")


@pytest.fixture
def window(qtbot, sample_db, tmp_path, messages, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    return shown_window(qtbot, sample_db, settings)


def program(db, uid: str, year: int = 2024) -> dict:
    return next(p for p in export_document(db, year)["programs"] if p["id"] == uid)


def fields(db, uid: str) -> tuple:
    p = program(db, uid)
    return p["alias"], p["summary"], p["results"]


def edit(qtbot, window, uid: str, field: str, new: str) -> None:
    """What the form does when a field is typed in."""
    old = program(window.db, uid)[field]
    assert pushed(qtbot, window.session, EditField(window.session, uid, field, old, new))


def apply_return(qtbot, window, path) -> None:
    """取り込む in the returns dialog, then 閉じる: the window takes it from there."""
    from kodomo_desktop.ui.returns_import_dialog import ReturnsDialog

    def drive():
        dialog = window.findChild(ReturnsDialog)
        with qtbot.waitSignal(dialog.loaded, timeout=20000):
            dialog.load([path])
        with qtbot.waitSignal(dialog.loaded, timeout=20000):
            dialog.apply()
        dialog.reject()

    QTimer.singleShot(0, drive)
    window.act.import_returns.trigger()
    settle(qtbot, window)


def test_an_applied_return_is_undone_and_redone_above_the_earlier_edit(qtbot, window, sample_db, returned):
    before = fields(sample_db, "P0001")
    edit(qtbot, window, "P0002", "summary", "先に行った変更")
    apply_return(qtbot, window, returned)
    assert fields(sample_db, "P0001") == ("回答の通称", "回答の概要", "回答の実績")
    stack = window.session.stack
    assert stack.count() == 2 and window.act.undo.isEnabled()
    assert stack.undoText() == "回答の取り込み（3件）"

    window.act.undo.trigger()
    settle(qtbot, window)
    assert fields(sample_db, "P0001") == before
    assert program(sample_db, "P0002")["summary"] == "先に行った変更"
    window.act.undo.trigger()  # the edit made before the import
    settle(qtbot, window)
    assert program(sample_db, "P0002")["summary"] != "先に行った変更"

    window.act.redo.trigger()
    settle(qtbot, window)
    window.act.redo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0002")["summary"] == "先に行った変更"
    assert fields(sample_db, "P0001") == ("回答の通称", "回答の概要", "回答の実績")
    window.act.undo.trigger()  # and undone again after the redo
    settle(qtbot, window)
    assert fields(sample_db, "P0001") == before


def test_undo_over_a_later_edit_asks_and_no_keeps_it(qtbot, window, sample_db, returned, messages, monkeypatch):
    before = fields(sample_db, "P0001")
    apply_return(qtbot, window, returned)
    # a colleague (or the CLI) changes the same field afterwards: not on this window's undo stack
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "後からの変更"}, source="cli")
    messages.clear()
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: messages.append(text) or QMessageBox.StandardButton.No
    )
    window.act.undo.trigger()
    settle(qtbot, window)
    assert len(messages) == 1 and "P0001" in messages[0] and "の概要" in messages[0]
    assert fields(sample_db, "P0001") == ("回答の通称", "後からの変更", "回答の実績")
    assert window.session.stack.index() == 1  # still undoable

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.act.undo.trigger()
    settle(qtbot, window)
    assert fields(sample_db, "P0001") == before
    assert window.session.stack.index() == 0


def write_json(tmp_path, doc: dict, monkeypatch):
    path = tmp_path / "edition.json"
    path.write_text(dump_document(doc), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    return path


def import_json(qtbot, window) -> None:
    count = window.session.stack.count() if window.session.stack else 0
    window.act.import_json.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.session.stack is not None and window.session.stack.count() > count, timeout=20000)


def test_import_json_into_the_existing_edition_is_one_undo_step(qtbot, window, sample_db, tmp_path, monkeypatch):
    edit(qtbot, window, "P0002", "summary", "先に行った変更")
    original = export_document(sample_db, 2024)
    doc = json.loads(json.dumps(original))
    next(p for p in doc["programs"] if p["id"] == "P0001")["summary"] = "JSON の概要"
    write_json(tmp_path, doc, monkeypatch)

    import_json(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == "JSON の概要"
    assert window.session.stack.count() == 2
    assert window.session.stack.undoText() == "JSON の取り込み（edition.json）"

    window.act.undo.trigger()
    settle(qtbot, window)
    qtbot.wait(10)  # the window re-reads the replaced edition after the step
    assert export_document(sample_db, 2024) == original
    window.act.undo.trigger()  # the earlier edit, by its program's stable id
    settle(qtbot, window)
    assert program(sample_db, "P0002")["summary"] != "先に行った変更"
    window.act.redo.trigger()
    settle(qtbot, window)
    window.act.redo.trigger()
    settle(qtbot, window)
    qtbot.wait(10)
    assert program(sample_db, "P0001")["summary"] == "JSON の概要"
    assert program(sample_db, "P0002")["summary"] == "先に行った変更"


def test_import_json_as_a_new_edition_is_undone_by_deleting_it(qtbot, window, sample_db, tmp_path, monkeypatch):
    doc = export_document(sample_db, 2024)
    doc["fiscal_year"] = 2030
    write_json(tmp_path, doc, monkeypatch)
    import_json(qtbot, window)
    assert window.fiscal_year == 2030
    window.act.undo.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.fiscal_year == 2024)
    assert 2030 not in [e.fiscal_year for e in queries.list_editions(sample_db)]


def test_undo_of_a_json_import_over_a_later_edit_names_it(qtbot, window, sample_db, tmp_path, messages, monkeypatch):
    original = export_document(sample_db, 2024)
    doc = json.loads(json.dumps(original))
    next(p for p in doc["programs"] if p["id"] == "P0001")["summary"] = "JSON の概要"
    write_json(tmp_path, doc, monkeypatch)
    import_json(qtbot, window)
    ops.update_program(sample_db, program_id(sample_db, "P0003"), {"results": "後からの実績"}, source="cli")
    messages.clear()
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: messages.append(text) or QMessageBox.StandardButton.No
    )
    window.act.undo.trigger()
    settle(qtbot, window)
    assert len(messages) == 1 and "（P0003）の実績" in messages[0]
    assert program(sample_db, "P0003")["results"] == "後からの実績"
    assert program(sample_db, "P0001")["summary"] == "JSON の概要"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.act.undo.trigger()
    settle(qtbot, window)
    qtbot.wait(10)
    assert export_document(sample_db, 2024) == original
