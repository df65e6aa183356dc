"""The booklet's own flowables: text drawn as pre-broken lines, and the table of contents."""

from collections.abc import Callable
from typing import Any, NamedTuple

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Table
from reportlab.platypus.doctemplate import FrameBreak, IndexingFlowable

from kodomo_desktop.booklet.layout import BOX_WIDTH, GRID, HEADING_ROOM, TextStyle
from kodomo_desktop.booklet.linebreak import Measure, wrap

LABEL_GAP = "\u3000"  # between a heading's label (個別施策1) and its title
CONTINUED = "（続き）"  # heads the name cell of a row continued from the page before
# A page may end this much blank (of the frame's height) before a row is split across it.
PAGE_FILL = 1 / 3


def label_hang(text: str, measure: Measure) -> float:
    """A title wraps under itself, not under its label: 「個別施策1　」 is the hang."""
    cut = text.find(LABEL_GAP)
    return measure(text[: cut + 1]) if cut > 0 else 0.0


class Heading(NamedTuple):
    level: int  # outline and contents level
    text: str
    key: str  # bookmark name: deterministic, from the numbers in the policy tree
    in_contents: bool = True
    numbered: bool = True  # the contents shows its page number


class TextBlock(Flowable):
    """Text broken by linebreak.wrap and drawn with one text object.

    Far cheaper than a Paragraph per cell (no markup, no fragments), and it splits
    between lines, so a table row taller than a page flows on to the next.
    """

    def __init__(
        self,
        text: str,
        style: TextStyle,
        hang: float | None = None,
        *,
        splittable: bool = True,
        fill: Color | None = None,
        pad: float = 0.0,
        space_before: float = 0.0,
        space_after: float = 0.0,
        heading: Heading | None = None,
    ) -> None:
        super().__init__()
        self.text, self.style, self.hang = text, style, hang
        self.splittable, self.fill, self.pad = splittable, fill, pad
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.heading = heading
        self.top = 0.0  # page y of the top edge once drawn: where the bookmark points
        self._lines: list[tuple[float, str]] = []
        self._width: float | None = None  # the width _lines were broken for; None: not yet broken

    def lines(self, width: float) -> list[tuple[float, str]]:
        # the table computes a cell's width in more than one way: allow for rounding
        if self._width is None or abs(self._width - width) > 1e-6:
            self._lines = wrap(self.text, width - 2 * self.pad, self.style.measure, self.hang)
            self._width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines(availWidth)) * self.style.leading + 2 * self.pad
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list["TextBlock"]:
        if not self.splittable:
            return []
        # A table passes the whole column width here, not the width it wrapped the
        # cell at: split the lines already made.
        lines = self._lines if self._width is not None else self.lines(availWidth)
        n = int((availHeight - 2 * self.pad) // self.style.leading)
        if n < 1 or n >= len(lines):
            return []
        return [self._part(lines[:n]), self._part(lines[n:])]

    def _part(self, lines: list[tuple[float, str]]) -> "TextBlock":
        part = TextBlock(self.text, self.style, self.hang, fill=self.fill, pad=self.pad)
        part._lines, part._width = lines, self._width
        return part

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.top = y + self.height
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        canv, style = self.canv, self.style
        if is_layout_pass(canv):
            return
        if self.fill is not None:
            canv.setFillColor(self.fill)
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        text = canv.beginText(self.pad, self.height - self.pad - style.baseline())
        text.setFont(style.font, style.size, style.leading)
        text.setFillColor(style.color)
        if style.align == "center":
            top = text.getY()
            for i, (_, line) in enumerate(self._lines):
                text.setTextOrigin((self.width - style.measure(line)) / 2, top - i * style.leading)
                text.textOut(line)
        else:
            # textLine steps down by the leading without writing coordinates: the
            # cheapest way to draw thousands of lines. Only a change of indent moves.
            x = 0.0
            for indent, line in self._lines:
                if indent != x:
                    text.moveCursor(indent - x, 0)
                    x = indent
                text.textLine(line)
        canv.drawText(text)


class LayoutCanvas(Canvas):
    """The canvas of the first pass, which only finds the page numbers: nothing is drawn on it."""


# what the template notifies the indexing flowables of at the start of each pass: whether
# it is drawn on a LayoutCanvas
LAYOUT_PASS = "LayoutPass"


def is_layout_pass(canv: Canvas) -> bool:
    return isinstance(canv, LayoutCanvas)


class BodyTable(Table):
    """The table of one 個別施策.

    ReportLab (splitByRow + splitInRow) splits a row that does not fit the rest of a
    page even when the row would fit on the next, and may put the rest, under a
    repeated header, further down the same page. Here a row that does not fit moves
    to the next page whole, unless that would leave more than PAGE_FILL of the page
    blank, or the row is taller than a page less the headings that may stand above
    it, or no row fits at all (the headings above the table were let stay on this
    page by KeepWithTable, which leaves room for a few of its lines): then the row
    splits where the page ends, and its continuation, under the repeated header, is
    marked CONTINUED in its name cell.
    """

    rest = False  # the part of a table after a split: nothing above it must stay with it

    # ReportLab makes a split's parts with the table's own arguments only: split() hands
    # the paper's heading room on to them
    def __init__(self, *args: Any, heading_room: float = HEADING_ROOM, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heading_room = heading_room

    def _calc(self, availWidth: float, availHeight: float) -> None:
        # multiBuild lays the same story out on every pass, and a table's cells do not change
        # between passes: measured once for this room, it keeps its measures
        if getattr(self, "_measured_for", None) != (availWidth, availHeight):
            super()._calc(availWidth, availHeight)
            self._measured_for = (availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Table]:
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        n = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)  # the first row that does not fit
        if n >= len(heights):
            return [self]
        frame = self._getPossibleHeight(availHeight)
        header = sum(heights[: self.repeatRows])
        blank = availHeight - sum(heights[:n])
        first_under_headings = n == self.repeatRows and not self.rest
        in_row = first_under_headings or header + heights[n] > frame - self.heading_room or blank > PAGE_FILL * frame
        parts: list[Table] = []
        if in_row:
            parts = self._splitRows(availHeight, doInRowSplit=1)
            if parts:
                _mark_continued(parts[1], self.repeatRows, self._cellvalues[n][0][0].style)
        if not parts:
            parts = self._splitRows(availHeight)
        for part in parts:
            if isinstance(part, BodyTable):
                part.heading_room = self.heading_room
        if len(parts) == 2:
            parts[1].rest = True
        return parts

    def draw(self) -> None:
        if is_layout_pass(self.canv):  # drawing is most of a pass's cost
            return
        super().draw()
        # ReportLab leaves the bottom of a row split across pages open: close every
        # page's table, as a printed form does.
        self.canv.setLineWidth(BOX_WIDTH)
        self.canv.setStrokeColor(GRID)
        self.canv.line(0, 0, self._width, 0)


def _mark_continued(table: Table, row: int, style: TextStyle) -> None:
    """Heads the name cell of a row continued from the page before with CONTINUED."""
    table._cellvalues[row][0] = [TextBlock(CONTINUED, style), *table._cellvalues[row][0]]
    table._argH[row] = None  # the split fixed the row's height: let the mark's line count
    table._measured_for = None


class KeepWithTable(CondPageBreak):
    """Keeps headings with the table below them: a page break unless the rest of the page
    holds the headings, the table header and the first row whole, or, when moving them on
    would leave more than PAGE_FILL of the page blank, at least the first lines of that row
    (`least`, which BodyTable then splits)."""

    def __init__(self, whole: float, least: float) -> None:
        super().__init__(whole)
        self.least = least

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = self._doctemplateAttr("frame")
        if frame is not None and availHeight < self.height:
            page = frame._height - frame._topPadding - frame._bottomPadding
            if availHeight < self.least or availHeight <= PAGE_FILL * page:
                frame.add_generated_content(FrameBreak)
        return 0, 0


class BodyStart(Flowable):
    """Marks the first body page: page numbers count from there."""

    _ZEROSIZE = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


NUMBER_WIDTH = 28.0  # the page-number column of the contents
LEADER_GAP = 4.0


class ContentsEntry(Flowable):
    """One heading in the contents: its title, a dotted leader and its page number, linked."""

    def __init__(self, level: int, text: str, page: int | None, key: str, style: TextStyle, indent: float) -> None:
        super().__init__()
        self.page, self.key, self.style, self.indent = page, key, style, indent
        self.text = text
        self.spaceBefore = 5.0 if level == 0 else 0.0
        self._lines: list[tuple[float, str]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        measure = self.style.measure
        text_width = availWidth - self.indent - NUMBER_WIDTH - LEADER_GAP
        self._lines = wrap(self.text, text_width, measure, label_hang(self.text, measure))
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def draw(self) -> None:
        canv, style = self.canv, self.style
        text = canv.beginText()
        text.setFont(style.font, style.size)
        top = self.height - style.baseline()
        for i, (indent, line) in enumerate(self._lines):
            text.setTextOrigin(self.indent + indent, top - i * style.leading)
            text.textOut(line)
        if self.page is not None:
            # number and leader sit on the entry's last line
            y = top - (len(self._lines) - 1) * style.leading
            number = str(self.page)
            text.setTextOrigin(self.width - style.measure(number), y)
            text.textOut(number)
            indent, last = self._lines[-1]
            canv.saveState()
            canv.setLineCap(1)
            canv.setLineWidth(0.9)
            canv.setDash(0.01, 3)  # round caps turn near-zero dashes into dots
            canv.line(
                self.indent + indent + style.measure(last) + LEADER_GAP,
                y + 0.3 * style.size,
                self.width - style.measure(number) - LEADER_GAP,
                y + 0.3 * style.size,
            )
            canv.restoreState()
            canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1)
        canv.drawText(text)


# a contents line as notified: level, text, page number (None: not shown), bookmark key
ContentsItem = tuple[int, str, int | None, str]


class Contents(IndexingFlowable):
    """目次, filled from the headings' TOCEntry notifications.

    Seeded with every heading (page 0) so that it has its final size on the first
    pass: the body's page numbers are then right at once, and the build needs two
    passes, not three.
    """

    def __init__(self, seed: list[Heading], styles: Callable[[int], TextStyle], indent: float) -> None:
        super().__init__()
        self._entries = [(h.level, h.text, 0 if h.numbered else None, h.key) for h in seed if h.in_contents]
        self._last: list[ContentsItem] = []
        self._styles, self._indent = styles, indent
        self._rows: list[ContentsEntry] = []
        self._layout_only = True

    def beforeBuild(self) -> None:
        self._last, self._entries = self._entries, []

    def isSatisfied(self) -> bool:
        # a layout pass printed nothing: the pass after it must run even with the numbers settled
        return not self._layout_only and self._entries == self._last

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "TOCEntry":
            self._entries.append(stuff)
        elif kind == LAYOUT_PASS:
            self._layout_only = stuff

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._rows = [
            ContentsEntry(level, text, page, key, self._styles(level), level * self._indent)
            for level, text, page, key in self._last
        ]
        self.width = availWidth
        height = sum(row.wrap(availWidth, availHeight)[1] + row.spaceBefore for row in self._rows)
        self.height = height - (self._rows[0].spaceBefore if self._rows else 0.0)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[ContentsEntry]:
        # The frame places the entries one by one, as many as fit on each page.
        return list(self._rows)

    def draw(self) -> None:
        y: float = self.height
        for i, row in enumerate(self._rows):
            y -= (row.spaceBefore if i else 0) + row.height
            row.drawOn(self.canv, 0, y)


class MarkedText(TextBlock):
    """A TextBlock whose marked character spans (a proof's changed text) are drawn in another colour."""

    def __init__(self, text: str, style: TextStyle, spans: list[tuple[int, int]], color: Color) -> None:
        super().__init__(text, style)
        self.marked = [False] * len(text)
        for start, end in spans:
            self.marked[start:end] = [True] * (end - start)
        self.mark_color = color
        self._starts: list[int] = []  # where each line begins in text

    def lines(self, width: float) -> list[tuple[float, str]]:
        stale = self._width is None or abs(self._width - width) > 1e-6
        lines = super().lines(width)
        if stale:
            # every line is a piece of the text (wrap drops only spaces and breaks between lines)
            self._starts, at = [], 0
            for _, line in lines:
                found = self.text.find(line, at)
                at = found if found >= 0 else at
                self._starts.append(at)
                at += len(line)
        return lines

    def _part(self, lines: list[tuple[float, str]]) -> "MarkedText":
        part = MarkedText(self.text, self.style, [], self.mark_color)
        part.marked = self.marked
        # split() makes a head and a tail of self._lines
        first = 0 if lines and lines[0] is self._lines[0] else len(self._lines) - len(lines)
        part._lines, part._width, part._starts = lines, self._width, self._starts[first : first + len(lines)]
        return part

    def draw(self) -> None:
        canv, style = self.canv, self.style
        if is_layout_pass(canv):
            return
        text = canv.beginText(0, self.height - style.baseline())
        text.setFont(style.font, style.size, style.leading)
        top = text.getY()
        for i, ((indent, line), start) in enumerate(zip(self._lines, self._starts, strict=True)):
            text.setTextOrigin(indent, top - i * style.leading)
            for marked, run in _runs(line, self.marked[start : start + len(line)]):
                text.setFillColor(self.mark_color if marked else style.color)
                text.textOut(run)
        canv.drawText(text)


def _runs(line: str, marked: list[bool]) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    for ch, flag in zip(line, marked + [False] * (len(line) - len(marked)), strict=True):
        if out and out[-1][0] == flag:
            out[-1] = (flag, out[-1][1] + ch)
        else:
            out.append((flag, ch))
    return out


class MarginNote(TextBlock):
    """A proof's note number (①) in the left margin, level with the first line of its cell.

    A text block of no lines: it stands first in the table cell, takes no room and draws
    left of the cell's padding.
    """

    def __init__(self, text: str, style: TextStyle, line: TextStyle, gap: float) -> None:
        super().__init__(text, style, splittable=False)
        self.line, self.gap = line, gap

    def lines(self, width: float) -> list[tuple[float, str]]:
        return []

    def draw(self) -> None:
        canv, style = self.canv, self.style
        if is_layout_pass(canv):
            return
        canv.setFont(style.font, style.size)
        canv.setFillColor(style.color)
        canv.drawRightString(-self.gap, -self.line.baseline(), self.text)
