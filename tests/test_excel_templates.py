"""Return templates: what a department receives, checked in the written .xlsx itself."""

from __future__ import annotations

import openpyxl

from kodomo_desktop.core.interchange import import_document
from kodomo_desktop.excel.layout import BASE_NAME, TABLE_NAME
from tests.excel_corpus import write_templates

HEADERS = [
    "ID", "事業・取組名称", "通称", "概要",
    "妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等",
    "実績 (令和6年度)", "所管", "変更区分", "備考",
]  # fmt: skip


def input_sheet(path):
    wb = openpyxl.load_workbook(path)
    title, ref = next(iter(wb.defined_names[TABLE_NAME].destinations))
    return wb, wb[title], ref


def test_one_template_per_division_with_its_programs(sample_db, tmp_path):
    templates = write_templates(sample_db, tmp_path)
    assert list(templates) == [
        "子育て支援部 子育て支援課",
        "子育て支援部主幹付",
        "子育て支援部 おやこ応援課",
        "選挙管理委員会事務局",
    ]
    assert templates["子育て支援部 子育て支援課"].name == "令和6年度_子育て支援部_子育て支援課.xlsx"
    ids = {}
    for unit, path in templates.items():
        _wb, ws, _ref = input_sheet(path)
        ids[unit] = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value]
    # P0002 has two divisions: it goes to each of them
    assert ids == {
        "子育て支援部 子育て支援課": ["P0001"],
        "子育て支援部主幹付": ["P0002"],
        "子育て支援部 おやこ応援課": ["P0002"],
        "選挙管理委員会事務局": ["P0003"],
    }


def test_by_department(sample_db, tmp_path):
    templates = write_templates(sample_db, tmp_path, by="department")
    assert list(templates) == ["子育て支援部", "選挙管理委員会事務局"]
    _wb, ws, _ref = input_sheet(templates["子育て支援部"])
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["P0001", "P0002", None]


def test_input_sheet_layout(sample_db, tmp_path):
    wb, ws, ref = input_sheet(write_templates(sample_db, tmp_path)["子育て支援部主幹付"])
    assert wb.sheetnames[0] == "記入方法" and "記入" in wb["記入方法"]["A3"].value
    assert ref == "$A$2:$P$13"  # header, one program, ten blank rows
    assert [c.value for c in ws[2]] == HEADERS
    row = {h: ws.cell(3, i).value for i, h in enumerate(HEADERS, start=1)}
    assert row["ID"] == "P0002" and row["通称"] == "ジョブカフェ" and row["18歳超"] == "○" and row["乳児"] is None
    assert row["概要"] == "・相談\n・セミナー"
    assert row["所管"] == "子育て支援部主幹付、おやこ応援課"
    assert row["変更区分"] == "継続" and row["備考"] is None
    # ID locked, inputs unlocked, sheet protected without a password
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A3"].protection.locked and ws["A10"].protection.locked
    assert not any(ws.cell(r, c).protection.locked for r in (3, 13) for c in range(2, 17))
    # drop-downs: ○ for the targets, 継続/新規/終了 for 変更区分, on the blank rows too
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert validations == {"E3:L13": '"○"', "O3:O13": '"継続,新規,終了"'}
    assert ws.freeze_panes == "C3"
    assert ws["D3"].alignment.wrap_text and ws.column_dimensions["D"].width > 40
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert (
        ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    )
    assert ws.print_title_rows == "$2:$2"
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["kodomo.template"] == "kodomo-return" and props["kodomo.fiscal_year"] == 2024
    assert props["kodomo.unit"] == "子育て支援部主幹付" and props["kodomo.unit_kind"] == "division"
    base_title, _ = next(iter(wb.defined_names[BASE_NAME].destinations))
    assert wb[base_title].sheet_state == "veryHidden"


def test_formula_like_text_is_written_as_text(sample_document, tmp_path, empty_db):
    sample_document["programs"][0]["summary"] = '=HYPERLINK("http://x")'
    sample_document["programs"][0]["results"] = "+3件"
    sample_document["programs"][0]["alias"] = "@窓口"
    sample_document["programs"][0]["name"] = "-相談"
    import_document(empty_db, sample_document, add_divisions=True, source="test")
    _wb, ws, _ref = input_sheet(write_templates(empty_db, tmp_path)["子育て支援部 子育て支援課"])
    for coord, text in {"D3": '=HYPERLINK("http://x")', "M3": "+3件", "C3": "@窓口", "B3": "-相談"}.items():
        assert ws[coord].value == text and ws[coord].data_type == "s"


def test_ended_programs_are_not_sent_and_previous_results_column(empty_db, sample_document, tmp_path):
    sample_document["programs"][2]["status"] = "終了"
    sample_document["programs"][0]["previous_results"] = "ガイドブック 2,800部"
    import_document(empty_db, sample_document, add_divisions=True, source="test")
    templates = write_templates(empty_db, tmp_path)
    assert "選挙管理委員会事務局" not in templates
    _wb, ws, _ref = input_sheet(templates["子育て支援部 子育て支援課"])
    headers = [c.value for c in ws[2]]
    assert headers[12:14] == ["実績 (令和6年度)", "実績 (令和5年度)"]
    assert ws["N3"].value == "ガイドブック 2,800部" and ws["N3"].protection.locked
    assert not ws["M3"].protection.locked


def test_unknown_unit_kind_is_bad_input(sample_db, tmp_path):
    import io

    from kodomo_desktop.cli import main

    err = io.StringIO()
    assert main(["--db", sample_db.url, "templates", "-o", str(tmp_path), "--by", "team"], io.StringIO(), err) == 2


def test_templates_command(sample_db, tmp_path):
    import io

    from kodomo_desktop.cli import main

    out = io.StringIO()
    assert main(["--db", sample_db.url, "templates", "-o", str(tmp_path / "out")], out, io.StringIO()) == 0
    assert "回答票を 4 件作成しました" in out.getvalue()
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 4
