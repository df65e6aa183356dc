"""Print-time typography of the booklet: normalized marks, the empty 実績 dash, type size by paper."""

from __future__ import annotations

import copy
import math
from collections import Counter

import pdfplumber
import pytest

from kodomo_desktop.booklet import BookletOptions, fonts
from kodomo_desktop.booklet.typesetting import typesetting
from kodomo_desktop.booklet.typography import RULES, normalize
from tests.test_booklet import build, cell, make_document

MIXED_NAME = "ASOBI~BA(あそびーば)"
MIXED_SUMMARY = "\n".join(
    [
        "開催期間:5月~10月(予定)",
        "受付は10:30から",
        "https://example.jp/a:b",
        "案内資料(PDF)を配布",
        "(1)年2回(R6年度末)",
        "ｶﾞｲﾄﾞﾌﾞｯｸ配布!",
    ]
)
MIXED_RESULTS = "参加者:1,364人(延べ)"


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("5月~10月", "5月～10月"),
        ("ASOBI~BA", "ASOBI～BA"),
        ("開催:毎月", "開催：毎月"),
        ("10:30", "10:30"),
        ("https://example.jp", "https://example.jp"),
        ("資料(PDF)", "資料(PDF)"),
        ("(1)", "(1)"),
        ("受付(平日)", "受付（平日）"),
        ("(外側(内側)まで)", "（外側（内側）まで）"),
        ("（R6年度末)", "（R6年度末）"),
        ("(PDF）", "（PDF）"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("楽しもう!", "楽しもう！"),
        ("Why?", "Why?"),
        ("(a(b)", "(a(b)"),
    ],
)
def test_normalize_table(text, printed):
    assert normalize(text) == printed


def test_every_printed_mark_has_a_glyph():
    face = fonts.find_fonts(None)
    if face.embedded is None:
        pytest.skip("no Japanese TrueType font on this machine")
    marks = {ch for rule in RULES for ch in rule.after if ch != "…"}
    assert marks >= {"～", "：", "（", "）", "！", "？"}
    assert all(face.covers(ch) for ch in marks | {"―"})


def mixed_document() -> dict:
    document = make_document(measures=2, rows=3)
    first, second = document["programs"][:2]
    first.update(name=MIXED_NAME, alias="通称~A", summary=MIXED_SUMMARY, results=MIXED_RESULTS)
    first["divisions"] = [{"department": "子育て支援部", "division": "こども(育成)課"}]
    second["results"] = ""
    document["programs"][2]["results"] = " \n "
    return document


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    document = mixed_document()
    stored = copy.deepcopy(document)
    path = tmp_path_factory.mktemp("typography") / "mixed.pdf"
    booklet, report = build(document, path)
    return document, stored, booklet, report


def printed_row(booklet, name: str) -> list[str]:
    return next(row for _, row in booklet.rows if cell(row[0]).startswith(name))


def test_printed_text_is_normalized_and_stored_text_is_not(mixed):
    document, stored, booklet, report = mixed
    assert document == stored
    assert report.embedded_font and not [w for w in report.warnings if "U+" in w]
    row = printed_row(booklet, "ASOBI～BA（あそびーば）")
    assert cell(row[0]) == "ASOBI～BA（あそびーば）通称:通称～A"
    assert row[1].split("\n") == [
        "開催期間：5月～10月（予定）",
        "受付は10:30から",
        "https://example.jp/a:b",
        "案内資料(PDF)を配布",
        "(1)年2回（R6年度末）",
        "ガイドブック配布！",
    ]
    assert cell(row[-2]) == "参加者：1,364人（延べ）"
    assert cell(row[-1]) == "子育て支援部こども（育成）課"
    text = "".join(booklet.texts)
    assert "~" not in text and "ASOBI~BA" not in text


def test_empty_results_print_a_dash(mixed):
    document, _stored, booklet, _report = mixed
    for program in document["programs"][1:3]:
        assert cell(printed_row(booklet, program["name"])[-2]) == "\u2015"
    filled = printed_row(booklet, document["programs"][3]["name"])
    assert cell(filled[-2]) == cell(document["programs"][3]["results"])


def test_same_document_same_bytes(mixed, tmp_path):
    _document, stored, booklet, _report = mixed
    again, _ = build(copy.deepcopy(stored), tmp_path / "again.pdf")
    assert again.bytes == booklet.bytes


def body_sizes(path) -> Counter:
    """Font sizes of the characters on the numbered (body) pages, by count."""
    sizes: Counter = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[2:]:
            sizes.update(round(ch["size"], 2) for ch in page.chars)
    return sizes


def test_a3_prints_larger_text_and_validation_uses_its_sizes(tmp_path):
    document = make_document(measures=2, rows=3)
    a4, _ = build(document, tmp_path / "a4.pdf")
    a3, _ = build(document, tmp_path / "a3.pdf", paper="A3")
    body_a4 = body_sizes(a4.path).most_common(1)[0][0]
    body_a3 = body_sizes(a3.path).most_common(1)[0][0]
    ratio = 841.89 / 595.28
    assert body_a4 == 8
    assert body_a3 == pytest.approx(8 * ratio, abs=0.01)
    assert body_a3 / body_a4 == pytest.approx(math.sqrt(2), abs=0.01)
    # the A4 layout enlarged (the margins are not, so A3 lines hold a little more)
    assert [[cell(c) for c in row] for _, row in a3.rows] == [[cell(c) for c in row] for _, row in a4.rows]
    for (_, big), (_, small) in zip(a3.rows, a4.rows, strict=True):
        assert all((b or "").count("\n") <= (s or "").count("\n") for b, s in zip(big, small, strict=True))

    page_a4 = typesetting(2024).page
    page_a3 = typesetting(2024, BookletOptions(paper="A3")).page
    assert page_a4 is not None and page_a3 is not None
    assert page_a3.font_size == pytest.approx(body_a3, abs=0.01)
    assert page_a4.font_size == body_a4
    assert page_a3.leading == pytest.approx(page_a4.leading * ratio, rel=1e-3)
    assert page_a3.padding == pytest.approx(page_a4.padding * ratio, rel=1e-3)
    # column widths are whole points (Layout.column_widths rounds them): enlarged to within a point
    assert all(page_a3.column_widths[c] >= page_a4.column_widths[c] * ratio - 1 for c in page_a4.column_widths)
    row = {"name": "テスト事業1", "summary": "概要", "results": "", "divisions": "子育て支援部"}
    assert page_a3.row_height(row) == pytest.approx(page_a4.row_height(row) * ratio, rel=1e-3)
