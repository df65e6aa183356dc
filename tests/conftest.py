"""Shared fixtures: real SQLite files in a temporary folder, small real documents.

Migrating a database and importing an edition take most of a database test's time, so
each kind of database is built once per session as a template; every test gets its own
copy of the file.
"""

from __future__ import annotations

import copy
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import SAMPLE_DOCUMENT

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _template(folder: Path, build) -> Path:
    """Build a database with build(path) -> Database, then keep a single-file copy of it."""
    from kodomo_desktop.core.opening import open_database

    db = open_database(str(folder / "build.sqlite"), seed=False)
    try:
        build(db)
    finally:
        db.dispose()
    # the backup API reads through SQLite, so pages still in the -wal file are copied too
    template = folder / "template.sqlite"
    source, target = sqlite3.connect(folder / "build.sqlite"), sqlite3.connect(template)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return template


def _copy_of(template: Path, path: Path):
    from kodomo_desktop.core.opening import open_database

    shutil.copy(template, path)
    return open_database(str(path), seed=False)


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory.mktemp("empty"), lambda db: None)


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    from kodomo_desktop.core.interchange import import_document

    return _template(
        tmp_path_factory.mktemp("sample"),
        lambda db: import_document(db, copy.deepcopy(SAMPLE_DOCUMENT), add_divisions=True, source="test"),
    )


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A new user's database: created, migrated and filled with the embedded FY2024 edition."""
    from kodomo_desktop.core.interchange import install_seed

    return _template(tmp_path_factory.mktemp("seeded"), install_seed)


@pytest.fixture
def sample_document() -> dict:
    return copy.deepcopy(SAMPLE_DOCUMENT)


@pytest.fixture
def empty_db(tmp_path, empty_template):
    db = _copy_of(empty_template, tmp_path / "kodomo.sqlite")
    yield db
    db.dispose()


@pytest.fixture
def sample_db(tmp_path, sample_template):
    db = _copy_of(sample_template, tmp_path / "kodomo.sqlite")
    yield db
    db.dispose()


@pytest.fixture
def seeded_db(tmp_path, seeded_template):
    db = _copy_of(seeded_template, tmp_path / "seeded.sqlite")
    yield db
    db.dispose()


@pytest.fixture
def messages(monkeypatch):
    """Message boxes answered (Ok, Yes) and their texts recorded instead of blocking the test."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(answer):
        return lambda _parent, _title, text, *args, **kwargs: shown.append(text) or answer

    monkeypatch.setattr(QMessageBox, "warning", record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record(QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture
def settings(tmp_path):
    """The window's settings in a file of the test's own, never the user's."""
    from PySide6.QtCore import QSettings

    from kodomo_desktop.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, sample_db, settings, messages):
    """The main window on the sample database, shown."""
    from kodomo_desktop.ui.main_window import MainWindow

    w = MainWindow(sample_db, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def returned(sample_db, tmp_path):
    """A filled return of the sample edition's 子育て支援課: 概要, 実績 and 通称 of P0001 changed."""
    from tests.excel_corpus import ReturnEditor, write_templates

    template = write_templates(sample_db, tmp_path / "templates")["子育て支援部 子育て支援課"]
    e = ReturnEditor(template)
    e.set("P0001", "概要", "回答の概要").set("P0001", "実績 (令和6年度)", "回答の実績").set(
        "P0001", "通称", "回答の通称"
    )
    (tmp_path / "returns").mkdir()
    return e.save(tmp_path / "returns" / "return.xlsx")


@pytest.fixture
def dialogs(monkeypatch):
    """Conflict dialogs answered with the choice set in answer[0]; each dialog kept for its texts."""
    from kodomo_desktop.ui.conflict_dialog import Choice, ConflictDialog

    shown: list[ConflictDialog] = []
    answer = [Choice.BACK]

    def exec_(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        dialog.choice_buttons[answer[0]].click()
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    return shown, answer
