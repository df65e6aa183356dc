"""Errors shown to the user: every expected failure becomes one Japanese sentence or two."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def expected_error_text(exc: BaseException) -> str | None:
    """The message for an error the user can act on; None for a bug."""
    from kodomo_desktop.core.environment import translate

    if (known := translate(exc)) is not None:
        return known.message
    from sqlalchemy.exc import DatabaseError as SADatabaseError

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
