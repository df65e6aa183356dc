"""The main window: navigator | program grid | program form, menus, toolbar, status bar.

It owns the loading of an edition and spreads what each edit changed (EditSession.changed)
to the views: the grid repaints the touched programs, the lists and counts are re-read
only when placements, the review flag or 所管 changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core import queries
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.queries import EditionInfo, Listing, PolicyTree, ProgramGroups, Scope
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.ui import (
    booklet_action,
    edition_actions,
    excel_actions,
    excel_list_action,
    features,
    guide_dialog,
    json_import,
    open_database,
    program_actions,
    tree_state,
    web_action,
)
from kodomo_desktop.ui.actions import WindowActions
from kodomo_desktop.ui.dialog_size import available_area, room_for
from kodomo_desktop.ui.edit_session import EditSession, Update
from kodomo_desktop.ui.edition_read import EditionRead, choose_year, read_edition
from kodomo_desktop.ui.elided_label import ElidedLabel
from kodomo_desktop.ui.event_turns import next_turn
from kodomo_desktop.ui.features import Feature, FeatureMissing
from kodomo_desktop.ui.grid_view import ProgramGridView
from kodomo_desktop.ui.live_refresh import LiveRefresh
from kodomo_desktop.ui.op_runner import WAITING
from kodomo_desktop.ui.pane_cycle import Pane, PaneCycle
from kodomo_desktop.ui.policy_tree import ALL, Navigator, scope_title
from kodomo_desktop.ui.presence_status import PresenceStatus
from kodomo_desktop.ui.program_form import ProgramForm
from kodomo_desktop.ui.program_grid import COL_NAME, COL_NO, ProgramTableModel
from kodomo_desktop.ui.search_bar import SearchBar, scope_name
from kodomo_desktop.ui.settings import (
    FINDINGS_FOLDED,
    GRID_COLUMNS,
    GRID_HEADER,
    LAST_EDITION,
    MAIN_SPLITTER,
    TREE_SCOPE,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    Settings,
)
from kodomo_desktop.ui.undo_commands import ReturnsImport
from kodomo_desktop.ui.undo_history import history_dock
from kodomo_desktop.ui.undo_keys import UndoKeys, name_steps

FINDINGS_DELAY_MS = 300
PRIME_SLICE = 500  # search keys computed per turn of the event loop: about 10 ms


class MainWindow(QMainWindow):
    edition_shown = Signal()  # an edition's rows are in the grid (or there is no edition)

    def __init__(
        self, db: Database, settings: Settings, parent: QWidget | None = None, first: EditionRead | None = None
    ):
        """The window on db, its first edition read here, or given as first (read elsewhere: window_start)."""
        super().__init__(parent)
        self.db = db
        self.settings = settings
        settings.first_folder = db.path.parent if db.path is not None else None
        self.session = EditSession(db, self)
        self.editions: list[EditionInfo] = []
        self.edition: EditionInfo | None = None
        self.tree = PolicyTree(())
        self.groups = ProgramGroups(0, 0, ())
        self.scope = ALL
        self.listed = ALL  # what the grid lists: the scope, or all programs while searching them all
        self._hidden_uid: str | None = None  # the program the search hides, selected again when shown
        self._priming: object | None = None  # the read whose search keys are being computed
        self._showing: object | None = None  # the read shown last (start-up shows its own in steps)
        self._columns_unset = False  # the grid's columns to be set for its width once shown
        self.findings = None  # the validation panel, when that feature is installed
        # programs edited since the panel last re-checked: validation of a large edition
        # takes longer than an edit, so a burst of edits is checked once, after it
        self._unchecked: set[str] = set()
        self._check_timer = QTimer(self, singleShot=True, interval=FINDINGS_DELAY_MS)
        self._check_timer.timeout.connect(self._refresh_findings)

        self.navigator = Navigator()
        self.grid_model = ProgramTableModel(self)
        self.grid = ProgramGridView(self.session, self.grid_model)
        self.grid.setAccessibleName("事業の一覧（表）")
        self.search_bar = SearchBar(self.grid_model)
        self.search = self.search_bar.line
        self.scope_label = ElidedLabel()
        self.form = ProgramForm(self.session)

        grid_panel = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.scope_label, 1)
        top.addWidget(self.search_bar, 1)
        panel_layout = QVBoxLayout(grid_panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addLayout(top)
        panel_layout.addWidget(self.grid)
        self.search_bar.put_before(self.grid)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(grid_panel)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.act = WindowActions(self)
        self._connect_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        self.navigator.edition_chosen.connect(self.open_edition)
        self.navigator.scope_chosen.connect(self._show_scope)
        self.navigator.model.placements_dropped.connect(
            lambda items, measure_id: program_actions.move_to_measure(self, items, measure_id)
        )
        self.search_bar.changed.connect(self._filter)
        self.grid.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.grid.selectionModel().selectionChanged.connect(self._update_actions)
        self.session.changed.connect(self._on_changed)
        self.session.failed.connect(self._show_failure)
        self.session.runner.waiting.connect(self._show_waiting)
        # after the undo step that replaced the edition has finished
        self.session.edition_replaced.connect(lambda year: QTimer.singleShot(0, lambda: self.reload_everything(year)))

        self._restore_layout()
        if first is None:
            self.reload_everything(self.settings.get(LAST_EDITION) or None)
        # others' commits appear by themselves; the status bar names who else has the edition open
        self.live = LiveRefresh(self, first.watcher if first else None)
        self.presence = PresenceStatus(self, beat_now=first is None)
        if first is None:
            # the panel is what validates (and so loads the rules): docked after the window is up
            QTimer.singleShot(0, self._attach_findings)
        else:  # read off the GUI thread: shown a step per turn, once the empty window is up
            self._step(self._show_first(first))

    # --- actions ------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        act, connect = self.act, self.act.connect
        connect(act.undo, self.session.undo)
        connect(act.redo, self.session.redo)
        group = self.session.undo_group
        group.canUndoChanged.connect(act.undo.setEnabled)
        group.canRedoChanged.connect(act.redo.setEnabled)
        name_steps(group, act.undo, act.redo)
        UndoKeys(self, [(act.undo, self.session.undo), (act.redo, self.session.redo)])
        self.history_dock = history_dock(self, self.session, act.history)
        self.panes = PaneCycle(
            self,
            [
                Pane("tree", lambda: self.navigator, lambda: self.navigator.view),
                Pane("grid", lambda: self.grid, lambda: self.grid),
                Pane("form", lambda: self.form, self.form.entry),
                Pane("findings", lambda: self.findings, lambda: self.findings and self.findings.entry()),
            ],
            before={self.search: "grid"},
        )
        connect(act.next_pane, self.panes.next)
        connect(act.previous_pane, self.panes.previous)
        act.undo.setEnabled(False)
        act.redo.setEnabled(False)
        connect(act.copy, self.grid.copy)
        connect(act.paste, self.grid.paste)
        connect(act.find, self._focus_search)
        connect(act.add, lambda: program_actions.add_program(self))
        connect(act.delete, lambda: program_actions.delete_programs(self))
        connect(act.up, lambda: self.grid.move_selected(-1))
        connect(act.down, lambda: self.grid.move_selected(1))
        connect(act.move, lambda: program_actions.choose_and_move(self))
        connect(act.new_edition, lambda: edition_actions.new_edition_from_previous(self))
        connect(act.issuer, lambda: edition_actions.edit_issuer(self))
        connect(act.publish, lambda: edition_actions.publish(self))
        connect(act.unpublish, lambda: edition_actions.unpublish(self))
        connect(act.delete_edition, lambda: edition_actions.delete_edition(self))
        connect(act.import_json, lambda: json_import.import_json(self))
        connect(act.restore, self._restore_from_backup)
        connect(act.compare, lambda: self._run_dialog(features.COMPARE_DIALOG, self.db))
        connect(act.booklet, lambda: booklet_action.make_booklet(self))
        connect(act.proof, lambda: booklet_action.make_booklet(self, proof=True))
        connect(act.web, lambda: web_action.write_web(self))
        connect(act.templates, lambda: excel_actions.write_templates(self))
        connect(act.import_returns, self._import_returns)
        connect(act.returns_overview, lambda: self._run_dialog(features.RETURNS_OVERVIEW, self.db, self.fiscal_year))
        connect(act.coverage, lambda: self._run_dialog(features.COVERAGE_DIALOG, self.db, self.open_year()))
        connect(act.master, self._edit_master_list)
        connect(act.about, lambda: self._run_dialog(features.ABOUT_DIALOG))
        connect(act.quit, self.close)
        connect(act.open_database, lambda: open_database.choose_and_open(self))
        act.recent.aboutToShow.connect(lambda: open_database.fill_recent_menu(self, act.recent))
        connect(act.preview, lambda: self._run_dialog(features.BOOKLET_PREVIEW, self.db, self.open_year()))
        connect(act.excel_list, lambda: excel_list_action.write_list(self))
        connect(act.guide, lambda: guide_dialog.show_guide(self))

    def _build_menus(self) -> None:
        for title, actions in self.act.menus.items():
            menu = self.menuBar().addMenu(title)
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)
        self.menuBar().setNativeMenuBar(False)
        for action in self.act.grid_context_menu:
            self.grid.addAction(action)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_toolbar(self) -> None:
        bar = QToolBar("ツールバー")
        bar.setObjectName("main-toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setMovable(False)
        for action in self.act.toolbar:
            bar.addSeparator() if action is None else bar.addAction(action)
        self.addToolBar(bar)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.edition_label = QLabel()
        self.path_label = QLabel(self.db.display_name)
        self.path_label.setToolTip(f"データベース: {self.db.display_name}")
        for label in (self.count_label, self.edition_label, self.path_label):
            self.statusBar().addPermanentWidget(label)

    def _run_dialog(self, feature: Feature, *args: object, **options: object) -> bool:
        """Open another part's dialog; True when it was accepted."""
        dialog = feature.load()(*args, self, **options)
        return bool(dialog.exec() == QDialog.DialogCode.Accepted)

    def _import_returns(self) -> None:
        self.form.commit_pending()
        dialog = features.RETURNS_DIALOG.load()(self.db, self.fiscal_year, self, settings=self.settings)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changes = [c for report in dialog.reports for c in report.result.changes]
        if changes:  # every apply of the dialog, one undo step above the earlier edits
            self.session.push(ReturnsImport(self.session, changes, sum(r.applied for r in dialog.reports)))
        self.reload_everything(self.fiscal_year)

    def _restore_from_backup(self) -> None:
        self.form.commit_pending()  # into the current state, which the restore backs up first
        with self.live.paused():
            restored = self._run_dialog(features.RESTORE_DIALOG, self.db)
        if restored:
            # the undo stack's ids and old values belong to the replaced database
            self.session.forget_history()
            self.reload_everything(self.fiscal_year)

    def _edit_master_list(self) -> None:
        self._run_dialog(features.MASTER_DIALOG, self.db, submit=self.session.submit)
        # once the dialog's writes have landed
        self.session.submit(lambda: None, lambda _none: self.reload_everything(self.fiscal_year))

    def _update_actions(self, *_args: object) -> None:
        act = self.act
        editable = not self.session.read_only
        has_edition = self.edition is not None
        rows = self.grid.selected_rows()
        placements = self.grid.selected_placements(rows)
        act.set_enabled(
            {
                act.copy: bool(rows),
                act.paste: editable,
                act.add: editable and program_actions.new_program_place(self) is not None,
                act.delete: editable and bool(rows),
                act.up: self.grid.can_reorder() and bool(placements),
                act.down: self.grid.can_reorder() and bool(placements),
                act.move: editable and bool(placements),
                act.new_edition: has_edition,
                act.issuer: has_edition and editable,
                act.publish: has_edition and editable,
                act.unpublish: has_edition and not editable,
                act.delete_edition: has_edition,
                act.compare: len(self.editions) > 1,
                act.booklet: has_edition,
                act.proof: has_edition,
                act.web: has_edition,
                act.preview: has_edition,
                act.excel_list: has_edition,
                act.templates: has_edition,
                act.import_returns: has_edition and editable,
                act.returns_overview: has_edition,
                act.coverage: has_edition,
                act.findings: self.findings is not None,
            }
        )

    # --- loading ------------------------------------------------------------------------

    @property
    def fiscal_year(self) -> int | None:
        return self.edition.fiscal_year if self.edition else None

    def open_year(self) -> int:
        """The open edition's year, for actions enabled only while one is open."""
        assert self.edition is not None
        return self.edition.fiscal_year

    def reload_everything(self, fiscal_year: int | None = None) -> None:
        """Re-read the editions and open one (the given year, else the open one, else the newest)."""
        self.editions = queries.list_editions(self.db)
        self.open_edition(choose_year(self.editions, fiscal_year, self.fiscal_year))

    def open_edition(self, fiscal_year: int | None) -> None:
        self.form.commit_pending()  # into the edition it was typed in, before anything switches
        # the same node of another year's tree stays chosen (ids differ between editions); before
        # any edition was shown, the node chosen when the window last closed
        if self.edition is None:
            scope_key = self.settings.get(TREE_SCOPE)
        else:
            scope_key = tree_state.scope_key(self.tree, self.groups, self.scope)
        self.show_read(read_edition(self.db, self.editions, fiscal_year, scope_key))

    def _step(self, steps: Iterator[object]) -> None:
        """Run steps one per turn of the event loop."""
        if next(steps, None) is not None:
            next_turn(self, lambda: self._step(steps))

    def _show_first(self, read: EditionRead) -> Iterator[object]:
        """The edition read at start-up, shown in steps, each short enough (with the paint after it) not to
        freeze the window: the window built, shown (its first paint is of empty views), filled (the grid
        painted a turn later), then the first program in the form, then searchable, then validating. The
        validation's worker takes turns with the GUI thread for the interpreter, so it starts last, once
        the panel has been painted."""
        while not self.isVisible():
            yield "the window built, then shown"
        yield "the window's first paint"
        if self._showing is None:  # else another read was shown meanwhile (a live refresh)
            # the grid, the most costly to paint, is painted on a turn of its own
            self.grid.setUpdatesEnabled(False)
            self.show_read(read, select=False)
            # the grid's scroll bar now, not on the next turn, which would then paint the whole grid again
            self.grid.executeDelayedItemsLayout()
            yield "the rest of the window painted"
            self.grid.setUpdatesEnabled(True)
        yield "the grid's first paint"
        if not self.grid.currentIndex().isValid():  # else the user has chosen a row meanwhile
            self.select([], fallback_row=0)
        while self._priming is read:  # the search keys, a slice per turn
            yield "priming"
        panel = self._attach_findings(check=False)
        if panel is not None:
            yield "the window laid out with the panel"
            yield "the panel's first paint"
            if self.fiscal_year is not None:
                panel.set_edition(self.fiscal_year)
        # the first heartbeat, for the edition shown: its thread, like the validation's, takes turns with the
        # GUI thread for the interpreter, so it waits until the window is all there
        self.presence.beat()

    def show_read(self, read: EditionRead, select: bool = True) -> None:
        """Show an edition read by read_edition: the views are filled from it, nothing more is read
        (select: the program current before, else the first, is selected and shown in the form)."""
        self.form.commit_pending()
        self._showing = read
        uid = self._current_uid()  # uids are stable across editions: the program stays selected
        self.editions, self.edition = read.editions, read.edition
        fiscal_year = self.fiscal_year
        self.session.open_edition(self.edition)
        self.navigator.set_editions(self.editions, fiscal_year)
        self.tree, self.groups = read.tree, read.groups
        self.session.note_read({r.uid: r.version for r in read.rows})
        self.grid_model.set_programs(read.rows)
        if self.edition is not None:
            self._priming = read
            ids = [r.id for r in read.rows]
            next_turn(self, lambda: self._prime_search(ids, read))
            self.settings.set(LAST_EDITION, fiscal_year)
        self.grid_model.read_only = self.session.read_only
        self.form.set_edition(fiscal_year, self.tree, read.divisions)
        scope = self.navigator.set_contents(self.tree, self.groups, read.scope)
        self._show_scope(scope, uid, read.listings if scope == read.scope else None, select)
        self.form.set_read_only(self.session.read_only)
        if self.findings is not None and fiscal_year is not None:
            self._unchecked.clear()
            self.findings.set_edition(fiscal_year)
        self._update_title()
        self.edition_shown.emit()

    def _prime_search(self, ids: list[int], read: EditionRead) -> None:
        """The programs' search keys, a slice per turn, so that the first keystroke is as quick as the rest."""
        if self._priming is not read:  # another edition, or an edit changed the programs meanwhile
            return
        self.grid_model.hits(ids[:PRIME_SLICE])  # counting the hits computes their keys
        if rest := ids[PRIME_SLICE:]:
            next_turn(self, lambda: self._prime_search(rest, read))
        else:
            self._priming = None

    def _show_scope(
        self, scope: Scope, uid: str | None = None, here: list[Listing] | None = None, select: bool = True
    ) -> None:
        """List the scope (its listings given when read already), the program uid (else the first) selected."""
        uid = uid or self._current_uid()
        self.scope = scope
        self._hidden_uid = None  # another list: what was hidden in the last one is not brought back
        if self.edition is None:
            self.grid_model.set_listings([], False)
            self.scope_label.setText("年度版がありません")
        else:
            self._read_scope(here)
        if select:
            self.select([(uid, None)] if uid else [], fallback_row=0)
        self._update_status()

    def _read_scope(self, here: list[Listing] | None = None) -> None:
        """Read the tree scope's rows: the search counts its programs, the grid lists them (or all)."""
        assert self.edition is not None
        if here is None:
            here = queries.listings(self.db, self.edition.id, self.scope, self.tree)
        ids = None if self.scope == ALL else {item.program_id for item in here}
        self.search_bar.set_scope(scope_name(self.tree, self.scope), ids)
        self._list(here)

    def _list(self, here: list | None = None) -> None:
        """Fill the grid with the scope searched: the tree's (its listings given when read already) or all."""
        assert self.edition is not None
        self.listed = self.listed_scope()
        if here is None or self.listed != self.scope:
            here = queries.listings(self.db, self.edition.id, self.listed, self.tree)
        self.grid_model.set_listings(here, self.in_measure())
        title = scope_title(self.tree, self.groups, self.listed)
        self.scope_label.setText(f"{title}から検索" if self.listed != self.scope else title)

    def listed_scope(self) -> Scope:
        """What the grid lists: the tree's scope, or every program while searching すべての事業."""
        return ALL if self.search_bar.searching_everywhere else self.scope

    def in_measure(self) -> bool:
        scope = self.listed_scope()
        return scope.kind == "node" and scope.id is not None and self.tree.node(scope.id).kind == "measure"

    # --- spreading changes --------------------------------------------------------------

    def _on_changed(self, update: Update) -> None:
        assert self.edition is not None  # edits are made in the open edition
        edition_id = self.edition.id
        self._priming = None  # the keys left are computed on the first search
        uid = self._current_uid()
        selected: list[tuple[str, int | None]] = [
            (uid, measure) for uid, measure, _ in self.grid.selected_placements()
        ] or ([(uid, None)] if uid else [])
        current_row = self.grid.currentIndex().row()
        rows = queries.program_rows(self.db, edition_id, update.programs)
        self.session.note_read({r.uid: r.version for r in rows})
        self.grid_model.update_programs(update.programs, rows)
        if update.structure:
            self.tree = queries.policy_tree(self.db, edition_id)
            self.form.set_tree(self.tree)
            self._read_scope()
            self.select(selected, fallback_row=current_row)
        if update.groups:
            self.groups = queries.program_groups(self.db, edition_id)
            scope = self.navigator.set_contents(self.tree, self.groups, self.scope)
            if scope != self.scope:
                self._show_scope(scope)
        self.form.refresh(update)
        self._unchecked |= update.programs
        self._check_timer.start()
        self._update_status()

    def _show_waiting(self) -> None:
        # shown until the write lands (or the wait could be over at the latest)
        self.statusBar().showMessage(WAITING, int(self.db.busy_timeout * 1000))
        self.session.runner.idle_changed.connect(self._waiting_over, Qt.ConnectionType.SingleShotConnection)

    def _waiting_over(self, idle: bool) -> None:
        if idle and self.statusBar().currentMessage() == WAITING:
            self.statusBar().clearMessage()

    def _show_failure(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)
        # after the current event: the edit that failed may have come from a focus change,
        # which a modal box would otherwise re-enter
        QTimer.singleShot(0, lambda: QMessageBox.warning(self, "変更できませんでした", text))

    # --- selection ----------------------------------------------------------------------

    def _current_uid(self) -> str | None:
        index = self.grid.currentIndex()
        return self.grid_model.program(index.row()).uid if index.isValid() else None

    def select(self, keys: Sequence[tuple[str, int | None]], fallback_row: int = -1) -> None:
        """Select the rows of (uid, measure id or None for any) keys; the first becomes current."""
        model = self.grid_model
        rows = [
            r
            for uid, measure in keys
            for r in model.rows_of(uid)
            if measure is None or model.listing(r).measure_id == measure
        ]
        if not rows and model.rowCount() and fallback_row >= 0:
            rows = [min(fallback_row, model.rowCount() - 1)]
        if not rows:
            self.grid.selectionModel().clear()
            self.form.show_program(None)
            return
        self.grid.select_row(rows[0], max(self.grid.currentIndex().column(), COL_NAME))
        selection = QItemSelection()
        for r in rows[1:]:
            selection.select(model.index(r, 0), model.index(r, model.columnCount() - 1))
        self.grid.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.form.show_program(self.grid_model.program(current.row()).uid)
            measure = self.grid_model.listing(current.row()).measure_id
            if measure is not None:
                self.form.placements.select_measure(measure)
        else:
            self.form.show_program(None)
        self._update_actions()

    def select_program(self, uid: str, field: str = "name") -> None:
        """Show a program wherever it is (a finding points at it) and focus one of its fields."""
        if not self.grid_model.rows_of(uid):
            self.search.clear()
            self.navigator.select_scope(ALL)
        rows = self.grid_model.rows_of(uid)
        if rows:
            self.grid.select_row(rows[0])
            self.form.focus_field(field)

    # --- commands from menus --------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self) -> None:
        # the form follows the grid: a program the search hides is not shown as current, and is
        # selected again once the search shows it
        uid = self._current_uid() or self._hidden_uid
        self.grid_model.set_filter(self.search.text())
        if self.edition is not None and self.listed_scope() != self.listed:
            self._list()
        if not self.grid.currentIndex().isValid():
            self.select([(uid, None)] if uid else [])
        self._hidden_uid = None if self.grid.currentIndex().isValid() else uid
        if self._hidden_uid is not None:
            self.form.show_hidden(self._hidden_uid)
        self._update_status()
        self._update_actions()

    # --- validation panel ---------------------------------------------------------------

    def _refresh_findings(self) -> None:
        if self.findings is not None and self._unchecked:
            self.findings.refresh(self._unchecked)
        self._unchecked = set()

    def _attach_findings(self, check: bool = True) -> Any:
        """Dock the validation panel (check: and start checking the edition shown); None when not installed."""
        if self.act.findings in self.act.unavailable:
            return None
        try:
            panel = features.FINDINGS_PANEL.load()(self.db, self, submit=self.session.submit)
        except FeatureMissing as exc:
            self.act.disable(self.act.findings, exc.message)
            return None
        self.findings = panel
        dock = QDockWidget("検証", self)
        dock.setObjectName("findings-dock")
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if not self.restoreState(self.settings.get(WINDOW_STATE)):
            # a first start: the panel a strip under the grid, which keeps most of the height
            self.resizeDocks([dock], [self.height() // 5], Qt.Orientation.Vertical)
        self.act.findings.setChecked(dock.isVisible())
        self.act.findings.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(self.act.findings.setChecked)
        panel.navigate.connect(self.select_program)
        panel.severities_changed.connect(self.grid_model.set_severities)
        panel.set_folded(self.settings.get(FINDINGS_FOLDED))
        panel.folded.connect(lambda folded: self.settings.set(FINDINGS_FOLDED, folded))
        if check and self.fiscal_year is not None:
            panel.set_edition(self.fiscal_year)
        self._update_actions()
        return panel

    # --- status and settings ------------------------------------------------------------

    def _update_title(self) -> None:
        if self.edition is None:
            self.setWindowTitle("kodomo-desktop")
            self.edition_label.setText("年度版がありません")
        else:
            state = EDITION_STATUS_LABELS.get(self.edition.status, self.edition.status)
            suffix = "（公開済み・読み取り専用）" if self.session.read_only else ""
            self.setWindowTitle(
                f"{era_label(self.edition.fiscal_year)}版{suffix} — {self.edition.title} — kodomo-desktop"
            )
            self.edition_label.setText(f"{era_label(self.edition.fiscal_year)}版: {state}")
        self._update_actions()

    def _update_status(self) -> None:
        shown = self.grid_model.rowCount()
        self.count_label.setText(f"表示 {shown}行 ／ 事業 {self.grid_model.program_count}件")
        self._update_actions()

    def _restore_layout(self) -> None:
        """The window as the user left it; on a first start, sized to the screen with the grid wide."""
        area = available_area(self)
        if not self.restoreGeometry(self.settings.get(WINDOW_GEOMETRY)):
            room = room_for(self)
            self.resize(min(1600, room.width()), min(950, room.height()))
            if room.width() < 1600 or room.height() < 950:
                self.setWindowState(Qt.WindowState.WindowMaximized)  # a laptop: every pixel for the grid
        self.restoreState(self.settings.get(WINDOW_STATE))
        if not self.splitter.restoreState(self.settings.get(MAIN_SPLITTER)):
            width = max(self.width(), area.width()) if self.isMaximized() else self.width()
            tree = min(max(int(width * 0.17), 220), 340)
            form = min(max(int(width * 0.27), 340), 560)
            self.splitter.setSizes([tree, width - tree - form, form])
        header = self.grid.horizontalHeader()
        # a state saved with other columns (an older version) would put widths on the wrong ones
        if self.settings.get(GRID_COLUMNS) != self._column_headings() or not header.restoreState(
            self.settings.get(GRID_HEADER)
        ):
            self._columns_unset = True  # for the grid's real width, known once the window is shown
        # always open in printed order, whatever column was sorted last time
        self.grid.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._columns_unset:  # laid out now, not yet painted: the columns fit before the first paint
            self._columns_unset = False
            self.grid.default_columns(self.grid.viewport().width())

    def _column_headings(self) -> str:
        model = self.grid_model
        return "\t".join(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount()))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.commit_pending()
        self.live.stop()
        self.presence.leave(self.session.runner)
        self.session.close()  # the writes handed in land before the window goes
        settings = self.settings
        settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        settings.set(WINDOW_STATE, self.saveState())
        settings.set(MAIN_SPLITTER, self.splitter.saveState())
        settings.set(GRID_HEADER, self.grid.horizontalHeader().saveState())
        settings.set(GRID_COLUMNS, self._column_headings())
        settings.set(TREE_SCOPE, tree_state.scope_key(self.tree, self.groups, self.scope))
        if self.edition is not None:
            settings.set(LAST_EDITION, self.edition.fiscal_year)
        settings.save()
        super().closeEvent(event)
