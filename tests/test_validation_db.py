"""Validation of database editions: publishing refused with errors, re-checks after an edit,
「確認済み」, and the `validate` and `booklet` commands."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from kodomo_desktop import cli
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import ChangeLog, Edition, Program
from kodomo_desktop.core.operations.acknowledgements import acknowledge_finding, withdraw_acknowledgement
from kodomo_desktop.core.validation import Severity, validate_edition, validate_programs
from kodomo_desktop.core.validation.empty_results import EmptyResults
from kodomo_desktop.core.validation.stored import empty_results
from tests.helpers import program_id


def status(db, year: int = 2024) -> str:
    with db.read() as s:
        return s.scalar(select(Edition.status).where(Edition.fiscal_year == year))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_publish_refused_while_the_edition_has_errors(sample_db):
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    with pytest.raises(InvalidInput) as refused:
        ops.publish(sample_db, 2024)
    message = refused.value.message
    assert "令和6年度版にはエラーが1件あるため公開できません" in message
    assert "P0003「ちびっこ広場」: 対象が一つも選ばれていません" in message
    assert status(sample_db) == "draft"
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), ["幼児"])
    ops.publish(sample_db, 2024)
    assert status(sample_db) == "published"


def test_publish_of_a_mostly_empty_edition_needs_allowing(sample_db):
    # one empty 実績 of three is over the share: an edition whose returns were not taken in
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"results": ""})
    assert empty_results(sample_db, 2024) == EmptyResults(1, 3)
    with pytest.raises(InvalidInput, match="実績が空の事業が3件中1件（33%）あります") as refused:
        ops.publish(sample_db, 2024)
    assert "--force" in refused.value.message
    assert status(sample_db) == "draft"
    ops.publish(sample_db, 2024, allow_empty_results=True)
    assert status(sample_db) == "published"
    # published, the edition's own findings say so; the empty program is a warning
    found = {f.code: f for f in validate_edition(sample_db, 2024).findings}
    assert found["results.empty"].program == "P0001" and found["results.empty"].severity is Severity.WARNING
    assert "3件中1件" in found["results.mostly_empty"].message


def test_ended_programs_are_not_counted_as_empty(sample_db):
    for uid in ("P0001", "P0002"):
        ops.update_program(sample_db, program_id(sample_db, uid), {"results": "", "status": "終了"})
    assert empty_results(sample_db, 2024) == EmptyResults(0, 1)
    ops.publish(sample_db, 2024)
    assert status(sample_db) == "published"


def test_publish_message_lists_only_the_first_few(sample_db):
    with sample_db.write_session() as s:  # more errors than the message shows
        s.execute(Program.__table__.update().values(targets=0, name=""))
    with pytest.raises(InvalidInput, match="エラーが6件") as refused:
        ops.publish(sample_db, 2024)
    assert "…ほか1件" in refused.value.message


def test_rechecking_touched_programs_gives_the_whole_editions_findings(sample_db):
    before = validate_edition(sample_db, 2024)
    copy_of_p0001 = {"name": "児童の権利に関する条約の普及啓発", "summary": ""}
    result = ops.update_program(sample_db, program_id(sample_db, "P0003"), copy_of_p0001)
    touched = result.touched("program")
    partial = validate_programs(sample_db, 2024, touched)
    assert partial.scope == {"P0003"}
    # the duplicate name is found on P0001 too, though only P0003 was re-checked
    assert {(f.code, f.program) for f in partial.findings} >= {("name.duplicate", "P0001"), ("summary.empty", "P0003")}
    assert partial.merged_into(before).findings == validate_edition(sample_db, 2024).findings


def test_acknowledged_finding_hides_until_its_text_changes(sample_db):
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "外部サイトの<ｕｒｌ>を案内する。"})
    (finding,) = [f for f in validate_edition(sample_db, 2024).findings if f.code == "text.width"]
    acknowledge_finding(sample_db, 2024, finding, "  原文どおり ")
    report = validate_edition(sample_db, 2024)
    assert finding not in report.findings
    assert [(f.code, a.note) for f, a in report.acknowledged] == [("text.width", "原文どおり")]
    with sample_db.read() as s:
        entry = s.scalars(select(ChangeLog).where(ChangeLog.entity == "finding")).one()
        assert (entry.entity_id, entry.new["note"]) == ("P0001/text.width/summary", "原文どおり")
    # a change elsewhere keeps it hidden; a change of the judged text brings it back
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"results": "3,100部"})
    assert finding.key not in {f.key for f in validate_edition(sample_db, 2024).findings}
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "外部サイトの<ｕｒｌ>を必ず案内する。"})
    assert finding.key in {f.key for f in validate_edition(sample_db, 2024).findings}


def test_withdrawn_acknowledgement_shows_the_finding_again(sample_db):
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": ""})
    (finding,) = [f for f in validate_edition(sample_db, 2024).findings if f.code == "summary.empty"]
    acknowledge_finding(sample_db, 2024, finding, "概要なしで掲載する")
    assert finding not in validate_edition(sample_db, 2024).findings
    withdraw_acknowledgement(sample_db, 2024, finding.program, finding.code, finding.field)
    assert finding in validate_edition(sample_db, 2024).findings


def test_errors_cannot_be_acknowledged(sample_db):
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    (error,) = [f for f in validate_edition(sample_db, 2024).findings if f.severity is Severity.ERROR]
    with pytest.raises(InvalidInput, match="エラーは確認済みにできません"):
        acknowledge_finding(sample_db, 2024, error, "このままでよい")


def test_validate_command_text_and_json(sample_db):
    db = sample_db.url
    code, out, err = run("--db", db, "validate", "--year", "2024")
    assert code == 0, err
    assert out.startswith("令和6年度版: エラー 0件、警告 1件")
    assert "[警告] P0002「若者の就労相談」 確認メモ: 要確認: 所管を確認 (review.flagged)" in out
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    code, out, _err = run("--db", db, "validate", "--format", "json")
    assert code == 1
    findings = json.loads(out)["findings"]
    assert findings[0] == {
        "code": "targets.none",
        "severity": "error",
        "message": "対象が一つも選ばれていません。",
        "program": "P0003",
        "field": "targets",
    }


def test_validate_command_checks_a_document_against_the_master_list(sample_db, sample_document, tmp_path):
    sample_document["programs"][0]["divisions"] = [{"department": "子育て支援部", "division": "おやか応援課"}]
    path = tmp_path / "return.json"
    path.write_text(dump_document(sample_document), encoding="utf-8")
    code, out, _err = run("--db", sample_db.url, "validate", "--file", str(path))
    assert code == 1
    assert "所管「子育て支援部 おやか応援課」は所管の一覧にありません（候補: 子育て支援部 おやこ応援課" in out


def test_booklet_command_refuses_an_edition_with_errors_unless_forced(sample_db, tmp_path):
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    pdf = tmp_path / "booklet.pdf"
    code, _out, err = run("--db", sample_db.url, "booklet", "-o", str(pdf))
    assert code == 1 and not pdf.exists()
    assert "冊子を作成できません" in err and "--force" in err
    code, _out, err = run("--db", sample_db.url, "booklet", "-o", str(pdf), "--force")
    assert code == 0, err
    assert pdf.exists()
