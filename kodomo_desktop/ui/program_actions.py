"""The 編集 menu's program actions: add a program, delete the selected ones, move them to another measure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kodomo_desktop.core.queries import Scope
from kodomo_desktop.ui.messages import confirm
from kodomo_desktop.ui.placement_editor import choose_measure
from kodomo_desktop.ui.undo_commands import CreateProgram, DeleteProgram

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow

NEW_PROGRAM_NAME = "新しい事業"


def new_program_place(window: MainWindow) -> tuple[int, int | None] | None:
    """Where 事業を追加 puts a program: after the current row in its measure, else the chosen measure's end."""
    index = window.grid.currentIndex()
    if index.isValid():
        listing = window.grid_model.listing(index.row())
        if listing.measure_id is not None and listing.position is not None:
            return listing.measure_id, listing.position + 1
    if window.in_measure() and window.scope.id is not None:
        return window.scope.id, None
    return None


def add_program(window: MainWindow) -> None:
    place = new_program_place(window)
    if place is None:
        return
    measure_id, position = place
    doc = {"name": NEW_PROGRAM_NAME, "summary": "", "results": "", "targets": [], "divisions": []}
    command = CreateProgram(window.session, doc, measure_id, position)
    window.session.push(command, lambda ran: _show_new(window, command, measure_id, ran))


def _show_new(window: MainWindow, command: CreateProgram, measure_id: int, ran: bool) -> None:
    if not ran:
        return
    uid = command.uid
    assert uid is not None  # a command that ran has created its program
    if not window.grid_model.rows_of(uid):  # e.g. listing 要確認: show its measure instead
        window.search.clear()
        window.navigator.select_scope(Scope("node", measure_id))
    window.select([(uid, measure_id)])
    window.form.focus_field("name")
    window.form.name.selectAll()


def delete_programs(window: MainWindow) -> None:
    model = window.grid_model
    programs = {model.program(r).uid: model.program(r).name for r in window.grid.selected_rows()}
    if not programs:
        return
    names = "\n".join(f"・{name}" for name in list(programs.values())[:10])
    more = f"\n…ほか{len(programs) - 10}件" if len(programs) > 10 else ""
    if not confirm(
        window,
        "事業の削除",
        f"次の{len(programs)}件の事業を、再掲を含めて削除します（「元に戻す」で復元できます）。\n{names}{more}",
    ):
        return
    with window.session.macro(f"事業の削除（{len(programs)}件）"):
        for uid in programs:  # the first failure stops the rest
            window.session.push(DeleteProgram(window.session, uid))


def choose_and_move(window: MainWindow) -> None:
    """Move the selected rows to a measure the user picks."""
    items = window.grid.selected_placements()
    if not items:
        return
    measure = choose_measure(window, window.tree, {m for _, m, _ in items}, "別の個別施策へ移動", "移動先の個別施策:")
    if measure is not None:
        move_to_measure(window, items, measure)


def move_to_measure(window: MainWindow, items: list[tuple[str, int, int]], measure_id: int) -> None:
    """Move placements (uid, measure id, position), chosen or dropped on the navigator, to a measure."""
    window.grid.move_to_measure(items, measure_id, window.tree.node(measure_id).listings)
