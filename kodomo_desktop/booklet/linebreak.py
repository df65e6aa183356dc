"""Japanese line breaking for the booklet.

ReportLab's CJK wrapping breaks between any two characters, splits Latin words and
numbers, and applies only part of the kinsoku rules. Here text is cut into
unbreakable atoms (a Latin word, a number with its unit or a date, a katakana word,
a kinsoku group, a single kana or kanji), the atoms are grouped into words and the
words into phrases (文節, BudouX's model), and lines are filled with whole phrases.
Only a phrase wider than a whole line breaks inside: between its words where it can,
else between atoms. A paragraph's last line of one or two characters is avoided by
narrowing that paragraph's measure when that costs no extra line and no worse break.
"""

import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeAlias

import budoux
from budoux import Parser, load_default_japanese_parser

from kodomo_desktop.booklet import cache_files

# JIS X 4051 line-start prohibited characters (closing brackets, punctuation,
# small kana, prolonged sound mark, iteration marks) and their half-width kin.
NO_START = frozenset(
    "、。，．,.」）』】〕］｝〉》〙〗”’)]}"
    "・：；？！:;?!ー－～〜…‥々ゝゞヽヾ゛゜%％"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)
# Line-end prohibited: opening brackets.
NO_END = frozenset("「（『【〔［｛〈《〘〖“‘([{")

SPACES = " \u3000"

# Counters and units that stay with their number; a longer one before its prefix (千円 before 千).
_UNIT = (
    "(?:か月児|ヶ月児|ヵ月児|カ月児|年度|年間|か月|ヶ月|ヵ月|カ月|ケ月|か所|ヶ所|カ所|箇所|千円|万円|億円|"
    "万人|千人|歳児|日間|時間|週間|分間|世帯|施設|団体|項目|人|件|回|円|年|月|日|時|分|秒|歳|校|園|所|組|"
    "名|冊|部|枚|台|本|店|週|割|倍|点|個|社|戸|食|泊|種|号|条|期|次|区|級|席|頁|%|％|㎡|km|kg|cm|mm)"
)
_ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"
_NUM = "[0-9０-９]+(?:[,.，．][0-9０-９]+)*"
# A number with its units, chained: 233日, 10,535千円, 1歳6か月児, 令和7年3月31日, 4～7か月児, 第3回
_NUMBER = rf"(?:令和|平成|昭和|第|約)?{_NUM}{_UNIT}?(?:[～〜~－\-]?{_NUM}{_UNIT}?)*"
_KATAKANA = "[ァ-ヺー]+"
# A number, a katakana word, a Latin word or URL-like run (alphanumerics joined by
# inner punctuation: R7.4.1 / ASOBI~BA / e-mail), one space run, or any single character.
_ATOM = re.compile(
    rf"{_NUMBER}|{_KATAKANA}|[{SPACES}]+|[{_ALNUM}]+(?:[.,:/~'’_&@#=+\-][{_ALNUM}]+)*|.",
    re.S,
)
_DIGITS = frozenset("0123456789０１２３４５６７８９")
SHORT_LAST_LINE = 2  # a paragraph's last line of this many characters or fewer is rebalanced away


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# A paragraph beginning with one of these marks hangs: its continuation lines
# start under the text, not under the mark.
_BULLET = re.compile(r"^(?:[・※●○◎◆◇■□★☆]|[(（][0-9０-９]{1,2}[)）])[ \u3000]?")

Measure = Callable[[str], float]
# A phrase, a word or an atom: its text and the parts a line may break it into (none for an atom).
Node: TypeAlias = tuple[str, tuple["Node", ...]]
_WORDLIKE = re.compile(rf"{_NUMBER}|{_KATAKANA}|[{_ALNUM}]")


def atoms(text: str) -> list[str]:
    """Cut text into pieces no line break may fall inside."""
    out: list[str] = []
    for atom in _ATOM.findall(text):
        if out:
            last, first = out[-1][-1], atom[0]
            if (
                (first in NO_START or last in NO_END or (last in _DIGITS and _is_cjk(first)))
                # a space is itself a break opportunity and is never glued
                and last not in SPACES
                and first not in SPACES
            ):
                # the last rule keeps a number with a counter not in UNITS: 3クラス
                out[-1] += atom
                continue
        out.append(atom)
    return out


@cache
def _parser() -> Parser:
    return load_default_japanese_parser()


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def _node(parts: list[str] | list[Node]) -> Node:
    children = tuple((part, ()) if isinstance(part, str) else part for part in parts)
    return "".join(text for text, _ in children), children


# punctuation and closing brackets: a word ends after them
_CLOSING = frozenset("、。，．,.」）』】〕］｝〉》〙〗”’)]}・：；？！:;?!")


def _word_break(last: str, atom: str) -> bool:
    if last[-1] in _CLOSING or atom[0] in NO_END:
        return True
    if _is_hiragana(atom[0]):  # okurigana and particles stay with their word
        return False
    return bool(_WORDLIKE.match(last) or _WORDLIKE.match(atom)) or _is_hiragana(last[-1])


def _words(atoms: list[str]) -> list[Node]:
    """A phrase's atoms grouped into words: a break inside a phrase that is too long
    for a line falls after punctuation, before a bracket, around a number, a katakana
    or Latin word, or where kana turns to kanji (子育て｜支援部, 令和7年3月31日｜現在の),
    before it falls between any two atoms."""
    words: list[list[str]] = []
    for atom in atoms:
        if words and not _word_break(words[-1][-1], atom):
            words[-1].append(atom)
        else:
            words.append([atom])
    return [_node(w) for w in words]


# a short quotation or parenthesis stays whole: BudouX splits unknown names (「は｜しっくす」)
_SHORT_QUOTE = re.compile(r"[「『（(][^「『（(」』）)]{1,10}[」』）)]")


# BudouX's model is most of a booklet's line-breaking time, and an edition's texts change
# little from one build to the next: the phrases are kept between runs (cache_files), keyed
# by the model's release and by this module's rules (its source), and within a run, since
# the booklet wraps the same cell at several widths and on two passes.
PHRASES_KEPT = 50_000  # paragraphs; past it, only those of the last build are kept
_stored: dict[str, tuple[Node, ...]] | None = None
_used: dict[str, tuple[Node, ...]] = {}
_segmented = 0  # how many of _used were not in _stored


def _phrase_file() -> Path | None:
    try:
        rules = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    except OSError:  # a frozen app carries no sources: it segments afresh each run
        return None
    return cache_files.cache_path("phrases", f"{budoux.__version__}|{rules}")


def phrases(paragraph: str) -> tuple[Node, ...]:
    """A paragraph (no line break) as phrases of words of atoms; a space run is a phrase of its own."""
    global _stored, _segmented
    found = _used.get(paragraph)
    if found is None:
        if _stored is None:
            path = _phrase_file()
            stored = cache_files.load(path) if path is not None else None
            _stored = stored if isinstance(stored, dict) else {}
        found = _stored.get(paragraph)
        if found is None:
            found = _segment(paragraph)
            _segmented += 1
        _used[paragraph] = found
    return found


def keep_phrases() -> None:
    """Store this run's phrases for the next run; a booklet build calls it when it is done."""
    global _stored, _segmented
    if _stored is None or not _segmented:
        return
    kept = {**_stored, **_used} if len(_stored) + len(_used) <= PHRASES_KEPT else dict(_used)
    if (path := _phrase_file()) is not None:
        cache_files.store(path, kept)
    _stored, _segmented = kept, 0


def _segment(paragraph: str) -> tuple[Node, ...]:
    """A paragraph (no line break) as phrases of words of atoms; a space run is a phrase of its own.

    A BudouX boundary inside an atom or a short quotation is dropped: kinsoku,
    numbers, dates, katakana words and quoted names win over the phrase model.
    """
    bounds: set[int] = set()
    end = 0
    for chunk in _parser().parse(paragraph):
        end += len(chunk)
        bounds.add(end)
    for quoted in _SHORT_QUOTE.finditer(paragraph):
        bounds.difference_update(range(quoted.start() + 1, quoted.end()))
    out: list[list[str]] = []
    start = 0
    for atom in atoms(paragraph):
        if not out or start in bounds or atom.isspace() or out[-1][-1].isspace():
            out.append([atom])
        else:
            out[-1].append(atom)
        start += len(atom)
    return tuple(_node(_words(p)) for p in out)


# What a break costs inside a phrase (between its words), a word (between its atoms) and
# an atom (between its characters): any number of the first is better than one of the next.
_BREAK_COST = (1, 100, 10_000)


def _fill(units: tuple[Node, ...], width: float, hang: float, measure: Measure) -> tuple[list[str], int]:
    """Lines of whole phrases, and what the breaks that had to fall inside a phrase cost.

    A phrase wider than what is left of the line and than a whole line breaks
    between its words, a word so wide between its atoms, an atom so wide (a long
    URL or katakana word) between its characters, kinsoku kept: each starts on the
    line it would not fit, so no line ends with a gap wider than what comes next.
    """
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    limit = width
    penalty = 0

    def newline() -> None:
        nonlocal line, used, limit
        lines.append("".join(line).rstrip(SPACES))
        line, used, limit = [], 0.0, width - hang

    def put(node: Node, cost: int, depth: int) -> None:
        """cost: of a break just before node; depth: 0 for a phrase."""
        nonlocal used, penalty
        text, parts = node
        w = measure(text)
        if line and used + w > limit and w <= width - hang:
            newline()
            penalty += cost
        if used + w <= limit or len(text) == 1:  # one character wider than the line overflows it
            line.append(text)
            used += w
            return
        if not parts:
            parts = _kinsoku_groups(text)
            if len(parts) == 1:
                parts = tuple((ch, ()) for ch in text)
        for i, part in enumerate(parts):
            put(part, _BREAK_COST[depth] if i else cost, depth + 1)

    for phrase in units:
        text = phrase[0]
        if not text.isspace():
            put(phrase, 0, 0)
        elif line or not lines:  # a wrapped line never starts with a space; one that ends in it drops it
            line.append(text)
            used += measure(text)
    if line or not lines:
        lines.append("".join(line).rstrip(SPACES))
    return lines, penalty


def _kinsoku_groups(text: str) -> tuple[Node, ...]:
    """An atom too wide for a line (a long URL or katakana word) in the pieces it may be cut into."""
    groups: list[str] = []
    for ch in text:
        if groups and (ch in NO_START or groups[-1][-1] in NO_END):
            groups[-1] += ch
        else:
            groups.append(ch)
    return tuple((g, ()) for g in groups)


def _short(line: str) -> bool:
    return len(line.strip(SPACES)) <= SHORT_LAST_LINE


def paragraph_lines(paragraph: str, width: float, measure: Measure, hang: float, balance: bool = True) -> list[str]:
    """One paragraph's lines; balance: no last line of one or two characters where
    narrowing the measure avoids it without an extra line or a costlier break (see _BREAK_COST)."""
    units = phrases(paragraph)
    lines, penalty = _fill(units, width, hang, measure)
    if not balance or len(lines) < 2 or not _short(lines[-1]):
        return lines
    trial = lines
    while True:
        # just below the widest line: at least that line gives up its last phrase
        narrower = max(measure(line) + (hang if i else 0.0) for i, line in enumerate(trial)) - 0.01
        if narrower < width / 2:
            return lines
        trial, trial_penalty = _fill(units, narrower, hang, measure)
        if len(trial) > len(lines) or trial_penalty > penalty:
            return lines
        if not _short(trial[-1]):
            return trial


def wrap(
    text: str, width: float, measure: Measure, hang: float | None = None, balance: bool = True
) -> list[tuple[float, str]]:
    """Lines of text as (indent, line) fitting width.

    Line breaks in the text are kept. hang=None hangs bulleted paragraphs (・, ※,
    (1)) under their text; a number hangs every paragraph's continuation lines by
    that much (a heading's title under its label).
    """
    out: list[tuple[float, str]] = []
    for para in text.split("\n"):
        if hang is None:
            mark = _BULLET.match(para)
            indent = measure(mark.group()) if mark else 0.0
        else:
            indent = hang
        for i, line in enumerate(paragraph_lines(para, width, measure, indent, balance)):
            out.append((indent if i else 0.0, line))
    return out


def width_cache(string_width: Callable[[str, str, float], float], font: str, size: float) -> Measure:
    """A measure for one font and size that caches what it measured.

    ReportLab applies no kerning, so a string's width is the sum of its characters':
    most atoms are one character, and a longer string costs one lookup per character.
    """
    cache: dict[str, float] = {}

    def measure(text: str) -> float:
        w = cache.get(text)
        if w is None:
            w = string_width(text, font, size) if len(text) == 1 else sum(measure(ch) for ch in text)
            cache[text] = w
        return w

    return measure
