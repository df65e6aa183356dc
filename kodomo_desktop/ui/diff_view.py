"""Character-level changes on screen: highlighted runs in table cells and a side-by-side detail pane.

Inserted characters are coloured and underlined, deleted ones coloured and struck out, so the
change reads without colour too. Cells carry the highlighted HTML in HTML_ROLE and plain text
(for copying, sorting and tests) in the display role; RichTextDelegate paints the HTML.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.textdiff import (
    DELETE,
    DELETE_COLOUR,
    INSERT,
    INSERT_COLOUR,
    Run,
    edit_script,
    excerpt,
    side,
)

HTML_ROLE = Qt.ItemDataRole.UserRole + 40
# a light background too, so a change still shows on a selected (highlighted) row
STYLES = {
    INSERT: f"color:#{INSERT_COLOUR}; background-color:#DCEBFA; text-decoration:underline; font-weight:bold;",
    DELETE: f"color:#{DELETE_COLOUR}; background-color:#F8DEDB; text-decoration:line-through;",
}


def runs_html(runs: list[Run]) -> str:
    """The runs as HTML, the text escaped, each change in its style; line breaks kept."""
    parts = []
    for run in runs:
        text = html.escape(run.text).replace("\n", "<br>")
        parts.append(f'<span style="{STYLES[run.op]}">{text}</span>' if run.op in STYLES else text)
    return "".join(parts)


def excerpt_html(old: str, new: str) -> tuple[str, str]:
    """Both sides of a change around its changed characters, as HTML: (old with deletions, new with insertions)."""
    runs = excerpt(edit_script(old, new))
    return runs_html(side(runs, DELETE)), runs_html(side(runs, INSERT))


def _document(option: QStyleOptionViewItem, text: str) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(option.font)
    document.setDocumentMargin(2)
    document.setHtml(text)
    return document


class RichTextDelegate(QStyledItemDelegate):
    """Paints a cell's HTML_ROLE (highlighted changes) in place of its plain text, on one line."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        text = index.data(HTML_ROLE)
        if not text:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the HTML is drawn in its place
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        document = _document(opt, text)
        rect = opt.rect
        painter.save()
        # centred in the row's height, as the plain cells beside it are
        top = max(0.0, (rect.height() - document.size().height()) / 2)
        painter.translate(rect.left(), rect.top() + top)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height() - top))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        text = index.data(HTML_ROLE)
        if not text:
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = _document(opt, text)
        return QSize(int(document.idealWidth()), int(document.size().height()))


class ChangeDetail(QWidget):
    """Both full texts of the selected change side by side, the changed characters highlighted."""

    def __init__(self, old_title: str = "変更前", new_title: str = "変更後", parent: QWidget | None = None):
        super().__init__(parent)
        self.old_label, self.new_label = QLabel(old_title), QLabel(new_title)
        self.old_text, self.new_text = QTextBrowser(), QTextBrowser()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, text in ((self.old_label, self.old_text), (self.new_label, self.new_text)):
            text.setAccessibleName(label.text())
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(text, 1)
            layout.addLayout(column, 1)

    def show_change(self, old: str, new: str, titles: tuple[str, str] | None = None) -> None:
        script = edit_script(old, new)
        if titles is not None:
            for label, text, title in (
                (self.old_label, self.old_text, titles[0]),
                (self.new_label, self.new_text, titles[1]),
            ):
                label.setText(title)
                text.setAccessibleName(title)
        self.old_text.setHtml(runs_html(side(script, DELETE)))
        self.new_text.setHtml(runs_html(side(script, INSERT)))

    def clear(self) -> None:
        self.old_text.clear()
        self.new_text.clear()
