"""The search box above the grid, with where it searches and how much it finds.

The scope toggle says what is searched: the tree's chosen node (この個別施策, この基本施策,
要確認の事業, この所管…) or すべての事業, whatever node is chosen; the count line gives the
hits in both (「この個別施策: 1件 / すべての事業: 32件」) beside the toggle. The grid filters on each keystroke
(the model's search is cheap); the counts, two passes over up to 10,000 programs, wait for a
pause in the typing.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QLineEdit, QRadioButton, QWidget

from kodomo_desktop.core.queries import PolicyTree, Scope
from kodomo_desktop.core.vocabulary import NODE_KIND_LABELS
from kodomo_desktop.ui.program_grid import ProgramTableModel

COUNT_DELAY_MS = 150
EVERYWHERE = "すべての事業"
SCOPE_NAMES = {"review": "要確認の事業", "department": "この所管", "division": "この所管"}


def scope_name(tree: PolicyTree, scope: Scope) -> str:
    """How the toggle names the tree's chosen scope: この個別施策, この基本施策, この所管…"""
    if scope.kind == "node" and scope.id is not None:
        return f"この{NODE_KIND_LABELS[tree.node(scope.id).kind]}"
    return SCOPE_NAMES.get(scope.kind, EVERYWHERE)


class SearchBar(QWidget):
    # the text or the toggle changed: the window re-filters (and re-lists, when the scope searched changed)
    changed = Signal()

    def __init__(self, model: ProgramTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.line = QLineEdit()
        self.line.setPlaceholderText("検索（名称・通称・概要・実績・所管・事業ID）")
        self.line.setClearButtonEnabled(True)
        self.line.setAccessibleName("検索")
        # the toggle and the counts beside it must not squeeze the box to a word
        self.line.setMinimumWidth(self.fontMetrics().horizontalAdvance("あ") * 10)
        self.here = QRadioButton("この個別施策")
        self.everywhere = QRadioButton(EVERYWHERE)
        self.here.setChecked(True)
        self.here.setToolTip("左の一覧で選んだ範囲の中だけを検索します")
        self.everywhere.setToolTip("左の一覧で何を選んでいても、年度版のすべての事業を検索します")
        self.toggle = QButtonGroup(self)
        self.toggle.addButton(self.here)
        self.toggle.addButton(self.everywhere)
        self.counts = QLabel()
        self.counts.setAccessibleName("検索の件数")
        self._here_ids: Collection[int] | None = None  # None: the chosen scope is every program
        self._timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._timer.timeout.connect(self.update_counts)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.here)
        row.addWidget(self.everywhere)
        row.addWidget(self.counts)

        self.line.textChanged.connect(self._changed)
        self.everywhere.toggled.connect(self._changed)

    def put_before(self, widget: QWidget) -> None:
        """Tab goes from the box to the toggle, then on to widget (the grid below)."""
        QWidget.setTabOrder(self.line, self.here)
        QWidget.setTabOrder(self.here, self.everywhere)
        QWidget.setTabOrder(self.everywhere, widget)

    @property
    def searching_everywhere(self) -> bool:
        """The grid lists every program of the edition: the toggle says so and there is something to find."""
        return self.everywhere.isChecked() and bool(self.line.text().strip())

    def set_scope(self, name: str, program_ids: Collection[int] | None) -> None:
        """The tree's chosen scope: its name on the toggle and its programs (None: all of them)."""
        self._here_ids = program_ids
        self.here.setText(name)
        # with every program chosen there is nothing narrower to offer: one (disabled) すべての事業 says so,
        # not two buttons of the same name
        self.here.setVisible(program_ids is not None)
        for button in (self.here, self.everywhere):
            button.setEnabled(program_ids is not None)
        self._timer.start()

    def _changed(self) -> None:
        self.changed.emit()
        self._timer.start()

    def update_counts(self) -> None:
        """The hits in the chosen scope and in the whole edition, under the box (nothing while empty)."""
        self._timer.stop()
        if not self.line.text().strip():
            self.counts.clear()
            return
        everywhere = f"{EVERYWHERE}: {self.model.hits()}件"
        if self._here_ids is None:
            self.counts.setText(everywhere)
        else:
            self.counts.setText(f"{self.here.text()}: {self.model.hits(self._here_ids)}件 / {everywhere}")
