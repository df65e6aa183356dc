"""Paper, margins, column widths, type sizes and colours of the booklet."""

from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from kodomo_desktop.booklet.fonts import FontSet
from kodomo_desktop.booklet.linebreak import Measure, width_cache

PAPERS = {"A4": A4, "A3": A3}
BASE_PAPER = A4  # the sizes below are for A4; a larger paper scales them (see Layout.scale)

MARGIN_X: float = 12 * mm
MARGIN_TOP: float = 15 * mm  # room for the 「案」 mark above the text
MARGIN_BOTTOM: float = 14 * mm  # room for the page number

# The most the headings above a table can take (基本施策, life stage, 個別施策): a table
# row taller than a page less this is the only kind split across pages.
HEADING_ROOM = 100.0
TARGET_WIDTH = 22.0  # one ○ column: its header takes two characters a line
# The four text columns share what the 8 target columns leave: 事業・取組名称, 概要,
# 実績, 所管 (wide enough for the longest division name in one line at 8 pt).
TEXT_SHARES = (136, 258, 116, 96)
CELL_PADDING = 3.0
TARGET_PADDING = 2.0

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

    def column_widths(self, targets: int) -> list[float]:
        target = TARGET_WIDTH * self.scale
        free = self.frame_width - targets * target
        name, summary, results, divisions = (free * s / sum(TEXT_SHARES) for s in TEXT_SHARES)
        return [name, summary, *[target] * targets, results, divisions]

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
