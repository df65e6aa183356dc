"""Every control a keyboard can reach has a name a screen reader reads out.

The test walks the whole widget tree of the main window and of each dialog it opens, and
fails on a focusable widget (focusPolicy other than NoFocus, shown or not) whose accessible
name, as the accessibility layer reports it (set, or taken from its text or its label's
buddy) or as set on it, is empty.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from kodomo_desktop.ui import features


def unnamed(root: QWidget) -> list[str]:
    """The focusable widgets under root (itself included) that a screen reader cannot name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == widget.focusPolicy().NoFocus:
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        # Qt's tab bar reports its current tab's text as its name, nothing while it has no tab
        name = (interface.text(QAccessible.Text.Name) if interface is not None else "") or widget.accessibleName()
        if not name.strip():
            parent = widget.parentWidget()
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(parent).__name__}")
    return missing


def test_the_main_window_names_every_control(qtbot, window):
    qtbot.waitUntil(lambda: window.findings is not None)
    window.grid.select_row(0)  # the form shows a program: every field exists and is laid out
    missing = unnamed(window)
    assert missing == [], "\n".join(missing)


def conflict_dialog(window):
    from kodomo_desktop.core.errors import Conflict
    from kodomo_desktop.ui.conflict_dialog import ConflictDialog

    conflict = Conflict(
        uid="P0001",
        name="名称",
        field="summary",
        theirs="相手の概要",
        user="tanaka",
        at="2024-05-01T10:00:00",
        source="cli",
        version=3,
    )
    return ConflictDialog(conflict, "自分の概要", "保存する", window)


def issuer_dialog(window):
    from kodomo_desktop.ui import edition_actions

    return edition_actions.edit_issuer(window)


def acknowledge_dialog(window):
    from kodomo_desktop.ui.acknowledge_dialog import AcknowledgeDialog

    return AcknowledgeDialog("警告: P0001「名称」\n項目: 概要\n長い指摘", "", window)


def targets_dialog(window):
    from kodomo_desktop.ui.targets_dialog import TargetsDialog

    return TargetsDialog(window, ["妊婦等", "乳児"])


DIALOGS = {
    "returns": lambda w: features.RETURNS_DIALOG.load()(w.db, 2024, w, settings=w.settings),
    "returns overview": lambda w: features.RETURNS_OVERVIEW.load()(w.db, 2024, w),
    "master list": lambda w: features.MASTER_DIALOG.load()(w.db, w, submit=w.session.submit),
    "coverage": lambda w: features.COVERAGE_DIALOG.load()(w.db, 2024, w),
    "compare": lambda w: features.COMPARE_DIALOG.load()(w.db, w),
    "restore": lambda w: features.RESTORE_DIALOG.load()(w.db, w),
    "about": lambda w: features.ABOUT_DIALOG.load()(w),
    "issuer": issuer_dialog,
    "conflict": conflict_dialog,
    "acknowledge": acknowledge_dialog,
    "targets": targets_dialog,
}


@pytest.mark.parametrize("name", DIALOGS)
def test_each_dialog_names_every_control(qtbot, window, name):
    dialog = DIALOGS[name](window)
    qtbot.addWidget(dialog)
    dialog.show()
    missing = unnamed(dialog)
    assert missing == [], "\n".join(missing)
