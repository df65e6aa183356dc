"""What the booklet prints, as flowables: cover, contents and one table per 個別施策."""

from collections.abc import Iterator
from typing import Any

from reportlab.platypus import Flowable, HRFlowable, NextPageTemplate, PageBreak, Spacer, TableStyle

from kodomo_desktop.booklet.flowables import (
    BodyStart,
    BodyTable,
    Contents,
    Heading,
    KeepWithTable,
    TextBlock,
    label_hang,
)
from kodomo_desktop.booklet.layout import (
    BOX_WIDTH,
    CELL_PADDING,
    GRID,
    GRID_WIDTH,
    HEADER_FILL,
    HEADING_ROOM,
    MARK,
    POLICY_FILL,
    TARGET_PADDING,
    ColumnTexts,
    Layout,
)
from kodomo_desktop.booklet.linebreak import wrap
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label, results_header
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import MEASURE, POLICY, node_heading

RELISTED = "【再掲】"
ALIAS = "通称:"
CITY = "ASAHIKAWA CITY"
CONTENTS_TITLE = "目　次"
EMPTY_MEASURE = "（掲載する事業・取組はありません）"
FIRST_ROW_LINES = 4  # of a first row that splits: what must fit below its headings

# a table cell: a ○ mark (or header text), or the text block that wraps in it
Cell = str | list[TextBlock]
Row = list[Cell]


def headings(document: dict[str, Any]) -> Iterator[tuple[Heading, dict[str, Any] | None]]:
    """Every heading in booklet order, with the 個別施策 it opens (None for 基本施策 and life stages).

    Bookmark keys come from the numbers in the tree, so they are the same on every pass.
    """
    for policy in document["policies"]:
        policy_key = f"p{policy['number']}"
        yield Heading(0, f"■{node_heading(POLICY, policy['number'])}\u3000{policy['title']}", policy_key), None
        if policy.get("stages"):
            groups = [(f"{policy_key}-s{i}", stage) for i, stage in enumerate(policy["stages"], 1)]
        else:
            groups = [(policy_key, {"measures": policy.get("measures") or []})]
        for group_key, group in groups:
            level = 1
            if "title" in group:
                yield Heading(1, f"（{group['title']}）", group_key, numbered=False), None
                level = 2
            for measure in group["measures"]:
                text = f"{node_heading(MEASURE, measure['number'])}\u3000{measure['title']}"
                yield Heading(level, text, f"{group_key}-m{measure['number']}"), measure


def program_name(program: dict[str, Any], relisted: bool) -> str:
    name = (RELISTED if relisted else "") + program["name"]
    return f"{name}\n{ALIAS}{program['alias']}" if program.get("alias") else name


def divisions_text(program: dict[str, Any]) -> str:
    return format_divisions((d["department"], d["division"]) for d in program["divisions"])


def divisions_lines(program: dict[str, Any]) -> str:
    # each department and its divisions on a line of their own, as the source prints them
    return divisions_text(program).replace(" ", "\n")


def _rule() -> HRFlowable:
    return HRFlowable(width="70%", thickness=1.5, color=POLICY_FILL, spaceBefore=10, spaceAfter=10)


class Story:
    """The flowables of one document on one layout."""

    def __init__(self, document: dict[str, Any], layout: Layout) -> None:
        self.document, self.layout = document, layout
        self.programs = {p["id"]: p for p in document["programs"]}
        self.widths = layout.column_widths(TARGETS, self.column_texts())
        padding = [CELL_PADDING, CELL_PADDING, *[TARGET_PADDING] * len(TARGETS), CELL_PADDING, CELL_PADDING]
        self.inner = [w - 2 * p for w, p in zip(self.widths, padding, strict=False)]  # text width of each column
        self.cell = layout.cell
        self.header = self._header_rows()
        self.table_style = self._table_style()
        self.header_height: float = self.table([]).wrap(layout.frame_width, layout.frame_height)[1]

    def column_texts(self) -> ColumnTexts:
        """What every printed row puts in the text columns: the column widths follow it."""
        rows = [
            (self.programs[p["program"]], p["relisted"])
            for _, measure in headings(self.document)
            if measure is not None
            for p in measure["placements"]
        ]
        return ColumnTexts(
            names=[program_name(program, relisted) for program, relisted in rows],
            summaries=[program["summary"] for program, _ in rows],
            results=[program["results"] for program, _ in rows],
            divisions=[divisions_lines(program) for program, _ in rows],
        )

    def flowables(self) -> list[Flowable]:
        layout = self.layout
        outline = list(headings(self.document))
        return [
            *self.cover(),
            NextPageTemplate("front"),
            PageBreak(),
            TextBlock(
                CONTENTS_TITLE,
                layout.style(16, 24, bold=True, align="center"),
                splittable=False,
                space_after=10,
                heading=Heading(0, "目次", "contents", in_contents=False),
            ),
            Contents([h for h, _ in outline], layout.toc, indent=layout.toc(1).size),
            NextPageTemplate("body"),
            PageBreak(),
            BodyStart(),
            *self.body(outline),
        ]

    def cover(self) -> list[Flowable]:
        layout, height = self.layout, self.layout.frame_height
        return [
            Spacer(1, height * 0.22),
            _rule(),
            TextBlock(self.document["title"], layout.style(26, 38, bold=True, align="center"), splittable=False),
            _rule(),
            Spacer(1, 16),
            TextBlock(era_label(self.document["fiscal_year"]), layout.style(18, 26, align="center")),
            Spacer(1, height * 0.3),
            TextBlock(CITY, layout.style(14, 20, bold=True, align="center")),
        ]

    def body(self, outline: list[tuple[Heading, dict[str, Any] | None]]) -> list[Flowable]:
        out: list[Flowable] = []
        pending: list[TextBlock] = []  # headings waiting for the table they must stay with
        for heading, measure in outline:
            if heading.level == 0:
                out += pending
                pending = []
                if out:
                    out.append(PageBreak())  # each 基本施策 starts a page, as in the source
            pending.append(self.heading(heading))
            if measure is not None:
                rows = [self.row(self.programs[p["program"]], p["relisted"]) for p in measure["placements"]]
                table = self.table(rows) if rows else TextBlock(EMPTY_MEASURE, self.cell, splittable=False)
                out += [KeepWithTable(*self._start_height(pending, table, rows)), *pending, table]
                pending = []
        return out + pending

    def heading(self, heading: Heading) -> TextBlock:
        layout = self.layout
        if heading.level == 0:
            style = layout.policy_heading
            return TextBlock(
                heading.text,
                style,
                label_hang(heading.text, style.measure),
                splittable=False,
                fill=POLICY_FILL,
                pad=4,
                space_after=8,
                heading=heading,
            )
        if not heading.numbered:
            return TextBlock(
                heading.text, layout.stage_heading, splittable=False, space_before=6, space_after=2, heading=heading
            )
        style = layout.measure_heading
        return TextBlock(
            heading.text,
            style,
            label_hang(heading.text, style.measure),
            splittable=False,
            space_before=12,
            space_after=4,
            heading=heading,
        )

    def table(self, rows: list[Row]) -> BodyTable:
        header: list[Row] = [list(r) for r in self.header]
        return BodyTable(
            header + rows,
            colWidths=self.widths,
            repeatRows=2,
            # a row taller than a page splits, but never leaving less than two lines
            splitInRow=int(2 * self.cell.leading + 2 * CELL_PADDING),
            style=self.table_style,
        )

    def row(self, program: dict[str, Any], relisted: bool) -> Row:
        divisions = divisions_lines(program)
        targets = set(program["targets"])
        return [
            [TextBlock(program_name(program, relisted), self.cell)],
            [TextBlock(program["summary"], self.cell)],
            *(MARK if t in targets else "" for t in TARGETS),
            [TextBlock(program["results"], self.cell)],
            [TextBlock(divisions, self.cell)],
        ]

    def _header_rows(self) -> list[list[str]]:
        style, n = self.layout.header, len(TARGETS)

        def fit(text: str, column: int) -> str:
            return "\n".join(line for _, line in wrap(text, self.inner[column], style.measure))

        top = [
            fit("事業・取組名称", 0),
            fit("概要", 1),
            "対象",
            *[""] * (n - 1),
            fit(results_header(self.document["fiscal_year"]), n + 2),
            fit("所管", n + 3),
        ]
        bottom = ["", "", *(fit(t, 2 + i) for i, t in enumerate(TARGETS)), "", ""]
        return [top, bottom]

    def _table_style(self) -> TableStyle:
        layout, n = self.layout, len(TARGETS)
        header, mark = layout.header, layout.mark
        last = n + 3
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.fonts.regular),
                ("FONTSIZE", (0, 0), (-1, -1), mark.size),
                ("LEADING", (0, 0), (-1, -1), mark.leading),
                ("FONTNAME", (0, 0), (-1, 1), header.font),
                ("FONTSIZE", (0, 0), (-1, 1), header.size),
                ("LEADING", (0, 0), (-1, 1), header.leading),
                ("SPAN", (0, 0), (0, 1)),
                ("SPAN", (1, 0), (1, 1)),
                ("SPAN", (2, 0), (n + 1, 0)),
                ("SPAN", (n + 2, 0), (n + 2, 1)),
                ("SPAN", (last, 0), (last, 1)),
                ("BACKGROUND", (0, 0), (-1, 1), HEADER_FILL),
                ("ALIGN", (0, 0), (-1, 1), "CENTER"),
                ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
                # TOP below the header: MIDDLE changes a split row's style between passes
                ("VALIGN", (0, 2), (-1, -1), "TOP"),
                ("ALIGN", (2, 2), (n + 1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("LEFTPADDING", (2, 1), (n + 1, -1), TARGET_PADDING),
                ("RIGHTPADDING", (2, 1), (n + 1, -1), TARGET_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("GRID", (0, 0), (-1, -1), GRID_WIDTH, GRID),
                ("BOX", (0, 0), (-1, -1), BOX_WIDTH, GRID),
                ("LINEBELOW", (0, 1), (-1, 1), BOX_WIDTH, GRID),
            ]
        )

    def _start_height(self, headings: list[TextBlock], table: Flowable, rows: list[Row]) -> tuple[float, float]:
        """Room a table needs below its headings, so that they never end a page alone: its
        header and first row whole, and the least it may start with: a few lines of that row
        (all the row must start with when it is too tall for any page)."""
        width = self.layout.frame_width
        need = sum(h.wrap(width, 1e6)[1] + h.spaceBefore + h.spaceAfter for h in headings)
        if not rows:
            height: float = need + table.wrap(width, 1e6)[1]
            return height, height
        lines = max(len(cell[0].lines(self.inner[i])) for i, cell in enumerate(rows[0]) if isinstance(cell, list))
        least = need + self.header_height + min(lines, FIRST_ROW_LINES) * self.cell.leading + 2 * CELL_PADDING
        whole = need + self.header_height + lines * self.cell.leading + 2 * CELL_PADDING
        if whole - need > self.layout.frame_height - HEADING_ROOM:
            return least, least
        return whole, least
