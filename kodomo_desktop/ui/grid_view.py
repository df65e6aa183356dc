"""The program grid's view: target toggles by click and Space, copy and paste of blocks, reordering.

Every change goes through an undo command; the model is only repainted from what the
operation reports (EditSession.changed), so the grid never shows a value the database
does not hold.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from kodomo_desktop.core.errors import InvalidInput, ReadOnlyEdition
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import tick_value
from kodomo_desktop.ui.edit_session import EditSession
from kodomo_desktop.ui.program_grid import (
    COL_DIVISIONS,
    COL_NAME,
    COL_NO,
    COL_RESULTS,
    COL_STATUS,
    TARGET_COLUMNS,
    ProgramTableModel,
    TargetDelegate,
    drop_moves,
    target_index,
)
from kodomo_desktop.ui.tsv import format_block, parse_block
from kodomo_desktop.ui.undo_commands import MovePlacement, SetTargets

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
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_RESULTS, QHeaderView.ResizeMode.Stretch)
        self._default_widths()
        model.rows_dropped.connect(self._rows_dropped)

    def model(self) -> ProgramTableModel:
        return self._model

    def _default_widths(self) -> None:
        metrics = self.fontMetrics()
        em = metrics.horizontalAdvance("あ")
        self.setColumnWidth(COL_NO, metrics.horizontalAdvance("No.0000") + 8)
        self.setColumnWidth(COL_NAME, em * 15)
        for column in TARGET_COLUMNS:
            self.setColumnWidth(column, max(metrics.horizontalAdvance(TARGETS[target_index(column)]) + 10, em * 2 + 6))
        self.setColumnWidth(COL_DIVISIONS, em * 10)
        self.setColumnWidth(COL_STATUS, em * 6)

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
        super().keyPressEvent(event)

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
        """Paste a block of ○/blank cells (from Excel) into the target columns, as one undo step."""
        if self._refuse_read_only():
            return
        block = self._selection_block()
        if block is None:
            return
        cells = parse_block(QGuiApplication.clipboard().text())
        rows, columns = block
        if len(cells) == 1 and len(cells[0]) == 1:
            # one copied cell fills the whole selection, as in Excel
            cells = [[cells[0][0]] * len(columns) for _ in rows]
        else:
            rows = range(rows.start, min(rows.start + len(cells), self.model().rowCount()))
            columns = range(columns.start, columns.start + max(len(line) for line in cells))
        try:
            masks = self._pasted_masks(cells, rows, columns)
        except InvalidInput as exc:
            self.session.report(exc)
            return
        if masks:
            self.session.push(SetTargets(self.session, masks, f"貼り付け（{len(masks)}件）"))

    def _pasted_masks(self, cells: list[list[str]], rows: range, columns: range) -> dict[str, tuple[int, int]]:
        if columns.start not in TARGET_COLUMNS or columns.stop - 1 not in TARGET_COLUMNS:
            raise InvalidInput(
                f"貼り付けられるのは対象の列（{TARGETS[0]}～{TARGETS[-1]}）だけです。対象の列を選んでから貼り付けてください。"
            )
        model = self.model()
        masks: dict[str, tuple[int, int]] = {}
        for r, line in zip(rows, cells, strict=False):
            program = model.program(r)
            old, new = masks.get(program.uid, (program.targets, program.targets))
            for c, value in zip(columns, line, strict=False):
                ticked = tick_value(value)
                if ticked is None:
                    raise InvalidInput(
                        f"{r - rows.start + 1}行目「{TARGETS[target_index(c)]}」の「{value}」は対象の印として読めません"
                        "（○ などは対象、空欄や × は対象外）。何も変更していません。"
                    )
                bit = 1 << target_index(c)
                new = new | bit if ticked else new & ~bit
            masks[program.uid] = (old, new)
        return {uid: m for uid, m in masks.items() if m[0] != m[1]}

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
                # the first failure stops the rest
                self.session.push(MovePlacement(self.session, uid, item.measure_id, item.position, item.measure_id, to))

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
                self.session.push(MovePlacement(self.session, uid, measure, position, measure_id, size))
