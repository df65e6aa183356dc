"""A cell's value -> a program field's value: one path for every field and every source.

The same normalizers read a returned cell, the exported base and the database's value,
so a value that only differs in width, spaces or line-break style compares equal and a
department's untouched cell never shows up as a change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from typing import Any

from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import normalize_line, normalize_text, tick_value
from kodomo_desktop.excel.layout import STATUS_CHOICES, TICK

# Excel escapes characters XML cannot carry (CR above all) as _xHHHH_; _x005F_ escapes a literal "_".
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DIVISION_SEPARATORS = re.compile(r"[、,，､]")


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
    """Reads 所管 text as the booklet prints it (core.divisions.format_divisions) back into (部, 課) pairs.

    ``子育て支援部 子育て支援課、おやこ応援課 学校教育部主幹付``: a department name starts a group,
    the words after it are its divisions; 主幹付 is written joined to its department; a division
    name that only one department has may stand alone.
    """

    def __init__(self, master: Iterable[tuple[str, str | None]]):
        self.pairs = set(master)
        self.departments = {dept for dept, _ in self.pairs}
        # longest first, so a department whose name starts with another's is matched whole
        self._prefixes = sorted(self.departments, key=len, reverse=True)
        self._owners: dict[str, list[str]] = {}
        for dept, div in sorted(self.pairs, key=lambda p: (p[0], p[1] or "")):
            if div:
                self._owners.setdefault(div, []).append(dept)

    def parse(self, value: Any) -> list[tuple[str, str | None]]:
        words = normalize_line(cell_text(value)).split()
        if not words:
            raise FieldError("empty_divisions", "所管が空です。担当する部・課を入力してください。")
        groups: list[tuple[str, list[str]]] = []
        for word in words:
            if word in self.departments:
                groups.append((word, []))
                continue
            names = [n for n in _DIVISION_SEPARATORS.split(word) if n]
            if groups and all((groups[-1][0], n) in self.pairs for n in names):
                groups[-1][1].extend(names)
                continue
            dept = next((d for d in self._prefixes if word.startswith(d)), None)
            if dept is not None:
                groups.append((dept, [n for n in _DIVISION_SEPARATORS.split(word[len(dept) :]) if n]))
                continue
            for n in names:
                owners = self._owners.get(n, [])
                if len(owners) != 1:
                    raise self._unknown(n, owners)
                groups.append((owners[0], [n]))
        pairs = [(dept, div) for dept, divs in groups for div in (divs or [None])]
        for pair in pairs:
            if pair not in self.pairs:
                raise self._unknown(format_divisions([pair]), [])
        if len(set(pairs)) != len(pairs):
            raise FieldError("duplicate_division", "所管に同じ部・課が重複しています。")
        return pairs

    def _unknown(self, wanted: str, owners: Sequence[str]) -> FieldError:
        if owners:
            return FieldError(
                "ambiguous_division",
                f"所管「{wanted}」は複数の部にあります（{'、'.join(owners)}）。部の名前を前に付けてください。",
            )
        names = [format_divisions([pair]) for pair in sorted(self.pairs, key=lambda p: (p[0], p[1] or ""))]
        close = get_close_matches(wanted, names, n=3, cutoff=0.5)
        hint = f"候補: {'、'.join(close)}" if close else "所管の一覧にある名前で入力してください"
        return FieldError("unknown_division", f"所管「{wanted}」は所管の一覧にありません（{hint}）。")
