"""Line breaking of the FY2024 booklet, read back from the PDF: phrases, numbers, katakana, 所管, names."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest

from kodomo_desktop.booklet import build_booklet
from kodomo_desktop.booklet.layout import CELL_PADDING
from kodomo_desktop.booklet.linebreak import paragraph_lines, phrases
from kodomo_desktop.booklet.story import program_name
from kodomo_desktop.core.divisions import ATTACHED_DIVISIONS
from tests.helpers import SEED_EDITION
from tests.test_booklet import Booklet, placements_in_order

NAME, SUMMARY, RESULTS, DIVISIONS = 0, 1, 10, 11
SHORT = 2  # characters: a paragraph's last line this short is what rebalancing avoids
NUMBER_END = re.compile(r"[0-9０-９,，.．]$")
UNIT_START = re.compile(
    r"[0-9０-９人件回円年月日歳校園所組名冊枚台本店週割倍点個社戸食泊種%％]|か月|ヶ月|か所|千円|万円"
)
DATE_SPLIT = (re.compile(r"[0-9０-９](?:年|月)$"), re.compile(r"[0-9０-９]"))
KATAKANA = re.compile("[ァ-ヺー]")


@dataclass
class Cell:
    lines: list[str]
    inner: float  # the column's text width


@dataclass
class Row:
    program: dict
    relisted: bool
    cells: list[Cell]


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> tuple[dict, list[Row], dict[str, float]]:
    """The FY2024 booklet's rows (a row split over pages joined again) and the printed width of each character."""
    document = json.loads(SEED_EDITION.read_text(encoding="utf-8"))
    path: Path = tmp_path_factory.mktemp("phrases") / "seed.pdf"
    build_booklet(document, path)
    numbers = Booklet(path).numbers
    chars: list[dict] = []
    raw: list[tuple[list[str | None], list[float]]] = []
    with pdfplumber.open(path) as pdf:
        for number, page in zip(numbers, pdf.pages, strict=True):
            if number is None:
                continue
            chars += page.chars
            for table in page.find_tables():
                if table.extract()[0][:2] == ["施策", "ライフステージ"]:
                    continue  # the appendix (付録　対象別の事業数): tests/test_coverage.py reads it
                for row, texts in zip(table.rows, table.extract(), strict=True):
                    if texts[0] == "事業・取組名称" or texts[2] == "妊婦\n等":
                        continue
                    inner = [(c[2] - c[0]) - 2 * CELL_PADDING if c else 0.0 for c in row.cells]
                    raw.append((texts, inner))
    rows: list[list[Cell]] = []
    for texts, inner in raw:
        cells = [Cell((t or "").split("\n") if t else [], w) for t, w in zip(texts, inner, strict=True)]
        if texts[0] or not rows:
            rows.append(cells)
        else:
            for joined, more in zip(rows[-1], cells, strict=True):
                joined.lines += more.lines
    size = Counter(round(c["size"], 2) for c in chars).most_common(1)[0][0]  # the body text's
    widths = {c["text"]: c["x1"] - c["x0"] for c in chars if round(c["size"], 2) == size}
    expected = placements_in_order(document)
    assert len(rows) == len(expected)
    return document, [Row(p, r, cells) for cells, (p, r) in zip(rows, expected, strict=True)], widths


def _squeezed(text: str) -> str:
    return re.sub(r"[ \u3000]", "", text)


def wrapped(lines: list[str], text: str) -> list[tuple[str, str]]:
    """Consecutive lines of a cell that the line breaker split (not a line break of the text)."""
    paragraphs = [_squeezed(p) for p in text.split("\n")]
    pairs = [(_squeezed(a), _squeezed(b)) for a, b in pairwise(lines)]
    return [(a, b) for a, b in pairs if a and b and any(a + b in p for p in paragraphs)]


def field_texts(row: Row) -> list[tuple[Cell, str]]:
    program = row.program
    return [
        (row.cells[NAME], program_name(program, row.relisted)),
        (row.cells[SUMMARY], program["summary"]),
        (row.cells[RESULTS], program["results"]),
    ]


def test_divisions_one_a_line_and_never_broken(seed):
    document, rows, _ = seed
    names = set()
    for program in document["programs"]:
        for d in program["divisions"]:
            names.add(d["department"])
            if d["division"] in ATTACHED_DIVISIONS:
                names.add(d["department"] + d["division"])
            elif d["division"]:
                names.add(d["division"])
    for row in rows:
        lines = row.cells[DIVISIONS].lines
        assert lines, row.program["name"]
        for line in lines:
            assert line.rstrip("、") in names, (row.program["name"], lines)


def test_numbers_dates_and_katakana_words_are_never_split(seed):
    _, rows, _ = seed
    breaks = 0
    for row in rows:
        for cell, text in field_texts(row):
            for a, b in wrapped(cell.lines, text):
                breaks += 1
                assert not (NUMBER_END.search(a) and UNIT_START.match(b)), (a, b)
                assert not (DATE_SPLIT[0].search(a) and DATE_SPLIT[1].match(b)), (a, b)
                assert not (KATAKANA.match(a[-1]) and KATAKANA.match(b[0])), (a, b)
    assert breaks > 100  # the check saw the wrapped lines


def _phrase_spans(para: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each phrase, offsets in the paragraph without spaces."""
    spans, at = [], 0
    for text, _ in phrases(para):
        n = len(_squeezed(text))
        if n:
            spans.append((at, at + n, text))
        at += n
    return spans


def test_lines_break_at_phrase_boundaries_where_the_phrase_fits(seed):
    _, rows, widths = seed
    inside = []
    for row in rows:
        for cell, text in field_texts(row):
            for a, b in wrapped(cell.lines, text):
                para = next(p for p in text.split("\n") if a + b in _squeezed(p))
                position = _squeezed(para).index(a + b) + len(a)  # where line b starts
                phrase = next(t for start, end, t in _phrase_spans(para) if start <= position < end)
                starts = {start for start, _, _ in _phrase_spans(para)}
                if position not in starts:
                    # only a phrase wider than the column breaks inside
                    assert sum(widths[ch] for ch in phrase if ch in widths) > cell.inner - 1, (a, b, phrase)
                    inside.append((a, b))
    print(f"{len(inside)} breaks inside a phrase wider than its column")


def test_no_short_last_line_in_a_name_that_rebalancing_avoids(seed):
    _, rows, widths = seed

    def measure(text: str) -> float:
        return sum(widths[ch] for ch in text)

    short = []
    for row in rows:
        cell = row.cells[NAME]
        for para in program_name(row.program, row.relisted).split("\n"):
            printed = _printed_paragraph(cell.lines, para)
            if len(printed) > 1 and len(printed[-1]) <= SHORT:
                short.append(printed)
                # no narrower measure gives as many lines, all broken at phrase boundaries, with a longer last line
                width = cell.inner
                while width > cell.inner / 2:
                    width -= 0.5
                    trial = paragraph_lines(para, width, measure, 0.0, balance=False)
                    if len(trial) == len(printed) and len(trial[-1]) > SHORT:
                        assert not _at_phrase_boundaries(para, trial), (printed, trial)
    print(f"{len(short)} name paragraphs end in a short line that no rebalancing avoids: {short}")


def _printed_paragraph(lines: list[str], para: str) -> list[str]:
    flat = _squeezed(para)
    for start in range(len(lines)):
        for end in range(start + 1, len(lines) + 1):
            if _squeezed("".join(lines[start:end])) == flat:
                return lines[start:end]
    raise AssertionError((lines, para))


def _at_phrase_boundaries(para: str, lines: list[str]) -> bool:
    starts = {start for start, _, _ in _phrase_spans(para)}
    at = 0
    for line in lines[:-1]:
        at += len(_squeezed(line))
        if at not in starts:
            return False
    return True
