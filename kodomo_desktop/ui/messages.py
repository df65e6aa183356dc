"""Errors shown to the user: every expected failure becomes one Japanese sentence or two."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from kodomo_desktop.core.errors import KodomoError

BUSY = (
    "データベースを他の利用者（またはコマンド）が書き込み中のため、保存できませんでした。"
    "内容は変更されていません。しばらく待ってからもう一度操作してください。"
)


def expected_error_text(exc: BaseException) -> str | None:
    """The message for an error the user can act on; None for a bug."""
    if isinstance(exc, KodomoError):
        return exc.message
    from sqlalchemy.exc import DatabaseError as SADatabaseError
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError) and any(word in str(exc.orig) for word in ("locked", "busy")):
        return BUSY
    if isinstance(exc, SADatabaseError):
        return f"データベースの操作に失敗しました。内容は変更されていません。（{exc.orig}）"
    return None


def show_error(parent: QWidget | None, exc: BaseException, title: str = "kodomo-desktop") -> None:
    """Show an expected error; anything else is a bug and goes on to sys.excepthook."""
    text = expected_error_text(exc)
    if text is None:
        raise exc
    QMessageBox.warning(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, default_yes: bool = True) -> bool:
    """A yes/no question; True only for 「はい」."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, buttons, default) == QMessageBox.StandardButton.Yes
