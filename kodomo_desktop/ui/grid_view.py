"""The program grid's view: cell editing with Excel's keys, target toggles by click and Space,
copy and paste of blocks, reordering.

Every change goes through an undo command; the model is only repainted from what the
operation reports (EditSession.changed), so the grid never shows a value the database
does not hold. Tab walks the cells of a row and leaves the grid after the last one (as
Ctrl+Tab does at once), never wrapping to the next row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import overload

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QToolTip,
    QWidget,
)

from kodomo_desktop.core import queries
from kodomo_desktop.core.divisions import MasterList, format_divisions, load_master
from kodomo_desktop.core.errors import InvalidInput, ReadOnlyEdition
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.ui.cell_editors import CellDelegate, set_editor_text
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.edit_session import EditSession
from kodomo_desktop.ui.paste import CellWrites, Pairs, read_block
from kodomo_desktop.ui.program_grid import (
    COL_ALIAS,
    COL_CHANGE,
    COL_DIVISIONS,
    COL_NAME,
    COL_NO,
    COL_RESULTS,
    COL_STATUS,
    COL_SUMMARY,
    FIELD_OF_COLUMN,
    HEADERS,
    TARGET_COLUMNS,
    ProgramTableModel,
    TargetDelegate,
    drop_moves,
    target_index,
)
from kodomo_desktop.ui.tsv import format_block, parse_block
from kodomo_desktop.ui.undo_commands import MovePlacement, OperationCommand, SetTargets, VersionedCommand

Index = QModelIndex | QPersistentModelIndex
Trigger = QAbstractItemView.EditTrigger
# what the user does to start editing a cell: F2, a double click, typing (which replaces the cell)
EDIT_TRIGGERS = Trigger.EditKeyPressed | Trigger.DoubleClicked | Trigger.AnyKeyPressed

READ_ONLY = "この年度版は公開済みのため変更できません（読み取り専用）。"


class ProgramGridView(QTableView):
    def __init__(self, session: EditSession, model: ProgramTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._model = model
        self.setModel(model)
        self._delegate = TargetDelegate(self)
        for column in TARGET_COLUMNS:
            self.setItemDelegateForColumn(column, self._delegate)
        self._cell_delegate = CellDelegate(self, self)
        for column in FIELD_OF_COLUMN:
            self.setItemDelegateForColumn(column, self._cell_delegate)
        self._typing = False  # the open editor was started by typing: it starts empty
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(EDIT_TRIGGERS)
        self.setSortingEnabled(True)
        self.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setAlternatingRowColors(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self._set_up_headers()
        model.rows_dropped.connect(self._rows_dropped)

    def model(self) -> ProgramTableModel:
        return self._model

    def _set_up_headers(self) -> None:
        """Row height and columns: at 1280×720 the essentials (名称, the targets, 所管, 状態) fit side by side."""
        rows = self.verticalHeader()
        rows.hide()
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = GridHeader(self)
        self.setHorizontalHeader(header)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("…") + 8)
        self.default_columns(self.viewport().width())

    def default_columns(self, width: int) -> None:
        """The columns before the user changes them, for a grid this wide: all shown, in model order.

        The essentials (名称, the targets, 所管, 状態) fill the width; 実績 takes a share of the
        room beyond a readable name; 変更区分, 通称 and 概要 follow, in view where there is
        room for them and else one scroll to the right.
        """
        header = self.horizontalHeader()
        for visual, logical in enumerate(range(header.count())):
            header.setSectionHidden(logical, False)
            header.moveSection(header.visualIndex(logical), visual)
        metrics = self.fontMetrics()
        em = metrics.horizontalAdvance("あ")
        check = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, self)
        widths = {COL_NO: metrics.horizontalAdvance("0000") + 12}
        for column in TARGET_COLUMNS:
            widths[column] = max(check + 10, metrics.horizontalAdvance(SHORT_TARGETS[target_index(column)]) + 12)
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        widths |= {COL_DIVISIONS: em * 9, COL_STATUS: icon + metrics.horizontalAdvance("要確認") + 16}
        trailing = {COL_CHANGE: em * 5, COL_ALIAS: em * 8, COL_SUMMARY: em * 15}
        room = width - sum(widths.values()) - self.verticalScrollBar().sizeHint().width()
        if room - sum(trailing.values()) >= em * 19:
            room -= sum(trailing.values())
        widths[COL_RESULTS] = min(max((room - em * 14) // 2, em * 5), em * 24)
        widths[COL_NAME] = max(room - widths[COL_RESULTS], em * 10)
        for column, size in (widths | trailing).items():
            self.setColumnWidth(column, size)

    # --- selection ----------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        # from the selection's ranges: listing every selected index of 10,000 rows is slow
        rows: set[int] = set()
        for block in self.selectionModel().selection().toList():
            rows.update(range(block.top(), block.bottom() + 1))
        return sorted(rows)

    def select_row(self, row: int, column: int = COL_NAME) -> None:
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.scrollTo(index)

    # --- target toggles -----------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        plain = event.button() == Qt.MouseButton.LeftButton and not event.modifiers()
        if plain and index.isValid() and index.column() in TARGET_COLUMNS:
            rows = self.selected_rows()
            if len(rows) > 1 and index.row() in rows:
                # a click inside a multi-row selection sets the whole selection, which must stay
                self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.toggle(index.row(), index.column(), rows)
                return
            super().mousePressEvent(event)
            self.toggle(index.row(), index.column(), [index.row()])
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() in TARGET_COLUMNS:
            # the second click of a quick double click is a second toggle, not an edit
            self.mousePressEvent(event)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        current = self.currentIndex()
        if event.key() == Qt.Key.Key_Space and current.isValid() and current.column() in TARGET_COLUMNS:
            rows = self.selected_rows()
            self.toggle(current.row(), current.column(), rows if current.row() in rows else [current.row()])
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and modifiers & Qt.KeyboardModifier.ControlModifier:
            # Ctrl+Tab leaves the grid from any cell (Ctrl+Shift+Tab backwards)
            backwards = key == Qt.Key.Key_Backtab or modifiers & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, not backwards)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.step(-1 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1, 0)  # Excel's Enter
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab walks the row's cells and leaves the grid after the last (Shift+Tab: before the first)."""
        current = self.currentIndex()
        if self.hasFocus() and current.isValid() and self.state() != QAbstractItemView.State.EditingState:
            column = self._neighbour(current.column(), 1 if next else -1)
            if column is not None:
                self._go(current.row(), column)
                return True
        return QWidget.focusNextPrevChild(self, next)

    def _neighbour(self, column: int, step: int) -> int | None:
        """The shown column next to a column on screen, None at the edge."""
        header = self.horizontalHeader()
        visual = header.visualIndex(column) + step
        while 0 <= visual < header.count():
            logical = header.logicalIndex(visual)
            if not header.isSectionHidden(logical):
                return logical
            visual += step
        return None

    def _go(self, row: int, column: int) -> None:
        index = self.model().index(row, column)
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def step(self, rows: int, columns: int) -> None:
        """Move the current cell as Enter (down) or Tab (right) does; Tab leaves the grid at its edge."""
        current = self.currentIndex()
        if not current.isValid():
            return
        if columns:
            column = self._neighbour(current.column(), columns)
            if column is None:
                QWidget.focusNextPrevChild(self, columns > 0)
            else:
                self._go(current.row(), column)
        elif 0 <= current.row() + rows < self.model().rowCount():
            self._go(current.row() + rows, current.column())

    # --- cell editing (the delegate's CellSink) -------------------------------------------

    @overload
    def edit(self, index: Index, /) -> None: ...

    @overload
    def edit(self, index: Index, trigger: Trigger, event: QEvent | None, /) -> bool: ...

    def edit(
        self, index: Index, trigger: Trigger = Trigger.AllEditTriggers, event: QEvent | None = None
    ) -> bool | None:
        user_started = bool(trigger & EDIT_TRIGGERS) and trigger != Trigger.AllEditTriggers
        if user_started and index.isValid() and index.column() in FIELD_OF_COLUMN and self._refuse_read_only():
            return False
        self._typing = trigger == Trigger.AnyKeyPressed
        opened = super().edit(index, trigger, event)  # type: ignore[arg-type]  # Qt passes a null event
        editor = self.indexWidget(index) if opened and not self._typing else None
        if isinstance(editor, QLineEdit):
            # Qt selects a line editor's text, so that typing would replace it: F2 keeps it, as Excel does
            editor.deselect()
            editor.end(False)
        return opened

    def editing_uid(self) -> str | None:
        """The program whose cell is open for typing (None: no cell editor is open)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return None
        return str(self.model().program(self.currentIndex().row()).uid)

    def cell_text(self, index: Index) -> str:
        return self.model().field_text(index.row(), index.column())

    def typing_started(self) -> bool:
        return self._typing

    def division_labels(self) -> list[str]:
        return [format_divisions([pair]) for pair in self._master().active]

    def refused(self, index: Index, text: str) -> bool:
        try:
            self._read_block([[text]], index.row(), index.column())
        except InvalidInput as exc:
            # shown beside the cell, not in a message box: the editor keeps its text to be corrected
            editor = self.indexWidget(index) or self
            QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), exc.message, editor)
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(exc.message, 15000)
            return True
        return False

    def write_cell(self, index: Index, text: str) -> None:
        try:
            writes = self._read_block([[text]], index.row(), index.column())
        except InvalidInput as exc:
            self.session.report(exc)
            return
        cell = QPersistentModelIndex(index)

        def refused(command: OperationCommand) -> None:
            if isinstance(command, VersionedCommand) and command.answer is Choice.BACK:
                # 編集に戻る (another process changed the program): the typed text is back in the cell's editor
                QTimer.singleShot(0, lambda: self._reopen(cell, text))

        self._write(writes, f"{HEADERS[index.column()]}の変更", refused)

    def _reopen(self, cell: QPersistentModelIndex, text: str) -> None:
        if not cell.isValid():
            return
        self._go(cell.row(), cell.column())
        index = self.model().index(cell.row(), cell.column())
        self.edit(index)
        editor = self.indexWidget(index)
        if editor is not None:
            set_editor_text(editor, text)

    def toggle(self, row: int, column: int, rows: list[int]) -> None:
        """Set one target on all rows to the opposite of the clicked cell (one undo step)."""
        if self._refuse_read_only():
            return
        model = self.model()
        bit = 1 << target_index(column)
        on = not model.ticked(row, column)
        masks = {}
        for r in rows:
            program = model.program(r)
            masks[program.uid] = (program.targets, program.targets | bit if on else program.targets & ~bit)
        label = TARGETS[target_index(column)]
        text = f"{label}を{'付ける' if on else '外す'}" + (f"（{len(masks)}件）" if len(masks) > 1 else "")
        self.session.push(SetTargets(self.session, masks, text))

    def _refuse_read_only(self) -> bool:
        if self.session.read_only:
            self.session.report(ReadOnlyEdition(READ_ONLY))
            return True
        return False

    # --- clipboard ----------------------------------------------------------------------

    def _selection_block(self) -> tuple[range, range] | None:
        """The rectangle around the selection, from its ranges (as selected_rows, for the same reason)."""
        blocks = [block for block in self.selectionModel().selection().toList() if block.isValid()]
        if not blocks:
            return None
        rows = range(min(b.top() for b in blocks), max(b.bottom() for b in blocks) + 1)
        return rows, range(min(b.left() for b in blocks), max(b.right() for b in blocks) + 1)

    def copy(self) -> None:
        block = self._selection_block()
        if block is None:
            return
        rows, columns = block
        model = self.model()
        QGuiApplication.clipboard().setText(format_block([[model.cell_text(r, c) for c in columns] for r in rows]))

    def paste(self) -> None:
        """Paste a block copied from Excel at the selection's top-left cell, as one undo step.

        Every cell is checked first: one bad value refuses the whole block, naming its cell.
        """
        if self._refuse_read_only():
            return
        block = self._selection_block()
        if block is None:
            return
        cells = parse_block(QGuiApplication.clipboard().text())
        rows, columns = block
        if len(columns) == self.model().columnCount() and self.currentIndex().isValid():
            # whole rows (chosen in the tree, found by a search): the block starts at the current cell
            columns = range(self.currentIndex().column(), self.currentIndex().column() + 1)
        if len(cells) == 1 and len(cells[0]) == 1:
            # one copied cell fills the whole selection, as in Excel
            cells = [[cells[0][0]] * len(columns) for _ in rows]
        try:
            writes = self._read_block(cells, rows.start, columns.start)
        except InvalidInput as exc:
            self.session.report(exc)
            return
        self._write(writes, f"貼り付け（{len(writes.programs)}件）")

    def _read_block(self, cells: list[list[str]], top: int, left: int) -> CellWrites:
        model = self.model()
        return read_block(
            cells, top, left, model.rowCount(), model.program, model.cell_text, self._master, self._divisions
        )

    def _master(self) -> MasterList:
        return load_master(self.session.db)

    def _divisions(self, uid: str) -> Pairs:
        return queries.program_detail(self.session.db, self.session.program_id(uid)).divisions

    def _write(self, writes: CellWrites, text: str, refused: Callable[[OperationCommand], None] | None = None) -> None:
        """One command for one cell, one macro for a block; the first refused command stops the rest,
        and refused(command) hears of each command that did not run, once the writes are back."""
        commands = writes.commands(self.session)

        def then(command: OperationCommand) -> Callable[[bool], None] | None:
            if refused is None:
                return None
            report = refused
            return lambda ran: None if ran else report(command)

        if len(commands) == 1:
            self.session.push(commands[0], then(commands[0]))
        elif commands:
            with self.session.macro(text):
                for command in commands:
                    self.session.push(command, then(command))

    # --- reordering ---------------------------------------------------------------------

    def can_reorder(self) -> bool:
        model = self.model()
        return model.in_measure and model.natural_order and not self.session.read_only

    def move_selected(self, step: int) -> None:
        """Move the selected rows one place up (-1) or down (+1) within their measure."""
        rows = self.selected_rows()
        if not rows or not self.can_reorder():
            return
        target = rows[0] - 1 if step < 0 else rows[-1] + 2
        if 0 <= target <= self.model().rowCount():
            self._reorder(rows, target)

    def _rows_dropped(self, items: list[tuple[str, int, int]], target: int) -> None:
        if not self._refuse_read_only():
            self._reorder([position for _uid, _measure, position in items], target)

    def _reorder(self, rows: list[int], target: int) -> None:
        """Rows of one measure (row = position in natural order) to before row `target`."""
        model = self.model()
        moves = [(model.program(frm).uid, model.listing(frm), to) for frm, to in drop_moves(rows, target) if frm != to]
        if not moves:
            return
        with self.session.macro("並べ替え"):
            for uid, item, to in moves:
                # reordering is offered only in a measure's own order, where every row is a placement
                assert item.measure_id is not None and item.position is not None
                # the first failure stops the rest; each move is based on the placement the user saw
                self.session.push(
                    MovePlacement(self.session, uid, item.measure_id, item.position, item.measure_id, to, item.version)
                )

    def selected_placements(self, rows: list[int] | None = None) -> list[tuple[str, int, int]]:
        """(uid, measure id, position) of the selected rows that stand for a placement."""
        model = self.model()
        listed = ((r, model.listing(r)) for r in (self.selected_rows() if rows is None else rows))
        return [
            (model.program(r).uid, item.measure_id, item.position)
            for r, item in listed
            if item.measure_id is not None and item.position is not None
        ]

    def move_to_measure(self, items: list[tuple[str, int, int]], measure_id: int, size: int) -> None:
        """Move placements to the end of another measure, keeping their order (one undo step).

        Each is taken from the bottom of its measure up, so the positions recorded for undo
        are still true when the move happens; each is inserted at the old end of the target,
        before the ones moved already, so the moved rows keep their order there.
        """
        if self._refuse_read_only():
            return
        items = sorted((item for item in items if item[1] != measure_id), key=lambda i: (i[1], i[2]), reverse=True)
        with self.session.macro("別の個別施策へ移動"):
            for uid, measure, position in items:  # the first failure stops the rest
                version = self._placement_version(uid, measure)
                self.session.push(MovePlacement(self.session, uid, measure, position, measure_id, size, version))

    def _placement_version(self, uid: str, measure_id: int) -> int | None:
        """The version of the placement as the grid shows it (None: not shown, the move is not checked)."""
        model = self.model()
        listed = (model.listing(row) for row in model.rows_of(uid))
        return next((item.version for item in listed if item.measure_id == measure_id), None)


# the target columns' headings, short enough for a column as wide as its check box; the header's
# tooltip names the target in full
SHORT_TARGETS = ("妊", "乳", "幼", "小", "中", "高", "18+", "親")


class GridHeader(QHeaderView):
    """The grid's column headings: short target names with the full name as tooltip, and a menu of columns."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._column_menu)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logical_index: int) -> None:
        super().initStyleOptionForIndex(option, logical_index)
        if logical_index in TARGET_COLUMNS:
            option.text = SHORT_TARGETS[target_index(logical_index)]

    def full_title(self, logical_index: int) -> str:
        return str(self.model().headerData(logical_index, Qt.Orientation.Horizontal) or "")

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            section = self.logicalIndexAt(event.pos())
            own = self.model().headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            if section >= 0 and not own:
                QToolTip.showText(event.globalPos(), self.full_title(section), self)
                return True
        return super().viewportEvent(event)

    def column_menu(self) -> QMenu:
        """表示する列: every column but the name, checked while shown; and the columns as they were at first."""
        menu = QMenu("表示する列", self)
        for logical in (self.logicalIndex(v) for v in range(self.count())):
            if logical == COL_NAME:
                continue  # without the name a row cannot be recognised
            action = menu.addAction(self.full_title(logical))
            action.setCheckable(True)
            action.setChecked(not self.isSectionHidden(logical))
            action.toggled.connect(lambda on, c=logical: self.setSectionHidden(c, not on))
        menu.addSeparator()
        view = self.parent()
        assert isinstance(view, ProgramGridView)
        menu.addAction("列を最初の状態に戻す", lambda: view.default_columns(view.viewport().width()))
        return menu

    def _column_menu(self, position: QPoint) -> None:
        self.column_menu().exec(self.mapToGlobal(position))
