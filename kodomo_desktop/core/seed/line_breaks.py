"""Line breaks inside the source list's cells, restored where PDF extraction flattened them to spaces.

The FY2024 source list has one table row per line, so every line break inside a 概要 or 実績 cell
came out as a single space. `restore_breaks` puts them back: it judges each run of spaces inside a
line on its neighbours only (the word before it and the text after it, never across a line break)
and either replaces the whole run with one "\\n" (a break) or leaves it alone (a real space).
No other character changes, and restoring twice changes nothing.

A space is a break, in both 概要 and 実績, when
- `heading_start`:  a 【…】 heading follows (【児童発達支援事業】, 【ピロリ菌検査】);
- `heading_end`:    a 【…】 heading that begins its line precedes it: the heading stands on its own line;
- `note`:           a ※ note follows (※令和8年度以降は…, ※10か月児健診のみ…);
- `bullet`:         a ・ bullet follows (小・中学校 has no space before its ・, so it is not a bullet);
- `mark`:           a ■ □ ● ○ ◆ ◇ ▼ ▲ mark follows;
- `numbering`:      a number in brackets, a circled number or "1." follows ((1) 令和7年度に…, ①, （２）);
- `sentence_end`:   a 。 precedes it: Japanese prose never puts a space after 。, so a paragraph ended;
- `colon_label`:    a short label with a colon follows (内容:栄養士講話…).
A space is also a break in 実績, a list of "label figure" items, when
- `after_figure`:   a figure precedes it (digits with an optional unit from UNITS, an optional /年 and
                    an optional (…) note: 233日, 602人(当選362人), 458人/年, 77) and a label follows, i.e.
                    something that is not a figure, a unit, a bracket or a slash (開所日数 233日 延利用者数…);
- `before_label`:   a label follows that is itself followed by a space and a figure, and that is not a
                    figure itself (…を植栽 支出額 204,600円, …1,403人 10か月児健診 1,358人).
Every other space is a real space, notably between a label and its figure (開所日数 233日), between a
figure and its note (応募件数 7件 (大賞1件、…)), between two figures (4校 402名), after a numbering
((1) 令和7年度に), inside a bullet (・前期 4～7か月児の保護者), between Latin words (ASOBI BA) and
inside a date (令和7年 3月31日).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Field = Literal["summary", "results"]

_SPACE_RUN = re.compile("[ \u3000]+")

# Counters that follow a figure in the FY2024 実績 texts, and a few more that city lists use.
UNITS = (
    "か所", "ヶ所", "箇所", "千円", "万円", "円", "世帯", "団体", "施設", "企業", "時間", "ブース",
    "人", "件", "回", "日", "校", "名", "枚", "点", "個", "社", "組", "本", "冊", "台", "園", "館",
    "km", "PV", "%", "％",
)  # fmt: skip
_UNIT = "(?:" + "|".join(map(re.escape, UNITS)) + ")"
# A figure: digits (with , and .), a unit, a rate (/年), a note in brackets: 602人(当選362人), 458人/年.
_FIGURE_TAIL = rf"\d[\d,.]*{_UNIT}?(?:/[年月日回])?(?:\([^()]*\)|（[^（）]*）)?"
_ENDS_WITH_FIGURE = re.compile(rf"{_FIGURE_TAIL}$")
# A word that is only a figure (延べ52校, 実1,418件 count too): never a label.
_WHOLE_FIGURE = re.compile(rf"(?:実|延べ|約|計)?{_FIGURE_TAIL}")
_UNIT_WORD = re.compile(rf"{_UNIT}(?:/[年月日回])?(?:\([^()]*\)|（[^（）]*）)?")
# What may follow a figure without starting a new item: another figure, its note, a rate, a range.
_NOT_A_LABEL_START = re.compile(r"[\d(（/~～〜\-－+,、。)）]")

_HEADING_AT_LINE_START = re.compile(r"(?:^|[ \u3000])【[^【】\s]*】$")
_MARKS = "■□●○◆◇▼▲"
_NUMBERING = re.compile(r"(?:\(\d{1,2}\)|（[\d０-９]{1,2}）|[①-⑳]|\d{1,2}[.．](?!\d))")
_COLON_LABEL = re.compile(r"[^\s:：、。]{1,10}[:：]")


@dataclass(frozen=True)
class Space:
    """One run of spaces inside a line: the line before it, and the line after it."""

    before: str
    after: str

    @property
    def word_before(self) -> str:
        return _SPACE_RUN.split(self.before)[-1]

    @property
    def word_after(self) -> str:
        return _SPACE_RUN.split(self.after, maxsplit=1)[0]

    @property
    def rest_after_word(self) -> str:
        """The text after the next word and its spaces ("" when the word ends the line)."""
        parts = _SPACE_RUN.split(self.after, maxsplit=1)
        return parts[1] if len(parts) > 1 else ""


def heading_start(s: Space) -> bool:
    # 【…】 is how the source names a sub-programme or a part of a cell; it always begins a line.
    return s.after.startswith("【")


def heading_end(s: Space) -> bool:
    # The text under a heading is a list or paragraph of its own; keeping its first item beside the
    # heading would set that item apart from the ones below it.
    return _HEADING_AT_LINE_START.search(s.before) is not None


def note(s: Space) -> bool:
    # A ※ note is an annotation to the whole cell, never to the word before it.
    return s.after.startswith("※")


def bullet(s: Space) -> bool:
    # A ・ after a space is a bullet (html_to_text already split most lists); 小・中 has no space.
    return s.after.startswith("・")


def mark(s: Space) -> bool:
    # Like ・, these marks only ever begin an item in the source.
    return s.after[:1] in _MARKS


def numbering(s: Space) -> bool:
    # (1) / （１） / ① / 1. open the items of an enumerated list.
    return _NUMBERING.match(s.after) is not None


def sentence_end(s: Space) -> bool:
    # Japanese prose puts no space after 。, so a space there is where a paragraph or item ended.
    return s.before.endswith("。")


def colon_label(s: Space) -> bool:
    # 内容:… is a field label of its own, like 対象 on the line above it.
    return _COLON_LABEL.match(s.after) is not None


def after_figure(s: Space) -> bool:
    # 実績 lists "label figure" items: after a figure, a label (not a figure, unit or note) starts the next one.
    if _ENDS_WITH_FIGURE.search(s.word_before) is None:
        return False
    return not (_NOT_A_LABEL_START.match(s.after) or _UNIT_WORD.fullmatch(s.word_after))


def before_label(s: Space) -> bool:
    # A word followed by a figure is a label, so it starts an item even when what precedes it is not a
    # figure (…を植栽 支出額 204,600円) or when the label itself begins with a digit (10か月児健診 1,358人).
    word = s.word_after
    if not word or word[0] in "(（/~～〜" or _WHOLE_FIGURE.fullmatch(word):
        return False
    return s.rest_after_word[:1].isdecimal()


Rule = Callable[[Space], bool]
_BOTH: tuple[Rule, ...] = (heading_start, heading_end, note, bullet, mark, numbering, sentence_end, colon_label)
# Tried in order; the first rule that holds names the break in the counts.
RULES: dict[Field, tuple[Rule, ...]] = {"summary": _BOTH, "results": (*_BOTH, after_figure, before_label)}


@dataclass(frozen=True)
class Restored:
    """The text with its breaks back, how many were restored (by rule) and how many spaces were kept."""

    text: str
    breaks: int
    spaces: int
    by_rule: Counter[str]


def restore_breaks(text: str, field: Field) -> Restored:
    """Replace each run of spaces that stood for a line break with "\\n"; keep every other space."""
    rules = RULES[field]
    by_rule: Counter[str] = Counter()
    spaces = 0
    lines = []
    for line in text.split("\n"):
        out, last = [], 0
        for m in _SPACE_RUN.finditer(line):
            out.append(line[last : m.start()])
            last = m.end()
            space = Space(line[: m.start()], line[m.end() :])
            inside = m.start() > 0 and m.end() < len(line)
            rule = next((r for r in rules if r(space)), None) if inside else None
            if rule is None:
                spaces += 1
                out.append(m.group())
            else:
                by_rule[rule.__name__] += 1
                out.append("\n")
        out.append(line[last:])
        lines.append("".join(out))
    return Restored("\n".join(lines), sum(by_rule.values()), spaces, by_rule)
