"""What the booklet prints, as flowables: cover, contents and one table per 個別施策."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, NextPageTemplate, PageBreak, Spacer, TableStyle

from kodomo_desktop.booklet.appendix import APPENDIX_TITLE, appendix_table
from kodomo_desktop.booklet.flowables import (
    BodyStart,
    BodyTable,
    Contents,
    Heading,
    KeepWithTable,
    MarginNote,
    MarkedText,
    TextBlock,
    label_hang,
)
from kodomo_desktop.booklet.layout import (
    BOX_WIDTH,
    GRID,
    GRID_WIDTH,
    HEADER_FILL,
    MARK,
    POLICY_FILL,
    ColumnTexts,
    Layout,
)
from kodomo_desktop.booklet.linebreak import wrap
from kodomo_desktop.booklet.pages import PROOF_MARK
from kodomo_desktop.booklet.typography import normalize
from kodomo_desktop.core.coverage import coverage
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_date, era_label, results_header
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import DEFAULT_CITY, MEASURE, POLICY, node_heading

if TYPE_CHECKING:
    from kodomo_desktop.booklet.proof import Proof

RELISTED = "【再掲】"
ALIAS = "通称:"
COLOPHON_ISSUED = "発行日"
COLOPHON_ISSUER = "発行"
CONTENTS_TITLE = "目　次"
EMPTY_MEASURE = "（掲載する事業・取組はありません）"
NO_RESULTS = "\u2015"  # 「―」: an empty 実績 cell reads as left blank by mistake
FIRST_ROW_LINES = 4  # of a first row that splits: what must fit below its headings

# the proof copy (校正用): red for what changed, blue for what a reader must confirm
CHANGED = colors.red
QUERY = colors.HexColor("#0047BB")
NEW_LABEL = "新規"
UNSURE = "?"  # after a tick (○?) or alone: the tick's value is not certain
REMOVED = "×"  # a tick the compared edition had
CHANGE_BAR = 2.5
NOTES_TITLE = "校正メモ"
ENDED_TITLE = "終了した事業"
LEGEND = (
    "この冊子は校正用です。公開用の冊子ではありません。\n"
    "①②…（左余白、青）：要確認の事業・取組。番号の確認事項を下に示します。\n"
    f"○{UNSURE}（青）：対象の判定が確かでない欄（○が付いている）、{UNSURE}（青）：同じく○が付いていない欄。\n"
)
LEGEND_CHANGES = (
    "赤字：比較した版から変わった文字。行の左の赤い縦線：その行に変更がある（削除だけの変更を含む）。\n"
    f"赤の○：新しく付いた対象、{REMOVED}（赤）：外れた対象。{NEW_LABEL}：新しい事業・取組、または新しい再掲。\n"
)

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


def printed(program: dict[str, Any], field: str) -> str:
    """A program's text field as the booklet prints it, for the plain and the proof rows alike:
    typography normalized, 「―」 for an empty 実績, 所管 one department or division a line (so that a
    name breaks only when it alone is wider than the column). The stored text is not changed."""
    if field == "divisions":
        return normalize(divisions_text(program)).replace(" ", "\n").replace("、", "、\n")
    text = normalize(program.get(field) or "")
    if field == "results" and not text.strip():
        return NO_RESULTS
    return text


def program_name(program: dict[str, Any], relisted: bool) -> str:
    """The name cell as printed: 【再掲】, the name and 通称 (the marks as they are)."""
    name = (RELISTED if relisted else "") + printed(program, "name")
    return f"{name}\n{ALIAS}{printed(program, 'alias')}" if program.get("alias") else name


def divisions_text(program: dict[str, Any]) -> str:
    return format_divisions((d["department"], d["division"]) for d in program["divisions"])


def issuer_text(document: dict[str, Any]) -> str:
    """「旭川市 子育て支援部 こども政策課」: the issuing body as the cover and colophon print it."""
    issuer = document.get("issuer") or {"city": DEFAULT_CITY}
    return " ".join(issuer[key] for key in ("city", "department", "division") if issuer.get(key))


def _rule() -> HRFlowable:
    return HRFlowable(width="70%", thickness=1.5, color=POLICY_FILL, spaceBefore=10, spaceAfter=10)


class Story:
    """The flowables of one document on one layout."""

    def __init__(
        self,
        document: dict[str, Any],
        layout: Layout,
        proof: Proof | None = None,
        issued: datetime.date | None = None,
    ) -> None:
        """issued: the date of issue on the cover and colophon (build.issue_date resolves it; None omits it)."""
        self.document, self.layout, self.proof, self.issued = document, layout, proof, issued
        self.programs = {p["id"]: p for p in document["programs"]}
        self.widths = layout.column_widths(TARGETS, self.column_texts())
        cell, target = layout.cell_padding, layout.target_padding
        padding = [cell, cell, *[target] * len(TARGETS), cell, cell]
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
            summaries=[printed(program, "summary") for program, _ in rows],
            results=[printed(program, "results") for program, _ in rows],
            divisions=[printed(program, "divisions") for program, _ in rows],
        )

    def flowables(self) -> list[Flowable]:
        layout = self.layout
        outline = list(headings(self.document))
        appendix = Heading(0, APPENDIX_TITLE, "appendix")
        closing = self.proof_headings()
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
            Contents([*(h for h, _ in outline), appendix], layout.toc, indent=layout.toc(1).size),
            NextPageTemplate("body"),
            PageBreak(),
            BodyStart(),
            *self.body(outline),
            *self.appendix(appendix),
            *self.proof_sections(closing),
            *self.colophon(),
        ]

    def cover(self) -> list[Flowable]:
        layout, height = self.layout, self.layout.frame_height
        proof: list[Flowable] = []
        if self.proof is not None:
            proof = [
                TextBlock(PROOF_MARK, layout.style(40, 48, bold=True, align="center", color=CHANGED)),
                TextBlock(self.proof.basis, layout.style(12, 18, align="center", color=CHANGED)),
            ]
        return [
            *proof,
            Spacer(1, height * (0.22 if self.proof is None else 0.05)),
            _rule(),
            TextBlock(self.document["title"], layout.style(26, 38, bold=True, align="center"), splittable=False),
            _rule(),
            Spacer(1, 16),
            TextBlock(era_label(self.document["fiscal_year"]), layout.style(18, 26, align="center")),
            Spacer(1, height * 0.24),
            *(
                [TextBlock(era_date(self.issued), layout.style(13, 20, align="center"), splittable=False)]
                if self.issued
                else []
            ),
            TextBlock(issuer_text(self.document), layout.style(15, 22, bold=True, align="center"), splittable=False),
        ]

    def colophon(self) -> list[Flowable]:
        """The closing block: title, date of issue and issuing body, kept whole at the end."""
        lines = [f"{self.document['title']}（{era_label(self.document['fiscal_year'])}）"]
        if self.issued:
            lines.append(f"{COLOPHON_ISSUED}\u3000{era_date(self.issued)}")
        lines.append(f"{COLOPHON_ISSUER}\u3000{issuer_text(self.document)}")
        block = TextBlock("\n".join(lines), self.layout.style(9, 14), splittable=False)
        rule = HRFlowable(width="100%", thickness=0.8, color=GRID, spaceBefore=24, spaceAfter=6)
        height = block.wrap(self.layout.frame_width, 1e6)[1] + 30 + 6
        return [CondPageBreak(height), rule, block]

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
                placed = [(self.programs[p["program"]], p["relisted"]) for p in measure["placements"]]
                rows = [self.row(program, relisted, heading.key) for program, relisted in placed]
                table = self.table(rows) if rows else TextBlock(EMPTY_MEASURE, self.cell, splittable=False)
                if self.proof is not None and rows:
                    table.setStyle(self._proof_style(placed, heading.key))
                out += [KeepWithTable(*self._start_height(pending, table, rows)), *pending, table]
                pending = []
        return out + pending

    def appendix(self, heading: Heading) -> list[Flowable]:
        """付録　対象別の事業数: the coverage matrix on a page of its own after the body."""
        return [PageBreak(), self.heading(heading), *appendix_table(coverage(self.document), self.layout)]

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
            splitInRow=int(2 * self.cell.leading + 2 * self.layout.cell_padding),
            heading_room=self.layout.heading_room,
            style=self.table_style,
        )

    def row(self, program: dict[str, Any], relisted: bool, measure_key: str = "") -> Row:
        if self.proof is not None:
            return self._proof_row(self.proof, program, relisted, measure_key)
        targets = set(program["targets"])
        return [
            [TextBlock(program_name(program, relisted), self.cell)],
            [TextBlock(printed(program, "summary"), self.cell)],
            *(MARK if t in targets else "" for t in TARGETS),
            [TextBlock(printed(program, "results"), self.cell)],
            [TextBlock(printed(program, "divisions"), self.cell)],
        ]

    def _proof_row(self, proof: Proof, program: dict[str, Any], relisted: bool, measure_key: str) -> Row:
        from kodomo_desktop.booklet.proof import uncertain_targets

        cell, change = self.cell, proof.change(program["id"])

        def text(shown: str, spans: list[tuple[int, int]] | None) -> TextBlock:
            return TextBlock(shown, cell) if spans is None else MarkedText(shown, cell, spans, CHANGED)

        # the name cell prints 【再掲】, the name and 通称: the changed spans move with them
        name_spans: list[tuple[int, int]] | None = None
        if "name" in change.spans or "alias" in change.spans:
            start = len(RELISTED) if relisted else 0
            name_spans = [(a + start, b + start) for a, b in change.spans.get("name", [])]
            start += len(printed(program, "name")) + 1 + len(ALIAS)
            name_spans += [(a + start, b + start) for a, b in change.spans.get("alias", [])]
        name: list[TextBlock] = []
        number = proof.number(program["id"])
        if number is not None:
            name.append(MarginNote(proof.marker(number), self.layout.style(9, 11, bold=True, color=QUERY), cell, 4))
        if proof.is_new(measure_key, program["id"]):
            name.append(TextBlock(NEW_LABEL, self.layout.style(8, 11, bold=True, color=CHANGED)))
        name.append(text(program_name(program, relisted), name_spans))
        targets, unsure = set(program["targets"]), uncertain_targets(program)
        marks = []
        for t in TARGETS:
            mark = MARK if t in targets else REMOVED if t in change.ticks_removed else ""
            marks.append(mark + (UNSURE if t in unsure else ""))
        return [
            name,
            [text(printed(program, "summary"), change.spans.get("summary"))],
            *marks,
            [text(printed(program, "results"), change.spans.get("results"))],
            [text(printed(program, "divisions"), change.spans.get("divisions"))],
        ]

    def _proof_style(self, placed: list[tuple[dict[str, Any], bool]], measure_key: str) -> TableStyle:
        from kodomo_desktop.booklet.proof import uncertain_targets

        assert self.proof is not None
        commands: list[tuple[Any, ...]] = []
        for i, (program, _) in enumerate(placed, 2):
            change = self.proof.change(program["id"])
            if change or self.proof.is_new(measure_key, program["id"]):
                commands.append(("LINEBEFORE", (0, i), (0, i), CHANGE_BAR, CHANGED))
            unsure = uncertain_targets(program)
            for k, t in enumerate(TARGETS, 2):
                if t in unsure:
                    commands.append(("TEXTCOLOR", (k, i), (k, i), QUERY))
                elif t in change.ticks_added or t in change.ticks_removed:
                    commands.append(("TEXTCOLOR", (k, i), (k, i), CHANGED))
        return TableStyle(commands)

    def proof_headings(self) -> list[Heading]:
        if self.proof is None:
            return []
        # in the outline, not the contents: the contents keeps to one page
        notes = [Heading(0, NOTES_TITLE, "proof-notes", in_contents=False)]
        return [*notes, Heading(0, ENDED_TITLE, "proof-ended", in_contents=False)] if self.proof.compared else notes

    def proof_sections(self, closing: list[Heading]) -> list[Flowable]:
        """校正メモ (legend and the numbered review notes) and, against a compared edition, 終了した事業."""
        if self.proof is None:
            return []
        layout, proof = self.layout, self.proof
        cell = layout.style(9, 13)
        out: list[Flowable] = [PageBreak(), self.heading(closing[0])]
        legend = LEGEND + (LEGEND_CHANGES if proof.compared else "") + proof.basis
        out.append(TextBlock(legend, cell, space_after=10))
        bold = layout.style(9, 13, bold=True, color=QUERY)
        for number, program in proof.review:
            out.append(
                TextBlock(f"{proof.marker(number)}\u3000{program['name']}（{program['id']}）", bold, space_before=6)
            )
            out += [TextBlock(f"・{note}", cell) for note in program.get("review_notes") or ["（確認事項の記載なし）"]]
        if not proof.review:
            out.append(TextBlock("（要確認の事業・取組はありません）", cell))
        if proof.compared:
            out += [CondPageBreak(80), Spacer(1, 12), self.heading(closing[1])]
            for program in proof.ended:
                line = f"{program['name']}（{program['id']}）\u3000所管：{divisions_text(program)}"
                out.append(TextBlock(line, layout.style(9, 13, color=CHANGED), space_after=3))
            if not proof.ended:
                out.append(TextBlock("（終了した事業・取組はありません）", cell))
        return out

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
        cell, target = layout.cell_padding, layout.target_padding
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
                ("LEFTPADDING", (0, 0), (-1, -1), cell),
                ("RIGHTPADDING", (0, 0), (-1, -1), cell),
                ("LEFTPADDING", (2, 1), (n + 1, -1), target),
                ("RIGHTPADDING", (2, 1), (n + 1, -1), target),
                ("TOPPADDING", (0, 0), (-1, -1), cell),
                ("BOTTOMPADDING", (0, 0), (-1, -1), cell),
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
        cells = [(i, cell) for i, cell in enumerate(rows[0]) if isinstance(cell, list)]
        lines = max(sum(len(block.lines(self.inner[i])) for block in cell) for i, cell in cells)
        padding = self.layout.cell_padding
        least = need + self.header_height + min(lines, FIRST_ROW_LINES) * self.cell.leading + 2 * padding
        whole = need + self.header_height + lines * self.cell.leading + 2 * padding
        if whole - need > self.layout.frame_height - self.layout.heading_room:
            return least, least
        return whole, least
