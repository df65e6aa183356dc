"""Dialogs never taller or wider than the screen's free area (the part a taskbar leaves).

A dialog asks for the size it would like; when it is shown, that size is clamped to the
available geometry of the screen it opens on, and content whose minimum is still larger
scrolls instead of pushing the dialog's buttons under the taskbar.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFrame, QScrollArea, QVBoxLayout, QWidget

# the window manager's title bar and borders, outside the size a widget is given; a generous
# guess before the dialog is shown, when the real frame is not known yet
FRAME_ALLOWANCE = QSize(16, 40)
SCROLLER = "dialog-content-scroller"


def available_area(widget: QWidget) -> QRect:
    """The free area of the screen the widget is (or will be) on."""
    anchor = widget.parentWidget() or widget
    screen = anchor.screen() or QApplication.primaryScreen()
    return screen.availableGeometry()


def room_for(widget: QWidget) -> QSize:
    """The largest size a top-level widget can have with its frame still inside the free area."""
    area = available_area(widget)
    frame = widget.frameGeometry().size() - widget.geometry().size() if widget.isVisible() else QSize(0, 0)
    allowance = frame.expandedTo(FRAME_ALLOWANCE)
    return QSize(max(area.width() - allowance.width(), 1), max(area.height() - allowance.height(), 1))


def fit_to_screen(dialog: QWidget, width: int = 0, height: int = 0) -> None:
    """Give the dialog the wished size (none: its own size hint), clamped to the screen when it is shown."""
    if width and height:
        dialog.resize(width, height)
    dialog.installEventFilter(_Fitter(dialog, QSize(width, height) if width and height else None))


class _Fitter(QObject):
    def __init__(self, dialog: QWidget, wished: QSize | None):
        super().__init__(dialog)
        self.wished = wished

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)  # once: a size the user gives it later stays
            _fit(watched, self.wished or watched.sizeHint())
        return False


def _fit(dialog: QWidget, wished: QSize) -> None:
    room = room_for(dialog)
    layout = dialog.layout()
    if layout is not None and dialog.findChild(QScrollArea, SCROLLER) is None:
        minimum = layout.totalMinimumSize()
        if minimum.height() > room.height() or minimum.width() > room.width():
            _scroll_content(dialog)
    size = wished.boundedTo(room).expandedTo(dialog.minimumSizeHint().boundedTo(room))
    dialog.resize(size)
    area = available_area(dialog)
    frame = dialog.frameGeometry()
    # keep the whole frame inside the free area (Qt centres a dialog on its parent, which may
    # put its top or its buttons off screen)
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    dialog.move(max(x, area.left()), max(y, area.top()))


def _scroll_content(dialog: QWidget) -> None:
    """Move the dialog's content into a scroll area; its button row stays outside, always visible."""
    layout = dialog.layout()
    assert layout is not None
    last = layout.itemAt(layout.count() - 1) if layout.count() else None
    buttons = last.widget() if last is not None else None
    if isinstance(buttons, QDialogButtonBox):
        layout.removeWidget(buttons)
    else:
        buttons = None
    content = QWidget()
    content.setLayout(layout)  # Qt takes the layout, and the widgets in it, off the dialog
    dialog.setMinimumSize(0, 0)  # which the old layout had set to its own minimum
    area = QScrollArea()
    area.setObjectName(SCROLLER)
    area.setAccessibleName(f"{dialog.windowTitle()}の内容")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(area)
    if buttons is not None:
        margins = layout.contentsMargins()
        row = QVBoxLayout()
        row.setContentsMargins(margins.left(), 0, margins.right(), margins.bottom())
        row.addWidget(buttons)
        outer.addLayout(row)
