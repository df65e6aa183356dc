"""Returns in: round trip, three-way merge, idempotence, all-or-nothing apply, LibreOffice re-save."""

from __future__ import annotations

import copy
import io
import json

import pytest
from sqlalchemy import func, select

from kodomo_desktop.cli import main
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import ChangeLog, ReturnImport
from kodomo_desktop.excel.apply import apply_returns, default_plan
from kodomo_desktop.excel.returns import check_returns
from tests.excel_corpus import SOFFICE, ReturnEditor, soffice_convert, write_templates
from tests.helpers import program_id

UNIT = "子育て支援部 子育て支援課"


def run_cli(db, *args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", db.url, "import-returns", *map(str, args)], out, err)
    return code, out.getvalue(), err.getvalue()


def counts(db):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog)), s.scalar(
            select(func.count()).select_from(ReturnImport)
        )


def fill_department_return(path, out):
    """A department's return: edits to an existing program, a new program, an ended program."""
    e = ReturnEditor(path)
    e.set("P0001", "概要", "子育てガイドブックに概要を掲載し、\r\n普及啓発に努める。")
    e.set("P0001", "中学", "○").set("P0001", "妊婦等", None)
    e.set("P0001", "実績 (令和6年度)", "ガイドブック 3,200部")
    e.set("P0001", "通称", "ガイドブック")
    e.set("P0001", "備考", "部数を更新しました")
    e.set("P0002", "変更区分", "終了")
    e.set("P0002", "所管", "子育て支援部主幹付")
    r = e.blank_row()
    e.set(r, "事業・取組名称", "プレママ相談").set(r, "概要", "妊婦の相談").set(r, "妊婦等", "○").set(
        r, "実績 (令和6年度)", "相談 40件"
    )
    e.set(r, "所管", "子育て支援部 おやこ応援課")
    return e.save(out)


def test_round_trip_shows_exactly_the_returned_changes(sample_db, tmp_path, backend):
    templates = write_templates(sample_db, tmp_path / "out", by="department")
    returned = fill_department_return(templates["子育て支援部"], tmp_path / "return.xlsx")
    before = export_document(sample_db, 2024)

    code, out, err = run_cli(sample_db, returned, "--apply", "--format", "json")
    assert code == 0, err
    report = json.loads(out)["files"][0]
    assert report["status"] == "ok" and report["unit"] == "子育て支援部" and report["issues"] == []
    assert {(c["program"], c["field"]) for c in report["changes"]} == {
        ("P0001", "summary"), ("P0001", "targets"), ("P0001", "results"), ("P0001", "alias"), ("P0001", "note"),
        ("P0002", "status"), ("P0002", "divisions"),
        (None, "name"), (None, "summary"), (None, "targets"), (None, "results"), (None, "divisions"), (None, "status"),
    }  # fmt: skip
    targets = next(c for c in report["changes"] if c["field"] == "targets" and c["program"])
    assert targets["old"] == ["妊婦等", "乳児", "親等"] and targets["new"] == ["乳児", "中学", "親等"]

    expected = copy.deepcopy(before)
    p1, p2 = expected["programs"][0], expected["programs"][1]
    p1.update(
        summary="子育てガイドブックに概要を掲載し、\n普及啓発に努める。",
        targets=["乳児", "中学", "親等"],
        results="ガイドブック 3,200部",
        alias="ガイドブック",
        needs_review=True,
        review_notes=["回答（子育て支援部）: 部数を更新しました"],
    )
    p2.update(status="終了", divisions=[{"department": "子育て支援部", "division": "主幹付"}])
    expected["programs"].append(
        {
            "id": "P0004",
            "name": "プレママ相談",
            "alias": None,
            "summary": "妊婦の相談",
            "targets": ["妊婦等"],
            "results": "相談 40件",
            "divisions": [{"department": "子育て支援部", "division": "おやこ応援課"}],
            "needs_review": True,
            "review_notes": ["Excel の回答（return.xlsx）から追加。掲載する個別施策を確認してください。"],
            "status": "新規",
        }
    )
    # listed last under the measure holding most of the unit's programs (P0001 and P0002 are under it)
    expected["policies"][0]["measures"][0]["placements"].append({"program": "P0004", "relisted": False})
    assert export_document(sample_db, 2024) == expected

    with sample_db.read() as s:
        sources = set(s.scalars(select(ChangeLog.source).where(ChangeLog.source.like("import:%"))))
        imported = s.execute(
            select(ReturnImport.unit, ReturnImport.file_name, ReturnImport.sha256, ReturnImport.changes)
        ).one()
    assert sources == {"import:return.xlsx"}
    assert imported.unit == "子育て支援部" and imported.file_name == "return.xlsx" and len(imported.sha256) == 64
    assert imported.changes == 13
    if backend == "sqlite":  # a server database's backups are the server's job
        assert list((sample_db.path.parent / "backups").glob("*before-import-returns*"))


def test_reimporting_the_same_file_changes_nothing(sample_db, tmp_path):
    templates = write_templates(sample_db, tmp_path, by="department")
    returned = fill_department_return(templates["子育て支援部"], tmp_path / "return.xlsx")
    assert run_cli(sample_db, returned, "--apply")[0] == 0
    after = export_document(sample_db, 2024)
    logged = counts(sample_db)
    code, out, _err = run_cli(sample_db, returned, "--apply", "--format", "json")
    report = json.loads(out)["files"][0]
    assert code == 0 and report["changes"] == [] and report["issues"] == []
    assert export_document(sample_db, 2024) == after and counts(sample_db) == logged


def test_three_way_merge_changes_conflicts_and_agreements(sample_db, tmp_path):
    template = write_templates(sample_db, tmp_path)[UNIT]
    p1 = program_id(sample_db, "P0001")
    # after the export the office edits the database too
    ops.update_program(sample_db, p1, {"summary": "事務局の概要", "results": "事務局の実績", "alias": "事務局の通称"})
    e = ReturnEditor(template)
    e.set("P0001", "概要", "課の概要")  # both changed, differently: conflict
    e.set("P0001", "実績 (令和6年度)", "事務局の実績")  # both changed the same way: nothing
    e.set("P0001", "事業・取組名称", "課の名称")  # only the return: a change
    returned = e.save(tmp_path / "return.xlsx")  # 通称: only the database changed: nothing

    (result,) = check_returns(sample_db, 2024, [returned])
    assert [(c.field, c.old, c.new, c.conflict) for c in result.changes] == [
        ("name", "児童の権利に関する条約の普及啓発", "課の名称", False),
        ("summary", "事務局の概要", "課の概要", True),
    ]
    code, _out, _err = run_cli(sample_db, returned, "--apply")
    assert code == 1  # a conflict is left for the office to resolve
    program = next(p for p in export_document(sample_db, 2024)["programs"] if p["id"] == "P0001")
    assert (program["name"], program["summary"], program["results"], program["alias"]) == (
        "課の名称", "事務局の概要", "事務局の実績", "事務局の通称"
    )  # fmt: skip


def test_conflict_resolved_by_an_edited_value(sample_db, tmp_path):
    template = write_templates(sample_db, tmp_path)[UNIT]
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "事務局の概要"})
    returned = ReturnEditor(template).set("P0001", "概要", "課の概要").save(tmp_path / "return.xlsx")
    (result,) = check_returns(sample_db, 2024, [returned])
    (change,) = result.changes
    from kodomo_desktop.excel.apply import ApplyPlan

    apply_returns(sample_db, 2024, [ApplyPlan(result, {change.key: "両方を 合わせた概要"})])
    program = next(p for p in export_document(sample_db, 2024)["programs"] if p["id"] == "P0001")
    assert program["summary"] == "両方を 合わせた概要"


def test_failure_half_way_through_apply_leaves_the_database_as_before(sample_db, tmp_path, monkeypatch):
    templates = write_templates(sample_db, tmp_path, by="department")
    returned = fill_department_return(templates["子育て支援部"], tmp_path / "return.xlsx")
    results = check_returns(sample_db, 2024, [returned])
    before, logged = export_document(sample_db, 2024), counts(sample_db)

    import kodomo_desktop.excel.apply as apply_module

    calls = []
    real = apply_module.write_fields

    def failing(w, program, values):
        calls.append(values)
        if len(calls) == 4:  # P0001's fields are written, P0002's status is next
            raise OSError("disk full")
        return real(w, program, values)

    monkeypatch.setattr(apply_module, "write_fields", failing)
    with pytest.raises(OSError):
        apply_returns(sample_db, 2024, [default_plan(r) for r in results])
    assert len(calls) == 4
    assert export_document(sample_db, 2024) == before and counts(sample_db) == logged


def test_apply_refuses_a_stale_preview(sample_db, tmp_path):
    template = write_templates(sample_db, tmp_path)[UNIT]
    returned = (
        ReturnEditor(template)
        .set("P0001", "概要", "課の概要")
        .set("P0001", "通称", "課の通称")
        .save(tmp_path / "r.xlsx")
    )
    results = check_returns(sample_db, 2024, [returned])
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "その間の編集"})
    before, logged = export_document(sample_db, 2024), counts(sample_db)
    with pytest.raises(InvalidInput, match=r"^r\.xlsx: .*ID「P0001」の概要.*もう一度読み込んで"):
        apply_returns(sample_db, 2024, [default_plan(r) for r in results])
    assert export_document(sample_db, 2024) == before and counts(sample_db) == logged


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) がありません")
def test_a_return_resaved_by_libreoffice_imports_the_same(sample_db, tmp_path):
    templates = write_templates(sample_db, tmp_path / "out", by="department")
    (tmp_path / "excel").mkdir()
    returned = fill_department_return(templates["子育て支援部"], tmp_path / "excel" / "return.xlsx")
    resaved = soffice_convert(returned, tmp_path / "libreoffice", "xlsx")
    original, libreoffice = check_returns(sample_db, 2024, [returned, resaved])
    assert libreoffice.status == "ok", libreoffice.error
    assert libreoffice.to_json()["changes"] == original.to_json()["changes"]
    assert libreoffice.issues == original.issues == []
    # and a template re-saved untouched reads back with no changes at all
    (untouched,) = check_returns(
        sample_db, 2024, [soffice_convert(templates["子育て支援部"], tmp_path / "lo2", "xlsx")]
    )
    assert untouched.status == "ok" and untouched.changes == [] and untouched.issues == []


def test_divisions_text_reads_back_as_printed(sample_db):
    from kodomo_desktop.core.divisions import format_divisions
    from kodomo_desktop.excel.cells import FieldError
    from kodomo_desktop.excel.diff import edition_state

    names = edition_state(sample_db, 2024).divisions
    for pairs in (
        [("子育て支援部", "子育て支援課")],
        [("子育て支援部", "主幹付"), ("子育て支援部", "おやこ応援課")],
        [("子育て支援部", "おやこ応援課"), ("選挙管理委員会事務局", None)],
        [("選挙管理委員会事務局", None), ("子育て支援部", "主幹付")],
    ):
        assert names.parse(format_divisions(pairs)) == pairs
    assert names.parse("子育て支援部　子育て支援課，おやこ応援課") == [
        ("子育て支援部", "子育て支援課"),
        ("子育て支援部", "おやこ応援課"),
    ]
    assert names.parse("おやこ応援課") == [("子育て支援部", "おやこ応援課")]
    with pytest.raises(FieldError, match="候補: 子育て支援部 おやこ応援課"):
        names.parse("子育て支援部 おやか応援課")


LONG = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]


@pytest.fixture
def long_summary_return(sample_db, tmp_path):
    """A return adding one character at the end of a 600-character 概要."""
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": LONG})
    template = write_templates(sample_db, tmp_path / "templates")[UNIT]
    return ReturnEditor(template).set("P0001", "概要", LONG + "等").save(tmp_path / "return.xlsx")


def test_a_change_at_the_end_of_a_long_summary_shows_in_the_text_output(sample_db, long_summary_return):
    code, out, err = run_cli(sample_db, long_summary_return)
    assert code == 0, err
    assert f"P0001 児童の権利に関する条約の普及啓発 概要: 「…{LONG[-20:]}【+等】」\n" in out


def test_the_json_output_carries_the_edit_script(sample_db, long_summary_return):
    code, out, err = run_cli(sample_db, long_summary_return, "--format", "json")
    assert code == 0, err
    (change,) = json.loads(out)["files"][0]["changes"]
    assert change["edit_script"] == [{"op": "keep", "text": LONG}, {"op": "insert", "text": "等"}]


def test_an_applied_return_is_reverted_exactly_and_reapplied(sample_db, tmp_path):
    from kodomo_desktop.core.operations.reverting import LaterEdits, revert_changes

    templates = write_templates(sample_db, tmp_path / "out", by="department")
    returned = fill_department_return(templates["子育て支援部"], tmp_path / "return.xlsx")
    before = export_document(sample_db, 2024)
    report = apply_returns(sample_db, 2024, [default_plan(r) for r in check_returns(sample_db, 2024, [returned])])
    applied = export_document(sample_db, 2024)
    assert applied != before and counts(sample_db)[1] == 1

    # every field, the new program and the return's record go back; the revert of the revert is the redo
    undone = revert_changes(sample_db, report.result.changes, source="editor")
    assert export_document(sample_db, 2024) == before and counts(sample_db)[1] == 0
    redone = revert_changes(sample_db, undone.changes, source="editor")
    assert export_document(sample_db, 2024) == applied and counts(sample_db)[1] == 1

    # a later edit of a field the import wrote is refused, named, unless forced
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"results": "後からの実績"})
    with pytest.raises(LaterEdits) as refused:
        revert_changes(sample_db, redone.changes, source="editor")
    assert len(refused.value.edits) == 1 and refused.value.edits[0].endswith("（P0001）の実績")
    assert export_document(sample_db, 2024)["programs"][0]["results"] == "後からの実績"
    revert_changes(sample_db, redone.changes, source="editor", force=True)
    assert export_document(sample_db, 2024) == before
