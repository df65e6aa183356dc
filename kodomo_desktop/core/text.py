"""Text normalization shared by every importer (seed, Excel returns, JSON import) and by search.

Pure functions, no Qt. Stored text is normalized only where Japanese typography agrees
(full-width Latin letters and digits, half-width katakana, invisible characters, spacing);
everything else (①, ㎡, ～, ※, 「」, （）…) stays as the department wrote it. Matching and
search use the much more aggressive keys (search_key, name_key), which are never stored.
"""

import html
import re
import unicodedata

_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085]")

# Invisible characters that Excel, web pages and PDF extractors leave in text.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_UNICODE_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0))

_CLEAN = str.maketrans(
    {
        **{c: None for c in _CONTROLS},
        **dict.fromkeys(map(ord, _INVISIBLE)),
        **dict.fromkeys(map(ord, _UNICODE_SPACES), " "),
        ord("\t"): " ",
        # Full-width Latin letters and digits are a typing accident in Japanese text.
        **{c: c - 0xFEE0 for c in range(ord("Ａ"), ord("Ｚ") + 1)},
        **{c: c - 0xFEE0 for c in range(ord("ａ"), ord("ｚ") + 1)},
        **{c: c - 0xFEE0 for c in range(ord("０"), ord("９") + 1)},
    }
)

_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]+")
# NFKC turns a sound mark with nothing to attach to into a combining character; keep it visible.
_LONE_SOUND_MARKS = str.maketrans({"\u3099": "\u309b", "\u309a": "\u309c"})
_SPACES = re.compile(" {2,}")
_BLANK_RUN = re.compile(r"\n{4,}")  # 3+ blank lines


def _full_width_kana(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group()).translate(_LONE_SOUND_MARKS)


def normalize_text(s: str | None) -> str:
    """Normalize a free-text field (名称, 通称, 概要, 実績); line breaks become "\\n"."""
    if not s:
        return ""
    s = _LINE_BREAKS.sub("\n", s).translate(_CLEAN)
    s = _HALF_WIDTH_KANA.sub(_full_width_kana, s)
    s = "\n".join(_SPACES.sub(" ", line).strip() for line in s.split("\n"))
    # Up to two blank lines can be deliberate spacing; more are leftovers of deleted text.
    return _BLANK_RUN.sub("\n\n\n", s).strip("\n")


def normalize_line(s: str | None) -> str:
    """Normalize a single-line field (name, alias, division names): line breaks become a space."""
    return " ".join(line for line in normalize_text(s).split("\n") if line)


# search_key / name_key ------------------------------------------------------------------

_WHITESPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85" + _UNICODE_SPACES + "\u2028\u2029"
# One table does what NFKC does to full-width ASCII, katakana -> hiragana, and drops
# whitespace and invisible characters, so most text needs no NFKC pass at all.
_SEARCH = str.maketrans(
    {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
    | {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}
    | {ord("ヽ"): "ゝ", ord("ヾ"): "ゞ"}
    | dict.fromkeys(map(ord, _WHITESPACE + _INVISIBLE))
)


def search_key(s: str | None) -> str:
    """Key for search that ignores width, case, hiragana/katakana and whitespace (NFKC, casefold)."""
    if not s:
        return ""
    key = s.translate(_SEARCH)
    if not unicodedata.is_normalized("NFKC", key):  # half-width kana, ①, ㎡ …: rare, so only then
        key = unicodedata.normalize("NFKC", key).translate(_SEARCH)
    return key.casefold()


# The same word is written 子ども, 子供 and こども across the list (the plan itself writes
# こども, many rows still write 子ども).
_KODOMO = re.compile("子ども|子供")
# Brackets, punctuation, symbols and spaces carry no identity: 「もりもりパーク」 = もりもりパーク.
_NOT_WORD = re.compile(r"[\W_]+")
# The particle の between a kanji word and a katakana/kanji word is optional in program
# names: the list writes both アセスメントツール「心と身体のチェック」 and 「心と身体チェック」.
# The rule only drops の with a kanji before it and a kanji or katakana after it, so
# hiragana words (もの, きのこ) and の after kana are kept; it merges no two of the 124
# program names of the FY2024 list that are different programs (tested).
_OPTIONAL_NO = re.compile(r"(?<=[\u4e00-\u9fff々])の(?=[\u4e00-\u9fff々\u30a1-\u30fa\u30fc])")


def name_key(s: str | None) -> str:
    """Key that makes spelling variants of one program name equal (matching only, never stored)."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s).casefold()
    s = _OPTIONAL_NO.sub("", _KODOMO.sub("こども", s))  # before kana folding: it looks at katakana
    return _NOT_WORD.sub("", s).translate(_SEARCH)


# tick_value --------------------------------------------------------------------------------

_TICK_TRUE = frozenset({"○", "〇", "◯", "⭕", "●", "◎", "✓", "✔", "レ", "1", "true"})
_TICK_FALSE = frozenset({"", "×", "x", "✕", "-", "ー", "0", "false"})
_EMOJI_VARIATION = str.maketrans(dict.fromkeys(map(ord, "\ufe0e\ufe0f" + _INVISIBLE)))


def tick_value(value: object) -> bool | None:
    """One target cell -> True (ticked), False (empty or crossed), None (not a tick: report it)."""
    if value is None:
        return False
    if isinstance(value, (bool, int, float)):
        return bool(value) if value in (0, 1) else None
    if not isinstance(value, str):
        return None
    # ⭕️ and ✔️ often come with an emoji variation selector; NFKC folds ｘ, １, ﾚ, ＴＲＵＥ.
    token = unicodedata.normalize("NFKC", value.translate(_EMOJI_VARIATION)).strip().casefold()
    if token in _TICK_TRUE:
        return True
    if token in _TICK_FALSE:
        return False
    return None


# html_to_text ------------------------------------------------------------------------------

_TAG = re.compile(r"<\s*/?[a-zA-Z][^>]*>")
_BLOCK_TAG = re.compile(r"<\s*/?(?:p|ul|ol|div|li)\b[^>]*>", re.IGNORECASE)
_ITEM_TAG = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_BR_TAG = re.compile(r"<\s*br\b[^>]*>", re.IGNORECASE)
# Private-use marks that live only inside html_to_text.
_BLOCK, _ITEM = "\ue000", "\ue001"
_BLOCK_BOUNDARY = re.compile(f"[ {_BLOCK}]*{_BLOCK}[ {_BLOCK}]*")
# A bullet is a ・ at the start or after a space; 小・中学校 (・ between words) is not one.
_INLINE_BULLET = re.compile(r"(?:^|\s)・")
_BEFORE_BULLET = re.compile(r"\s+(?=・)")


def _html_lines(s: str) -> str:
    """HTML layout: source whitespace is a space, each block (p, li, ul) starts a line, <br> breaks one."""
    s = re.sub(r"\s+", " ", s.replace(_BLOCK, "").replace(_ITEM, ""))
    s = _BLOCK_TAG.sub(_BLOCK, _ITEM_TAG.sub(_BLOCK + _ITEM, s))
    s = _TAG.sub("", _BR_TAG.sub("\n", s))
    return _BLOCK_BOUNDARY.sub("\n", s)


def _bullet(line: str) -> str:
    if not line.startswith(_ITEM):
        return line
    item = line[1:].strip()
    return item if item.startswith("・") else "・" + item


def _split_inline_bullets(line: str) -> list[str]:
    """PDF extraction flattened "a\\n・b\\n・c" to "a ・b ・c": restore the lines when it is clearly a list."""
    if line.startswith("・") or len(_INLINE_BULLET.findall(line)) >= 2:
        return _BEFORE_BULLET.split(line)
    return [line]


def html_to_text(s: str | None) -> str:
    """A source cell (plain text or an HTML fragment) -> plain text, one line per item or paragraph."""
    if not s:
        return ""
    if _TAG.search(s):
        s = _html_lines(s)
    lines = []
    for line in _LINE_BREAKS.sub("\n", html.unescape(s)).split("\n"):
        lines.extend(_split_inline_bullets(_bullet(line.strip())))
    return normalize_text("\n".join(lines))
