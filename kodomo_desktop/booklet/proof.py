"""The proof copy (校正用): what a proof-reader must look at, as the booklet's story asks it.

Numbered review notes (要確認), ticks that are not certain, and what changed since a
comparison document (the previous fiscal year's edition, or this edition as last
published): changed text as character spans of the new text, new programs and new
re-listings, and the programs that ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from kodomo_desktop.booklet.story import headings, printed
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.listing import is_listed

# the printed text fields a proof compares (所管 as printed, one division a line)
TEXT_FIELDS = ("name", "alias", "summary", "results", "divisions")

Span = tuple[int, int]  # [start, end) in the new text


def marker(number: int) -> str:
    """① … ⑳, then [21] …: circled numbers beyond 20 are missing from many Japanese fonts."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"[{number}]"


def changed_spans(old: str, new: str) -> list[Span]:
    """The spans of new that are not in old, character by character.

    A pure deletion leaves no character to colour: the span is empty and the row's
    change bar alone shows it.
    """
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [(j1, j2) for tag, _i1, _i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


@dataclass(frozen=True)
class ProgramChange:
    spans: dict[str, list[Span]]  # field → changed spans of the new text (only changed fields)
    ticks_added: frozenset[str]
    ticks_removed: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.spans or self.ticks_added or self.ticks_removed)


NO_CHANGE = ProgramChange({}, frozenset(), frozenset())


class Proof:
    """What the proof marks in one document, compared with compare_to (None: no change marks)."""

    marker = staticmethod(marker)

    def __init__(self, document: dict[str, Any], compare_to: dict[str, Any] | None, mode: str) -> None:
        self.compared = compare_to is not None
        self.basis = basis(document, compare_to, mode)
        programs = {p["id"]: p for p in document["programs"]}
        # what the booklet prints: ended programs are not printed
        printed = [place for place in _placements(document) if is_listed(programs[place[1]])]
        self._numbers: dict[str, int] = {}  # in the order the booklet first prints them
        for _key, program_id, _relisted in printed:
            if programs[program_id].get("needs_review") and program_id not in self._numbers:
                self._numbers[program_id] = len(self._numbers) + 1
        self.review = [(n, programs[pid]) for pid, n in self._numbers.items()]
        self._changes: dict[str, ProgramChange] = {}
        self._new: set[tuple[str, str]] = set()  # (measure key, program id) printed for the first time
        self.ended: list[dict[str, Any]] = []
        if compare_to is None:
            return
        before = {p["id"]: p for p in compare_to["programs"] if is_listed(p)}
        before_placed = {(key, pid) for key, pid, _ in _placements(compare_to)}
        for program in document["programs"]:
            old = before.get(program["id"])
            if old is not None and is_listed(program):
                self._changes[program["id"]] = _compare(old, program)
        for key, program_id, relisted in printed:
            if program_id not in before or (relisted and (key, program_id) not in before_placed):
                self._new.add((key, program_id))
        now_printed = {pid for _, pid, _ in printed}
        printed_before = {pid for _, pid, _ in _placements(compare_to)}
        self.ended = [p for pid, p in before.items() if pid in printed_before and pid not in now_printed]

    def number(self, program_id: str) -> int | None:
        """The program's review note number (None: not 要確認)."""
        return self._numbers.get(program_id)

    def change(self, program_id: str) -> ProgramChange:
        return self._changes.get(program_id, NO_CHANGE)

    def is_new(self, measure_key: str, program_id: str) -> bool:
        """A new program, or a re-listing the compared document did not have."""
        return (measure_key, program_id) in self._new


def basis(document: dict[str, Any], compare_to: dict[str, Any] | None, mode: str) -> str:
    """What the proof compares with, in words (printed on the cover and in 校正メモ)."""
    if compare_to is None:
        return "変更の比較なし（要確認と対象の不確かな欄のみを示します）"
    if mode == "published":
        when = f"（{compare_to['published_on']}）" if compare_to.get("published_on") else ""
        return f"比較の対象：この年度版の前回公開時の内容{when}"
    return f"比較の対象：{era_label(compare_to['fiscal_year'])}版"


def uncertain_targets(program: dict[str, Any]) -> frozenset[str]:
    return frozenset(program.get("uncertain_targets") or ())


def _placements(document: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(measure key, program id, relisted) in booklet order."""
    return [
        (heading.key, placement["program"], placement["relisted"])
        for heading, measure in headings(document)
        if measure is not None
        for placement in measure["placements"]
    ]


def _compare(old: dict[str, Any], new: dict[str, Any]) -> ProgramChange:
    spans = {}
    for field in TEXT_FIELDS:
        before, after = printed(old, field), printed(new, field)
        if before != after:
            spans[field] = changed_spans(before, after)
    old_ticks, new_ticks = set(old["targets"]), set(new["targets"])
    return ProgramChange(spans, frozenset(new_ticks - old_ticks), frozenset(old_ticks - new_ticks))
