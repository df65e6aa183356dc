"""Fuzzing import-json (issue 15): a mutated kodomo-edition/1 document is imported into a real
SQLite database. It is taken (exit 0), or refused with a Japanese message (exit 2) leaving the
database exactly as it was; any other exception fails the test."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodomo_desktop.cli import main
from tests.helpers import SAMPLE_DOCUMENT

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# JSON text no json.dumps writes: put in the document as a marker, replaced in the text
RAW = [
    "9" * 5000,
    "-" + "9" * 40,
    "1e400",
    "-1e400",
    "1e300",
    "NaN",
    "Infinity",
    "[" * 5000 + "]" * 5000,
    '{"k": 1, "k": 2}',
    '"\\ud800"',
    '"x\\udfffy"',
    "2024.0",
    "true",
]
raw_markers = st.sampled_from(range(len(RAW))).map(lambda i: f"@@RAW{i}@@")

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.sampled_from([0, -1, 202, 1925, 1926, 2023, 2100, 2101, 99999])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["", " ", "　", "廃止", "継続", "draft", "published", "P0001", "乳児", "子育て支援部"])
    | raw_markers
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def places(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of the document, the document itself first."""
    found: list[tuple[Any, Any]] = [(None, None)]

    def walk(container: Any) -> None:
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, item in list(items):
            found.append((container, key))
            if isinstance(item, dict | list):
                walk(item)

    if isinstance(value, dict | list):
        walk(value)
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    doc: Any = copy.deepcopy(SAMPLE_DOCUMENT)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        spots = places(doc)
        container, key = spots[draw(st.integers(min_value=0, max_value=len(spots) - 1))]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        value = draw(json_values)
        if container is None:
            if action == "replace":
                doc = value
            continue
        if action == "replace":
            container[key] = value
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["id", "name", "status", "extra", "previous_results", "division"]))] = value
        else:
            container.insert(key, value)
    text = json.dumps(doc, ensure_ascii=True)
    return re.sub(r'"@@RAW(\d+)@@"', lambda m: RAW[int(m.group(1))], text)


def contents(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_documents())
def test_import_json_takes_or_refuses_clearly(tmp_path, sample_template, text):
    database = tmp_path / "fuzz.sqlite"
    shutil.copy(sample_template, database)
    document = tmp_path / "fuzz.json"
    document.write_text(text, encoding="ascii")
    before = contents(database)
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(database), "import-json", str(document), "--replace", "--add-divisions"], out=out, err=err)
    if code != 0:
        assert code == 2, err.getvalue()
        assert JAPANESE.search(err.getvalue()), err.getvalue()
        assert contents(database) == before
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
