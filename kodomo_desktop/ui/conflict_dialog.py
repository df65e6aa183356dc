"""An undo or redo that would overwrite another process's newer change: both values, and the user's choice."""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from kodomo_desktop.core.errors import Conflict
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.diff_view import ChangeDetail
from kodomo_desktop.ui.history_view import local_time, source_label, value_text


class Choice(Enum):
    THEIRS = "相手の値を採用"  # keep their value, drop the step
    MINE = "自分の値で上書き"  # write this step's value over theirs
    BACK = "編集に戻る"  # nothing written, the step stays where it is


class ConflictDialog(QDialog):
    def __init__(self, conflict: Conflict, mine: Any, verb: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{conflict.label}が別の処理で変更されています")
        self.choice = Choice.BACK
        when, who = local_time(conflict.at), f"{conflict.user}（{source_label(conflict.source)}）"
        self.message = QLabel(
            f"事業 {conflict.uid}「{conflict.name}」の{conflict.label}は、この画面が読み込んだ後に"
            f" {who} が {when} に変更しました。\n"
            f"{verb}と、その変更を自分の値で上書きします。どちらの値にしますか？"
        )
        self.message.setWordWrap(True)
        self.detail = ChangeDetail()
        self.detail.show_change(
            value_text(conflict.field, conflict.theirs),
            value_text(conflict.field, mine),
            (f"相手の値（{who}、{when}）", f"自分の値（{verb}後）"),
        )
        self.buttons = QDialogButtonBox()
        self.choice_buttons: dict[Choice, QPushButton] = {}
        for choice, role in (
            (Choice.THEIRS, QDialogButtonBox.ButtonRole.AcceptRole),
            (Choice.MINE, QDialogButtonBox.ButtonRole.AcceptRole),
            (Choice.BACK, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            button = self.buttons.addButton(choice.value, role)
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            self.choice_buttons[choice] = button
        self.choice_buttons[Choice.BACK].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.detail, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 720, 420)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        if choice is Choice.BACK:
            self.reject()
        else:
            self.accept()


def ask(parent: QWidget | None, conflict: Conflict, mine: Any, verb: str) -> Choice:
    dialog = ConflictDialog(conflict, mine, verb, parent)
    dialog.exec()
    return dialog.choice
