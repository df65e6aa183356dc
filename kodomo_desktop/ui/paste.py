"""Values written into grid cells (a block pasted from Excel, or one edited cell), checked whole first.

Every cell of a block is read and checked before anything is written, so a bad value
refuses the whole block with a message naming its row, program and column, and a good
block becomes the same undo commands the form pushes (EditField, SetDivisions,
SetTargets): one command for one cell, one macro for a block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kodomo_desktop.core.divisions import DivisionPair, DivisionTextError, MasterList, format_divisions, parse_divisions
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.queries import ProgramRow
from kodomo_desktop.core.text import normalize_line, normalize_text, tick_value
from kodomo_desktop.core.vocabulary import PROGRAM_STATUSES
from kodomo_desktop.ui.edit_session import EditSession
from kodomo_desktop.ui.program_grid import (
    COL_DIVISIONS,
    FIELD_OF_COLUMN,
    HEADERS,
    RELISTED,
    TARGET_COLUMNS,
    target_index,
)
from kodomo_desktop.ui.undo_commands import EditField, OperationCommand, SetDivisions, SetTargets

Pairs = tuple[DivisionPair, ...]
NOTHING_CHANGED = "何も変更していません。"


@dataclass
class CellWrites:
    """What a block writes, per program: only values that differ from the stored ones."""

    masks: dict[str, tuple[int, int]] = field(default_factory=dict)  # uid -> (old, new) targets
    fields: dict[tuple[str, str], tuple[Any, Any]] = field(default_factory=dict)  # (uid, field) -> (old, new)
    divisions: dict[str, tuple[Pairs, Pairs]] = field(default_factory=dict)  # uid -> (old, new)

    @property
    def programs(self) -> set[str]:
        return {*self.masks, *(uid for uid, _ in self.fields), *self.divisions}

    def commands(self, session: EditSession) -> list[OperationCommand]:
        commands: list[OperationCommand] = []
        if self.masks:
            commands.append(SetTargets(session, self.masks))
        commands += [EditField(session, uid, name, old, new) for (uid, name), (old, new) in self.fields.items()]
        commands += [SetDivisions(session, uid, old, new) for uid, (old, new) in self.divisions.items()]
        return commands


class _Block:
    """Reads one block's cells into CellWrites, refusing at the first value that cannot be written."""

    def __init__(
        self,
        program: Callable[[int], ProgramRow],
        shown: Callable[[int, int], str],
        master: Callable[[], MasterList],
        stored_divisions: Callable[[str], Pairs],
    ):
        self._program, self._shown = program, shown
        self._master, self._stored_divisions = master, stored_divisions
        self.writes = CellWrites()
        self._seen: dict[tuple[str, int], tuple[Any, int]] = {}  # (uid, column) -> (value, row): a relisted twice

    def cell(self, row: int, column: int, text: str) -> None:
        if column not in FIELD_OF_COLUMN and column not in TARGET_COLUMNS and text == self._shown(row, column):
            return  # a copied block pasted back: a column the grid only shows is left as it is
        program = self._program(row)
        where = f"{row + 1}行目（{program.uid}）の {HEADERS[column]}"
        value = self._value(column, text, where)
        seen = self._seen.setdefault((program.uid, column), (value, row))
        if seen[0] != value:
            raise InvalidInput(
                f"{where}が、同じ事業の{seen[1] + 1}行目と違う値になっています"
                f"（【再掲】の行も同じ事業です）。どちらかに揃えてください。{NOTHING_CHANGED}"
            )
        if column in TARGET_COLUMNS:
            bit = 1 << target_index(column)
            old, new = self.writes.masks.get(program.uid, (program.targets, program.targets))
            self.writes.masks[program.uid] = (old, new | bit if value else new & ~bit)
        elif column == COL_DIVISIONS:
            if format_divisions(value) != program.divisions:
                self.writes.divisions[program.uid] = (self._stored_divisions(program.uid), tuple(value))
        else:
            name = FIELD_OF_COLUMN[column]
            old = getattr(program, name)
            if value != old:
                self.writes.fields[program.uid, name] = (old, value)

    def _value(self, column: int, text: str, where: str) -> Any:
        if column in TARGET_COLUMNS:
            ticked = tick_value(text)
            if ticked is None:
                raise InvalidInput(
                    f"{where}「{text}」は対象の印として読めません（○ などは対象、空欄や × は対象外）。{NOTHING_CHANGED}"
                )
            return ticked
        name = FIELD_OF_COLUMN.get(column)
        if name is None:
            raise InvalidInput(
                f"「{HEADERS[column]}」の列には貼り付けられません。"
                f"名称・対象・実績・所管・変更区分・通称・概要の列を選んでください。{NOTHING_CHANGED}"
            )
        if name == "name":
            value = normalize_line(text.removeprefix(RELISTED))  # a copied 【再掲】 row keeps its mark
            if not value:
                raise InvalidInput(f"{where}が空です。{FIELD_LABELS[name]}は空にできません。{NOTHING_CHANGED}")
            return value
        if name == "alias":
            return normalize_line(text) or None
        if name == "status":
            value = normalize_line(text)
            if value not in PROGRAM_STATUSES:
                raise InvalidInput(
                    f"{where}「{value}」は選べません。{'・'.join(PROGRAM_STATUSES)}のどれかにしてください。"
                    f"{NOTHING_CHANGED}"
                )
            return value
        if name == "divisions":
            try:
                pairs = parse_divisions(text, self._master())
            except DivisionTextError as exc:
                raise InvalidInput(f"{where}: {exc.message}{NOTHING_CHANGED}") from exc
            if len(set(pairs)) != len(pairs):
                raise InvalidInput(f"{where}に同じ所管が2回あります。1回にしてください。{NOTHING_CHANGED}")
            return pairs
        return normalize_text(text)


def read_block(
    cells: list[list[str]],
    top: int,
    left: int,
    rows: int,
    program: Callable[[int], ProgramRow],
    shown: Callable[[int, int], str],
    master: Callable[[], MasterList],
    stored_divisions: Callable[[str], Pairs],
) -> CellWrites:
    """The writes of a block of cells whose top-left is (top, left), in a grid of `rows` rows and
    HEADERS columns; InvalidInput (Japanese, naming the cell) when any cell cannot be written.
    `program` gives a row's program, `shown` a cell as copied (a column the grid only shows takes
    back what it shows, nothing else); `master` is called only when the 所管 column is pasted into,
    `stored_divisions` only for a program whose 所管 changes."""
    width = max(len(line) for line in cells)
    if top + len(cells) > rows:
        raise InvalidInput(
            f"貼り付ける{len(cells)}行が表の最後の行を越えています（{top + len(cells) - rows}行分）。"
            f"貼り付け先の行を選び直してください。{NOTHING_CHANGED}"
        )
    if left + width > len(HEADERS):
        raise InvalidInput(
            f"貼り付ける{width}列が表の右端（{HEADERS[-1]}）を越えています。貼り付け先の列を選び直してください。"
            f"{NOTHING_CHANGED}"
        )
    block = _Block(program, shown, master, stored_divisions)
    for r, line in enumerate(cells):
        for c, text in enumerate(line):
            block.cell(top + r, left + c, text)
    writes = block.writes
    writes.masks = {uid: mask for uid, mask in writes.masks.items() if mask[0] != mask[1]}
    return writes
