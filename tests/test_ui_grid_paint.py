"""The grid's target cells as painted: a tick drawn for a ticked target, none for the others."""

from __future__ import annotations

from PySide6.QtGui import QImage

from kodomo_desktop.ui.program_grid import TARGET_COLUMNS


def cell_image(window, row: int, column: int) -> QImage:
    grid = window.grid
    grid.scrollTo(window.grid_model.index(row, column))
    image = grid.viewport().grab(grid.visualRect(window.grid_model.index(row, column))).toImage()
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_target_cells_paint_their_tick(qtbot, window):
    model = window.grid_model
    qtbot.waitUntil(lambda: model.rowCount() > 1)
    window.grid.clearSelection()
    window.grid.setCurrentIndex(model.index(-1, -1))
    # a target column with a ticked and an unticked program
    column, ticked, unticked = next(
        (c, on[0], off[0])
        for c in TARGET_COLUMNS
        for on, off in [
            (
                [r for r in range(model.rowCount()) if model.ticked(r, c)],
                [r for r in range(model.rowCount()) if not model.ticked(r, c)],
            )
        ]
        if on and off
    )
    on, off = cell_image(window, ticked, column), cell_image(window, unticked, column)
    assert on.size() == off.size()
    assert on != off
    # an unticked cell is the empty cell with the box alone: the tick's pixels are darker
    dark = sum(on.pixelColor(x, y).lightness() < 128 for x in range(on.width()) for y in range(on.height()))
    dark_off = sum(off.pixelColor(x, y).lightness() < 128 for x in range(off.width()) for y in range(off.height()))
    assert dark > dark_off


def test_a_target_cell_is_painted_for_its_state_selected_or_not(qtbot, window):
    model = window.grid_model
    qtbot.waitUntil(lambda: model.rowCount() > 2)
    # two cells that differ only in being selected: both ticked or both not, rows alike in colour (alternating)
    column, rows = next(
        (c, same[:2])
        for c in TARGET_COLUMNS
        for parity in (0, 1)
        for ticked in (True, False)
        for same in [[r for r in range(parity, model.rowCount(), 2) if model.ticked(r, c) == ticked]]
        if len(same) >= 2
    )
    window.grid.clearSelection()
    window.grid.setCurrentIndex(model.index(-1, -1))
    plain = cell_image(window, rows[0], column)
    assert cell_image(window, rows[1], column) == plain  # the same look, drawn once and copied
    window.grid.selectionModel().select(model.index(rows[1], column), window.grid.selectionModel().SelectionFlag.Select)
    assert cell_image(window, rows[1], column) != plain
    assert cell_image(window, rows[0], column) == plain
