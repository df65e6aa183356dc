"""付録　対象別の事業数: the coverage matrix as one printed table.

A cell's grey deepens with its count and the number is always printed, so the table reads
the same on a black-and-white copy.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from kodomo_desktop.booklet.flowables import TextBlock
from kodomo_desktop.booklet.layout import BOX_WIDTH, GRID, GRID_WIDTH, HEADER_FILL, Layout
from kodomo_desktop.booklet.typography import normalize
from kodomo_desktop.core.coverage import Coverage
from kodomo_desktop.core.vocabulary import POLICY, node_heading

APPENDIX_TITLE = "付録\u3000対象別の事業数"
NOTE = (
    "個別施策ごとに、掲載した事業・取組（【再掲】を含む）のうち各対象に届くものの数です。"
    "網掛けは数が多いほど濃く、数がない欄（0）は白です。「事業数」はその個別施策に掲載した事業・取組の数です。"
)
TOTAL = "合計"
PROGRAMS = "事業数"
DARKEST = 0.55  # the grey of the largest count: black figures stay legible on it
TARGET_EMS = 3.4  # the narrowest target column, in ems of the cell size: room for 「18歳超」
STAGE_EMS = 10  # the life-stage column: its longest title on two lines
NAME_EMS = 34  # the widest 名称 column: on a landscape page the counts stay near their titles
ROW_PADDING = 1.5


def shade(count: int, largest: int) -> colors.Color:
    """White for 0, a grey that deepens evenly up to DARKEST for the largest count."""
    level = 1 - (1 - DARKEST) * count / largest if largest else 1.0
    return colors.Color(level, level, level)


def appendix_table(matrix: Coverage, layout: Layout) -> list[Flowable]:
    """The note and the table: a row per 個別施策 under its 基本施策 row, the life stage in a column
    spanning its measures (a row of its own each would not let the table fit a landscape page)."""
    cell, bold, header = layout.style(8, 10), layout.style(8, 10, bold=True), layout.header
    n, pad = len(matrix.targets), layout.cell_padding
    label, stage_width = 2.6 * cell.size, STAGE_EMS * cell.size
    name = min(NAME_EMS * cell.size, layout.frame_width - label - stage_width - (n + 1) * TARGET_EMS * cell.size)
    target = (layout.frame_width - label - stage_width - name) / (n + 1)
    widths = [label, stage_width, name, *[target] * (n + 1)]

    def text(value: str, style: Any = cell) -> list[Flowable]:
        return [TextBlock(normalize(value), style)]

    rows: list[list[Any]] = [["施策", "ライフステージ", "名称", *matrix.targets, PROGRAMS]]
    commands: list[tuple[Any, ...]] = []
    largest = max((c for row in matrix.rows for c in row.counts), default=0)
    policy: int | None = None
    stage: str | None = None
    stages: list[tuple[int, int]] = []  # first and last row of each life stage's cell
    for row in matrix.rows:
        if row.policy != policy:
            i = len(rows)
            commands += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), HEADER_FILL)]
            rows.append([text(f"{node_heading(POLICY, row.policy)}\u3000{row.policy_title}", bold)])
        i = len(rows)
        if row.stage is None:
            commands.append(("SPAN", (1, i), (2, i)))
            rows.append([str(row.measure), text(row.title), ""])
        elif (row.policy, row.stage) == (policy, stage):
            stages[-1] = (stages[-1][0], i)
            rows.append([str(row.measure), "", text(row.title)])
        else:
            stages.append((i, i))
            rows.append([str(row.measure), text(row.stage), text(row.title)])
        policy, stage = row.policy, row.stage
        rows[-1] += [*map(str, row.counts), str(row.programs)]
        commands += [("BACKGROUND", (k, i), (k, i), shade(c, largest)) for k, c in enumerate(row.counts, 3) if c]
    commands += [("SPAN", (1, top), (1, bottom)) for top, bottom in stages]
    rows.append([TOTAL, "", "", *map(str, matrix.totals), str(matrix.programs)])
    for cells in rows:
        cells += [""] * (n + 4 - len(cells))
    last = len(rows) - 1
    number = layout.style(9, 10, align="center")
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), layout.fonts.regular),
            ("FONTSIZE", (0, 0), (-1, -1), number.size),
            ("LEADING", (0, 0), (-1, -1), number.leading),
            ("FONTNAME", (0, 0), (-1, 0), header.font),
            ("FONTSIZE", (0, 0), (-1, 0), header.size),
            ("LEADING", (0, 0), (-1, 0), header.leading),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, last), (-1, last), layout.fonts.bold),
            ("SPAN", (0, last), (2, last)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), ROW_PADDING * layout.scale),
            ("BOTTOMPADDING", (0, 0), (-1, -1), ROW_PADDING * layout.scale),
            ("GRID", (0, 0), (-1, -1), GRID_WIDTH, GRID),
            ("BOX", (0, 0), (-1, -1), BOX_WIDTH, GRID),
            ("LINEBELOW", (0, 0), (-1, 0), BOX_WIDTH, GRID),
            ("LINEABOVE", (0, last), (-1, last), BOX_WIDTH, GRID),
            *commands,
        ]
    )
    return [
        TextBlock(NOTE, layout.style(8.5, 13), space_after=6),
        Table(rows, colWidths=widths, repeatRows=1, style=style),
    ]
