"""What the rules know of the booklet's type: the font's characters and the table's geometry.

The booklet is a later layer than core, so its caller hands these in (see
`booklet.typesetting`); without them the two checks that need them are skipped and
`skipped` says why. The row-height estimate lives here and only here.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PageMetrics:
    """The booklet table's geometry, in points."""

    # the text columns by the field each prints (name, summary, results, divisions), padding included
    column_widths: Mapping[str, float]
    font_size: float
    leading: float
    padding: float  # inside a cell, each side
    body_height: float  # what a page holds below the repeated table header

    def lines(self, text: str, column: str) -> int:
        """Lines a cell's text takes: a character is one em wide, or half for Latin and digits."""
        room = self.column_widths[column] - 2 * self.padding
        return sum(
            max(1, math.ceil(sum(_em(ch) for ch in paragraph) * self.font_size / room))
            for paragraph in text.split("\n")
        )

    def row_height(self, cells: Mapping[str, str]) -> float:
        """The estimated height of a table row whose text cells hold `cells` (column -> text)."""
        tallest = max(self.lines(text, column) for column, text in cells.items())
        return tallest * self.leading + 2 * self.padding


def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


@dataclass(frozen=True)
class Typesetting:
    covers: Callable[[str], bool] | None = None  # whether the booklet's font can draw a character
    font_name: str = ""
    page: PageMetrics | None = None
    skipped: tuple[str, ...] = ()  # checks left out, and why, in Japanese for the user

    @classmethod
    def unknown(cls, reason: str) -> Typesetting:
        return cls(skipped=(f"印刷できない文字と1ページに収まらない行は検査していません（{reason}）。",))


NO_TYPESETTING = Typesetting.unknown("冊子のフォントとページの設定が渡されていません")


def cell_texts(name: str, alias: str | None, summary: str, results: str, divisions: str) -> dict[str, str]:
    """The text of each column as the booklet prints a row (the 【再掲】 mark is the worst case)."""
    return {
        "name": "【再掲】" + name + (f"\n通称:{alias}" if alias else ""),
        "summary": summary,
        "results": results,
        "divisions": divisions,
    }


def tallest_column(page: PageMetrics, cells: Mapping[str, str]) -> str:
    return max(cells, key=lambda column: page.lines(cells[column], column))
