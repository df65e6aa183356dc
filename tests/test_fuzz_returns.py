"""Fuzzing import-returns (issue 15): a real template for one unit of the FY2024 database, its
data rows overwritten with random cell values (text with control characters, numbers, booleans,
dates, formulas, very long strings, blanks), taken in with --apply. The command exits 0, 1 or 2
with no traceback; a refusal is in Japanese; a refusal or a return with problems leaves the
database as it was."""

from __future__ import annotations

import datetime
import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from kodomo_desktop.cli import main
from tests.excel_corpus import ReturnEditor

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# columns an office edits most, and whose wrong values the reader must refuse clearly
FOCUS = ["ID", "事業・取組名称", "所管", "変更区分", "概要", "通称", "備考", "妊婦等", "中学"]

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # openpyxl cannot store lone surrogates
    max_size=30,
)
cell_values = (
    st.none()
    | texts
    | st.sampled_from(
        ["", " ", "　", "○", "×", "新規", "終了", "継続", "変更", "P0001", "P9999", "=1+1", "=A1", "#N/A"]
    )
    | st.sampled_from(["\x00\x01\x1f", "a\x0bb", "\t\r\n", "\u200b\ufeff", "𠮷野家", "子育て支援部 子育て支援課"])
    | st.integers(min_value=-(10**18), max_value=10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 12, 31))
    | st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(2100, 12, 31))
    | st.integers(min_value=1, max_value=40_000).map(lambda n: "長" * n)
)


def as_excel_stores(value: object) -> object:
    """Control characters as Excel writes them (_x0008_); the reader turns them back into characters."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


@pytest.fixture(scope="module")
def template(seeded_template, tmp_path_factory) -> Path:
    """The smallest unit's template, made by the `templates` command."""
    folder = tmp_path_factory.mktemp("fuzz_returns")
    database = folder / "db.sqlite"
    shutil.copy(seeded_template, database)
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(database), "templates", "--year", "2024", "-o", str(folder / "t")], out, err) == 0
    return min((folder / "t").glob("*.xlsx"), key=lambda p: p.stat().st_size)


def export(database: Path) -> str:
    out = io.StringIO()
    assert main(["--db", str(database), "export-json", "--year", "2024"], out, io.StringIO()) == 0
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_import_returns_takes_or_refuses_clearly(tmp_path, seeded_template, template, data):
    database = tmp_path / "fuzz.sqlite"
    shutil.copy(seeded_template, database)
    editor = ReturnEditor(template)
    headers = list(editor.columns)
    first = editor.header_row + 1
    last = editor.blank_row(2)
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        header = data.draw(st.sampled_from(FOCUS) | st.sampled_from(headers))
        if header not in editor.columns:
            continue
        row = data.draw(st.integers(min_value=first, max_value=last))
        editor.set(row, header, as_excel_stores(data.draw(cell_values)))
    returned = editor.save(tmp_path / "return.xlsx")
    before = export(database)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(database), "import-returns", str(returned), "--apply"], out, err)
    assert isinstance(code, int)
    event(f"exit {code}")
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert JAPANESE.search(err.getvalue()), err.getvalue()
    if code != 0:
        assert export(database) == before, out.getvalue() + err.getvalue()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)
