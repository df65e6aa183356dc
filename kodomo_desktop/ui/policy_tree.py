"""The navigator: the edition selector and the tree of what the grid can list.

すべての事業, 要確認, the policy tree (基本施策 → life stage → 個別施策) and 所管別
(department → division), each with its program count. Grid rows dropped on a
個別施策 move there.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.queries import EditionInfo, PolicyTree, ProgramGroups, Scope
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.ui.program_grid import PLACEMENTS_MIME, decode_placements

SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
ALL = Scope("all")
REVIEW = Scope("review")
BY_DIVISION = "所管別"


def edition_label(edition: EditionInfo) -> str:
    return f"{era_label(edition.fiscal_year)}（{EDITION_STATUS_LABELS.get(edition.status, edition.status)}）"


def scope_title(tree: PolicyTree, groups: ProgramGroups, scope: Scope) -> str:
    """How the grid's heading names a scope."""
    if scope.kind == "all":
        return "すべての事業"
    if scope.kind == "review":
        return "要確認の事業"
    if scope.kind == "node" and scope.id is not None:
        node = tree.node(scope.id)
        return tree.path_label(scope.id) if node.kind == "measure" else f"{node.heading} {node.title}".strip()
    for department in groups.departments:
        if scope.kind == "department" and department.id == scope.id:
            return f"所管: {department.name}"
        for division in department.divisions:
            if scope.kind == "division" and division.id == scope.id:
                return f"所管: {department.name} {division.name or ''}".rstrip()
    return ""


class NavigatorModel(QStandardItemModel):
    # placements dropped on a 個別施策: [(uid, measure id, position)], the measure's id
    placements_dropped = Signal(list, int)

    def mimeTypes(self) -> list[str]:
        return [PLACEMENTS_MIME]

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return data.hasFormat(PLACEMENTS_MIME) and row == -1 and parent.data(KIND_ROLE) == "measure"

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        self.placements_dropped.emit(decode_placements(data), parent.data(SCOPE_ROLE).id)
        return False  # the grid reloads from the database after the move

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class Navigator(QWidget):
    edition_chosen = Signal(int)  # fiscal year
    scope_chosen = Signal(object)  # Scope

    def __init__(self, parent=None):
        super().__init__(parent)
        self.editions = QComboBox()
        self.editions.setToolTip("表示・編集する年度版")
        for part in (self.editions, self.editions.view()):
            part.setAccessibleName("表示する年度版")
        self.editions.activated.connect(lambda i: self.edition_chosen.emit(self.editions.itemData(i)))
        self.model = NavigatorModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("施策と所管の一覧")
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.view.setDropIndicatorShown(True)
        # the columns exist from the start (rows are replaced, never the columns), so the
        # resize modes, which only apply to existing sections, hold
        self.model.setColumnCount(2)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("年度版")
        layout.addWidget(title)
        layout.addWidget(self.editions)
        layout.addWidget(self.view)
        self._quiet = False

    # --- editions -----------------------------------------------------------------------

    def set_editions(self, editions: list[EditionInfo], current_year: int | None) -> None:
        self.editions.clear()
        for edition in reversed(editions):  # newest first
            self.editions.addItem(edition_label(edition), edition.fiscal_year)
        if current_year is not None:
            self.editions.setCurrentIndex(self.editions.findData(current_year))

    # --- the tree -----------------------------------------------------------------------

    def set_contents(self, tree: PolicyTree, groups: ProgramGroups, scope: Scope | None) -> Scope:
        """Rebuild the tree with fresh counts, keeping what was expanded and the chosen scope.

        Returns the scope now chosen: すべての事業 when the old one is gone.
        """
        expanded = self._expanded_scopes()
        self._quiet = True
        self.model.removeRows(0, self.model.rowCount())
        root = self.model.invisibleRootItem()
        root.appendRow(self._row("すべての事業", groups.programs, ALL, "all"))
        root.appendRow(self._row("要確認", groups.needs_review, REVIEW, "review"))
        items: dict[int, QStandardItem] = {}
        for node in tree.nodes:
            # a measure shows its number as a table of contents does; the tooltip names it in full
            text = f"{node.number} {node.title}" if node.kind == "measure" else f"{node.heading} {node.title}".strip()
            row = self._row(text, node.listings, Scope("node", node.id), node.kind)
            row[0].setToolTip(tree.path_label(node.id) if node.kind == "measure" else text)
            (items[node.parent_id] if node.parent_id is not None else root).appendRow(row)
            items[node.id] = row[0]
        by_division = self._row(BY_DIVISION, None, None, "group")
        root.appendRow(by_division)
        for department in groups.departments:
            dept_row = self._row(department.name, department.programs, Scope("department", department.id), "department")
            by_division[0].appendRow(dept_row)
            for division in department.divisions:
                if division.name is not None:
                    dept_row[0].appendRow(
                        self._row(division.name, division.programs, Scope("division", division.id), "division")
                    )
        self._restore_expanded(expanded)
        self.select_scope(scope or ALL)
        self._quiet = False
        return self.current_scope()

    def _row(self, text: str, count: int | None, scope: Scope | None, kind: str) -> list[QStandardItem]:
        title = QStandardItem(text)
        title.setData(scope, SCOPE_ROLE)
        title.setData(kind, KIND_ROLE)
        title.setDropEnabled(kind == "measure")
        title.setSelectable(scope is not None)
        number = QStandardItem("" if count is None else str(count))
        number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        number.setSelectable(scope is not None)
        number.setDropEnabled(False)
        number.setData(scope, SCOPE_ROLE)
        return [title, number]

    def _walk(self, parent: QModelIndex = QModelIndex()):
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            yield index
            yield from self._walk(index)

    def _expanded_scopes(self) -> set | None:
        if self.model.rowCount() == 0:
            return None  # first fill: the default
        return {self._key(i) for i in self._walk() if self.view.isExpanded(i)}

    @staticmethod
    def _key(index: QModelIndex):
        return index.data(SCOPE_ROLE) or index.data(Qt.ItemDataRole.DisplayRole)

    def _restore_expanded(self, expanded: set | None) -> None:
        for index in self._walk():
            # by default policies and stages open, 所管別 closed: the tree as the booklet is laid out
            open_ = index.data(KIND_ROLE) in ("policy", "stage") if expanded is None else self._key(index) in expanded
            self.view.setExpanded(index, open_)

    def select_scope(self, scope: Scope) -> None:
        for index in self._walk():
            if index.data(SCOPE_ROLE) == scope:
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)
                return
        self.view.setCurrentIndex(self.model.index(0, 0))  # the scope is gone: すべての事業

    def current_scope(self) -> Scope:
        return self.view.currentIndex().data(SCOPE_ROLE) or ALL

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        scope = current.data(SCOPE_ROLE)
        if scope is not None and not self._quiet:
            self.scope_chosen.emit(scope)
