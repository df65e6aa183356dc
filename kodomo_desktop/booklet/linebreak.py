"""Japanese line breaking for the booklet.

ReportLab's CJK wrapping breaks between any two characters, splits Latin words and
numbers, and applies only part of the kinsoku rules. Here text is cut into
unbreakable atoms (a Latin word or a number with its unit, a kinsoku group, a
single kana or kanji), and lines are filled greedily with whole atoms.
"""

import re
from collections.abc import Callable

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

_ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"
# A Latin word, number or URL-like run: alphanumerics joined by inner punctuation
# (1,364 / R7.4.1 / ASOBI~BA / e-mail), or one space run, or any single character.
_ATOM = re.compile(rf"[{SPACES}]+|[{_ALNUM}]+(?:[.,:/~'’_&@#=+\-][{_ALNUM}]+)*|.", re.S)
_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


# A paragraph beginning with one of these marks hangs: its continuation lines
# start under the text, not under the mark.
_BULLET = re.compile(r"^(?:[・※●○◎◆◇■□★☆]|[(（][0-9０-９]{1,2}[)）])[ \u3000]?")

Measure = Callable[[str], float]


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
                # the last rule keeps a number with its counter or unit: 1,364人, 2050年
                out[-1] += atom
                continue
        out.append(atom)
    return out


def _fill(pieces: list[str], width: float, hang: float, measure: Measure) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    limit = width
    for piece in pieces:
        w = measure(piece)
        if piece.isspace():
            if line or not lines:  # a wrapped line never starts with a space
                line.append(piece)
                used += w
            continue
        if line and used + w > limit:
            lines.append("".join(line).rstrip(SPACES))
            line, used, limit = [], 0.0, width - hang
        if w > limit and not line:
            # An atom wider than the line (a long URL or code): cut it by characters.
            for ch in piece:
                cw = measure(ch)
                if line and used + cw > limit:
                    lines.append("".join(line))
                    line, used, limit = [], 0.0, width - hang
                line.append(ch)
                used += cw
            continue
        line.append(piece)
        used += w
    if line or not lines:
        lines.append("".join(line).rstrip(SPACES))
    return lines


def wrap(text: str, width: float, measure: Measure, hang: float | None = None) -> list[tuple[float, str]]:
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
        for i, line in enumerate(_fill(atoms(para), width, indent, measure)):
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
