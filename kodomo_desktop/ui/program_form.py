"""The program form: every field of the selected program, its 所管, placements and history.

Each edit is one undo command, pushed when the field is left or the typing pauses.
A refresh from the database only touches widgets whose value differs, so the field
being typed in keeps its cursor and any IME composition.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core import queries
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import NotFound
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.queries import PlacementInfo, PolicyTree, ProgramDetail
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import PROGRAM_STATUSES
from kodomo_desktop.ui.commit_edit import CommitTextEdit
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.division_editor import DivisionEditor
from kodomo_desktop.ui.edit_session import EditSession, Update
from kodomo_desktop.ui.elided_label import ElidedLabel
from kodomo_desktop.ui.history_view import HistoryPane
from kodomo_desktop.ui.placement_editor import PlacementEditor
from kodomo_desktop.ui.undo_commands import (
    AddPlacement,
    EditField,
    MovePlacement,
    OperationCommand,
    RemovePlacement,
    SetDivisions,
    SetPrimary,
    SetTargets,
    VersionedCommand,
)

TAB_CONTENT, TAB_PLACES, TAB_HISTORY = range(3)
NOTHING_CHOSEN = "事業を選ぶと、ここに内容が表示されます。"
# Alt+letter for each field, in the Japanese style 「名称(&N)」; none of the menu bar's letters (F E Y X V H)
MNEMONICS = {
    "name": "N",
    "alias": "A",
    "status": "K",
    "targets": "T",
    "summary": "G",
    "results": "J",
    "needs_review": "R",
    "review_notes": "M",
    "divisions": "D",
    "placements": "L",
}


def mnemonic(text: str, field: str) -> str:
    return f"{text}(&{MNEMONICS[field]})"


def labelled(text: str, field: str, buddy: QWidget) -> QLabel:
    """A field's label: Alt+its letter focuses the field, and a screen reader names the field by it."""
    label = QLabel(mnemonic(text, field))
    label.setBuddy(buddy)
    return label


def notes_from_text(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


class ProgramForm(QWidget):
    def __init__(self, session: EditSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.detail: ProgramDetail | None = None

        self.heading = QLabel()
        # one line: a word-wrapped label gives the page a height-for-width, and the scroll area then
        # makes the page as tall as the text boxes' preferred height, which scrolls at 1280×720
        self.heading.setWordWrap(False)
        self.name = QLineEdit()
        self.alias = QLineEdit()
        self.alias.setPlaceholderText("（なし）")
        self.status = QComboBox()
        self.status.addItems(PROGRAM_STATUSES)
        self.status.setToolTip("継続・新規・終了（終了した事業は冊子に載りません）")
        self.targets = [QCheckBox(label) for label in TARGETS]
        self.summary = CommitTextEdit()
        self.results = CommitTextEdit()
        self.results_label = labelled("実績", "results", self.results)
        self.previous_results = QPlainTextEdit()
        self.previous_results.setReadOnly(True)
        self.previous_results.setAccessibleName("前年度の実績")
        self.status.view().setAccessibleName(FIELD_LABELS["status"])
        self.previous_label = QLabel()
        self.needs_review = QCheckBox("要確認")
        self.review_notes = CommitTextEdit()
        self.review_notes.setPlaceholderText("確認すること（1行に1件）")
        self.divisions = DivisionEditor()
        # 所管 on the first page as one line, edited on the 所管・掲載 page
        self.divisions_line = ElidedLabel()
        self.divisions_change = QToolButton()
        self.divisions_change.setText("変更…")
        self.divisions_change.clicked.connect(lambda: self.focus_field("divisions"))
        self.placements = PlacementEditor()
        self.history = HistoryPane()

        self.name.editingFinished.connect(lambda: self._edit_line("name", self.name.text()))
        self.alias.editingFinished.connect(lambda: self._edit_line("alias", self.alias.text().strip() or None))
        self.status.activated.connect(lambda i: self._edit("status", PROGRAM_STATUSES[i]))
        for i, box in enumerate(self.targets):
            box.clicked.connect(lambda on, bit=1 << i: self._toggle_target(bit, on))
        self.summary.committed.connect(lambda text, key: self._edit("summary", text, key))
        self.results.committed.connect(lambda text, key: self._edit("results", text, key))
        self.needs_review.clicked.connect(lambda on: self._edit("needs_review", on))
        self.review_notes.committed.connect(lambda text, key: self._edit("review_notes", notes_from_text(text), key))
        self.divisions.edited.connect(self._edit_divisions)
        self.placements.add_requested.connect(self._add_placement)
        self.placements.remove_requested.connect(self._remove_placement)
        self.placements.primary_requested.connect(self._set_primary)
        self.placements.move_requested.connect(self._move_placement)
        session.commit_requested.connect(self.commit_pending)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("事業の内容")
        self.content_area = self._scrolling(self._content_page(), "内容")
        self.tabs.addTab(self.content_area, "内容")
        self.tabs.addTab(self._scrolling(self._places_page(), "所管・掲載"), "所管・掲載")
        self.tabs.addTab(self.history, "変更履歴")
        self.tabs.currentChanged.connect(lambda _i: self._load_history())
        self.empty = QLabel(NOTHING_CHOSEN)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- layout -------------------------------------------------------------------------

    @staticmethod
    def _scrolling(page: QWidget, name: str) -> QScrollArea:
        area = QScrollArea()
        area.setAccessibleName(name)
        area.setWidgetResizable(True)
        area.setWidget(page)
        return area

    def _content_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(self.heading)
        for field in ("name", "alias", "status"):
            form.addRow(labelled(FIELD_LABELS[field], field, getattr(self, field)), getattr(self, field))
        divisions = QHBoxLayout()
        divisions.addWidget(self.divisions_line, 1)
        divisions.addWidget(self.divisions_change)
        # the same letter as the 所管 tab's list: only the label of the tab shown takes it
        form.addRow(labelled("所管", "divisions", self.divisions_change), divisions)
        grid = QGridLayout()
        for i, box in enumerate(self.targets):
            grid.addWidget(box, i // 4, i % 4)
        # the targets under their label, not beside it: four abreast would make a narrow form scroll sideways
        form.addRow(labelled("対象", "targets", self.targets[0]))
        form.addRow(grid)
        form.addRow(labelled("概要", "summary", self.summary), self.summary)
        results = QGridLayout()
        results.addWidget(self.results_label, 0, 0)
        results.addWidget(self.previous_label, 0, 1)
        results.addWidget(self.results, 1, 0)
        results.addWidget(self.previous_results, 1, 1)
        form.addRow(results)
        review = QHBoxLayout()
        review.addWidget(self.needs_review)
        review.addStretch()
        form.addRow(labelled("確認", "needs_review", self.needs_review), review)
        form.addRow(labelled("確認メモ", "review_notes", self.review_notes), self.review_notes)
        height = self.fontMetrics().lineSpacing()
        # a few lines each, so that at 1280×720 the common fields show without scrolling; more room
        # goes to them when there is more
        for editor in (self.summary, self.results, self.previous_results):
            editor.setMinimumHeight(height * 4)
        self.review_notes.setMaximumHeight(height * 4)
        return page

    def _places_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(labelled("所管（冊子に載る順）", "divisions", self.divisions.list))
        layout.addWidget(self.divisions)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(labelled("掲載先（主な掲載と【再掲】）", "placements", self.placements.list))
        layout.addWidget(self.placements)
        layout.addStretch()
        return page

    # --- showing a program --------------------------------------------------------------

    def set_edition(self, fiscal_year: int | None, tree: PolicyTree, choices: list) -> None:
        """A (re)opened edition: the next show_program reads the program afresh."""
        self.detail = None
        self.placements.set_tree(tree)
        self.divisions.set_choices(choices)
        self.previous_label.setText(f"前年度の実績（{era_label(fiscal_year - 1)}）" if fiscal_year else "")
        self.results_label.setText(mnemonic(f"実績（{era_label(fiscal_year)}）" if fiscal_year else "実績", "results"))

    def set_tree(self, tree: PolicyTree) -> None:
        self.placements.set_tree(tree)

    def show_program(self, uid: str | None) -> None:
        if uid is not None and self.detail is not None and uid == self.detail.uid:
            return
        self.commit_pending()
        # typing whose write was refused (編集に戻る, a busy database) belongs to the program left
        for editor in (self.summary, self.results, self.review_notes):
            editor.discard()
        self._load(uid)

    def show_hidden(self, uid: str) -> None:
        """The chosen program is hidden by the search: nothing is shown as current, and the form says why."""
        self.show_program(None)
        self.empty.setText(f"選んでいた事業（{uid}）は検索の条件に合わないため表示していません。")

    def refresh(self, update: Update) -> None:
        if self.detail is not None and self.detail.uid in update.programs:
            self._load(self.detail.uid)

    def _load(self, uid: str | None) -> None:
        try:
            detail = queries.program_detail(self.session.db, self.session.program_id(uid)) if uid else None
        except NotFound:  # deleted meanwhile
            detail = None
        self.detail = detail
        if detail is None:
            self.empty.setText(NOTHING_CHOSEN)
            self.stack.setCurrentWidget(self.empty)
            return
        self.session.note_read({detail.uid: detail.version})
        self.stack.setCurrentWidget(self.tabs)
        self.heading.setText(f"<b>{detail.uid}</b>　{'再掲あり' if len(detail.placements) > 1 else ''}")
        self._set_line(self.name, detail.name)
        self._set_line(self.alias, detail.alias or "")
        self.status.setCurrentIndex(PROGRAM_STATUSES.index(detail.status))
        for i, box in enumerate(self.targets):
            box.setChecked(bool(detail.targets >> i & 1))
        self.summary.set_text(detail.summary)
        self.results.set_text(detail.results)
        previous = detail.previous_results
        self.previous_results.setVisible(previous is not None)
        self.previous_label.setVisible(previous is not None)
        if previous is not None:
            self.previous_results.setPlainText(previous)
        self.needs_review.setChecked(detail.needs_review)
        if notes_from_text(self.review_notes.toPlainText()) != list(detail.review_notes):
            self.review_notes.set_text("\n".join(detail.review_notes))
        self.divisions.set_pairs(detail.divisions)
        self.divisions_line.setText(format_divisions(detail.divisions) or "（なし）")
        self.placements.set_placements(detail.placements)
        self._load_history()
        self.set_read_only(self.session.read_only)

    def _load_history(self) -> None:
        # the log of a busy program is long: read it only when the tab is looked at
        if self.detail is not None and self.tabs.currentIndex() == TAB_HISTORY:
            self.history.show_history(queries.program_history(self.session.db, self.detail.uid))

    @staticmethod
    def _set_line(editor: QLineEdit, text: str) -> None:
        # a line being typed in keeps its text (another user's change arrived meanwhile)
        if editor.text() != text and not editor.isModified():
            editor.setText(text)
            editor.setCursorPosition(0)

    def set_read_only(self, read_only: bool) -> None:
        for editor in (self.name, self.alias, self.summary, self.results, self.review_notes):
            editor.setReadOnly(read_only)
        for widget in (self.status, self.needs_review, *self.targets):
            widget.setEnabled(not read_only)
        self.divisions.set_read_only(read_only)
        self.placements.set_read_only(read_only)

    def entry(self) -> QWidget | None:
        """Where F6 enters the form: its first field on the shown tab (None: no program shown)."""
        if self.stack.currentWidget() is not self.tabs:
            return None
        return self.name if self.tabs.currentIndex() == TAB_CONTENT else self.tabs.tabBar()

    def focus_field(self, field: str) -> None:
        """Show and focus the widget of a field (a validation finding points here)."""
        widgets = {
            "name": self.name,
            "alias": self.alias,
            "status": self.status,
            "targets": self.targets[0],
            "summary": self.summary,
            "results": self.results,
            "needs_review": self.needs_review,
            "review_notes": self.review_notes,
        }
        if field in ("divisions", "placement", "placements"):
            self.tabs.setCurrentIndex(TAB_PLACES)
            (self.divisions.picker if field == "divisions" else self.placements.list).setFocus()
            return
        self.tabs.setCurrentIndex(TAB_CONTENT)
        widget = widgets.get(field, self.name)
        widget.setFocus()
        self.content_area.ensureWidgetVisible(widget)

    def typing_uid(self) -> str | None:
        """The shown program while text typed in its fields is not yet handed in."""
        lines = self.name.isModified() or self.alias.isModified()
        if self.detail is None or not (
            lines or any(e.unsaved for e in (self.summary, self.results, self.review_notes))
        ):
            return None
        return self.detail.uid

    def commit_pending(self) -> None:
        """Hand in text still being typed (before undo, or before another program is shown)."""
        for editor in (self.summary, self.results, self.review_notes):
            editor.commit()
        if self.name.isModified():
            self.name.editingFinished.emit()
        if self.alias.isModified():
            self.alias.editingFinished.emit()

    # --- edits --------------------------------------------------------------------------

    def _edit_line(self, field: str, value) -> None:
        getattr(self, field).setModified(False)
        self._edit(field, value)

    def _edit(self, field: str, value, merge_key: object = None) -> None:
        detail = self.detail
        if detail is None:
            return
        old = getattr(detail, field)
        if field == "review_notes":
            old = list(old)
        if value != old:
            handed = tuple(value) if field == "review_notes" else value
            self._push(EditField(self.session, detail.uid, field, old, value, merge_key), field, {field: handed})

    def _push(self, command: OperationCommand, field: str | None = None, handed: dict[str, Any] | None = None) -> None:
        """handed: the shown program's fields as the command writes them. The write lands later (the write
        thread); an edit handed in meanwhile is based on them, not on what the form read before."""
        before = self.detail
        if before is not None and handed:
            self.detail = replace(before, **handed)
        self.session.push(command, lambda ran: self._pushed(command, field, ran, before, handed or {}))

    def _pushed(
        self, command: OperationCommand, field: str | None, ran: bool, before: ProgramDetail | None, handed: dict
    ) -> None:
        if ran:
            return
        if before is not None and self.detail is not None and self.detail.uid == before.uid:
            # not written: the next edit is based on what the program holds
            self.detail = replace(self.detail, **{name: getattr(before, name) for name in handed})
        answer = command.answer if isinstance(command, VersionedCommand) else None
        editors = {"summary": self.summary, "results": self.results, "review_notes": self.review_notes}
        editor = editors.get(field) if field is not None else None
        line = {"name": self.name, "alias": self.alias}.get(field) if field is not None else None
        if answer is Choice.BACK:
            # 編集に戻る: nothing re-read, so handing the text in again asks again
            if editor is not None:
                editor.keep_unsaved()
            if line is not None:
                line.setModified(True)
            if (widget := editor or line) is not None:
                widget.setFocus()
            return
        if editor is not None:
            if answer is Choice.THEIRS:
                editor.discard()  # their value replaces what was typed
            else:
                editor.keep_unsaved()  # refused: typed text stays to be handed in again
        # every other widget shows the stored value
        if self.detail is not None:
            self._load(self.detail.uid)

    def _toggle_target(self, bit: int, on: bool) -> None:
        if (detail := self.detail) is not None:
            old = detail.targets
            new = old | bit if on else old & ~bit
            self._push(SetTargets(self.session, {detail.uid: (old, new)}), handed={"targets": new})

    def _edit_divisions(self, pairs: tuple) -> None:
        if (detail := self.detail) is not None:
            self._push(SetDivisions(self.session, detail.uid, detail.divisions, pairs), handed={"divisions": pairs})

    def _add_placement(self, measure_id: int) -> None:
        if (detail := self.detail) is not None:
            self._push(AddPlacement(self.session, detail.uid, measure_id))

    def _remove_placement(self, placement: PlacementInfo) -> None:
        if (detail := self.detail) is not None:
            self._push(
                RemovePlacement(self.session, detail.uid, placement.measure_id, placement.position, placement.version)
            )

    def _set_primary(self, placement: PlacementInfo) -> None:
        if (detail := self.detail) is not None:
            former = next(p.measure_id for p in detail.placements if p.is_primary)
            self._push(SetPrimary(self.session, detail.uid, placement.measure_id, former, placement.version))

    def _move_placement(self, placement: PlacementInfo, position: int) -> None:
        if (detail := self.detail) is not None:
            m = placement.measure_id
            self._push(MovePlacement(self.session, detail.uid, m, placement.position, m, position, placement.version))
