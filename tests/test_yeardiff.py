"""Comparing two editions: each kind of change found on crafted editions, nothing on a copy."""

from __future__ import annotations

import copy
import io
import json

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core.interchange import import_document
from kodomo_desktop.core.operations.rollover import rollover
from kodomo_desktop.core.yeardiff import (
    FieldChange,
    NodeChange,
    PlacementChange,
    ProgramEntry,
    compare_editions,
    diff_documents,
    sections,
)

RIGHTS = "基本施策1 個別施策1「権利の普及」"
PLAY = "基本施策2 (ライフステージを通して) 個別施策1「遊びや体験」"
JOBS = "基本施策2 (青年期) 個別施策1「就労支援」"


def next_year(doc):
    new = copy.deepcopy(doc)
    new["fiscal_year"] = doc["fiscal_year"] + 1
    return new


def measure(doc, title):
    for policy in doc["policies"]:
        for group in policy.get("stages", [policy]):
            for m in group.get("measures", []):
                if m["title"] == title:
                    return m
    raise KeyError(title)


def program(doc, uid):
    return next(p for p in doc["programs"] if p["id"] == uid)


def only(diff, kind):
    """The diff's changes of one kind, checking every other kind is empty."""
    others = [s.key for s in sections(diff) if s.rows and s.key != kind]
    assert others == [], f"unexpected changes: {others}"
    return getattr(diff, kind)


def test_unchanged_copy_gives_nothing(sample_document):
    diff = diff_documents(sample_document, next_year(sample_document))
    assert not diff
    assert (diff.from_year, diff.to_year) == (2024, 2025)
    assert all(s.rows == () for s in sections(diff))


def test_unchanged_copy_in_the_database_gives_nothing(sample_db, sample_document):
    import_document(sample_db, next_year(sample_document))
    assert not compare_editions(sample_db, 2024, 2025)


def test_after_rollover_only_the_cleared_results_differ(sample_db):
    rollover(sample_db, 2024, 2025)
    changes = only(compare_editions(sample_db, 2024, 2025), "fields")
    assert [(c.uid, c.field, c.new) for c in changes] == [
        ("P0001", "results", ""),
        ("P0002", "results", ""),
        ("P0003", "results", ""),
    ]


def test_added_program(sample_document):
    new = next_year(sample_document)
    new["programs"].append(
        {**copy.deepcopy(program(new, "P0003")), "id": "P0004", "name": "プレーパーク", "status": "新規"}
    )
    measure(new, "就労支援")["placements"].append({"program": "P0004", "relisted": False})
    measure(new, "権利の普及")["placements"].append({"program": "P0004", "relisted": True})
    assert only(diff_documents(sample_document, new), "added") == (
        ProgramEntry("P0004", "プレーパーク", "選挙管理委員会事務局", (JOBS, RIGHTS + "【再掲】")),
    )


def test_ended_programs_marked_or_gone(sample_document):
    new = next_year(sample_document)
    program(new, "P0003")["status"] = "終了"
    new["programs"].remove(program(new, "P0001"))
    for title in ("権利の普及", "遊びや体験"):
        measure(new, title)["placements"] = [p for p in measure(new, title)["placements"] if p["program"] != "P0001"]
    ended = only(diff_documents(sample_document, new), "ended")
    assert [(e.uid, e.measures) for e in ended] == [("P0001", (RIGHTS, PLAY + "【再掲】")), ("P0003", (PLAY,))]


def test_program_ended_before_is_not_reported_again(sample_document):
    old = copy.deepcopy(sample_document)
    program(old, "P0003")["status"] = "終了"
    new = next_year(old)
    new["programs"].remove(program(new, "P0003"))
    measure(new, "遊びや体験")["placements"] = [{"program": "P0001", "relisted": True}]
    assert not diff_documents(old, new)


def test_renamed_program(sample_document):
    new = next_year(sample_document)
    program(new, "P0001")["name"] = "こどもの権利の普及啓発"
    assert only(diff_documents(sample_document, new), "renamed") == (
        FieldChange(
            "P0001", "こどもの権利の普及啓発", "name", "児童の権利に関する条約の普及啓発", "こどもの権利の普及啓発"
        ),
    )


def test_changed_fields(sample_document):
    new = next_year(sample_document)
    p2 = program(new, "P0002")
    p2["alias"] = None
    p2["summary"] = "・相談"
    p2["targets"] = ["高校", "18歳超"]
    p2["divisions"] = [{"department": "子育て支援部", "division": "おやこ応援課"}]
    p2["results"] = "相談 1,500人"
    assert [(c.uid, c.field, c.old, c.new) for c in only(diff_documents(sample_document, new), "fields")] == [
        ("P0002", "alias", "ジョブカフェ", ""),
        ("P0002", "summary", "・相談\n・セミナー", "・相談"),
        ("P0002", "targets", "18歳超", "高校・18歳超"),
        ("P0002", "divisions", "子育て支援部主幹付、おやこ応援課", "子育て支援部 おやこ応援課"),
        ("P0002", "results", "相談 1,364人", "相談 1,500人"),
    ]


def test_placements_added_removed_moved(sample_document):
    new = next_year(sample_document)
    measure(new, "就労支援")["placements"].append({"program": "P0003", "relisted": True})  # added
    measure(new, "遊びや体験")["placements"].remove({"program": "P0001", "relisted": True})  # removed
    measure(new, "就労支援")["placements"].remove({"program": "P0002", "relisted": True})
    measure(new, "遊びや体験")["placements"].append({"program": "P0002", "relisted": True})  # moved
    changes = only(diff_documents(sample_document, new), "placements")
    assert set(changes) == {
        PlacementChange("P0001", "児童の権利に関する条約の普及啓発", "removed", PLAY + "【再掲】", None),
        PlacementChange("P0002", "若者の就労相談", "moved", JOBS + "【再掲】", PLAY + "【再掲】"),
        PlacementChange("P0003", "ちびっこ広場", "added", None, JOBS + "【再掲】"),
    }


def test_primary_placement_moved_or_swapped(sample_document):
    new = next_year(sample_document)
    # P0003's only placement moves to another measure
    measure(new, "遊びや体験")["placements"].remove({"program": "P0003", "relisted": False})
    measure(new, "就労支援")["placements"].append({"program": "P0003", "relisted": False})
    # P0001 is printed in full under 遊びや体験 now, re-listed under 権利の普及
    measure(new, "権利の普及")["placements"][0]["relisted"] = True
    measure(new, "遊びや体験")["placements"][-1]["relisted"] = False
    changes = only(diff_documents(sample_document, new), "placements")
    assert [(c.uid, c.change, c.old, c.new) for c in changes] == [
        ("P0001", "primary", RIGHTS, PLAY),
        ("P0003", "moved", PLAY, JOBS),
    ]


def test_policy_tree_changes(sample_document):
    new = next_year(sample_document)
    rights = measure(new, "権利の普及")
    rights["title"] = "権利の普及と啓発"  # renamed in place
    measure(new, "就労支援")["number"] = 2  # renumbered: the programs listed there have not moved
    new["policies"][0]["measures"].append({"number": 2, "title": "意見表明", "placements": []})
    new["policies"].append({"number": 3, "title": "新しい基本施策", "measures": []})
    changes = only(diff_documents(sample_document, new), "policy")
    assert set(changes) == {
        NodeChange("measure", "renamed", RIGHTS, "基本施策1 個別施策1「権利の普及と啓発」"),
        NodeChange("measure", "moved", JOBS, "基本施策2 (青年期) 個別施策2「就労支援」"),
        NodeChange("measure", "added", None, "基本施策1 個別施策2「意見表明」"),
        NodeChange("policy", "added", None, "基本施策3「新しい基本施策」"),
    }


def test_policy_node_removed(sample_document):
    old = copy.deepcopy(sample_document)
    old["policies"].append(
        {"number": 3, "title": "廃止される基本施策", "measures": [{"number": 1, "title": "旧施策", "placements": []}]}
    )
    changes = only(diff_documents(old, next_year(sample_document)), "policy")
    assert [(c.kind, c.change, c.old) for c in changes] == [
        ("policy", "removed", "基本施策3「廃止される基本施策」"),
        ("measure", "removed", "基本施策3 個別施策1「旧施策」"),
    ]


# --- the command -----------------------------------------------------------------


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def two_years(sample_db, sample_document):
    new = next_year(sample_document)
    program(new, "P0001")["name"] = "こどもの権利の普及啓発"
    program(new, "P0002")["summary"] = "=相談のみ"  # must stay text in the .xlsx
    import_document(sample_db, new)
    return sample_db.url


def test_cli_text(two_years):
    code, out, err = run("--db", two_years, "diff", "--from", "2024", "--to", "2025")
    assert code == 0, err
    assert out.startswith("令和6年度版と令和7年度版の比較\n")
    assert "■ 名称が変わった事業（1件）\n  - 事業ID: P0001\n    変更前の名称: 児童の権利に関する条約の普及啓発" in out
    assert "    変更前: ・相談\n      ・セミナー\n" in out
    assert "追加された事業" not in out
    code, out, _ = run("--db", two_years, "diff", "--from", "2025", "--to", "2025")
    assert code == 0 and "違いはありません。" in out


def test_cli_json(two_years, tmp_path):
    target = tmp_path / "diff.json"
    code, _, err = run(
        "--db", two_years, "diff", "--from", "2024", "--to", "2025", "--format", "json", "-o", str(target)
    )
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert (doc["from_year"], doc["to_year"]) == (2024, 2025)
    assert doc["renamed"] == [
        {
            "uid": "P0001",
            "name": "こどもの権利の普及啓発",
            "field": "name",
            "old": "児童の権利に関する条約の普及啓発",
            "new": "こどもの権利の普及啓発",
            "edit_script": [
                {"op": "delete", "text": "児童"},
                {"op": "insert", "text": "こども"},
                {"op": "keep", "text": "の権利"},
                {"op": "delete", "text": "に関する条約"},
                {"op": "keep", "text": "の普及啓発"},
            ],
        }
    ]
    assert [c["field"] for c in doc["fields"]] == ["summary"]
    assert doc["added"] == doc["ended"] == doc["placements"] == doc["policy"] == []


def test_cli_xlsx_report(two_years, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "report.xlsx"
    code, _, err = run(
        "--db", two_years, "diff", "--from", "2024", "--to", "2025", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    book = load_workbook(target)
    assert book.sheetnames == [
        "概要",
        "追加された事業",
        "終了した事業",
        "名称が変わった事業",
        "内容が変わった事業",
        "掲載の変更",
        "施策体系の変更",
    ]
    summary = book["概要"]
    assert summary["A1"].value == "令和6年度版と令和7年度版の比較"
    assert [(r[0].value, r[1].value) for r in summary.iter_rows(min_row=4)] == [
        ("追加された事業", 0),
        ("終了した事業", 0),
        ("名称が変わった事業", 1),
        ("内容が変わった事業", 1),
        ("掲載の変更", 0),
        ("施策体系の変更", 0),
    ]
    fields = book["内容が変わった事業"]
    assert [c.value for c in fields[1]] == ["事業ID", "事業・取組名称", "項目", "変更前", "変更後", "変更箇所"]
    assert [c.value for c in fields[2]] == [
        "P0002",
        "若者の就労相談",
        "概要",
        "・相談\n・セミナー",
        "=相談のみ",
        "・=相談⏎・セミナーのみ",  # rich text: 【-・】【+=】相談【-⏎・セミナー】【+のみ】
    ]
    assert fields["E2"].data_type == "s" and fields["D2"].alignment.wrap_text
    assert fields.freeze_panes == "A2" and fields.print_title_rows == "$1:$1"
    assert fields.page_setup.orientation == "landscape" and int(fields.page_setup.paperSize) == 9  # A4
    assert fields.sheet_properties.pageSetUpPr.fitToPage and fields.page_setup.fitToWidth == 1
    assert fields.column_dimensions["D"].width == 55 and fields["A1"].font.bold
    assert book["追加された事業"]["A2"].value == "変更はありません。"


def test_cli_refuses_xlsx_without_file_and_unknown_years(two_years):
    code, _, err = run("--db", two_years, "diff", "--from", "2024", "--to", "2025", "--format", "xlsx")
    assert code == 2 and "-o FILE" in err
    code, _, err = run("--db", two_years, "diff", "--from", "2024", "--to", "2030")
    assert code == 2 and "令和12年度" in err


# --- down to the character, and narrowed down -----------------------------------------

LONG = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]


@pytest.fixture
def long_change(sample_db, sample_document):
    """2025 with a 600-character 概要, 2026 with one character added at its end and a 実績 changed."""
    earlier = next_year(sample_document)
    program(earlier, "P0001")["summary"] = LONG
    later = next_year(earlier)
    program(later, "P0001")["summary"] = LONG + "等"
    program(later, "P0002")["results"] = "相談 120件"
    import_document(sample_db, earlier)
    import_document(sample_db, later)
    return sample_db.url


def test_one_character_at_the_end_of_a_long_summary_shows_in_text(long_change):
    code, out, err = run("--db", long_change, "diff", "--from", "2025", "--to", "2026")
    assert code == 0, err
    assert "項目別: 概要: 1件、実績: 1件\n" in out
    assert f"    変更箇所: …{LONG[-20:]}【+等】\n" in out


def test_one_character_at_the_end_of_a_long_summary_shows_in_json(long_change):
    code, out, err = run("--db", long_change, "diff", "--from", "2025", "--to", "2026", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    summary = next(c for c in doc["fields"] if c["field"] == "summary")
    assert summary["edit_script"] == [{"op": "keep", "text": LONG}, {"op": "insert", "text": "等"}]
    assert doc["field_counts"] == {"summary": 1, "results": 1} and doc["filter"] == ""


def test_one_character_at_the_end_of_a_long_summary_shows_in_xlsx(long_change, tmp_path):
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    target = tmp_path / "report.xlsx"
    code, _, err = run(
        "--db", long_change, "diff", "--from", "2025", "--to", "2026", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    sheet = load_workbook(target, rich_text=True)["内容が変わった事業"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "概要")
    for cell, text in ((row[4], LONG + "等"), (row[5], f"…{LONG[-20:]}等")):  # 変更後 in full, 変更箇所
        assert isinstance(cell.value, CellRichText) and str(cell.value) == text
        (inserted,) = [b for b in cell.value if isinstance(b, TextBlock)]
        assert inserted.text == "等"
        assert inserted.font.color.rgb.endswith("0B5CAD") and inserted.font.u == "single"
    assert str(row[3].value) == LONG  # nothing deleted: 変更前 has no marked run
    summary = load_workbook(target)["概要"]
    assert [(r[3].value, r[4].value) for r in summary.iter_rows(min_row=3, max_row=5)] == [
        ("項目", "名称・内容の変更"),
        ("概要", 1),
        ("実績", 1),
    ]


def test_deleted_characters_are_struck_out_in_xlsx(tmp_path, sample_document):
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import TextBlock

    from kodomo_desktop.excel.diff_report import write_diff_report

    later = next_year(sample_document)
    program(later, "P0003")["summary"] = "空地の遊び場を設置する。"
    write_diff_report(diff_documents(sample_document, later), tmp_path / "r.xlsx")
    row = load_workbook(tmp_path / "r.xlsx", rich_text=True)["内容が変わった事業"][2]
    (deleted,) = [b for b in row[3].value if isinstance(b, TextBlock)]
    assert deleted.text == "利用" and deleted.font.strike and deleted.font.color.rgb.endswith("B3261E")


@pytest.mark.parametrize("field", ["results", "実績"])
def test_excluding_a_field(long_change, field):
    code, out, err = run("--db", long_change, "diff", "--from", "2025", "--to", "2026", "--exclude-field", field)
    assert code == 0, err
    assert out.startswith("令和7年度版と令和8年度版の比較（実績を除く）\n項目別: 概要: 1件\n")
    assert "内容が変わった事業（1件）" in out and "相談 120件" not in out


def test_choosing_fields_and_kinds(long_change, tmp_path):
    code, out, _ = run(
        "--db", long_change, "diff", "--from", "2025", "--to", "2026", "--field", "results", "--format", "json"
    )
    doc = json.loads(out)
    assert [c["field"] for c in doc["fields"]] == ["results"] and doc["filter"] == "項目: 実績のみ"
    code, out, _ = run("--db", long_change, "diff", "--from", "2024", "--to", "2026", "--kind", "renamed")
    assert code == 0
    assert out.startswith("令和6年度版と令和8年度版の比較（名称が変わった事業のみ）\n")
    assert "内容が変わった事業" not in out
    target = tmp_path / "r.xlsx"
    run(
        "--db", long_change, "diff", "--from", "2025", "--to", "2026", "--exclude-field", "summary",
        "--format", "xlsx", "-o", str(target),
    )  # fmt: skip
    from openpyxl import load_workbook

    book = load_workbook(target)
    assert book["概要"]["A1"].value == "令和7年度版と令和8年度版の比較（概要を除く）"
    assert [r[2].value for r in book["内容が変わった事業"].iter_rows(min_row=2)] == ["実績"]


def test_unknown_field_is_refused(long_change, capsys):
    code, _, _ = run("--db", long_change, "diff", "--from", "2025", "--to", "2026", "--field", "予算")
    usage = capsys.readouterr().err  # argparse writes its usage errors to the process's stderr
    assert code == 2 and "項目「予算」はありません" in usage and "results（実績）" in usage


def test_command_choices_match_the_comparison():
    from kodomo_desktop.commands import diff
    from kodomo_desktop.core.yeardiff import FILTER_FIELDS, KIND_LABELS

    assert (tuple(KIND_LABELS), FILTER_FIELDS) == (diff.KINDS, diff.FIELDS)


def test_after_rollover_results_can_be_left_out(sample_db):
    from kodomo_desktop.core.yeardiff import DiffFilter, field_summary

    rollover(sample_db, 2024, 2025)
    diff = compare_editions(sample_db, 2024, 2025)
    assert field_summary(diff) == f"実績: {len(diff.fields)}件"
    assert not DiffFilter.of(exclude_fields=["results"]).apply(diff)
