"""The main window: navigator | program grid | program form, menus, toolbar, status bar.

It owns the loading of an edition and spreads what each edit changed (EditSession.changed)
to the views: the grid repaints the touched programs, the lists and counts are re-read
only when placements, the review flag or 所管 changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from kodomo_desktop.core.queries import EditionInfo, PolicyTree, ProgramGroups, Scope
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.ui import (
    booklet_action,
    edition_actions,
    excel_actions,
    features,
    json_import,
    program_actions,
    web_action,
)
from kodomo_desktop.ui.actions import WindowActions
from kodomo_desktop.ui.edit_session import EditSession, Update
from kodomo_desktop.ui.elided_label import ElidedLabel
from kodomo_desktop.ui.features import Feature, FeatureMissing
from kodomo_desktop.ui.grid_view import ProgramGridView
from kodomo_desktop.ui.op_runner import WAITING
from kodomo_desktop.ui.policy_tree import ALL, Navigator, scope_title
from kodomo_desktop.ui.program_form import ProgramForm
from kodomo_desktop.ui.program_grid import COL_NAME, COL_NO, ProgramTableModel
from kodomo_desktop.ui.settings import (
    GRID_HEADER,
    LAST_EDITION,
    MAIN_SPLITTER,
    WINDOW_GEOMETRY,
    WINDOW_STATE,
    Settings,
)
from kodomo_desktop.ui.undo_commands import ReturnsImport

FINDINGS_DELAY_MS = 300


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.session = EditSession(db, self)
        self.editions: list[EditionInfo] = []
        self.edition: EditionInfo | None = None
        self.tree = PolicyTree(())
        self.groups = ProgramGroups(0, 0, ())
        self.scope = ALL
        self.findings = None  # the validation panel, when that feature is installed
        # programs edited since the panel last re-checked: validation of a large edition
        # takes longer than an edit, so a burst of edits is checked once, after it
        self._unchecked: set[str] = set()
        self._check_timer = QTimer(self, singleShot=True, interval=FINDINGS_DELAY_MS)
        self._check_timer.timeout.connect(self._refresh_findings)

        self.navigator = Navigator()
        self.grid_model = ProgramTableModel(self)
        self.grid = ProgramGridView(self.session, self.grid_model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("検索（名称・通称・概要・実績・所管・事業ID）")
        self.search.setClearButtonEnabled(True)
        self.scope_label = ElidedLabel()
        self.form = ProgramForm(self.session)

        grid_panel = QWidget()
        top = QHBoxLayout()
        top.addWidget(self.scope_label, 1)
        top.addWidget(self.search, 1)
        panel_layout = QVBoxLayout(grid_panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addLayout(top)
        panel_layout.addWidget(self.grid)
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
        self.search.textChanged.connect(self._filter)
        self.grid.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.grid.selectionModel().selectionChanged.connect(self._update_actions)
        self.session.changed.connect(self._on_changed)
        self.session.failed.connect(self._show_failure)
        self.session.runner.waiting.connect(self._show_waiting)
        # after the undo step that replaced the edition has finished
        self.session.edition_replaced.connect(lambda year: QTimer.singleShot(0, lambda: self.reload_everything(year)))

        self._restore_layout()
        self.reload_everything(self.settings.get(LAST_EDITION) or None)
        # the panel is what validates (and so loads the rules): docked after the window is up
        QTimer.singleShot(0, self._attach_findings)

    # --- actions ------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        act, connect = self.act, self.act.connect
        connect(act.undo, self.session.undo)
        connect(act.redo, self.session.redo)
        group = self.session.undo_group
        group.canUndoChanged.connect(act.undo.setEnabled)
        group.canRedoChanged.connect(act.redo.setEnabled)
        group.undoTextChanged.connect(lambda t: act.undo.setToolTip(f"元に戻す: {t}" if t else "元に戻す"))
        group.redoTextChanged.connect(lambda t: act.redo.setToolTip(f"やり直す: {t}" if t else "やり直す"))
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
        if self._run_dialog(features.RESTORE_DIALOG, self.db):
            # the undo stack's ids and old values belong to the replaced database
            self.session.forget_history()
            self.reload_everything(self.fiscal_year)

    def _edit_master_list(self) -> None:
        self._run_dialog(features.MASTER_DIALOG, self.db)
        self.reload_everything(self.fiscal_year)

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
        years = [e.fiscal_year for e in self.editions]
        year = fiscal_year if fiscal_year in years else self.fiscal_year if self.fiscal_year in years else None
        self.open_edition(year if year is not None else (years[-1] if years else None))

    def open_edition(self, fiscal_year: int | None) -> None:
        self.form.commit_pending()  # into the edition it was typed in, before anything switches
        same = self.edition is not None and self.edition.fiscal_year == fiscal_year
        uid = self._current_uid()  # uids are stable across editions: the program stays selected
        self.edition = next((e for e in self.editions if e.fiscal_year == fiscal_year), None)
        self.session.open_edition(self.edition)
        self.navigator.set_editions(self.editions, fiscal_year)
        if self.edition is None:
            self.tree, self.groups = PolicyTree(()), ProgramGroups(0, 0, ())
            self.grid_model.set_programs([])
        else:
            edition_id = self.edition.id
            self.tree = queries.policy_tree(self.db, edition_id)
            self.groups = queries.program_groups(self.db, edition_id)
            rows = queries.program_rows(self.db, edition_id)
            self.session.note_read({r.uid: r.version for r in rows})
            self.grid_model.set_programs(rows)
            QTimer.singleShot(0, self.grid_model.prime_search_keys)
            self.settings.set(LAST_EDITION, fiscal_year)
        self.grid_model.read_only = self.session.read_only
        self.form.set_edition(fiscal_year, self.tree, queries.division_choices(self.db))
        scope = self.navigator.set_contents(self.tree, self.groups, self.scope if same else ALL)
        self._show_scope(scope, uid)
        self.form.set_read_only(self.session.read_only)
        if self.findings is not None and fiscal_year is not None:
            self._unchecked.clear()
            self.findings.set_edition(fiscal_year)
        self._update_title()

    def _show_scope(self, scope: Scope, uid: str | None = None) -> None:
        uid = uid or self._current_uid()
        self.scope = scope
        if self.edition is None:
            self.grid_model.set_listings([], False)
            self.scope_label.setText("年度版がありません")
        else:
            self.grid_model.set_listings(
                queries.listings(self.db, self.edition.id, scope, self.tree), self.in_measure()
            )
            self.scope_label.setText(scope_title(self.tree, self.groups, scope))
        self.select([(uid, None)] if uid else [], fallback_row=0)
        self._update_status()

    def in_measure(self) -> bool:
        scope = self.scope
        return scope.kind == "node" and scope.id is not None and self.tree.node(scope.id).kind == "measure"

    # --- spreading changes --------------------------------------------------------------

    def _on_changed(self, update: Update) -> None:
        assert self.edition is not None  # edits are made in the open edition
        edition_id = self.edition.id
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
            self.grid_model.set_listings(
                queries.listings(self.db, edition_id, self.scope, self.tree), self.in_measure()
            )
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

    def _filter(self, text: str) -> None:
        self.grid_model.set_filter(text)
        self._update_status()
        self._update_actions()

    # --- validation panel ---------------------------------------------------------------

    def _refresh_findings(self) -> None:
        if self.findings is not None and self._unchecked:
            self.findings.refresh(self._unchecked)
        self._unchecked = set()

    def _attach_findings(self) -> None:
        if self.act.findings in self.act.unavailable:
            return
        try:
            panel = features.FINDINGS_PANEL.load()(self.db, self, submit=self.session.submit)
        except FeatureMissing as exc:
            self.act.disable(self.act.findings, exc.message)
            return
        self.findings = panel
        dock = QDockWidget("検証", self)
        dock.setObjectName("findings-dock")
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.restoreState(self.settings.get(WINDOW_STATE))
        self.act.findings.setChecked(dock.isVisible())
        self.act.findings.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(self.act.findings.setChecked)
        panel.navigate.connect(self.select_program)
        panel.severities_changed.connect(self.grid_model.set_severities)
        if self.fiscal_year is not None:
            panel.set_edition(self.fiscal_year)
        self._update_actions()

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
        geometry = self.settings.get(WINDOW_GEOMETRY)
        if geometry.isEmpty():
            screen = QApplication.primaryScreen().availableGeometry()
            self.resize(min(1600, screen.width()), min(950, screen.height()))
        else:
            self.restoreGeometry(geometry)
        self.restoreState(self.settings.get(WINDOW_STATE))
        if not self.splitter.restoreState(self.settings.get(MAIN_SPLITTER)):
            width = self.width()
            self.splitter.setSizes([int(width * 0.2), int(width * 0.54), int(width * 0.26)])
        header = self.grid.horizontalHeader()
        header.restoreState(self.settings.get(GRID_HEADER))
        # always open in printed order, whatever column was sorted last time
        self.grid.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.commit_pending()
        self.session.close()  # the writes handed in land before the window goes
        self.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(WINDOW_STATE, self.saveState())
        self.settings.set(MAIN_SPLITTER, self.splitter.saveState())
        self.settings.set(GRID_HEADER, self.grid.horizontalHeader().saveState())
        super().closeEvent(event)
