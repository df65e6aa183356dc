"""The editor window driven like a user: real widgets on a real SQLite file (offscreen)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QInputDialog

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.main_window import MainWindow
from kodomo_desktop.ui.program_grid import COL_NAME, HEADERS
from kodomo_desktop.ui.settings import LAST_EDITION, MAIN_SPLITTER
from tests.helpers import COLLEAGUE, colleague_changes_p0001, recorded_user, settle


def column(label: str) -> int:
    return HEADERS.index(label)


def program(db, uid: str) -> dict:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)


def measure_rows(db, title: str) -> list[tuple[str, bool]]:
    doc = export_document(db, 2024)
    for policy in doc["policies"]:
        for group in [policy, *policy.get("stages", [])]:
            for measure in group.get("measures", []):
                if measure["title"] == title:
                    return [(p["program"], p["relisted"]) for p in measure["placements"]]
    raise KeyError(title)


def choose(window, title: str) -> None:
    """Click a navigator entry by its visible text (measures show 'number title')."""
    for index in window.navigator._walk():
        if index.data().endswith(title):
            window.navigator.view.scrollTo(index)
            window.navigator.view.setCurrentIndex(index)
            return
    raise KeyError(title)


def grid_names(window) -> list[str]:
    model = window.grid_model
    return [model.data(model.index(r, COL_NAME)) for r in range(model.rowCount())]


def type_text(widget, text: str, preedit: str = "") -> None:
    """Type as an IME does: the composed text arrives as one commit (QTest cannot type kana)."""
    event = QInputMethodEvent(preedit, [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click_cell(qtbot, window, row: int, col: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    grid = window.grid
    rect = grid.visualRect(window.grid_model.index(row, col))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_choosing_a_measure_lists_its_rows_with_relistings(window):
    choose(window, "遊びや体験")
    assert grid_names(window) == ["ちびっこ広場", "【再掲】児童の権利に関する条約の普及啓発"]
    assert window.scope_label.text() == "基本施策2 ライフステージを通して 個別施策1 遊びや体験"
    choose(window, "すべての事業")
    assert len(grid_names(window)) == 3


def test_click_toggles_a_target_and_undo_redo_restore_the_database(qtbot, window, sample_db):
    before = export_document(sample_db, 2024)
    choose(window, "遊びや体験")
    click_cell(qtbot, window, 0, column("妊婦等"))
    settle(qtbot, window)
    assert "妊婦等" in program(sample_db, "P0003")["targets"]
    assert window.grid_model.ticked(0, column("妊婦等"))
    window.act.undo.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before
    assert not window.grid_model.ticked(0, column("妊婦等"))
    window.act.redo.trigger()
    settle(qtbot, window)
    assert "妊婦等" in program(sample_db, "P0003")["targets"]


def test_space_sets_one_target_on_every_selected_row_as_one_undo_step(qtbot, window, sample_db):
    choose(window, "すべての事業")
    grid = window.grid
    click_cell(qtbot, window, 0, COL_NAME)
    settle(qtbot, window)
    click_cell(qtbot, window, 2, COL_NAME, Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot, window)
    click_cell(qtbot, window, 2, column("中学"), Qt.KeyboardModifier.ControlModifier)  # current cell, no toggle
    settle(qtbot, window)
    grid.setFocus()
    before = export_document(sample_db, 2024)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    settle(qtbot, window)
    assert all("中学" in program(sample_db, uid)["targets"] for uid in ("P0001", "P0002", "P0003"))
    assert window.session.stack.count() == 1
    window.act.undo.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before


def test_click_inside_a_multi_row_selection_sets_all_rows(qtbot, window, sample_db):
    choose(window, "すべての事業")
    window.grid.selectAll()
    click_cell(qtbot, window, 1, column("高校"))
    settle(qtbot, window)
    assert all("高校" in program(sample_db, uid)["targets"] for uid in ("P0001", "P0002", "P0003"))
    assert len(window.grid.selected_rows()) == 3
    click_cell(qtbot, window, 1, column("高校"))
    settle(qtbot, window)
    assert not any("高校" in program(sample_db, uid)["targets"] for uid in ("P0001", "P0002", "P0003"))


def test_search_ignores_width_and_kana(qtbot, window):
    choose(window, "すべての事業")
    type_text(window.search, "ｼﾞｮﾌﾞｶﾌｪ")  # half-width katakana of the alias ジョブカフェ
    assert grid_names(window) == ["若者の就労相談"]
    window.search.clear()
    type_text(window.search, "チビッコ")  # katakana of ちびっこ
    assert grid_names(window) == ["ちびっこ広場"]
    window.search.clear()
    type_text(window.search, "３，０００部")  # full-width digits in 実績
    assert grid_names(window) == ["児童の権利に関する条約の普及啓発"]
    window.search.clear()
    assert len(grid_names(window)) == 3


def test_paste_a_block_from_excel_into_the_target_columns(qtbot, window, sample_db):
    choose(window, "すべての事業")
    window.grid.select_row(0, column("妊婦等"))
    window.grid.setCurrentIndex(window.grid_model.index(0, column("妊婦等")))
    QGuiApplication.clipboard().setText("×\t○\r\n⭕️\t\r\n")
    window.grid.paste()
    settle(qtbot, window)
    assert program(sample_db, "P0001")["targets"] == ["乳児", "親等"]
    assert program(sample_db, "P0002")["targets"] == ["妊婦等", "18歳超"]
    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0001")["targets"] == ["妊婦等", "乳児", "親等"]
    assert program(sample_db, "P0002")["targets"] == ["18歳超"]


def test_paste_refuses_what_is_not_a_tick_and_changes_nothing(window, sample_db, messages, qtbot):
    choose(window, "すべての事業")
    before = export_document(sample_db, 2024)
    window.grid.setCurrentIndex(window.grid_model.index(0, column("妊婦等")))
    QGuiApplication.clipboard().setText("○\tはい\n")
    window.grid.paste()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(messages))
    assert "「はい」は対象の印として読めません" in messages[0]
    window.grid.setCurrentIndex(window.grid_model.index(0, column("状態")))  # shown, not stored: no paste
    QGuiApplication.clipboard().setText("○")
    window.grid.paste()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before


def test_copy_puts_a_tab_separated_block_on_the_clipboard(window):
    choose(window, "遊びや体験")
    model = window.grid_model
    selection = window.grid.selectionModel()
    selection.clearSelection()
    for r in (0, 1):
        for c in (COL_NAME, column("妊婦等"), column("乳児"), column("幼児")):
            selection.select(model.index(r, c), selection.SelectionFlag.Select)
    window.grid.copy()
    text = QGuiApplication.clipboard().text()
    assert text.split("\r\n")[:2] == [
        "ちびっこ広場\t\t\t○",
        "【再掲】児童の権利に関する条約の普及啓発\t○\t○\t",
    ]


def test_form_text_is_written_after_a_pause_or_on_focus_out_as_one_undo_step(qtbot, window, sample_db):
    original = "子育てガイドブックに概要を掲載し、普及啓発に努める。"
    choose(window, "すべての事業")
    window.grid.select_row(0)
    form = window.form
    form.focus_field("summary")
    form.summary.selectAll()
    type_text(form.summary, "新しい")
    type_text(form.summary, "", preedit="がいよう")  # the IME is composing the next word
    form.summary.commit()  # the pause timer fires: it must wait for the composition
    settle(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == original
    type_text(form.summary, "概要")  # the IME hands in the word
    form.summary.commit()  # the pause
    settle(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == "新しい概要"
    type_text(form.summary, "です")
    form.name.setFocus()  # leaving the field commits the rest
    qtbot.waitUntil(lambda: program(sample_db, "P0001")["summary"] == "新しい概要です")
    assert window.session.stack.count() == 1  # one visit of the field, one undo step
    form.summary.setFocus()
    type_text(form.summary, "！")
    form.name.setFocus()
    qtbot.waitUntil(lambda: window.session.stack.count() == 2)  # a second visit is a second step
    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == "新しい概要です"
    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == original
    assert form.summary.toPlainText() == original


def test_form_name_alias_and_review(qtbot, window, sample_db):
    choose(window, "すべての事業")
    window.grid.select_row(2)
    form = window.form
    form.name.setFocus()
    form.name.selectAll()
    type_text(form.name, "ちびっこ広場（公園）")
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert program(sample_db, "P0003")["name"] == "ちびっこ広場（公園）"
    assert window.grid_model.program(2).name == "ちびっこ広場（公園）"
    form.needs_review.click()
    settle(qtbot, window)
    assert program(sample_db, "P0003")["needs_review"] is True
    assert window.navigator.model.item(1, 1).text() == "2"  # 要確認 count


def test_empty_name_is_refused_and_the_stored_name_comes_back(qtbot, window, sample_db, messages):
    choose(window, "すべての事業")
    window.grid.select_row(0)
    form = window.form
    form.name.setFocus()
    form.name.clear()
    qtbot.keyClick(form.name, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(messages))
    assert "空にできません" in messages[0]
    assert form.name.text() == "児童の権利に関する条約の普及啓発"
    assert window.session.stack.count() == 0


def test_form_targets_and_divisions(qtbot, window, sample_db):
    choose(window, "すべての事業")
    window.grid.select_row(2)
    form = window.form
    form.targets[0].click()
    settle(qtbot, window)
    assert program(sample_db, "P0003")["targets"] == ["妊婦等", "幼児", "小学"]
    form.divisions.picker.setEditText("子育て支援部 子育て支援課")
    form.divisions.add.click()
    settle(qtbot, window)
    assert program(sample_db, "P0003")["divisions"] == [
        {"department": "選挙管理委員会事務局", "division": None},
        {"department": "子育て支援部", "division": "子育て支援課"},
    ]
    form.divisions.list.setCurrentRow(1)
    form.divisions.up.click()
    settle(qtbot, window)
    assert program(sample_db, "P0003")["divisions"][0]["department"] == "子育て支援部"
    assert window.grid_model.program(2).divisions == "子育て支援部 子育て支援課 選挙管理委員会事務局"
    window.act.undo.trigger()
    settle(qtbot, window)
    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0003")["divisions"] == [{"department": "選挙管理委員会事務局", "division": None}]


def test_relisting_added_made_primary_and_removed(qtbot, window, sample_db, monkeypatch):
    choose(window, "すべての事業")
    window.grid.select_row(2)  # ちびっこ広場, listed under 遊びや体験 only
    form = window.form
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, items, *a, **k: (next(i for i in items if "就労支援" in i), True)
    )
    form.placements.add.click()
    settle(qtbot, window)
    assert measure_rows(sample_db, "就労支援") == [("P0002", True), ("P0003", True)]
    assert [p.is_primary for p in form.detail.placements] == [True, False]
    form.placements.list.setCurrentRow(1)
    form.placements.primary.click()
    settle(qtbot, window)
    assert measure_rows(sample_db, "就労支援")[1] == ("P0003", False)
    assert measure_rows(sample_db, "遊びや体験")[0] == ("P0003", True)
    # the grid follows: under 遊びや体験 ちびっこ広場 is now the re-listing
    choose(window, "遊びや体験")
    assert grid_names(window)[0] == "【再掲】ちびっこ広場"
    window.grid.select_row(0)
    form.placements.list.setCurrentRow(1)  # the 遊びや体験 re-listing
    form.placements.remove.click()
    settle(qtbot, window)
    assert measure_rows(sample_db, "遊びや体験") == [("P0001", True)]
    for _ in range(3):
        window.act.undo.trigger()
        settle(qtbot, window)
    assert measure_rows(sample_db, "遊びや体験") == [("P0003", False), ("P0001", True)]
    assert measure_rows(sample_db, "就労支援") == [("P0002", True)]


def test_reorder_by_action_and_by_drag_and_drop(qtbot, window, sample_db):
    choose(window, "権利の普及")
    window.grid.select_row(0)
    window.act.down.trigger()
    settle(qtbot, window)
    assert measure_rows(sample_db, "権利の普及") == [("P0002", False), ("P0001", False)]
    assert grid_names(window) == ["若者の就労相談", "児童の権利に関する条約の普及啓発"]
    assert window.grid_model.program(window.grid.currentIndex().row()).uid == "P0001"  # the selection follows
    model = window.grid_model
    data = model.mimeData([model.index(1, COL_NAME)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0).parent())
    settle(qtbot, window)
    assert measure_rows(sample_db, "権利の普及") == [("P0001", False), ("P0002", False)]
    window.act.undo.trigger()
    settle(qtbot, window)
    window.act.undo.trigger()
    settle(qtbot, window)
    assert measure_rows(sample_db, "権利の普及") == [("P0001", False), ("P0002", False)]
    assert window.session.stack.index() == 0


def test_a_reorder_over_a_colleagues_reorder_is_refused(qtbot, window, sample_db, messages):
    """The first move of a placement is based on the placement as the grid showed it, as its undo is."""
    choose(window, "権利の普及")
    window.live.stop()  # the colleague's reorder has not reached this window yet
    colleague_changes_p0001(
        sample_db,
        "from sqlalchemy import select\n"
        "from kodomo_desktop.core.models import Placement\n"
        "q = select(Placement.id, Placement.measure_id).where(Placement.program_id == pid, Placement.is_primary)\n"
        "with db.read() as s:\n"
        "    plid, mid = s.execute(q).one()\n"
        "ops.move_placement(db, plid, 1, mid, source='cli')\n",
    )
    assert measure_rows(sample_db, "権利の普及") == [("P0002", False), ("P0001", False)]
    assert grid_names(window)[0] == "児童の権利に関する条約の普及啓発"  # still as it was
    window.grid.select_row(0)
    window.act.down.trigger()
    qtbot.waitUntil(lambda: bool(messages))
    assert recorded_user(sample_db, COLLEAGUE) in messages[0]
    settle(qtbot, window)
    assert measure_rows(sample_db, "権利の普及") == [("P0002", False), ("P0001", False)]  # theirs stands
    assert window.session.stack.count() == 0


def test_dropping_rows_on_a_measure_moves_them_there(qtbot, window, sample_db):
    choose(window, "権利の普及")
    window.grid.selectAll()
    data = window.grid_model.mimeData(window.grid.selectionModel().selectedIndexes())
    nav = window.navigator
    target = next(i for i in nav._walk() if i.data() == "1 就労支援")
    before = export_document(sample_db, 2024)
    # P0002 is already re-listed there: refused, nothing moves, no empty undo step
    assert not nav.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before
    assert window.session.stack.count() == 0
    target = next(i for i in nav._walk() if i.data() == "1 遊びや体験")
    window.grid.select_row(1)  # only P0002
    data = window.grid_model.mimeData(window.grid.selectionModel().selectedIndexes())
    nav.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    settle(qtbot, window)
    assert measure_rows(sample_db, "遊びや体験") == [("P0003", False), ("P0001", True), ("P0002", False)]
    assert grid_names(window) == ["児童の権利に関する条約の普及啓発"]
    window.act.undo.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before


def test_add_and_delete_programs_with_undo(qtbot, window, sample_db):
    choose(window, "就労支援")
    window.act.add.trigger()
    settle(qtbot, window)
    doc = export_document(sample_db, 2024)
    new = next(p for p in doc["programs"] if p["name"] == "新しい事業")
    assert measure_rows(sample_db, "就労支援") == [("P0002", True), (new["id"], False)]
    assert window.form.detail.uid == new["id"]
    before_delete = export_document(sample_db, 2024)
    choose(window, "すべての事業")
    window.grid.select_row(window.grid_model.rows_of("P0001")[0])
    window.act.delete.trigger()
    settle(qtbot, window)
    assert "P0001" not in [p["id"] for p in export_document(sample_db, 2024)["programs"]]
    window.act.undo.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before_delete
    window.act.undo.trigger()
    settle(qtbot, window)
    assert new["id"] not in [p["id"] for p in export_document(sample_db, 2024)["programs"]]
    window.act.redo.trigger()
    settle(qtbot, window)
    assert measure_rows(sample_db, "就労支援") == [("P0002", True), (new["id"], False)]


def test_history_lists_the_edits(qtbot, window, sample_db):
    choose(window, "すべての事業")
    window.grid.select_row(0)
    click_cell(qtbot, window, 0, column("18歳超"))
    settle(qtbot, window)
    form = window.form
    form.tabs.setCurrentIndex(2)
    view = form.history.view
    rows = [[view.topLevelItem(i).text(c) for c in range(6)] for i in range(view.topLevelItemCount())]
    newest = rows[0]
    assert newest[1] == recorded_user(sample_db, sample_db.user)
    assert newest[2] == "令和6年度"
    assert newest[3:6] == ["対象", "妊婦等・乳児・親等 → 妊婦等・乳児・18歳超・親等", "画面"]
    assert any(r[3] == "作成" for r in rows)


def test_published_edition_is_read_only(qtbot, sample_db, settings, messages):
    ops.publish(sample_db, 2024)
    w = MainWindow(sample_db, settings)
    qtbot.addWidget(w)
    w.show()
    before = export_document(sample_db, 2024)
    choose(w, "すべての事業")
    click_cell(qtbot, w, 0, column("妊婦等"))
    qtbot.waitUntil(lambda: bool(messages))
    assert "公開済み" in messages[0]
    assert w.form.name.isReadOnly() and w.form.summary.isReadOnly()
    assert not w.form.targets[0].isEnabled()
    assert not w.act.add.isEnabled() and not w.act.paste.isEnabled() and not w.act.publish.isEnabled()
    assert w.act.unpublish.isEnabled()
    assert "読み取り専用" in w.windowTitle()
    assert export_document(sample_db, 2024) == before


def test_publish_and_unpublish_from_the_menu(qtbot, window, sample_db, monkeypatch):
    window.act.publish.trigger()
    settle(qtbot, window)
    assert queries.list_editions(sample_db)[0].status == "published"
    assert window.session.read_only and window.form.name.isReadOnly()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("誤字の訂正", True))
    window.act.unpublish.trigger()
    settle(qtbot, window)
    assert queries.list_editions(sample_db)[0].status == "draft"
    assert not window.form.name.isReadOnly()


def test_layout_and_last_edition_persist(qtbot, sample_db, settings, sample_document):
    from kodomo_desktop.core.interchange import import_document

    doc = dict(sample_document, fiscal_year=2023, status="published")
    import_document(sample_db, doc, source="test")
    w = MainWindow(sample_db, settings)
    qtbot.addWidget(w)
    w.show()
    assert w.fiscal_year == 2024  # the newest on first start
    index = w.navigator.editions.findData(2023)
    w.navigator.editions.setCurrentIndex(index)
    w.navigator.editions.activated.emit(index)
    assert w.fiscal_year == 2023 and w.session.read_only
    w.splitter.setSizes([300, 700, 400])
    sizes = w.splitter.sizes()
    w.close()
    assert settings.get(LAST_EDITION) == 2023
    again = MainWindow(sample_db, settings)
    qtbot.addWidget(again)
    again.show()
    assert again.fiscal_year == 2023
    assert all(abs(a - b) <= 2 for a, b in zip(again.splitter.sizes(), sizes, strict=False))
    assert not settings.get(MAIN_SPLITTER).isEmpty()


def test_issuer_settings_dialog_writes_through_the_operation(qtbot, window, sample_db):
    from kodomo_desktop.ui import edition_actions

    assert window.act.issuer in window.menuBar().actions()[2].menu().actions()  # the 年度版 menu
    assert window.act.issuer.isEnabled()
    dialog = edition_actions.edit_issuer(window)
    assert dialog.city.text() == "旭川市" and dialog.department.text() == ""
    dialog.city.clear()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()  # the city is required
    dialog.city.setText("旭川市")
    dialog.department.setText("子育て支援部")
    dialog.division.setText("こども政策課")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "issuer" in export_document(sample_db, 2024))
    assert export_document(sample_db, 2024)["issuer"] == {
        "city": "旭川市",
        "department": "子育て支援部",
        "division": "こども政策課",
    }
    assert queries.edition_settings(sample_db, 2024).issuer_division == "こども政策課"

    dialog = edition_actions.edit_issuer(window)  # shows what is stored; cancel writes nothing
    assert dialog.division.text() == "こども政策課"
    dialog.division.setText("別の課")
    dialog.reject()
    assert queries.edition_settings(sample_db, 2024).issuer_division == "こども政策課"


def test_issuer_settings_are_off_for_a_published_edition(qtbot, window, sample_db):
    ops.publish(sample_db, 2024)
    window.reload_everything(2024)
    assert not window.act.issuer.isEnabled()


def test_history_shows_a_change_at_the_end_of_a_long_summary(qtbot, sample_db):
    from kodomo_desktop.ui.diff_view import HTML_ROLE
    from kodomo_desktop.ui.history_view import CHANGE_COLUMN, HistoryPane
    from tests.helpers import program_id

    long = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]
    pid = program_id(sample_db, "P0001")
    ops.update_program(sample_db, pid, {"summary": long})
    ops.update_program(sample_db, pid, {"summary": long + "等"})
    pane = HistoryPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_history(queries.program_history(sample_db, "P0001"))
    view = pane.view
    newest = view.topLevelItem(0)
    assert newest.text(3) == "概要"
    assert newest.text(CHANGE_COLUMN) == f"…{long[-20:]} → …{long[-20:]}等"
    assert newest.data(CHANGE_COLUMN, HTML_ROLE).endswith(
        '<span style="color:#0B5CAD; background-color:#DCEBFA; text-decoration:underline; font-weight:bold;">等</span>'
    )
    assert newest.toolTip(CHANGE_COLUMN) == f"変更前:\n{long}\n\n変更後:\n{long}等"
    # a click shows both full texts side by side, the added character marked in the newer one
    assert pane.detail.new_text.toPlainText() == ""
    rect = view.visualItemRect(newest)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.detail.old_text.toPlainText() == long
    assert pane.detail.new_text.toPlainText() == long + "等"
    assert "text-decoration:underline" in pane.detail.new_text.toHtml().replace(" ", "")
