"""Where one program is listed: its primary measure and its re-listings (【再掲】)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QInputDialog, QListWidget, QPushButton, QWidget

from kodomo_desktop.core.queries import PlacementInfo, PolicyTree


def choose_measure(parent: QWidget, tree: PolicyTree, exclude: set[int], title: str, prompt: str) -> int | None:
    """Ask for a 個別施策 (by its full name); None when cancelled."""
    choices = [(tree.path_label(m.id), m.id) for m in tree.measures() if m.id not in exclude]
    if not choices:
        return None
    label, ok = QInputDialog.getItem(parent, title, prompt, [c[0] for c in choices], 0, False)
    return dict(choices)[label] if ok else None


class PlacementEditor(QWidget):
    add_requested = Signal(int)  # measure id
    remove_requested = Signal(object)  # PlacementInfo
    primary_requested = Signal(object)  # PlacementInfo
    move_requested = Signal(object, int)  # PlacementInfo, new position

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._tree = PolicyTree(())
        self._placements: tuple[PlacementInfo, ...] = ()
        self._read_only = False
        self.list = QListWidget()
        self.list.setAccessibleName("掲載先（主な掲載と再掲）")
        self.list.setWordWrap(True)  # a measure's full name is long; the panel is narrow
        self.list.setMaximumHeight(self.fontMetrics().height() * 9)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.add = QPushButton("再掲を追加…")
        self.remove = QPushButton("掲載を外す")
        self.primary = QPushButton("主な掲載にする")
        self.up = QPushButton("上へ")
        self.down = QPushButton("下へ")
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self.current()))
        self.primary.clicked.connect(lambda: self.primary_requested.emit(self.current()))
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 0, 0, 1, 3)
        for i, button in enumerate((self.add, self.remove, self.primary, self.up, self.down)):
            layout.addWidget(button, 1 + i // 3, i % 3)
        self.up.setToolTip("この個別施策の中で一つ前へ")
        self.down.setToolTip("この個別施策の中で一つ後へ")

    def set_tree(self, tree: PolicyTree) -> None:
        self._tree = tree

    def set_placements(self, placements: tuple[PlacementInfo, ...]) -> None:
        current = self.current()
        self._placements = placements
        self.list.clear()
        for p in placements:
            kind = "主　" if p.is_primary else "再掲"
            text = f"{kind}　{self._tree.path_label(p.measure_id)}（{p.measure_size}件中{p.position + 1}番目）"
            self.list.addItem(text)
            self.list.item(self.list.count() - 1).setToolTip(text)
        measures = [p.measure_id for p in placements]
        keep = measures.index(current.measure_id) if current and current.measure_id in measures else 0
        self.list.setCurrentRow(keep if placements else -1)
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def select_measure(self, measure_id: int) -> None:
        """Make the placement under this measure current (the grid row the user is on)."""
        for row, p in enumerate(self._placements):
            if p.measure_id == measure_id:
                self.list.setCurrentRow(row)

    def current(self) -> PlacementInfo | None:
        row = self.list.currentRow()
        return self._placements[row] if 0 <= row < len(self._placements) else None

    def _update_buttons(self, *_args: object) -> None:
        p = self.current()
        editable = not self._read_only
        self.add.setEnabled(editable and bool(self._placements))
        self.remove.setEnabled(editable and p is not None and not p.is_primary)
        self.primary.setEnabled(editable and p is not None and not p.is_primary)
        self.up.setEnabled(editable and p is not None and p.position > 0)
        self.down.setEnabled(editable and p is not None and p.position < p.measure_size - 1)

    def _move(self, step: int) -> None:
        p = self.current()
        if p is not None:
            self.move_requested.emit(p, p.position + step)

    def _add(self) -> None:
        measure = choose_measure(
            self, self._tree, {p.measure_id for p in self._placements}, "再掲を追加", "再掲する個別施策:"
        )
        if measure is not None:
            self.add_requested.emit(measure)
