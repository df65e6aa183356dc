"""The grid model at work in the window: an edit or a validation tells the view the rows that changed
and no others, and typing on in the search narrows the rows shown without losing an edited program.
Real window on the seeded FY2024 edition, real clicks and typing."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from kodomo_desktop.ui.program_grid import COL_STATUS, HEADERS
from tests.helpers import shown_window
from tests.test_ui_window import choose, type_text

TICK = HEADERS.index("中学")


@pytest.fixture
def window(qtbot, seeded_db, settings, messages):
    w = shown_window(qtbot, seeded_db, settings)
    choose(w, "すべての事業")
    qtbot.waitUntil(lambda: w.grid_model.rowCount() > 100)
    return w


def signalled_rows(model) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column, last column) of each dataChanged from now on."""
    ranges: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): ranges.append((top.row(), bottom.row(), top.column(), bottom.column()))
    )
    return ranges


def rows_in(ranges) -> set[int]:
    return {r for top, bottom, *_ in ranges for r in range(top, bottom + 1)}


def test_a_toggle_signals_the_rows_of_its_program_only(qtbot, window):
    model = window.grid_model
    # a program listed more than once (【再掲】) in a 基本施策, its rows apart
    choose(window, "良好な成育環境を確保し、こども・若者の健やかな育ちを支える")
    qtbot.waitUntil(lambda: any(model.listing(r).relisted for r in range(model.rowCount())))
    uid = next(model.program(r).uid for r in range(model.rowCount()) if model.listing(r).relisted)
    rows = model.rows_of(uid)
    assert len(rows) > 1 and rows[-1] - rows[0] > 1
    was = model.ticked(rows[0], TICK)
    settled = window.findings
    qtbot.waitUntil(lambda: settled.report is not None and not settled.checking)
    ranges = signalled_rows(model)
    window.grid.scrollTo(model.index(rows[0], TICK))
    rect = window.grid.visualRect(model.index(rows[0], TICK))
    qtbot.mouseClick(window.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: model.ticked(rows[-1], TICK) != was)
    # the program's cells, whole rows; the status column alone is the re-check's, which may follow
    edited = [r for r in ranges if r[2:] == (0, len(HEADERS) - 1)]
    assert rows_in(edited) == set(rows)
    assert all(r in edited or r[2:] == (COL_STATUS, COL_STATUS) for r in ranges)


def test_findings_signal_the_status_of_the_programs_whose_severity_changed(qtbot, window):
    model = window.grid_model
    qtbot.waitUntil(lambda: window.findings is not None and window.findings.report is not None)
    qtbot.waitUntil(lambda: bool(model._severity))
    severities = dict(model._severity)
    uid = next(model.program(r).uid for r in range(model.rowCount()) if model.program(r).uid not in severities)
    ranges = signalled_rows(model)
    model.set_severities(severities)  # the same findings again: nothing changed
    assert ranges == []
    model.set_severities({**severities, uid: "error"})
    assert rows_in(ranges) == set(model.rows_of(uid))
    assert {(first, last) for *_, first, last in ranges} == {(COL_STATUS, COL_STATUS)}
    assert model.index(model.rows_of(uid)[0], COL_STATUS).data(Qt.ItemDataRole.DecorationRole) is not None


def shown(model) -> list[tuple[str, bool]]:
    return [(model.program(r).uid, model.listing(r).relisted) for r in range(model.rowCount())]


def test_typing_on_narrows_to_what_a_fresh_search_finds(qtbot, window):
    model = window.grid_model
    type_text(window.search, "子")
    wide = shown(model)
    type_text(window.search, "育て")
    narrowed = shown(model)
    assert 0 < len(narrowed) < len(wide)
    window.search.clear()
    type_text(window.search, "子育て")
    assert shown(model) == narrowed


def test_typing_on_finds_a_program_edited_to_match(qtbot, window):
    model = window.grid_model
    programs = [model.program(r) for r in range(model.rowCount())]
    type_text(window.search, "子")
    found = {uid for uid, _ in shown(model)}
    missing = next(p for p in programs if p.uid not in found)  # nothing in it has 子
    edited = dataclasses.replace(missing, name=missing.name + "（子育て）", summary="", results="")
    model.update_programs([missing.uid], [edited])  # as the window does when an edit comes back
    type_text(window.search, "育て")
    assert edited.uid in {uid for uid, _ in shown(model)}
