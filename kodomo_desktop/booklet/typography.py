"""Print-time typographic normalization of Japanese text: one table of rules.

The stored text keeps what the divisions wrote; only what the booklet prints is
normalized, so that half-width marks typed among Japanese text print as the
full-width marks a typeset Japanese page uses.

Parentheses follow their content: a pair enclosing Japanese becomes full-width, a
pair enclosing only Latin letters, digits and signs stays half-width, as 「資料(PDF)」 or
「(1)」 are set in Latin type; a Japanese neighbour alone does not decide it. A
half-width parenthesis paired with a full-width one follows its partner.
"""

import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

# Kana, kanji, CJK punctuation and the full-width forms (not the half-width katakana,
# which a rule below turns full-width first).
_JA = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
_HALF_KANA = re.compile("[\uff61-\uff9f]+")


class Rule(NamedTuple):
    before: str
    after: str
    when: str  # in words, for the reader of the table
    pattern: re.Pattern[str]
    replace: str | Callable[[re.Match[str]], str]


def _pair(match: re.Match[str]) -> str:
    return f"（{match[1]}）"


def _has_japanese(match: re.Match[str]) -> str:
    return _pair(match) if re.search(f"[{_JA}]", match[1]) else match[0]


RULES: tuple[Rule, ...] = (
    Rule(
        "ｶﾞｲﾄﾞ",
        "ガイド",
        "half-width katakana, always (with its voiced marks joined)",
        _HALF_KANA,
        lambda m: unicodedata.normalize("NFKC", m[0]),
    ),
    Rule("~", "～", "always: the half-width tilde prints as a small raised accent", re.compile("~"), "～"),
    Rule(
        ":",
        "：",
        "after or before a Japanese character (not 10:30, not https://)",
        re.compile(f"(?<=[{_JA}]):|:(?=[{_JA}])"),
        "：",
    ),
    Rule("!", "！", "after a Japanese character", re.compile(f"(?<=[{_JA}])!"), "！"),
    Rule("?", "？", "after a Japanese character", re.compile(f"(?<=[{_JA}])\\?"), "？"),
    Rule("(…)", "（…）", "a pair enclosing Japanese, innermost first", re.compile(r"\(([^()]*)\)"), _has_japanese),
    Rule("（…)", "（…）", "a half-width one paired with a full-width one", re.compile(r"（([^()（）]*)\)"), _pair),
    Rule("(…）", "（…）", "a half-width one paired with a full-width one", re.compile(r"\(([^()（）]*)）"), _pair),
)


def normalize(text: str) -> str:
    """The text as the booklet prints it."""
    for rule in RULES:
        while True:  # nested pairs: each pass converts the innermost, then the pair around it
            changed = rule.pattern.sub(rule.replace, text)
            if changed == text:
                break
            text = changed
    return text
