"""Characters that print wrong: control and invisible characters, glyphs the booklet font
lacks, and width variants the list does not use (the importers normalize to half-width
Latin letters and digits and full-width kana; see core.text)."""

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule

# Cc control (a line break aside), Cf invisible format characters, Cs lone surrogates
_INVISIBLE_CATEGORIES = ("Cc", "Cf", "Cs")
_FULL_WIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]+")
SHOWN = 5  # characters named in one message


def _codes(chars: Sequence[str]) -> str:
    named = "、".join(f"U+{ord(ch):04X}" for ch in chars[:SHOWN])
    return named + (f" ほか{len(chars) - SHOWN}種" if len(chars) > SHOWN else "")


def _distinct(chars: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(chars))


@program_rule("text.control", Severity.WARNING, "制御文字・見えない文字")
def control_characters(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    for field, text in p.texts():
        found = _distinct(ch for ch in text if ch != "\n" and unicodedata.category(ch) in _INVISIBLE_CATEGORIES)
        if found:
            yield Hit(
                f"{FIELD_LABELS[field]}に制御文字・見えない文字があります（{_codes(found)}）。削除してください。", field
            )


@program_rule("text.unprintable", Severity.WARNING, "冊子のフォントにない文字")
def unprintable_characters(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    covers = ctx.typesetting.covers
    if covers is None:
        return
    for field, text in p.texts():
        found = _distinct(
            ch
            for ch in text
            if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and not covers(ch)
        )
        if found:
            shown = "".join(f"「{ch}」" for ch in found[:SHOWN])
            yield Hit(
                f"{FIELD_LABELS[field]}に冊子のフォント（{ctx.typesetting.font_name}）で印刷できない文字があります:"
                f" {shown}（{_codes(found)}）。別の字に置き換えてください。",
                field,
            )


@program_rule("text.width", Severity.WARNING, "全角英数字・半角カナ")
def width_variants(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    for field, text in p.texts():
        parts = []
        if found := _FULL_WIDTH_ALNUM.findall(text):
            parts.append(f"全角の英数字「{'」「'.join(_distinct(found)[:SHOWN])}」")
        if found := _HALF_WIDTH_KANA.findall(text):
            parts.append(f"半角カナ「{'」「'.join(_distinct(found)[:SHOWN])}」")
        if parts:
            yield Hit(
                f"{FIELD_LABELS[field]}に{'と'.join(parts)}があります（一覧では英数字は半角、カナは全角です）。",
                field,
            )
