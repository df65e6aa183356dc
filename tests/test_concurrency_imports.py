"""Imports against edits by someone else: a JSON import replacing an edition, and Excel returns,
refuse where another process changed a program after the file or review was read, naming the
program, the field and who changed it; nothing is written then."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kodomo_desktop.core.errors import Conflicts, InvalidInput
from kodomo_desktop.core.interchange import edition_versions, export_document, import_document
from kodomo_desktop.excel.apply import apply_returns, default_plan
from kodomo_desktop.excel.returns import check_returns
from kodomo_desktop.ui import json_import
from tests.excel_corpus import ReturnEditor, write_templates
from tests.helpers import SAMPLE_DOCUMENT, program_id
from tests.test_concurrency import in_other_process, who_else


def document(tmp_path, summary: str):
    doc = json.loads(json.dumps(SAMPLE_DOCUMENT))
    doc["programs"][0]["summary"] = summary
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return doc, path


def test_a_json_import_refuses_to_replace_programs_changed_or_deleted_since_it_was_read(sample_db, tmp_path):
    doc, _ = document(tmp_path, "文書の概要")
    read = edition_versions(sample_db, 2024)
    p1, p2 = program_id(sample_db, "P0001"), program_id(sample_db, "P0002")
    in_other_process(
        sample_db, f"ops.update_program(db, {p1}, {{'summary': '他の人の概要'}})\nops.delete_program(db, {p2})\n"
    )
    before = export_document(sample_db, 2024)
    with pytest.raises(Conflicts) as refused:
        import_document(sample_db, doc, replace=True, name="edition.json", expected_versions=read)
    assert [(c.uid, c.field, c.user) for c in refused.value.conflicts] == [
        ("P0001", "summary", who_else(sample_db)),
        ("P0002", "deleted", who_else(sample_db)),
    ]
    message = refused.value.message
    assert message.startswith("edition.json: ") and "事業 P0001" in message and "概要" in message
    assert "他の人の概要" in message and "削除" in message and "何も取り込んでいません" in message
    assert export_document(sample_db, 2024) == before
    # read again, the same import goes through
    import_document(sample_db, doc, replace=True, expected_versions=edition_versions(sample_db, 2024))
    assert export_document(sample_db, 2024)["programs"][0]["summary"] == "文書の概要"


def test_the_window_import_is_based_on_the_edition_it_asked_about(sample_db, tmp_path):
    _, path = document(tmp_path, "文書の概要")
    checked = json_import._check(sample_db, path)  # what the confirmation showed
    in_other_process(
        sample_db, f"ops.update_program(db, {program_id(sample_db, 'P0001')}, {{'results': '新しい実績'}})"
    )
    with pytest.raises(Conflicts, match=r"事業 P0001.*実績"):
        json_import._import(sample_db, path, checked, replace=True)
    assert export_document(sample_db, 2024)["programs"][0]["results"] == "新しい実績"


def test_the_command_line_names_the_programs_it_would_have_overwritten(sample_db, tmp_path):
    """import-json --replace reads the edition first; a change made while it backs up refuses it."""
    _, path = document(tmp_path, "文書の概要")
    hook = tmp_path / "hook.py"
    # the other person's edit lands between the command's read and its write (during the backup)
    hook.write_text(
        "import subprocess, sys\n"
        "from kodomo_desktop.core.database import Database\n"
        "real = Database.backup\n"
        "def backup(self, reason):\n"
        f"    subprocess.run([sys.executable, '-c', {PATCH!r}, self.url], check=True)\n"
        "    return real(self, reason)\n"
        "Database.backup = backup\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"exec(open({str(hook)!r}).read())\nfrom kodomo_desktop.cli import main\nsys.exit(main(sys.argv[1:]))",
            "--db",
            sample_db.url,
            "import-json",
            "--replace",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "事業 P0001" in done.stderr and "概要" in done.stderr and "何も取り込んでいません" in done.stderr
    assert "Traceback" not in done.stderr


PATCH = (
    "import sys\n"
    "from kodomo_desktop.core import operations as ops, queries\n"
    "from kodomo_desktop.core.database import Database\n"
    "db = Database(sys.argv[1])\n"
    "pid = queries.find_program_ids(db, queries.list_editions(db)[0].id, ['P0001'])['P0001']\n"
    "ops.update_program(db, pid, {'summary': '途中の編集'})\n"
)


def test_returns_applied_over_a_later_edit_are_refused_naming_who_made_it(sample_db, tmp_path):
    template = write_templates(sample_db, tmp_path)["子育て支援部 子育て支援課"]
    returned = ReturnEditor(template).set("P0001", "概要", "課の概要").save(tmp_path / "r.xlsx")
    results = check_returns(sample_db, 2024, [returned])
    in_other_process(
        sample_db, f"ops.update_program(db, {program_id(sample_db, 'P0001')}, {{'summary': 'その間の編集'}})"
    )
    with pytest.raises(
        InvalidInput, match=rf"^r\.xlsx: .*ID「P0001」の概要を {who_else(sample_db)} が .*もう一度読み込んで"
    ):
        apply_returns(sample_db, 2024, [default_plan(r) for r in results])
    assert export_document(sample_db, 2024)["programs"][0]["summary"] == "その間の編集"
