"""Tables whose target cells came out of the extraction as 9 or 7 slots instead of 8.

The header lines do not tell which slot is which target (source-list/README.md), so every
way of reading such a table is weighed against the evidence, and what the evidence leaves
open is flagged for review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from kodomo_desktop.core.seed.notes import Decisions, targets_label
from kodomo_desktop.core.seed.source import Row
from kodomo_desktop.core.targets import TARGETS

# A reading: the target each slot of the table stands for, left to right.
Reading = tuple[str, ...]

# Words in a program's name and summary that name a target group: weak evidence for reading
# a broken table, used only after the copies and the empty columns.
_MENTIONS = {
    "妊婦等": "妊婦|妊産婦|妊娠",
    "乳児": "乳児|乳幼児|赤ちゃん|新生児",
    "幼児": "幼児|乳幼児|保育所|幼稚園|こども園|未就学",
    "小学": "小学|小中",
    "中学": "中学",
    "高校": "高校|高等学校",
    "18歳超": "大学|成人|若者|若年",
    "親等": "保護者|家族|父母|親",
}


def resolve_target_slots(rows: Sequence[Row], decisions: Decisions) -> None:
    """Every row's targets: read directly from 8 slots, through the evidence from 9 or 7."""
    regular: defaultdict[str, set[frozenset[str]]] = defaultdict(set)  # program -> targets read from 8-slot rows
    irregular: defaultdict[tuple[int, int], list[Row]] = defaultdict(list)  # (table, slot count) -> rows
    for row in rows:
        if len(row.ticks) == 8:
            row.targets = frozenset(t for t, ticked in zip(TARGETS, row.ticks, strict=False) if ticked)
            regular[row.program].add(row.targets)
        else:
            irregular[row.table, len(row.ticks)].append(row)
    for table_rows in irregular.values():
        _SlotTable(table_rows, regular).resolve(decisions)


class _SlotTable:
    """Rows of one table whose target cells came out as 9 or 7 slots instead of 8.

    A reading assigns a target to every slot. With 9 slots the extraction split one column
    in two, so two neighbouring slots read as the same target (a spurious empty column is
    the case where one of them is always empty); with 7 slots it lost one column, so one
    target has no slot. Every such reading is a candidate; the evidence, strongest first:
      1. the same program's targets in the regular (8-slot) tables;
      2. the split column has a half that is empty in every row (9 slots);
      3. the program's own text names the targets (保護者, 妊婦, 高校 …);
      4. a single ○ is not counted in both halves of a split column;
      5. a program's age groups do not skip one in the middle.
    Only 1 and 2 settle a row; a row whose targets still depend on the reading after them
    is flagged needs_review, with the readings it could have.
    """

    EVIDENCE = (
        "同じ事業の他の掲載箇所の対象と合う",
        "分かれた欄の片方がどの行でも空欄",
        "概要に書かれた対象（保護者、妊婦、高校など）と合う",
        "1つの○を2つの欄で二重に数えない",
        "年齢の区分が途中で抜けない",
    )

    def __init__(self, rows: list[Row], regular: defaultdict[str, set[frozenset[str]]]):
        self.rows, self.regular = rows, regular
        self.n = len(rows[0].ticks)
        if self.n == 9:  # target k read from slots k and k+1
            self.readings: list[Reading] = [TARGETS[: k + 1] + TARGETS[k:] for k in range(8)]
        else:  # target k has no slot
            self.readings = [TARGETS[:k] + TARGETS[k + 1 :] for k in range(8)]
        self.empty = {i for i in range(self.n) if not any(r.ticks[i] for r in rows)}

    def targets(self, row: Row, reading: Reading) -> frozenset[str]:
        return frozenset(t for t, ticked in zip(reading, row.ticks, strict=False) if ticked)

    def split(self, reading: Reading) -> list[int]:
        return [i for i in range(self.n) if reading.count(reading[i]) > 1]

    def scores(self, reading: Reading) -> tuple[int, ...]:
        read = [self.targets(row, reading) for row in self.rows]
        halves = self.split(reading)
        return (
            sum(t in self.regular[row.program] for row, t in zip(self.rows, read, strict=False)),
            any(i in self.empty for i in halves),
            sum(
                bool(re.search(_MENTIONS[t], row.name + row.summary))
                for row, ts in zip(self.rows, read, strict=False)
                for t in ts
            ),
            -sum(bool(halves) and all(row.ticks[i] for i in halves) for row in self.rows),
            -sum(_has_gap(ts) for ts in read),
        )

    def outcome(self, readings: Sequence[Reading]) -> set[tuple[frozenset[str], ...]]:
        return {tuple(self.targets(row, r) for row in self.rows) for r in readings}

    def resolve(self, decisions: Decisions) -> None:
        candidates, reasons = list(self.readings), []
        settled: list[Reading] = []  # what the settling evidence (1 and 2) leaves
        for i, why in enumerate(self.EVIDENCE):
            best = max(self.scores(r)[i] for r in candidates)
            kept = [r for r in candidates if self.scores(r)[i] == best]
            if len(self.outcome(kept)) < len(self.outcome(candidates)):
                reasons.append(why)
            candidates = kept
            if i == 1:
                settled = candidates
        chosen = candidates[0]
        for row in self.rows:
            row.targets = self.targets(row, chosen)
        how = self.describe(chosen, [c for c in candidates if self.outcome([c]) == self.outcome([chosen])])
        unsettled = [r for r in self.rows if len({self.targets(r, c) for c in settled}) > 1]
        first = self.rows[0]
        because = f"根拠: {'、'.join(reasons)}" if reasons else "どの読み方でも各行の対象は同じです"
        message = (
            f"{first.measure.where}の表（{_lines([r.line for r in self.rows])}）は、"
            f"原資料のテキストでは対象欄が8つではなく{self.n}つ"
            f"{'に分かれていました' if self.n == 9 else 'しかありませんでした'}。{how}読みました（{because}）。"
        )
        if unsettled:
            names = "、".join(f"{r.line}行目「{r.name}」" for r in unsettled)
            message += f"ただし{names}は読み方によって対象が変わり、確定できないため要確認としました。"
        code = f"target_slots_{self.n}"
        decisions.note(code, message, line=first.line)
        for row in unsettled:
            readings = {self.targets(row, c) for c in settled}
            row.uncertain = frozenset.union(*readings) - frozenset.intersection(*readings)
            options = sorted(targets_label(r) for r in readings)
            doubt = f"対象が「{'」か「'.join(options)}」か" if len(options) <= 3 else "読み方によって対象が変わり、"
            message = (
                f"{row.label}「{row.name}」は対象欄の数が合わない表にあり、{doubt}確定できません。"
                f"{how}読んだ結果の「{targets_label(row.targets)}」で取り込みました。対象を確認してください。"
            )
            decisions.note(code, message, row.program, row.line, review=True)

    def describe(self, chosen: Reading, same: list[Reading]) -> str:
        """How the chosen reading reads the table, ready for 読みました; `same`: readings with the same result."""
        if self.n == 7:
            missing = next(t for t in TARGETS if t not in chosen)
            return f"「{missing}」の欄が抜けているものとして、左から順に「{'・'.join(chosen)}」の欄と"
        empties = sorted({i + 1 for reading in same for i in self.split(reading) if i in self.empty})
        if empties:
            which = f"{empties[0]}番目" if len(empties) == 1 else f"{empties[0]}〜{empties[-1]}番目のどれか"
            return f"どの行でも空欄の余分な欄（左から{which}）を除いて"
        splits = sorted({tuple(self.split(reading)) for reading in same})
        if len(splits) == 1:
            a, b = splits[0]
            return f"左から{a + 1}番目と{b + 1}番目の欄を1つの「{chosen[a]}」欄として"
        first, last = splits[0][0] + 1, splits[-1][1] + 1
        return f"左から{first}〜{last}番目のどこかで1つの欄が2つに分かれたもの（どこでも結果は同じ）として"


def _has_gap(targets: frozenset[str]) -> bool:
    ages = [i for i, t in enumerate(TARGETS[:-1]) if t in targets]  # 親等 is not an age group
    return bool(ages) and ages[-1] - ages[0] + 1 != len(ages)


def _lines(lines: Sequence[int]) -> str:
    return f"{lines[0]}行目" if len(lines) == 1 else f"{lines[0]}〜{lines[-1]}行目"
