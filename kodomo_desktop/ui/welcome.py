"""The first start's short welcome: what the window is for and where the guide is. Shown once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from kodomo_desktop.ui.settings import WELCOME_SHOWN

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow

WELCOME = (
    "こども計画関連事業・取組一覧の編集画面です。\n\n"
    "・左で年度版と施策を選ぶと、中央の表にその事業が並びます。\n"
    "・右の欄や表のセルで内容を直すと、その場で保存されます（Ctrl+Z で元に戻せます）。\n"
    "・下の検証パネルが、入力もれや表記の不統一を知らせます。\n"
    "・冊子は「ファイル ▸ 冊子のプレビュー…」で確認し、「冊子(PDF)を作成…」で作ります。\n\n"
    "操作の手順は「ヘルプ ▸ 操作説明」（F1）でいつでも読めます。"
)


def welcome_once(window: MainWindow) -> None:
    """At the first start only: the welcome, with a way to the guide."""
    if window.settings.get(WELCOME_SHOWN):
        return
    window.settings.set(WELCOME_SHOWN, True)  # once, even when the box is closed without a choice
    box = QMessageBox(QMessageBox.Icon.Information, "ようこそ", WELCOME, parent=window)
    guide = box.addButton("操作説明を読む", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("閉じる", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is guide:
        from kodomo_desktop.ui.guide_dialog import show_guide

        show_guide(window)
