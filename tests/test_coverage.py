"""The coverage picture (対象別の事業数): the matrix checked against counts made here from the JSON
export, the command's formats and --compare, the booklet's appendix read back, the window's dialog."""

from __future__ import annotations

import copy
import csv
import io
import json
import unicodedata

import pdfplumber
import pytest

from kodomo_desktop.booklet import BookletOptions, build_booklet
from kodomo_desktop.booklet.appendix import APPENDIX_TITLE
from kodomo_desktop.cli import main
from kodomo_desktop.core.coverage import ADDED, KEPT, REMOVED, compare, coverage
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.targets import TARGETS

HEADER = ["基本施策", "ライフステージ", "個別施策", "名称", *TARGETS, "事業数"]


def independent_counts(document: dict) -> dict[tuple[int, str | None, int], dict[str, int]]:
    """Per measure: how many listed programs placed under it reach each target, and 事業数."""
    programs = {p["id"]: p for p in document["programs"]}
    counts = {}
    for policy in document["policies"]:
        groups = [(s["title"], s["measures"]) for s in policy.get("stages", [])]
        groups += [(None, policy.get("measures", []))] if "measures" in policy else []
        for stage, measures in groups:
            for measure in measures:
                placed = {pl["program"] for pl in measure["placements"]}
                placed = {pid for pid in placed if programs[pid].get("status") != "終了"}
                cell = {t: sum(t in programs[pid]["targets"] for pid in placed) for t in TARGETS}
                counts[(policy["number"], stage, measure["number"])] = {**cell, "事業数": len(placed)}
    return counts


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_fy2024_matrix_matches_counts_made_from_the_json_export(seeded_db):
    document = json.loads(json.dumps(export_document(seeded_db, 2024)))
    expected = independent_counts(document)
    matrix = coverage(document)
    assert [row.key for row in matrix.rows] == list(expected)  # booklet order
    for row in matrix.rows:
        assert dict(zip(TARGETS, row.counts, strict=True)) | {"事業数": row.programs} == expected[row.key]
        assert all(len(ids) == n for ids, n in zip(row.ids, row.counts, strict=True))
    assert matrix.totals == tuple(sum(c[t] for c in expected.values()) for t in TARGETS)
    assert matrix.programs == sum(c["事業数"] for c in expected.values()) == 194  # every printed listing


def test_an_ended_program_is_not_counted_and_a_relisting_counts_under_its_measure(sample_document):
    matrix = coverage(sample_document)
    play = next(r for r in matrix.rows if r.title == "遊びや体験")
    assert play.programs == 2 and play.ids[TARGETS.index("乳児")] == ("P0001",)  # P0001 is 【再掲】 here
    sample_document["programs"][0]["status"] = "終了"
    play = next(r for r in coverage(sample_document).rows if r.title == "遊びや体験")
    assert play.programs == 1 and play.counts[TARGETS.index("乳児")] == 0


def test_compare_gives_the_change_per_cell_and_added_and_removed_measures(sample_document):
    new = copy.deepcopy(sample_document)
    new["fiscal_year"] = 2025
    new["programs"][2]["targets"].append("乳児")  # P0003, under 遊びや体験
    work = new["policies"][1]["stages"][1]
    work["measures"] = [{"number": 1, "title": "就職の支援", "placements": work["measures"][0]["placements"]}]
    new["policies"][1]["stages"][1]["title"] = "若者"
    change = compare(coverage(sample_document), coverage(new))
    by = {(c.row.title, c.status): c for c in change.rows}
    play = by[("遊びや体験", KEPT)]
    assert play.deltas[TARGETS.index("乳児")] == 1 and play.gained[TARGETS.index("乳児")] == ("P0003",)
    assert by[("就職の支援", ADDED)].deltas[TARGETS.index("18歳超")] == 1
    assert by[("就労支援", REMOVED)].deltas[TARGETS.index("18歳超")] == -1
    assert [c.row.title for c in change.rows][-3:] == [
        "遊びや体験",
        "就労支援",
        "就職の支援",
    ]  # after its old neighbour
    assert change.totals[TARGETS.index("乳児")] == 1 and change.programs == 0


def test_cli_formats(sample_db):
    db = sample_db.url
    code, text, err = run("--db", db, "coverage", "--year", "2024")
    assert code == 0, err
    lines = text.splitlines()
    assert lines[1].split() == ["基本施策", "ライフステージ", "個別施策", *TARGETS, "事業数", "名称"]
    total = next(line for line in lines if line.startswith("合計"))
    assert total.split() == ["合計", "2", "2", "1", "1", "0", "0", "2", "2", "5"]
    # aligned: 名称 starts in the same terminal column on every row (a full-width character takes two)
    starts = {width(line[: line.rindex(" ") + 1]) for line in lines[3:-2]}
    assert len(lines[3:-2]) == 3 and len(starts) == 1
    code, out, _ = run("--db", db, "coverage", "--year", "2024", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEADER
    assert rows[2] == ["2", "ライフステージを通して", "1", "遊びや体験", "1", "1", "1", "1", "0", "0", "0", "1", "2"]
    assert rows[-1][0] == "合計" and rows[-1][-1] == "5"
    code, out, _ = run("--db", db, "coverage", "--year", "2024", "--format", "json")
    assert json.loads(out) == coverage(export_document(sample_db, 2024)).as_dict()


def test_cli_compare_shows_the_change_per_cell(sample_db, sample_document, tmp_path):
    new = copy.deepcopy(sample_document)
    new["fiscal_year"] = 2025
    new["programs"][0]["targets"].remove("乳児")
    new["programs"][2]["targets"].append("親等")
    import_document(sample_db, new)
    db = sample_db.url
    code, text, err = run("--db", db, "coverage", "--year", "2025", "--compare", "2024")
    assert code == 0, err
    assert "令和6年度 → 令和7年度" in text.splitlines()[0]
    play = next(line for line in text.splitlines() if line.endswith("遊びや体験"))
    assert play.split()[3:12] == ["0", "-1", "0", "0", "0", "0", "0", "+1", "0"]
    out_file = tmp_path / "change.csv"
    run("--db", db, "coverage", "--year", "2025", "--compare", "2024", "--format", "csv", "-o", str(out_file))
    rows = list(csv.reader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    assert rows[-1] == ["合計", "", "", "", "0", "-2", "0", "0", "0", "0", "0", "+1", "0"]


@pytest.fixture(scope="module")
def appendix_pages(tmp_path_factory):
    from tests.helpers import SAMPLE_DOCUMENT

    folder = tmp_path_factory.mktemp("appendix")
    pages = {}
    for name, options in (("plain", BookletOptions()), ("proof", BookletOptions(proof="published"))):
        build_booklet(copy.deepcopy(SAMPLE_DOCUMENT), folder / f"{name}.pdf", options)
        with pdfplumber.open(folder / f"{name}.pdf") as pdf:
            pages[name] = [(page.extract_text() or "", page.extract_tables()) for page in pdf.pages]
    return pages


def test_the_booklet_appendix_is_read_back(appendix_pages):
    pages = appendix_pages["plain"]
    texts = [text for text, _ in pages]
    page = next(i for i, text in enumerate(texts) if text.splitlines()[1:2] == [APPENDIX_TITLE.replace("\u3000", " ")])
    assert APPENDIX_TITLE.replace("\u3000", " ") in texts[1]  # in the contents
    rows = [row for table in pages[page][1] for row in table]
    play = next(row for row in rows if row[2] == "遊びや体験")
    assert play[0] == "1" and play[1].replace("\n", "") == "ライフステージを通して"
    assert play[3:] == ["1", "1", "1", "1", "0", "0", "0", "1", "2"]
    total = rows[-1]
    assert total[0] == "合計" and total[3:] == ["2", "2", "1", "1", "0", "0", "2", "2", "5"]
    assert page > next(i for i, text in enumerate(texts) if "就労支援" in text and i > 1)  # after the body


def test_the_proof_copy_keeps_appendix_then_proof_sections_then_colophon(appendix_pages):
    after_contents = "".join(text for text, _ in appendix_pages["proof"][2:])
    where = [after_contents.find(mark) for mark in ("就労支援", "付録 対象別の事業数", "校正メモ", "発行 ")]
    assert -1 not in where and where == sorted(where)


def test_dialog_lists_the_programs_of_a_clicked_cell(qtbot, sample_db, sample_document):
    from PySide6.QtCore import Qt

    from kodomo_desktop.ui.coverage_dialog import CoverageDialog

    dialog = CoverageDialog(sample_db, 2024)
    qtbot.addWidget(dialog)
    assert not dialog.compare_box.isVisibleTo(dialog)  # no previous edition
    model = dialog.model
    row = next(i for i, line in enumerate(model.lines) if line.row is not None and line.row.title == "遊びや体験")
    assert model.headerData(row, Qt.Orientation.Vertical) == "1\u3000遊びや体験"
    cell = model.index(row, TARGETS.index("乳児"))
    assert cell.data() == "1"
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None  # coloured by count
    dialog.table.scrollTo(cell)
    rect = dialog.table.visualRect(cell)
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    items = [dialog.programs.item(i).text() for i in range(dialog.programs.count())]
    assert items == ["P0001\u3000児童の権利に関する条約の普及啓発"]
    assert "遊びや体験 × 乳児: 1 件" in dialog.caption.text()
    assert model.lines[-1].header == "合計" and model.index(len(model.lines) - 1, len(TARGETS)).data() == "5"


def test_dialog_compares_with_the_previous_edition(qtbot, sample_db, sample_document):

    from kodomo_desktop.ui.coverage_dialog import CoverageDialog

    new = copy.deepcopy(sample_document)
    new["fiscal_year"] = 2025
    new["programs"][0]["targets"].remove("乳児")
    import_document(sample_db, new)
    dialog = CoverageDialog(sample_db, 2025)
    qtbot.addWidget(dialog)
    assert dialog.compare_box.isVisibleTo(dialog)
    dialog.compare_box.setChecked(True)
    model = dialog.model
    row = next(i for i, line in enumerate(model.lines) if line.row is not None and line.row.title == "遊びや体験")
    cell = model.index(row, TARGETS.index("乳児"))
    assert cell.data() == "0（-1）"
    dialog.table.clicked.emit(cell)
    assert [dialog.programs.item(i).text() for i in range(dialog.programs.count())] == [
        "P0001\u3000児童の権利に関する条約の普及啓発（前年度のみ）"
    ]


def test_the_window_offers_the_dialog(window):
    assert window.act.coverage.isEnabled()
    assert window.act.coverage in window.act.menus["検証(&V)"]
