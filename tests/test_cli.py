"""The CLI end to end on real database files: exit codes, messages, output files."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from kodomo_desktop.cli import main
from tests.helpers import SAMPLE_DOCUMENT


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sample_json(tmp_path):
    # a year beside the FY2024 edition every new database is given
    path = tmp_path / "edition.json"
    path.write_text(json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 2023}, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_export_editions(tmp_path, sample_json):
    db = str(tmp_path / "cli.sqlite")
    code, out, err = run("--db", db, "import-json", str(sample_json))
    assert code == 0, err
    assert "令和5年度版を取り込みました（事業 3件）" in out
    code, out, _ = run("--db", db, "editions")
    assert code == 0 and "2023\t令和5年度\t作成中\t事業 3件\t掲載 5件" in out
    assert "2024\t令和6年度\t作成中\t事業 124件\t掲載 194件" in out
    code, first, _ = run("--db", db, "export-json", "--year", "2023")
    assert code == 0 and json.loads(first)["programs"][1]["alias"] == "ジョブカフェ"
    target = tmp_path / "out" / "e.json"
    assert run("--db", db, "export-json", "--year", "2023", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == first


def test_bad_input_exit_2_and_database_unchanged(tmp_path, sample_json):
    db = str(tmp_path / "cli.sqlite")
    run("--db", db, "import-json", str(sample_json))
    _, before, _ = run("--db", db, "export-json", "--year", "2023")
    bad = tmp_path / "bad.json"
    doc = json.loads(sample_json.read_text(encoding="utf-8"))
    doc["programs"][0]["targets"] = ["大人"]
    bad.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = run("--db", db, "import-json", str(bad), "--replace")
    assert code == 2
    assert "bad.json" in err and "programs/0/targets/0" in err
    assert run("--db", db, "export-json", "--year", "2023")[1] == before


def test_usage_errors_exit_2(tmp_path):
    assert run("--db", str(tmp_path / "x.sqlite"), "export-json", "--year", "abc")[0] == 2
    assert run("no-such-command")[0] == 2
    code, _, err = run("--db", str(tmp_path / "x.sqlite"), "export-json", "--year", "1999")
    assert code == 2 and "ありません" in err


def test_env_var_names_the_database(tmp_path, sample_json, monkeypatch):
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("KODOMO_DB", str(db))
    assert run("import-json", str(sample_json))[0] == 0
    assert db.exists()


def test_version(capsys):
    from kodomo_desktop import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"kodomo-desktop {__version__}\n"


def test_help_and_editions_import_neither_reportlab_nor_openpyxl(tmp_path):
    """Every subcommand's module is imported to build the parser: their heavy imports must wait for run()."""
    code = (
        "import sys\n"
        "from kodomo_desktop.cli import main\n"
        f"main(['--db', {str(tmp_path / 'x.sqlite')!r}, 'editions'])\n"
        "main(['--help'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'openpyxl'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
