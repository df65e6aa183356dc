"""ファイル ▸ JSON から取り込む…: a kodomo-edition/1 document into the edition of its year (replacing a
draft) or as a new edition, read and written in a worker thread, kept as one undo step."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.queries import EditionInfo
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.settings import JSON_FOLDER
from kodomo_desktop.ui.undo_commands import JsonImport
from kodomo_desktop.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow

TITLE = "JSON から取り込む"


@dataclass(frozen=True)
class Checked:
    """A document read and validated, and what importing it would meet."""

    doc: dict[str, Any]
    existing: EditionInfo | None  # the edition of its year, replaced by the import
    unknown: str | None  # the refusal naming 所管 not on the master list, with suggestions
    # the replaced edition's programs (uid -> version) as the user agreed to replace them: a program
    # someone changes before the import writes refuses it, naming the program
    versions: dict[str, int]


@dataclass(frozen=True)
class Imported:
    before: dict[str, Any] | None  # the edition replaced, as a document; None: the import created it
    after: dict[str, Any]
    edition_id: int


def import_json(window: MainWindow) -> None:
    window.form.commit_pending()
    path, _ = QFileDialog.getOpenFileName(
        window, TITLE, window.settings.folder(JSON_FOLDER), "kodomo-edition/1 (*.json);;すべてのファイル (*)"
    )
    if not path:
        return
    window.settings.remember_folder(JSON_FOLDER, path)
    db = window.db
    task = BackgroundTask(window, "文書を確認しています…", lambda _p, _c: _check(db, Path(path)), cancellable=False)
    task.finished.connect(lambda checked: _confirm_and_import(window, Path(path), checked))
    task.failed.connect(lambda exc: show_error(window, exc, TITLE))
    task.start_write(window.session)


def _check(db: Database, path: Path) -> Checked:
    from kodomo_desktop.core import queries
    from kodomo_desktop.core.divisions import load_master
    from kodomo_desktop.core.interchange import (
        edition_versions,
        load_document,
        unknown_divisions,
        unknown_divisions_message,
    )

    doc = load_document(path)
    existing = next((e for e in queries.list_editions(db) if e.fiscal_year == doc["fiscal_year"]), None)
    versions = edition_versions(db, doc["fiscal_year"])
    master = load_master(db)
    unknown = unknown_divisions(master, doc)
    message = unknown_divisions_message(master, unknown, path.name) if unknown else None
    return Checked(doc, existing, message, versions)


def _confirm_and_import(window: MainWindow, path: Path, checked: Checked) -> None:
    year = checked.doc["fiscal_year"]
    if checked.existing is not None and not confirm(
        window,
        TITLE,
        f"{era_label(year)}版（事業 {checked.existing.programs}件）を {path.name} の内容"
        f"（事業 {len(checked.doc['programs'])}件）で置き換えます。"
        "取り込む前にバックアップを作成します。取り込みは「元に戻す」で取り消せます。よろしいですか？",
    ):
        return
    if checked.unknown is not None and not confirm(
        window, TITLE, f"{checked.unknown}\n\n所管の一覧に追加して取り込みますか？", default_yes=False
    ):
        return
    db = window.db
    replace = checked.existing is not None
    task = BackgroundTask(
        window,
        f"{era_label(year)}版を取り込んでいます…",
        lambda _p, _c: _import(db, path, checked, replace),
        cancellable=False,
    )
    task.finished.connect(lambda imported: _imported(window, path, imported, checked.existing))
    task.failed.connect(lambda exc: show_error(window, exc, TITLE))
    task.start_write(window.session)


def _import(db: Database, path: Path, checked: Checked, replace: bool) -> Imported:
    from kodomo_desktop.core.interchange import export_document, import_document

    doc = checked.doc
    year = doc["fiscal_year"]
    before = export_document(db, year) if replace else None
    if replace:
        db.backup("before-import-json")
    result = import_document(
        db,
        doc,
        replace=replace,
        add_divisions=checked.unknown is not None,
        source=f"import:{path.name}",
        name=path.name,
        expected_versions=checked.versions if replace else None,
    )
    return Imported(before, export_document(db, year), result.value)


def _imported(window: MainWindow, path: Path, imported: Imported, existing: EditionInfo | None) -> None:
    if existing is not None:
        # the replaced edition's earlier undo history follows it to its new row
        window.session.rekey(existing.id, imported.edition_id)
    window.reload_everything(imported.after["fiscal_year"])
    window.session.push(JsonImport(window.session, path.name, imported.before, imported.after))
