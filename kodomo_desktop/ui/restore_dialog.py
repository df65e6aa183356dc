"""ファイル ▸ バックアップから復元: the database's backups, what restoring one would change, and the restore.

The preview compares each edition as it is now with the same year in the backup (the
year comparison's tables, current → backup). The restore runs off the GUI thread; the
window reloads everything after it (the caller does, when the dialog is accepted).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.backups import (
    BackupInfo,
    EditionChange,
    change_summary,
    list_backups,
    no_backups_text,
    preview_restore,
    restore,
)
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.yeardiff import sections
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.workers import BackgroundTask

HEADERS = ("日時", "理由", "大きさ", "中の年度版")
PREVIEW_ROWS = 30  # rows shown per kind of change; the rest are counted


def preview_text(changes: list[EditionChange]) -> str:
    lines = [change_summary(c) for c in changes]
    for change in changes:
        if change.diff is None or not change.diff:
            continue
        lines += ["", f"■ {change_summary(change)}"]
        for section in sections(change.diff):
            if not section.rows:
                continue
            lines.append(f"【{section.title}】（いま → 復元後）")
            for row in section.rows[:PREVIEW_ROWS]:
                lines.append("  " + " ／ ".join(value.replace("\n", "⏎") for value in row))
            if len(section.rows) > PREVIEW_ROWS:
                lines.append(f"  ほか {len(section.rows) - PREVIEW_ROWS}件")
    return "\n".join(lines)


class RestoreDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("バックアップから復元")
        fit_to_screen(self, 1000, 640)
        self.backups = list_backups(db)

        self.table = named(QTableWidget(len(self.backups), len(HEADERS)), "バックアップの一覧")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for r, backup in enumerate(self.backups):
            time = f"{backup.time:%Y-%m-%d %H:%M:%S}"
            for c, value in enumerate((time, backup.reason, backup.size_text, backup.contents)):
                item = QTableWidgetItem(value)
                item.setToolTip(str(backup.path))
                if backup.broken:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

        self.preview = named(QPlainTextEdit(), "復元で変わる内容")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        note = QLabel(
            "復元すると、データベース全体が選んだバックアップの時点に戻ります。"
            "復元の前に、いまの状態もバックアップします（この一覧から戻せます）。"
            if self.backups
            else no_backups_text(db)
        )
        note.setWordWrap(True)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("復元する…")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self.show_preview)

    def selected(self) -> BackupInfo | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.backups[min(rows)] if rows else None

    def show_preview(self) -> None:
        backup = self.selected()
        self.restore_button.setEnabled(backup is not None and not backup.broken)
        if backup is None:
            self.preview.clear()
        elif backup.broken:
            self.preview.setPlainText(f"このバックアップは壊れているため復元できません。\n{backup.problem}")
        else:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                text = "復元するとこう変わります（いま → バックアップ）:\n" + preview_text(
                    preview_restore(self.db, backup.path)
                )
            except KodomoError as exc:
                text = exc.message
                self.restore_button.setEnabled(False)
            finally:
                QGuiApplication.restoreOverrideCursor()
            self.preview.setPlainText(text)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or backup.broken:
            return
        if not confirm(
            self,
            "バックアップから復元",
            f"データベースを {backup.time:%Y-%m-%d %H:%M:%S}（{backup.reason}）の状態に戻します。"
            f"中の年度版: {backup.contents}。いまの状態は復元の前にバックアップします。よろしいですか？",
            default_yes=False,
        ):
            return
        db, path = self.db, backup.path
        task = BackgroundTask(
            self, "バックアップから復元しています…", lambda _p, _c: restore(db, path), cancellable=False
        )
        # accepted after the task's own signal handling: ending exec() inside it crashed the window
        task.finished.connect(lambda _result: QTimer.singleShot(0, self.accept))
        task.failed.connect(lambda exc: show_error(self, exc, "バックアップから復元"))
        task.start()
