"""The main window: navigator | program grid | program form, menus, toolbar, status bar.

It owns the loading of an edition and spreads what each edit changed (EditSession.changed)
to the views: the grid repaints the touched programs, the lists and counts are re-read
only when placements, the review flag or 所管 changed.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core import queries
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.queries import EditionInfo, PolicyTree, ProgramGroups, Scope
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.ui import booklet_action, edition_actions, excel_actions, features
from kodomo_desktop.ui.commands import CreateProgram, DeleteProgram
from kodomo_desktop.ui.edit_session import EditSession, Update
from kodomo_desktop.ui.features import Feature, FeatureMissing
from kodomo_desktop.ui.grid_view import ProgramGridView
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.placement_editor import choose_measure
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

NEW_PROGRAM_NAME = "新しい事業"
FINDINGS_DELAY_MS = 300


class ElidedLabel(QLabel):
    """One line that ends in … when it does not fit (a measure's full name), whole in its tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


class MainWindow(QMainWindow):
    def __init__(self, db: Database, settings: Settings, parent=None):
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
        self._unavailable: set[QAction] = set()

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

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        self.navigator.edition_chosen.connect(self.open_edition)
        self.navigator.scope_chosen.connect(self._show_scope)
        self.navigator.model.placements_dropped.connect(self._drop_on_measure)
        self.search.textChanged.connect(self._filter)
        self.grid.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.grid.selectionModel().selectionChanged.connect(self._update_actions)
        self.session.changed.connect(self._on_changed)
        self.session.failed.connect(self._show_failure)

        self._restore_layout()
        self.reload_everything(self.settings.get(LAST_EDITION) or None)
        # the validation panel imports the rules: after the window is up, not before
        QTimer.singleShot(0, self._attach_findings)

    # --- actions ------------------------------------------------------------------------

    def _action(
        self, text: str, slot, shortcut=None, icon=None, tip: str = "", feature: Feature | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        if feature is None:
            action.triggered.connect(lambda: slot())
        else:
            features.offer(action, feature)
            if not action.isEnabled():
                self._unavailable.add(action)
            action.triggered.connect(lambda: self._run_feature(action, slot))
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        key = QKeySequence.StandardKey
        self.act_undo = self._action("元に戻す", self.session.undo, key.Undo, sp.SP_ArrowBack)
        self.act_redo = self._action(
            "やり直す", self.session.redo, [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], sp.SP_ArrowForward
        )
        group = self.session.undo_group
        group.canUndoChanged.connect(self.act_undo.setEnabled)
        group.canRedoChanged.connect(self.act_redo.setEnabled)
        group.undoTextChanged.connect(lambda t: self.act_undo.setToolTip(f"元に戻す: {t}" if t else "元に戻す"))
        group.redoTextChanged.connect(lambda t: self.act_redo.setToolTip(f"やり直す: {t}" if t else "やり直す"))
        self.act_undo.setEnabled(False)
        self.act_redo.setEnabled(False)
        self.act_copy = self._action(
            "表のセルをコピー", self.grid.copy, tip="選んだセルをタブ区切りでコピー（表の上で Ctrl+C）"
        )
        self.act_paste = self._action(
            "対象の列に貼り付け",
            self.grid.paste,
            tip="Excel でコピーした ○ の範囲を対象の列に貼り付け（表の上で Ctrl+V）",
        )
        self.act_find = self._action("検索", self._focus_search, key.Find)
        self.act_add = self._action(
            "事業を追加", self.add_program, QKeySequence("Ctrl+N"), sp.SP_FileIcon, "選んでいる個別施策に事業を追加"
        )
        self.act_delete = self._action(
            "事業を削除", self.delete_programs, None, sp.SP_TrashIcon, "選んだ事業を削除（元に戻すで復元できます）"
        )
        self.act_up = self._action("上へ", lambda: self.grid.move_selected(-1), QKeySequence("Ctrl+Up"), sp.SP_ArrowUp)
        self.act_down = self._action(
            "下へ", lambda: self.grid.move_selected(1), QKeySequence("Ctrl+Down"), sp.SP_ArrowDown
        )
        for action in (self.act_up, self.act_down):
            action.setStatusTip("個別施策の中での順番を変更（行をドラッグしても変えられます）")
        self.act_move = self._action(
            "別の個別施策へ移動…",
            self.move_to_measure,
            tip="選んだ行を別の個別施策へ（左の施策へドラッグしても移動できます）",
        )
        self.act_new_edition = self._action(
            "前年度から新しい年度版を作成…",
            lambda: edition_actions.new_edition_from_previous(self),
            feature=features.ROLLOVER,
        )
        self.act_publish = self._action("公開する…", lambda: edition_actions.publish(self))
        self.act_unpublish = self._action("公開を取り消す…", lambda: edition_actions.unpublish(self))
        self.act_compare = self._action(
            "年度の比較…", lambda: self._run_dialog(features.COMPARE_DIALOG, self.db), feature=features.COMPARE_DIALOG
        )
        self.act_booklet = self._action(
            "冊子(PDF)を作成…",
            lambda: booklet_action.make_booklet(self),
            QKeySequence("Ctrl+P"),
            sp.SP_DialogSaveButton,
            feature=features.BOOKLET,
        )
        self.act_templates = self._action(
            "様式を書き出す…", lambda: excel_actions.write_templates(self), feature=features.WRITE_TEMPLATES
        )
        self.act_import_returns = self._action("回答を取り込む…", self._import_returns, feature=features.RETURNS_DIALOG)
        self.act_returns_overview = self._action(
            "回答の状況",
            lambda: self._run_dialog(features.RETURNS_OVERVIEW, self.db, self.fiscal_year),
            feature=features.RETURNS_OVERVIEW,
        )
        self.act_findings = self._action("検証パネル", lambda: None, feature=features.FINDINGS_PANEL)
        self.act_findings.setCheckable(True)
        self.act_master = self._action("所管の一覧…", self._edit_master_list, feature=features.MASTER_DIALOG)
        self.act_about = self._action(
            "バージョン情報…", lambda: self._run_dialog(features.ABOUT_DIALOG), feature=features.ABOUT_DIALOG
        )
        self.act_quit = self._action("終了", self.close, key.Quit)

    def _build_menus(self) -> None:
        menus = {
            "ファイル(&F)": [self.act_booklet, None, self.act_quit],
            "編集(&E)": [
                self.act_undo,
                self.act_redo,
                None,
                self.act_copy,
                self.act_paste,
                None,
                self.act_find,
                None,
                self.act_add,
                self.act_delete,
                None,
                self.act_up,
                self.act_down,
                self.act_move,
            ],
            "年度版(&Y)": [self.act_new_edition, None, self.act_publish, self.act_unpublish, None, self.act_compare],
            "Excel(&X)": [self.act_templates, self.act_import_returns, self.act_returns_overview],
            "検証(&V)": [self.act_findings, None, self.act_master],
            "ヘルプ(&H)": [self.act_about],
        }
        for title, actions in menus.items():
            menu = self.menuBar().addMenu(title)
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)
        self.menuBar().setNativeMenuBar(False)
        for action in (
            self.act_add,
            self.act_delete,
            self.act_up,
            self.act_down,
            self.act_move,
            self.act_copy,
            self.act_paste,
        ):
            self.grid.addAction(action)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_toolbar(self) -> None:
        bar = QToolBar("ツールバー")
        bar.setObjectName("main-toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setMovable(False)
        for action in (
            self.act_undo,
            self.act_redo,
            None,
            self.act_add,
            self.act_delete,
            self.act_up,
            self.act_down,
            None,
            self.act_booklet,
        ):
            bar.addSeparator() if action is None else bar.addAction(action)
        self.addToolBar(bar)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.edition_label = QLabel()
        self.path_label = QLabel(self.db.display_name)
        self.path_label.setToolTip(f"データベース: {self.db.display_name}")
        for label in (self.count_label, self.edition_label, self.path_label):
            self.statusBar().addPermanentWidget(label)

    def _run_feature(self, action: QAction, slot) -> None:
        try:
            slot()
        except FeatureMissing as exc:
            action.setEnabled(False)
            action.setToolTip(exc.message)
            self._unavailable.add(action)
            show_error(self, exc)

    def _run_dialog(self, feature: Feature, *args) -> bool:
        """Open another part's dialog; True when it was accepted."""
        dialog = feature.load()(*args, self)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _import_returns(self) -> None:
        self.form.commit_pending()
        if self._run_dialog(features.RETURNS_DIALOG, self.db, self.fiscal_year):
            # the undo stack's old values predate the import: undoing across it would undo it piecemeal
            self.session.forget_history()
            self.reload_everything(self.fiscal_year)

    def _edit_master_list(self) -> None:
        self._run_dialog(features.MASTER_DIALOG, self.db)
        self.reload_everything(self.fiscal_year)

    def _update_actions(self, *_args) -> None:
        editable = not self.session.read_only
        has_edition = self.edition is not None
        rows = self.grid.selected_rows()
        placements = self.grid.selected_placements(rows)
        enabled = {
            self.act_copy: bool(rows),
            self.act_paste: editable,
            self.act_add: editable and self._new_program_place() is not None,
            self.act_delete: editable and bool(rows),
            self.act_up: self.grid.can_reorder() and bool(placements),
            self.act_down: self.grid.can_reorder() and bool(placements),
            self.act_move: editable and bool(placements),
            self.act_new_edition: has_edition,
            self.act_publish: has_edition and editable,
            self.act_unpublish: has_edition and not editable,
            self.act_compare: len(self.editions) > 1,
            self.act_booklet: has_edition,
            self.act_templates: has_edition,
            self.act_import_returns: has_edition and editable,
            self.act_returns_overview: has_edition,
            self.act_findings: self.findings is not None,
        }
        for action, on in enabled.items():
            action.setEnabled(on and action not in self._unavailable)

    # --- loading ------------------------------------------------------------------------

    @property
    def fiscal_year(self) -> int | None:
        return self.edition.fiscal_year if self.edition else None

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
            self.grid_model.set_programs(queries.program_rows(self.db, edition_id))
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
                queries.listings(self.db, self.edition.id, scope, self.tree), self._in_measure()
            )
            self.scope_label.setText(scope_title(self.tree, self.groups, scope))
        self._select([(uid, None)] if uid else [], fallback_row=0)
        self._update_status()

    def _in_measure(self) -> bool:
        return self.scope.kind == "node" and self.tree.node(self.scope.id).kind == "measure"

    # --- spreading changes --------------------------------------------------------------

    def _on_changed(self, update: Update) -> None:
        edition_id = self.edition.id
        selected = [(uid, measure) for uid, measure, _ in self.grid.selected_placements()] or (
            [(self._current_uid(), None)] if self._current_uid() else []
        )
        current_row = self.grid.currentIndex().row()
        self.grid_model.update_programs(update.programs, queries.program_rows(self.db, edition_id, update.programs))
        if update.structure:
            self.tree = queries.policy_tree(self.db, edition_id)
            self.form.set_tree(self.tree)
            self.grid_model.set_listings(
                queries.listings(self.db, edition_id, self.scope, self.tree), self._in_measure()
            )
            self._select(selected, fallback_row=current_row)
        if update.groups:
            self.groups = queries.program_groups(self.db, edition_id)
            scope = self.navigator.set_contents(self.tree, self.groups, self.scope)
            if scope != self.scope:
                self._show_scope(scope)
        self.form.refresh(update)
        self._unchecked |= update.programs
        self._check_timer.start()
        self._update_status()

    def _show_failure(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)
        # after the current event: the edit that failed may have come from a focus change,
        # which a modal box would otherwise re-enter
        QTimer.singleShot(0, lambda: QMessageBox.warning(self, "変更できませんでした", text))

    # --- selection ----------------------------------------------------------------------

    def _current_uid(self) -> str | None:
        index = self.grid.currentIndex()
        return self.grid_model.program(index.row()).uid if index.isValid() else None

    def _select(self, keys: list[tuple[str, int | None]], fallback_row: int = -1) -> None:
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

    def _current_row_changed(self, current, _previous) -> None:
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

    def _new_program_place(self) -> tuple[int, int | None] | None:
        """Where 事業を追加 puts a program: after the current row in its measure, else the chosen measure's end."""
        index = self.grid.currentIndex()
        if index.isValid():
            listing = self.grid_model.listing(index.row())
            if listing.measure_id is not None:
                return listing.measure_id, listing.position + 1
        if self._in_measure():
            return self.scope.id, None
        return None

    def add_program(self) -> None:
        place = self._new_program_place()
        if place is None:
            return
        doc = {"name": NEW_PROGRAM_NAME, "summary": "", "results": "", "targets": [], "divisions": []}
        command = CreateProgram(self.session, doc, *place)
        if self.session.push(command):
            if not self.grid_model.rows_of(command.uid):  # e.g. listing 要確認: show its measure instead
                self.search.clear()
                self.navigator.select_scope(Scope("node", place[0]))
            self._select([(command.uid, place[0])])
            self.form.focus_field("name")
            self.form.name.selectAll()

    def delete_programs(self) -> None:
        programs = {self.grid_model.program(r).uid: self.grid_model.program(r).name for r in self.grid.selected_rows()}
        if not programs:
            return
        names = "\n".join(f"・{name}" for name in list(programs.values())[:10])
        more = f"\n…ほか{len(programs) - 10}件" if len(programs) > 10 else ""
        if not confirm(
            self,
            "事業の削除",
            f"次の{len(programs)}件の事業を、再掲を含めて削除します（「元に戻す」で復元できます）。\n{names}{more}",
        ):
            return
        with self.session.macro(f"事業の削除（{len(programs)}件）"):
            for uid in programs:
                if not self.session.push(DeleteProgram(self.session, uid)):
                    break

    def move_to_measure(self) -> None:
        items = self.grid.selected_placements()
        if not items:
            return
        measure = choose_measure(self, self.tree, {m for _, m, _ in items}, "別の個別施策へ移動", "移動先の個別施策:")
        if measure is not None:
            self._drop_on_measure(items, measure)

    def _drop_on_measure(self, items: list, measure_id: int) -> None:
        self.grid.move_to_measure(items, measure_id, self.tree.node(measure_id).listings)

    # --- validation panel ---------------------------------------------------------------

    def _refresh_findings(self) -> None:
        if self.findings is not None and self._unchecked:
            self.findings.refresh(self._unchecked)
        self._unchecked = set()

    def _attach_findings(self) -> None:
        if self.act_findings in self._unavailable:
            return
        try:
            panel = features.FINDINGS_PANEL.load()(self.db, self)
        except FeatureMissing as exc:
            self.act_findings.setToolTip(exc.message)
            self._unavailable.add(self.act_findings)
            return
        self.findings = panel
        dock = QDockWidget("検証", self)
        dock.setObjectName("findings-dock")
        dock.setWidget(panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.restoreState(self.settings.get(WINDOW_STATE))
        self.act_findings.setChecked(dock.isVisible())
        self.act_findings.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(self.act_findings.setChecked)
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

    def closeEvent(self, event) -> None:
        self.form.commit_pending()
        self.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(WINDOW_STATE, self.saveState())
        self.settings.set(MAIN_SPLITTER, self.splitter.saveState())
        self.settings.set(GRID_HEADER, self.grid.horizontalHeader().saveState())
        super().closeEvent(event)
