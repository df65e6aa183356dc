"""Editing the master list of departments and divisions: add, rename, reorder, deactivate, merge.

Each button hands one master-list operation to the window's write thread (`submit`, the
edit session's) and reloads the tree once it has run; `changed` tells the window that
printed 所管 may differ, so it refreshes its views and findings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from kodomo_desktop.core.changes import OpResult
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import DepartmentEntry, DivisionEntry
from kodomo_desktop.core.operations import master
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.messages import confirm, show_error

COLUMNS = ("部・課", "掲載事業", "状態")
DEPARTMENT_ITSELF = "（部として）"
INACTIVE_COLOUR = "#808080"
Entry = tuple[str, int]  # (kind, id): "department" | "division"
ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 1  # the entry's own flag (a division may sit under a stopped department)
# a write: work, done(value), failed(exception), run in the window's write thread (EditSession.submit)
Submit = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], None]


class MasterListDialog(QDialog):
    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None, *, submit: Submit):
        super().__init__(parent)
        self.db = db
        self._write = submit
        self.setWindowTitle("所管の一覧")
        fit_to_screen(self, 560, 620)
        self.tree = named(QTreeWidget(), "所管の一覧")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.buttons = {
            "add_department": QPushButton("部を追加…"),
            "add_division": QPushButton("課を追加…"),
            "rename": QPushButton("名前を変更…"),
            "up": QPushButton("上へ"),
            "down": QPushButton("下へ"),
            "active": QPushButton("使用停止"),
            "merge": QPushButton("統合…"),
        }
        self.buttons["add_department"].clicked.connect(lambda: self.add_department())
        self.buttons["add_division"].clicked.connect(lambda: self.add_division())
        self.buttons["rename"].clicked.connect(lambda: self.rename_selected())
        self.buttons["up"].clicked.connect(lambda: self.move_selected(-1))
        self.buttons["down"].clicked.connect(lambda: self.move_selected(1))
        self.buttons["active"].clicked.connect(self.toggle_active_selected)
        self.buttons["merge"].clicked.connect(lambda: self.merge_selected())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QGridLayout(self)
        layout.addWidget(self.tree, 0, 0, len(self.buttons) + 1, 1)
        for row, button in enumerate(self.buttons.values()):
            layout.addWidget(button, row, 1)
        layout.setRowStretch(len(self.buttons), 1)
        layout.addWidget(close, len(self.buttons) + 1, 0, 1, 2)
        self.entries: list[DepartmentEntry] = []
        self.reload()

    # --- reading ---------------------------------------------------------------------------

    def reload(self, select: Entry | None = None) -> None:
        select = select or self.selected()
        self.entries = master.master_list(self.db)
        self.tree.clear()
        found = None
        for department in self.entries:
            programs = sum(v.programs for v in department.divisions)
            top = self._item(department.name, programs, department.active, True, ("department", department.id))
            for division in department.divisions:
                child = self._item(
                    division.name or DEPARTMENT_ITSELF,
                    division.programs,
                    division.active,
                    department.active,
                    ("division", division.id),
                )
                top.addChild(child)
                found = child if select == ("division", division.id) else found
            self.tree.addTopLevelItem(top)
            found = top if select == ("department", department.id) else found
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        if found is not None:
            self.tree.setCurrentItem(found)
        self._update_buttons()

    def _item(self, name: str, programs: int, active: bool, parent_active: bool, entry: Entry) -> QTreeWidgetItem:
        state = "使用停止" if not active else "" if parent_active else "部が使用停止"
        item = QTreeWidgetItem([name, str(programs), state])
        item.setData(0, Qt.ItemDataRole.UserRole, entry)
        item.setData(0, ACTIVE_ROLE, active)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        if not (active and parent_active):
            for column in range(len(COLUMNS)):
                item.setForeground(column, QBrush(QColor(INACTIVE_COLOUR)))
        return item

    def selected(self) -> Entry | None:
        item = self.tree.currentItem()
        return tuple(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def _find(self, entry: Entry) -> tuple[DepartmentEntry, DivisionEntry | None] | None:
        """The department an entry is or belongs to, and the division when it is one."""
        kind, entry_id = entry
        for department in self.entries:
            if kind == "department" and department.id == entry_id:
                return department, None
            for division in department.divisions:
                if kind == "division" and division.id == entry_id:
                    return department, division
        return None

    def label(self, entry: Entry) -> str:
        found = self._find(entry)
        if found is None:
            return ""
        department, division = found
        return department.name if division is None else f"{department.name} {division.name or DEPARTMENT_ITSELF}"

    # --- the operations --------------------------------------------------------------------

    def version(self, entry: Entry) -> int | None:
        """The entry's version as this dialog read it: a change is based on it (someone else's since is refused)."""
        found = self._find(entry)
        if found is None:
            return None
        department, division = found
        return department.version if division is None else division.version

    def _submit(
        self,
        work: Callable[[], OpResult],
        select: Entry | None = None,
        created: str | None = None,
        then: Callable[[OpResult], None] | None = None,
    ) -> None:
        """Run one master-list operation in the write thread; an expected failure (a conflict too) is shown
        and changes nothing. Once it has run the tree is read again and then(result) is called.

        created: the kind of entry the operation adds (its id is the result's value), to select it.
        """

        def done(result: OpResult) -> None:
            self.reload((created, result.value) if created else select)
            self.changed.emit()
            if then is not None:
                then(result)

        self._write(work, done, lambda exc: show_error(self, exc, "所管の一覧"))

    def _ask(self, title: str, prompt: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, prompt, text=text)
        return value if ok else None

    def add_department(self, name: str | None = None) -> None:
        name = name if name is not None else self._ask("部を追加", "部の名前:")
        if name is not None:
            db = self.db
            self._submit(lambda: master.add_department(db, name), created="department")

    def add_division(self, name: str | None = None) -> None:
        entry = self.selected()
        found = self._find(entry) if entry is not None else None
        if found is None:
            return
        department, _ = found
        if name is None:
            name = self._ask("課を追加", f"「{department.name}」に加える課・室・センターの名前:")
        if name is not None:
            db, department_id = self.db, department.id
            self._submit(lambda: master.add_division(db, department_id, name), created="division")

    def rename_selected(self, name: str | None = None) -> None:
        entry = self.selected()
        if entry is None:
            return
        if name is None:
            found = self._find(entry)
            if found is None:
                return
            department, division = found
            current = department.name if division is None else division.name
            name = self._ask(
                "名前を変更", "新しい名前（この名前で印刷されます。すべての年度版に反映されます）:", current or ""
            )
        if name is not None:
            db, version = self.db, self.version(entry)
            self._submit(lambda: master.rename_entry(db, *entry, name, expected_version=version), select=entry)

    def move_selected(self, delta: int) -> None:
        item = self.tree.currentItem()
        entry = self.selected()
        if item is None or entry is None:
            return
        parent = item.parent()
        index = parent.indexOfChild(item) if parent else self.tree.indexOfTopLevelItem(item)
        db, version, position = self.db, self.version(entry), max(0, index + delta)
        self._submit(lambda: master.move_entry(db, *entry, position, expected_version=version), select=entry)

    def toggle_active_selected(self) -> None:
        item = self.tree.currentItem()
        entry = self.selected()
        if item is None or entry is None:
            return
        activate = not item.data(0, ACTIVE_ROLE)

        def stopped(result: OpResult) -> None:
            if not activate and result.value:
                QMessageBox.information(
                    self,
                    "所管の一覧",
                    f"「{self.label(entry)}」を使用停止にしました。作成中の年度版で{result.value}件の事業がまだ所管にしています"
                    "（検証でエラーとして表示されます）。統合すると、それらの事業も移せます。",
                )

        db, version = self.db, self.version(entry)
        self._submit(
            lambda: master.set_entry_active(db, *entry, activate, expected_version=version), select=entry, then=stopped
        )

    def merge_candidates(self, entry: Entry) -> list[Entry]:
        """Active entries of the same kind the selected one can be merged into."""
        kind, entry_id = entry
        if kind == "department":
            return [("department", d.id) for d in self.entries if d.active and d.id != entry_id]
        return [
            ("division", v.id) for d in self.entries if d.active for v in d.divisions if v.active and v.id != entry_id
        ]

    def merge_selected(self, target: Entry | None = None) -> None:
        """Merge the selected entry into target; without one given, ask which and confirm."""
        entry = self.selected()
        if entry is None:
            return
        if target is None:
            candidates = self.merge_candidates(entry)
            labels = [self.label(c) for c in candidates]
            prompt = f"「{self.label(entry)}」を次の項目に統合します（作成中の年度版の事業はすべて移ります）:"
            choice, ok = QInputDialog.getItem(self, "統合", prompt, labels, 0, False)
            if not ok or choice not in labels:
                return
            target = candidates[labels.index(choice)]
            if not confirm(
                self,
                "統合",
                f"「{self.label(entry)}」を「{self.label(target)}」に統合します。\n"
                "公開済みの年度版は変わりません。よろしいですか？",
            ):
                return
        read = {e[1]: v for e in (entry, target) if (v := self.version(e)) is not None}
        db, into = self.db, target[1]
        self._submit(lambda: master.merge_entries(db, *entry, into, expected_versions=read), select=target)

    def _update_buttons(self, *_args: object) -> None:
        item = self.tree.currentItem()
        entry = self.selected()
        for name in ("add_division", "up", "down", "active", "merge"):
            self.buttons[name].setEnabled(entry is not None)
        found = self._find(entry) if entry is not None else None
        # the department-itself entry has no name of its own
        nameless = found is not None and found[1] is not None and found[1].name is None
        self.buttons["rename"].setEnabled(found is not None and not nameless)
        self.buttons["active"].setText("使用再開" if item is not None and not item.data(0, ACTIVE_ROLE) else "使用停止")
