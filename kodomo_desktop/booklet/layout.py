"""Paper, margins, column widths, type sizes and colours of the booklet."""

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from kodomo_desktop.booklet.fonts import FontSet
from kodomo_desktop.booklet.linebreak import Measure, width_cache, wrap

PAPERS = {"A4": A4, "A3": A3}
BASE_PAPER = A4  # the sizes below are for A4; a larger paper scales them (see Layout.scale)

MARGIN_X: float = 12 * mm
MARGIN_TOP: float = 15 * mm  # room for the 「案」 mark above the text
MARGIN_BOTTOM: float = 14 * mm  # room for the page number

# The most the headings above a table can take (基本施策, life stage, 個別施策): a table
# row taller than a page less this never moves to the next page whole.
HEADING_ROOM = 100.0
CELL_PADDING = 3.0
TARGET_PADDING = 2.0
MARK = "○"
# column-width bounds, in ems of the body size (see Layout.column_widths)
# the share of name lines that wrap to at most NAME_LINES lines: an exceptionally long name may take more
NAME_LINES, NAME_SHARE = 2, 0.99
NAME_EMS = (14, 24)
NAME_MAX_SHARE = 0.25  # of the frame width: a portrait page keeps room for 概要
SUMMARY_MIN_EMS = 22
RESULTS_MIN_EMS, RESULTS_LINE_SHARE = 10, 0.75  # and the share of its lines that stand on one line
DIVISIONS_MIN_EMS = 8

HEADER_FILL = colors.HexColor("#DCE6F1")
GRID = colors.HexColor("#404040")
GRID_WIDTH = 0.5
BOX_WIDTH = 0.9
POLICY_FILL = colors.HexColor("#1F4E79")
INK = colors.black


@cache
def measure_for(font: str, size: float) -> Measure:
    return width_cache(stringWidth, font, size)


@dataclass(frozen=True)
class ColumnTexts:
    """The text every printed row puts in each text column: what the column widths follow."""

    names: list[str]
    summaries: list[str]
    results: list[str]
    divisions: list[str]


# a word no line break should fall in: a katakana word, a Latin word or a number
_WORD = re.compile(r"[ァ-ヺー]+|[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+(?:[.,:/~_\-][0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+)*")


def _two_character_lines(text: str) -> list[str]:
    chars = re.findall(r"[0-9]+|.", text)
    return ["".join(chars[i : i + 2]) for i in range(0, len(chars), 2)]


def _narrowest(low: float, high: float, fits: Callable[[float], bool]) -> float:
    """The narrowest whole-point width in [low, high] that fits (high when none does)."""
    lo, hi = math.ceil(low), max(math.ceil(low), math.floor(high))
    if fits(lo):
        return float(lo)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return float(hi)


def _quantile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


def _widest_line(texts: list[str], measure: Measure) -> float:
    return max((measure(line) for t in texts for line in t.split("\n")), default=0.0)


def _share(width: float, demand: list[float], bounds: list[tuple[float, float]]) -> list[float]:
    """width split in proportion to demand, each part within its (low, high); the first part takes
    what rounding (or no demand at all) leaves. Lower bounds that together exceed width shrink
    in proportion."""
    lows = sum(low for low, _ in bounds)
    if lows > width:
        bounds = [(low * width / lows, low * width / lows) for low, _ in bounds]
    fixed: dict[int, float] = {}
    while True:
        rest = width - sum(fixed.values())
        open_ = [i for i in range(len(demand)) if i not in fixed]
        total = sum(demand[i] for i in open_)
        parts = {i: rest * demand[i] / total if total > 0 else bounds[i][0] for i in open_}
        held = {i: min(max(w, bounds[i][0]), bounds[i][1]) for i, w in parts.items()}
        moved = {i: w for i, w in held.items() if w != parts[i]}
        if not moved or len(open_) == 1:
            break
        # hold the column furthest outside its bounds, then share again
        worst = max(moved, key=lambda i: (abs(moved[i] - parts[i]), -i))
        fixed[worst] = moved[worst]
    widths = [fixed.get(i, parts.get(i, 0.0)) for i in range(len(demand))]
    widths = [float(math.floor(w)) for w in widths]
    widths[0] += width - sum(widths)
    return widths


@dataclass(frozen=True)
class TextStyle:
    font: str
    size: float
    leading: float
    align: str = "left"  # or "center"
    color: colors.Color = INK

    @property
    def measure(self) -> Measure:
        return measure_for(self.font, self.size)

    def baseline(self) -> float:
        """Distance from the top of a line to its baseline: the em box centred in the leading."""
        return (self.leading - self.size) / 2 + 0.88 * self.size


@dataclass(frozen=True)
class Layout:
    pagesize: tuple[float, float]
    fonts: FontSet
    # Type sizes, paddings and fixed column widths are multiplied by this: a larger paper
    # prints the same page larger (A3: the ratio of its side to A4's, √2), as an
    # enlarged copy would, so a row breaks into the same lines on every paper.
    scale: float = 1.0

    @classmethod
    def of(cls, paper: str, landscape_: bool, fonts: FontSet) -> "Layout":
        size = PAPERS[paper]
        return cls(landscape(size) if landscape_ else portrait(size), fonts, size[0] / BASE_PAPER[0])

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * MARGIN_X

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM

    @property
    def cell_padding(self) -> float:
        return CELL_PADDING * self.scale

    @property
    def target_padding(self) -> float:
        return TARGET_PADDING * self.scale

    @property
    def heading_room(self) -> float:
        return HEADING_ROOM * self.scale

    def column_widths(self, targets: Sequence[str], texts: "ColumnTexts") -> list[float]:
        """Widths of 事業・取組名称, 概要, the ○ columns, 実績 and 所管, from what the edition prints.

        - A ○ column is as wide as its header set two characters a line (a number
          counts as one character: 「18歳｜超」), all ○ columns alike.
        - 事業・取組名称 is the narrowest width at which NAME_SHARE of the name lines
          wrap to at most NAME_LINES lines, and at least as wide as the longest word
          of any name (a katakana or Latin word, a number), within NAME_EMS and
          NAME_MAX_SHARE of the frame.
        - 概要, 実績 and 所管 share the rest in proportion to the measured length of
          their text, each within its bounds: 所管 at least DIVISIONS_MIN_EMS and its
          widest division name (a name between 「、」 or line breaks, so that none
          breaks), at most its widest line; 実績 at least RESULTS_MIN_EMS and what
          RESULTS_LINE_SHARE of its lines need to stand on one line, at most its
          widest line; 概要 at least SUMMARY_MIN_EMS. A column held at a bound gives
          the rest to the others; with no text at all 概要 takes the rest.

        Bounds in ems of the body size scale with it. Computed once per booklet, so
        every page of one booklet has the same columns.
        """
        cell = self.cell
        measure, em = cell.measure, cell.size
        header = self.header.measure
        tick = max(max(header(line) for line in _two_character_lines(t)) for t in targets) if targets else 0.0
        tick = math.ceil(max(tick, self.mark.measure(MARK)) + 2 * self.target_padding)
        pad = 2 * self.cell_padding
        free = self.frame_width - len(targets) * tick

        name_lines = Counter(line for t in texts.names for line in t.split("\n"))  # a re-listed name counts again
        name_low = max([NAME_EMS[0] * em, *(measure(w) + pad for line in name_lines for w in _WORD.findall(line))])
        name = _narrowest(
            name_low,
            min(NAME_EMS[1] * em, NAME_MAX_SHARE * self.frame_width),
            lambda w: (
                sum(n for line, n in name_lines.items() if len(wrap(line, w - pad, measure)) > NAME_LINES)
                <= (1 - NAME_SHARE) * name_lines.total()
            ),
        )
        free -= name

        pieces = [p for t in texts.divisions for line in t.split("\n") for p in line.split("、") if p]
        lines = sorted(measure(line) for t in texts.results for line in t.split("\n") if line.strip())
        divisions_low = max([DIVISIONS_MIN_EMS * em, *(measure(p) + pad for p in pieces)])
        results_low = max(RESULTS_MIN_EMS * em, _quantile(lines, RESULTS_LINE_SHARE) + pad)
        bounds = [
            (SUMMARY_MIN_EMS * em, free),
            (results_low, max(results_low, (lines[-1] if lines else 0.0) + pad)),
            (divisions_low, max(divisions_low, _widest_line(texts.divisions, measure) + pad)),
        ]
        demand = [
            sum(measure(t.replace("\n", "")) for t in column)
            for column in (texts.summaries, texts.results, texts.divisions)
        ]
        summary, results, divisions = _share(free, demand, bounds)
        return [name, summary, *[float(tick)] * len(targets), results, divisions]

    def style(
        self, size: float, leading: float, bold: bool = False, align: str = "left", color: colors.Color = INK
    ) -> TextStyle:
        """A style at the A4 size and leading given, scaled to this paper."""
        font = self.fonts.bold if bold else self.fonts.regular
        return TextStyle(font, size * self.scale, leading * self.scale, align, color)

    @property
    def cell(self) -> TextStyle:
        return self.style(8, 11)

    @property
    def header(self) -> TextStyle:
        return self.style(8, 10, bold=True, align="center")

    @property
    def mark(self) -> TextStyle:
        return self.style(9, 11, align="center")

    @property
    def policy_heading(self) -> TextStyle:
        return self.style(12, 18, bold=True, color=colors.white)

    @property
    def stage_heading(self) -> TextStyle:
        return self.style(11, 16, bold=True)

    @property
    def measure_heading(self) -> TextStyle:
        return self.style(10, 14, bold=True)

    def toc(self, level: int) -> TextStyle:
        # sized so that the contents of the current plan fit one page
        return self.style(10.5, 14.5, bold=True) if level == 0 else self.style(9.5, 12.5)
