"""Page fill and column widths of the printed booklet, read back from the PDF with pdfplumber."""

from __future__ import annotations

import json
import re

import pdfplumber
import pytest

from kodomo_desktop.booklet.flowables import CONTINUED, PAGE_FILL
from kodomo_desktop.booklet.fonts import find_fonts
from kodomo_desktop.booklet.layout import CELL_PADDING, MARGIN_BOTTOM, MARGIN_TOP, ColumnTexts, Layout
from kodomo_desktop.booklet.linebreak import wrap
from kodomo_desktop.booklet.story import Story
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.targets import TARGETS
from tests.helpers import SEED_EDITION
from tests.test_booklet import build, cell, continued, make_document

POLICY = "■基本施策"
# a heading line as extract_text gives it: 基本施策, 個別施策 or a life stage in brackets (the FY2024
# edition's four; a 実績 line such as 「（R6.5.1現在）」 is also in brackets)
STAGES = ("ライフステージを通して", "こどもの誕生前から幼児期まで", "学童期・思春期", "青年期")
HEADING = re.compile(rf"^(■基本施策|個別施策\d+\s|（(?:{'|'.join(STAGES)})）$)")


class Page:
    """One body page: its text lines, how much of the frame is left blank below its lowest
    mark, the x positions of its vertical rules and its tables."""

    def __init__(self, page: pdfplumber.page.Page) -> None:
        height = page.height
        frame_bottom = height - MARGIN_BOTTOM  # pdfplumber measures from the top
        marks = [c for c in page.chars if c["bottom"] <= frame_bottom + 0.5] + page.rects + page.lines
        lowest = max(o["bottom"] for o in marks)
        self.blank = (frame_bottom - lowest) / (frame_bottom - MARGIN_TOP)
        text = page.extract_text() or ""
        self.lines = [line for line in text.splitlines() if line != "案" and not re.fullmatch(r"- \d+ -", line)]
        self.text = text
        # the rules inside the frame (above it stands the 「案」 box)
        self.columns = sorted(
            {round(e["x0"], 1) for e in page.edges if e["orientation"] == "v" and e["top"] >= MARGIN_TOP - 0.5}
        )
        self.tables = page.find_tables()
        self.heading_tops = [
            (line, page.search(line[:12], regex=False)[0]["top"]) for line in self.lines if HEADING.match(line)
        ]


def body_pages(path) -> list[Page]:
    with pdfplumber.open(path) as pdf:
        texts = [(page, page.extract_text() or "") for page in pdf.pages]
        # the appendix (付録　対象別の事業数) is no body page: tests/test_coverage.py reads it
        return [Page(page) for page, text in texts if re.search(r"^- \d+ -$", text, re.M) and "付録" not in text]


def section_last(pages: list[Page], i: int) -> bool:
    """The last page of a 基本施策: the book's last, or followed by a page that starts the next."""
    return i == len(pages) - 1 or POLICY in pages[i + 1].text


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    document = json.loads(SEED_EDITION.read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("pagefill") / "seed.pdf"
    booklet, _ = build(document, path)
    return document, booklet, body_pages(path)


def test_no_page_but_a_sections_last_is_more_than_a_third_empty(seed):
    _, _, pages = seed
    assert len(pages) > 20
    emptiest = max((p.blank, i) for i, p in enumerate(pages) if not section_last(pages, i))
    assert emptiest[0] <= PAGE_FILL, f"body page {emptiest[1] + 1} is {emptiest[0]:.0%} blank"


def test_no_heading_ends_a_page_and_each_keeps_its_table_header_and_first_row(seed):
    _, _, pages = seed
    for number, page in enumerate(pages, 1):
        assert not HEADING.match(page.lines[-1]), (number, page.lines[-1])
        for line, top in page.heading_tops:
            if line.startswith((POLICY, "（")):
                continue  # a 個別施策 follows: it is checked itself
            below = [t for t in page.tables if t.bbox[1] >= top]
            assert below, (number, line)
            table = min(below, key=lambda t: t.bbox[1])
            assert len(table.rows) > 2, (number, line)  # the two header rows and at least a first row


def test_column_widths_are_the_same_on_every_page(seed):
    _, _, pages = seed
    tables = [p for p in pages if p.columns]  # the colophon may stand on a page of its own
    assert len(tables) >= len(pages) - 1
    assert all(p.columns == tables[0].columns for p in tables)
    # the 12 columns' 13 rules
    assert len(tables[0].columns) == 13


def test_seed_column_widths_follow_the_content(seed):
    document, _, _ = seed
    layout = Layout.of("A4", True, find_fonts(None))
    story = Story(without_ended(document), layout)
    name, summary, *ticks, results, divisions = story.widths
    assert sum(story.widths) == pytest.approx(layout.frame_width)
    assert len(set(ticks)) == 1 and ticks[0] <= 20  # two characters of the header a line
    assert name > 134  # wider than the fixed shares gave it
    assert summary > results > 6 * layout.cell.size
    measure, texts = layout.cell.measure, story.column_texts()
    inner = name - 2 * CELL_PADDING
    lines = [line for text in texts.names for line in text.split("\n")]
    assert sum(len(wrap(line, inner, measure)) <= 2 for line in lines) >= 0.99 * len(lines)
    pieces = {p for text in texts.divisions for line in text.split("\n") for p in line.split("、")}
    assert all(measure(p) <= divisions - 2 * CELL_PADDING for p in pieces)  # no division name breaks


def test_widths_of_an_empty_edition_stay_within_the_frame():
    for paper, landscape in [("A4", True), ("A3", True), ("A4", False)]:
        layout = Layout.of(paper, landscape, find_fonts(None))
        widths = layout.column_widths(TARGETS, ColumnTexts([], [], [], []))
        assert sum(widths) == pytest.approx(layout.frame_width) and min(widths) > 0


def test_a_row_that_would_leave_a_third_blank_splits_and_its_continuation_is_marked(tmp_path):
    document = make_document(measures=2, rows=4)
    big = document["programs"][2]  # the third row of the first table: it starts near mid-page
    big["summary"] = "\n".join(f"・続く行の{i}行目：半ページを超える行" for i in range(1, 31))
    booklet, _ = build(document, tmp_path / "split.pdf")
    pages = body_pages(tmp_path / "split.pdf")
    holding = [(n, row) for n, row in booklet.rows if "続く行の" in cell(row[1])]
    assert len(holding) == 2 and holding[0][0] + 1 == holding[1][0]
    first, rest = holding[0][1], holding[1][1]
    assert cell(first[0]) == big["name"] and cell(rest[0]).startswith(CONTINUED) and continued(rest)
    text = cell(first[1]) + cell(rest[1])
    assert all(f"続く行の{i}行目" in text for i in range(1, 31))
    assert pages[0].blank <= PAGE_FILL
    # the continuation is under the repeated header
    assert "事業・取組名称" in pages[1].text.split(CONTINUED)[0]


def test_a_row_that_leaves_little_blank_moves_whole(tmp_path):
    document = make_document(measures=2, rows=6)
    booklet, _ = build(document, tmp_path / "whole.pdf")
    assert not any(continued(row) for _, row in booklet.rows)
