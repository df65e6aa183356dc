"""A cell's value -> a program field's value: one path for every field and every source.

The same normalizers read a returned cell, the exported base and the database's value,
so a value that only differs in width, spaces or line-break style compares equal and a
department's untouched cell never shows up as a change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from kodomo_desktop.core.divisions import DivisionPair, DivisionTextError, MasterList, parse_divisions
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import normalize_line, normalize_text, tick_value
from kodomo_desktop.excel.layout import STATUS_CHOICES, TICK

# Excel escapes characters XML cannot carry (CR above all) as _xHHHH_; _x005F_ escapes a literal "_".
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class FieldError(Exception):
    """A cell whose value cannot be the field's value. code is stable (JSON), message Japanese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def cell_text(value: Any) -> str:
    """The text a cell shows: strings decoded, numbers without a spurious .0, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value) if "_x" in value else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def tick(value: Any, label: str) -> bool:
    ticked = tick_value(cell_text(value) if isinstance(value, str) else value)
    if ticked is None:
        raise FieldError(
            "not_a_tick",
            f"対象「{label}」の値「{cell_text(value)}」は使えません。"
            f"該当するときは {TICK}、しないときは空欄にしてください。",
        )
    return ticked


def targets_value(labels: Iterable[str]) -> list[str]:
    """A set of target labels in column order (the form every source is compared in)."""
    wanted = set(labels)
    return [label for label in TARGETS if label in wanted]


def program_id(value: Any) -> str:
    return normalize_line(cell_text(value)).upper()


def name(value: Any) -> str:
    text = normalize_line(cell_text(value))
    if not text:
        raise FieldError("empty_name", "事業・取組名称が空です。名称を入力してください。")
    return text


def alias(value: Any) -> str | None:
    return normalize_line(cell_text(value)) or None


def text(value: Any) -> str:
    """概要, 実績 and 備考: line breaks kept (Excel's CR LF and _x000D_ become LF)."""
    return normalize_text(cell_text(value))


def status(value: Any) -> str | None:
    """変更区分; None where the cell is blank (the program keeps its status)."""
    word = normalize_line(cell_text(value))
    if not word:
        return None
    if word not in STATUS_CHOICES:
        raise FieldError(
            "bad_status", f"変更区分「{word}」は使えません。{'・'.join(STATUS_CHOICES)} のいずれかを選んでください。"
        )
    return word


class DivisionNames:
    """Reads 所管 text as the booklet prints it back into (部, 課) pairs of the master list
    (core.divisions.parse_divisions), as a cell's value."""

    def __init__(self, master: MasterList):
        self.master = master

    def parse(self, value: Any) -> list[DivisionPair]:
        try:
            pairs = parse_divisions(cell_text(value), self.master)
        except DivisionTextError as exc:
            raise FieldError(exc.code, exc.message) from None
        if not pairs:
            raise FieldError("empty_divisions", "所管が空です。担当する部・課を入力してください。")
        if len(set(pairs)) != len(pairs):
            raise FieldError("duplicate_division", "所管に同じ部・課が重複しています。")
        return pairs
