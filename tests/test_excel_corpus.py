"""A corpus of malformed and variant returns, each generated here from a real template.

Every refused or faulty file must give its Japanese message (with sheet and cell where a cell
is at fault) and leave the database exactly as it was; every variant must read as the
department meant it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from kodomo_desktop.cli import main
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import ChangeLog, Program, ReturnImport
from tests.excel_corpus import (
    SOFFICE,
    ReturnEditor,
    encrypted,
    ods,
    rewrite_zip,
    soffice_convert,
    write_templates,
    xml_bomb,
    zip_bomb,
)

UNIT = "子育て支援部 子育て支援課"  # P0001
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) がありません")


class Case:
    def __init__(self, db, tmp_path):
        self.db = db
        self.dir = tmp_path / "returns"
        self.dir.mkdir()
        self.templates = write_templates(db, tmp_path / "templates")
        self.template = self.templates[UNIT]

    def path(self, name):
        return self.dir / name

    def editor(self, unit=UNIT):
        return ReturnEditor(self.templates[unit])

    def with_props(self, **props):
        wb = openpyxl.load_workbook(self.template)
        for prop in wb.custom_doc_props:
            if prop.name in props:
                prop.value = props[prop.name]
        wb.save(self.path("props.xlsx"))
        return self.path("props.xlsx")


def _bytes(name, data):
    def build(c):
        c.path(name).write_bytes(data)
        return c.path(name)

    return build


def _other_edition(c):
    return c.with_props(**{"kodomo.fiscal_year": 2023})


def _newer_version(c):
    return c.with_props(**{"kodomo.template_version": 99})


def _not_ours(c):
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "事業・取組名称"])
    wb.save(c.path("plain.xlsx"))
    return c.path("plain.xlsx")


def _no_table_name(c):
    wb = openpyxl.load_workbook(c.template)
    del wb.defined_names["kodomo_table"]
    wb.save(c.path("noname.xlsx"))
    return c.path("noname.xlsx")


def _no_base_sheet(c):
    wb = openpyxl.load_workbook(c.template)
    del wb["kodomo_base"]
    wb.save(c.path("nobase.xlsx"))
    return c.path("nobase.xlsx")


def _renamed_header(c):
    e = c.editor()
    e.cell(2, "概要").value = "事業の概要"
    return e.save(c.path("header.xlsx"))


def _truncated(c):
    data = c.template.read_bytes()
    return _bytes("truncated.xlsx", data[: len(data) // 2])(c)


def _too_big(c):
    shutil.copy(c.template, c.path("big.xlsx"))
    with zipfile.ZipFile(c.path("big.xlsx"), "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/media/photo.bin", os.urandom(21 << 20))
    return c.path("big.xlsx")


def _many_entries(c):
    return rewrite_zip(c.template, c.path("many.xlsx"), add={f"xl/media/{i}.bin": b"x" for i in range(1001)})


def _xlsb(c):
    return rewrite_zip(c.template, c.path("book.xlsb"), drop=("xl/workbook.xml",), add={"xl/workbook.bin": b"\x00"})


def _real_xls(c):
    return soffice_convert(c.template, c.dir / "xls", "xls:MS Excel 97")


def _real_ods(c):
    return soffice_convert(c.template, c.dir / "ods", "ods")


def _cell(header, value, row="P0001", unit=UNIT, data_type=None):
    def build(c):
        e = c.editor(unit)
        e.set(row if not isinstance(row, int) else e.blank_row(row), header, value)
        if data_type:
            e.cell(row, header).data_type = data_type
        return e.save(c.path("cell.xlsx"))

    return build


def _merged(c):
    e = c.editor()
    r = e.row("P0001")
    col = e.columns["概要"]
    e.ws.merge_cells(start_row=r, start_column=col, end_row=r + 1, end_column=col)
    return e.save(c.path("merged.xlsx"))


def _duplicate_id(c):
    e = c.editor()
    e.set(e.blank_row(), "ID", "P0001").set(e.blank_row(), "事業・取組名称", "写し")
    return e.save(c.path("dup.xlsx"))


def _new_row(values):
    def build(c):
        e = c.editor()
        r = e.blank_row(2)
        for header, value in values.items():
            e.set(r, header, value)
        return e.save(c.path("new.xlsx"))

    return build


def _macro(c):
    return rewrite_zip(c.template, c.path("macro.xlsm"), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def _missing_row(c):
    e = c.editor()
    e.ws.delete_rows(e.row("P0001"))
    return e.save(c.path("missing.xlsx"))


def _deleted_program(c):
    with c.db.read() as s:
        pid = s.scalar(select(Program.id).where(Program.uid == "P0001"))
    ops.delete_program(c.db, pid)
    return c.template


def _ticks(values, unit=UNIT, row="P0001"):
    def build(c):
        e = c.editor(unit)
        for header, value in values.items():
            e.set(row, header, value)
        return e.save(c.path("ticks.xlsx"))

    return build


def _renamed_sheet_moved_columns(c):
    """What Excel does when a department renames the sheet and swaps two columns."""
    e = c.editor()
    e.ws.title = "提出用"
    e.wb.defined_names["kodomo_table"].attr_text = "'提出用'!$A$2:$P$13"
    a, b = e.columns["通称"], e.columns["概要"]
    for r in range(2, e.ws.max_row + 1):
        e.ws.cell(r, a).value, e.ws.cell(r, b).value = e.ws.cell(r, b).value, e.ws.cell(r, a).value
    e.columns["通称"], e.columns["概要"] = b, a
    e.set("P0001", "概要", "並べ替えた後の概要")
    return e.save(c.path("moved.xlsx"))


def _blank_looking_row(c):
    e = c.editor()
    r = e.blank_row(1)
    e.set(r, "事業・取組名称", "\u3000\u200b").set(r, "備考", " ").set(r, "妊婦等", "")
    return e.save(c.path("blankish.xlsx"))


REJECTED = [
    ("old_xls", _bytes("old.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)), "Excel 97-2003"),
    pytest.param("real_xls", _real_xls, "Excel 97-2003", marks=[needs_soffice, pytest.mark.slow], id="real_xls"),
    ("ods", lambda c: ods(c.path("return.ods")), "OpenDocument 形式（.ods）"),
    pytest.param(
        "real_ods", _real_ods, "OpenDocument 形式（.ods）", marks=[needs_soffice, pytest.mark.slow], id="real_ods"
    ),
    ("csv", _bytes("return.csv", "ID,事業・取組名称\nP0001,児童\n".encode("cp932")), "CSV・テキスト形式"),
    ("pdf", _bytes("return.pdf", b"%PDF-1.7\n%\xe2\xe3"), "PDF ファイル"),
    ("binary", _bytes("photo.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(100)), "Excel ブック（.xlsx）ではありません"),
    ("empty", _bytes("empty.xlsx", b""), "空のファイル"),
    ("encrypted", lambda c: encrypted(c.template, c.path("locked.xlsx")), "パスワードで保護"),
    ("too_big", _too_big, "ファイルが大きすぎます"),
    ("zip_bomb", lambda c: zip_bomb(c.template, c.path("bomb.xlsx"), 101 << 20), "展開すると大きすぎる"),
    ("many_entries", _many_entries, "中身が多すぎます"),
    ("xml_bomb", lambda c: xml_bomb(c.template, c.path("xmlbomb.xlsx")), "危険な XML"),
    ("truncated", _truncated, "壊れています"),
    ("xlsb", _xlsb, "Excel バイナリブック（.xlsb）"),
    ("not_our_template", _not_ours, "回答票ではありません"),
    ("other_edition", _other_edition, "令和5年度版の回答票です（取り込み先は令和6年度版）"),
    ("newer_template", _newer_version, "新しい版の kodomo-desktop"),
    ("no_table_name", _no_table_name, "回答の表が見つかりません"),
    ("no_base_sheet", _no_base_sheet, "回答票の元データが見つかりません"),
    ("renamed_header", _renamed_header, "列「概要」が見つかりません"),
]

CELL_ERRORS = [
    ("formula", _cell("概要", "=1+1"), "formula", "D3", "数式"),
    ("formula_in_id", _cell("ID", '="P0001"'), "formula", "A3", "数式"),
    ("merged", _merged, "merged", "D3:D4", "結合"),
    ("unknown_id", _cell("ID", "P9999"), "unknown_id", "A3", "ID「P9999」の事業はありません"),
    ("duplicate_id", _duplicate_id, "duplicate_id", "A4", "重複"),
    ("other_unit", _cell("ID", "P0003"), "other_unit", "A3", "選挙管理委員会事務局の事業"),
    ("not_a_tick", _cell("幼児", "△"), "not_a_tick", "G3", "「△」は使えません"),
    ("bad_status", _cell("変更区分", "廃止"), "bad_status", "O3", "変更区分「廃止」"),
    (
        "unknown_division",
        _cell("所管", "子育て支援部 おやか応援課"),
        "unknown_division",
        "N3",
        "候補: 子育て支援部 おやこ応援課",
    ),
    ("empty_name", _cell("事業・取組名称", "　"), "empty_name", "B3", "名称が空"),
    ("error_value", _cell("実績 (令和6年度)", "#DIV/0!", data_type="e"), "error_value", "M3", "エラー値"),
    ("new_row_without_name", _new_row({"概要": "名前のない事業"}), "empty_name", "B6", "名称が空"),
]

WARNINGS = [
    ("macro", _macro, "macro", "マクロ"),
    ("missing_row", _missing_row, "missing_row", "ID「P0001」の行がありません"),
    ("deleted_program", _deleted_program, "deleted_program", "削除されました"),
    (
        "name_of_another_units_program",
        _new_row({"事業・取組名称": "ちびっこ広場"}),
        "existing_name",
        "ID「P0003」にすでにあります",
    ),
]

UNTICKED = {"幼児": "×", "小学": "x", "中学": "-", "高校": 0, "18歳超": False}
VARIANTS = [
    ("circles", _ticks({"妊婦等": "〇", "乳児": "◯", "親等": "⭕", **UNTICKED}), []),
    (
        "other_ticks",
        _ticks(
            {
                "妊婦等": "●",
                "乳児": "◎",
                "幼児": "✓",
                "小学": "✔",
                "中学": "レ",
                "高校": 1,
                "18歳超": True,
                "親等": "ＴＲＵＥ",
            }
        ),
        [("P0001", "targets", ["妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等"])],
    ),
    ("emoji_tick_and_fullwidth_cross", _ticks({"妊婦等": "⭕️", "幼児": "✕", "小学": "ｘ", "中学": "FALSE"}), []),
    (
        "widths_and_invisible_spaces",
        _ticks(
            {
                "事業・取組名称": "\u3000児童の権利に関する\u200b条約の普及啓発\u200b",
                "実績 (令和6年度)": "ガイドブック　３,０００部\ufeff",
            }
        ),
        [],
    ),
    (
        "excel_carriage_returns",
        _ticks({"概要": "・相談_x000D_\n・セミナー"}, unit="子育て支援部主幹付", row="P0002"),
        [],
    ),
    ("crlf", _ticks({"概要": "・相談\r\n・セミナー"}, unit="子育て支援部主幹付", row="P0002"), []),
    ("escaped_underscore", _ticks({"通称": "A_x005F_x000D_B"}), [("P0001", "alias", "A_x000D_B")]),
    ("number_stored_as_text", _ticks({"実績 (令和6年度)": "0123"}), [("P0001", "results", "0123")]),
    ("number", _ticks({"実績 (令和6年度)": 1364.0}), [("P0001", "results", "1364")]),
    ("renamed_sheet_moved_columns", _renamed_sheet_moved_columns, [("P0001", "summary", "並べ替えた後の概要")]),
    ("blank_looking_row", _blank_looking_row, []),
]


@pytest.fixture
def case(sample_db, tmp_path):
    return Case(sample_db, tmp_path)


def state(db):
    with db.read() as s:
        log = s.scalar(select(func.count()).select_from(ChangeLog))
        returns = s.scalar(select(func.count()).select_from(ReturnImport))
    return export_document(db, 2024), log, returns


def run(db, path, *flags):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", db.url, "import-returns", str(path), "--format", "json", *flags], out, err)
    (report,) = json.loads(out.getvalue())["files"]
    return code, report


@pytest.mark.parametrize(
    ("name", "build", "message"), REJECTED, ids=[c[0] if isinstance(c, tuple) else c.id for c in REJECTED]
)
def test_refused_files_change_nothing(case, name, build, message):
    path = build(case)
    before = state(case.db)
    code, report = run(case.db, path, "--apply")
    assert code == 1
    assert report["status"] == "rejected" and report["changes"] == []
    assert report["error"].startswith(f"{path.name}: ") and message in report["error"], report["error"]
    assert state(case.db) == before


@pytest.mark.parametrize(("name", "build", "code", "cell", "message"), CELL_ERRORS, ids=[c[0] for c in CELL_ERRORS])
def test_faulty_cells_are_reported_with_their_cell_and_change_nothing(case, name, build, code, cell, message):
    path = build(case)
    before = state(case.db)
    exit_code, report = run(case.db, path, "--apply")
    assert exit_code == 1 and report["status"] == "ok"
    issue = next(i for i in report["issues"] if i["code"] == code)
    assert issue["severity"] == "error" and issue["sheet"] == "回答" and issue["cell"] == cell
    assert message in issue["message"], issue["message"]
    assert state(case.db) == before


@pytest.mark.parametrize(("name", "build", "code", "message"), WARNINGS, ids=[c[0] for c in WARNINGS])
def test_warnings(case, name, build, code, message):
    path = build(case)
    before = state(case.db)
    exit_code, report = run(case.db, path)
    assert exit_code == 0 and report["status"] == "ok" and report["changes"] == []
    issue = next(i for i in report["issues"] if i["code"] == code)
    assert issue["severity"] == "warning" and message in issue["message"]
    assert state(case.db) == before


@pytest.mark.parametrize(("name", "build", "changes"), VARIANTS, ids=[c[0] for c in VARIANTS])
def test_variants_read_as_meant(case, name, build, changes):
    path = build(case)
    before = state(case.db)
    exit_code, report = run(case.db, path)
    assert report["status"] == "ok" and report["issues"] == [], report["issues"]
    assert [(c["program"], c["field"], c["new"]) for c in report["changes"]] == changes
    assert exit_code == 0 and state(case.db) == before


def test_lock_files_are_skipped_silently(case):
    shutil.copy(case.template, case.dir / "return.xlsx")
    (case.dir / "~$return.xlsx").write_bytes(b"\x00" * 165)
    out = io.StringIO()
    assert main(["--db", case.db.url, "import-returns", str(case.dir), "--format", "json"], out, io.StringIO()) == 0
    assert [f["file"] for f in json.loads(out.getvalue())["files"]] == [str(case.dir / "return.xlsx")]


def test_the_corpus_has_at_least_25_malformed_or_variant_files():
    assert len(REJECTED) + len(CELL_ERRORS) + len(WARNINGS) + len(VARIANTS) >= 25
