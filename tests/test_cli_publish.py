"""Publishing from the command line: publish / unpublish, and the 「案」 mark the booklet follows."""

from __future__ import annotations

import io
import json

import pdfplumber

from kodomo_desktop.cli import main
from tests.helpers import SAMPLE_DOCUMENT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def draft_marks(db: str, year: int, path) -> list[bool]:
    code, _, err = run("--db", db, "booklet", "--year", str(year), "-o", str(path))
    assert code == 0, err
    with pdfplumber.open(path) as pdf:
        return [(page.extract_text() or "").splitlines()[0] == "案" for page in pdf.pages]


def test_publish_then_unpublish_from_the_command_line(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    document = tmp_path / "edition.json"
    document.write_text(json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 2023}, ensure_ascii=False), encoding="utf-8")
    assert run("--db", db, "import-json", str(document))[0] == 0
    assert all(draft_marks(db, 2023, tmp_path / "draft.pdf"))

    code, out, err = run("--db", db, "publish", "--year", "2023")
    assert code == 0, err
    assert "令和5年度版を公開しました" in out
    assert not any(draft_marks(db, 2023, tmp_path / "final.pdf"))
    assert "公開" in run("--db", db, "editions")[1].split("2023")[1].splitlines()[0]

    code, _, _ = run("--db", db, "unpublish", "--year", "2023")
    assert code == 2  # the reason is required, as in the window
    code, out, err = run("--db", db, "unpublish", "--year", "2023", "--reason", "誤字の訂正")
    assert code == 0, err
    assert "公開を取り消しました" in out
    assert all(draft_marks(db, 2023, tmp_path / "again.pdf"))


def test_publish_refused_while_validation_finds_errors(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    document = tmp_path / "edition.json"
    broken = {**SAMPLE_DOCUMENT, "fiscal_year": 2023}
    broken["programs"] = [{**broken["programs"][0], "divisions": []}, *broken["programs"][1:]]
    document.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert run("--db", db, "import-json", str(document))[0] == 0
    code, _, err = run("--db", db, "publish", "--year", "2023")
    assert code == 2 and "エラー" in err
    assert "作成中" in run("--db", db, "editions")[1].split("2023")[1].splitlines()[0]
    assert run("--db", db, "unpublish", "--year", "2023", "--reason", "x")[0] == 2  # not published


def test_edition_settings_from_the_command_line(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    document = tmp_path / "edition.json"
    document.write_text(json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 2023}, ensure_ascii=False), encoding="utf-8")
    assert run("--db", db, "import-json", str(document))[0] == 0
    code, out, err = run("--db", db, "edition-settings", "--year", "2023")
    assert code == 0, err
    assert out == "市: 旭川市\n部: （なし）\n課: （なし）\n"
    code, out, err = run(
        "--db", db, "edition-settings", "--year", "2023", "--department", "子育て支援部", "--division", "こども政策課"
    )
    assert code == 0, err
    assert out.splitlines() == [
        "令和5年度版の発行者を変更しました。",
        "市: 旭川市",
        "部: 子育て支援部",
        "課: こども政策課",
    ]
    code, out, _ = run("--db", db, "export-json", "--year", "2023")
    assert json.loads(out)["issuer"] == {"city": "旭川市", "department": "子育て支援部", "division": "こども政策課"}
    assert run("--db", db, "edition-settings", "--year", "2023", "--city", "")[0] == 2
    assert run("--db", db, "edition-settings", "--year", "2031")[0] == 2
    from kodomo_desktop.cli import build_parser

    assert "版の発行者" in build_parser().format_help()


def test_settings_changes_are_in_the_change_log(tmp_path):
    from kodomo_desktop.core.models import ChangeLog
    from kodomo_desktop.core.opening import open_database

    db = str(tmp_path / "cli.sqlite")
    document = tmp_path / "edition.json"
    document.write_text(json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 2023}, ensure_ascii=False), encoding="utf-8")
    run("--db", db, "import-json", str(document))
    run("--db", db, "edition-settings", "--year", "2023", "--division", "こども政策課")
    database = open_database(db)
    with database.read() as session:
        entry = session.query(ChangeLog).filter_by(field="issuer_division").one()
        assert (entry.entity, entry.old, entry.new, entry.source) == ("edition", None, "こども政策課", "cli")
    database.dispose()
