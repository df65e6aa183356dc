"""冊子(PDF)を作成… and 冊子（校正用）を作成…: the booklet of the open edition, or its proof copy,
built in a worker thread with progress and cancel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.features import BOOKLET, BOOKLET_OPTIONS
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.settings import BOOKLET_FOLDER
from kodomo_desktop.ui.workers import BackgroundTask, Cancelled, Progress

if TYPE_CHECKING:
    from kodomo_desktop.booklet import BookletReport
    from kodomo_desktop.core.database import Database
    from kodomo_desktop.ui.main_window import MainWindow

PROOF_SUFFIX = "_校正用"  # in the suggested file name: a proof is never saved as the booklet


def make_booklet(window: MainWindow, proof: bool = False) -> None:
    """The booklet; with proof, its proof copy (校正用), changes marked against the previous
    year's edition when there is one, else against this edition as last published, else
    only the 要確認 programs and uncertain ticks are marked."""
    build_booklet = BOOKLET.load()
    options = BOOKLET_OPTIONS.load()()
    year = window.open_year()
    if not proof and not _confirm_despite_errors(window, year):
        return
    what = "冊子（校正用）" if proof else "冊子(PDF)"
    folder = window.settings.folder(BOOKLET_FOLDER)
    name = f"こども計画関連事業・取組一覧_{era_label(year)}{PROOF_SUFFIX if proof else ''}.pdf"
    path, _ = QFileDialog.getSaveFileName(window, f"{what}の保存先", str(Path(folder) / name), "PDF (*.pdf)")
    if not path:
        return
    window.settings.remember_folder(BOOKLET_FOLDER, path)
    db = window.db

    def work(progress: Progress, cancelled: Cancelled) -> BookletReport:
        from kodomo_desktop.core.interchange import export_document

        document, compare_to, chosen = export_document(db, year, dated=True), None, options
        if proof:
            mode, compare_to = proof_comparison(db, year)
            chosen = replace(options, proof=mode)
        return build_booklet(document, path, chosen, progress=progress, cancel=cancelled, compare_to=compare_to)

    task = BackgroundTask(window, f"{era_label(year)}版の{what}を作成しています…", work)
    task.finished.connect(lambda report: _built(window, Path(path), report, what))
    task.failed.connect(lambda exc: show_error(window, exc, f"{what}の作成"))
    task.cancelled.connect(lambda: window.statusBar().showMessage(f"{what}の作成を取り消しました。", 5000))
    task.start()


def proof_comparison(db: Database, year: int) -> tuple[str, dict[str, Any] | None]:
    """What a proof from the window compares with: the previous year's edition, else this
    edition as last published, else nothing (mode "published", no document)."""
    from kodomo_desktop.core.interchange import export_document
    from kodomo_desktop.core.queries import list_editions

    if any(e.fiscal_year == year - 1 for e in list_editions(db)):
        return "previous", export_document(db, year - 1)
    from kodomo_desktop.core.snapshots import published_document

    return "published", published_document(db, year)


def _confirm_despite_errors(window: MainWindow, year: int) -> bool:
    """An edition with validation errors prints only when the user says so (the CLI wants --force)."""
    from kodomo_desktop.core.validation import blocking_message, validate_edition

    errors = validate_edition(window.db, year).errors
    if not errors:
        return True
    return confirm(
        window,
        "冊子(PDF)の作成",
        blocking_message(era_label(year), errors, "公開用の冊子を作成") + "\n\nそれでも確認用に作成しますか？",
        default_yes=False,
    )


def _built(window: MainWindow, path: Path, report: BookletReport, what: str) -> None:
    font = report.embedded_font or "埋め込みなし"
    text = f"{path.name} を作成しました（{report.pages}ページ、フォント: {font}）。"
    offer_folder(window, f"{what}の作成", text, path, report.warnings)


def offer_folder(window: QWidget, title: str, text: str, path: Path, warnings: Sequence[str] = ()) -> None:
    """Say a file was written and where; offer to open it or its folder. Where the system has no
    program for it (openUrl fails), say so with the path to open by hand."""
    box = QMessageBox(window)
    box.setWindowTitle(title)
    box.setText(f"{text}\n保存先のフォルダ: {path.parent}")
    if warnings:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setInformativeText(f"確認が必要な点が{len(warnings)}件あります（「詳細」を参照）。")
        box.setDetailedText("\n".join(warnings))
    else:
        box.setIcon(QMessageBox.Icon.Information)
    open_file = box.addButton("開く", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("フォルダを開く", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("閉じる", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_file:
        target, program = path, f"{path.suffix.lstrip('.').upper()} ファイルを表示するプログラム"
    elif clicked is open_folder:
        target, program = path.parent, "フォルダを開くプログラム（ファイルマネージャー）"
    else:
        return
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        QMessageBox.warning(
            window,
            title,
            f"{program}がこのコンピューターに登録されていないため、開けませんでした。\n"
            f"次の場所をエクスプローラーなどで開いてください:\n{target}",
        )
