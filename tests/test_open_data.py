"""Open data: export-csv writes the tables and their dictionary; import-csv reads them back."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodomo_desktop.cli import main
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.open_data_import import apply_csv_import, read_csv_import
from kodomo_desktop.core.targets import TARGETS


def run(db, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", db.url, *args], out, err)
    return code, out.getvalue(), err.getvalue()


def export(db, folder: Path, *options: str) -> Path:
    code, _out, err = run(db, "export-csv", "--year", "2024", "-o", str(folder), *options)
    assert code == 0, err
    return folder


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def booklet_placements(doc: dict) -> list[tuple[str, bool]]:
    listed = without_ended(doc)
    return [
        (p["program"], p["relisted"])
        for policy in listed["policies"]
        for group in policy.get("stages", [policy])
        for measure in group.get("measures", [])
        for p in measure["placements"]
    ]


@pytest.fixture
def exported(seeded_db, tmp_path):
    return export(seeded_db, tmp_path / "open")


def test_tables_match_the_edition(seeded_db, exported):
    doc = export_document(seeded_db, 2024)
    placements, programs = read(exported / "placements.csv"), read(exported / "programs.csv")
    assert len(placements) == 194
    assert [(r["事業ID"], r["再掲"] == "1") for r in placements] == booklet_placements(doc)
    printed = {p["id"]: p for p in without_ended(doc)["programs"]}
    assert [r["事業ID"] for r in programs] == sorted(printed)
    for row in placements + programs:
        program = printed[row["事業ID"]]
        assert row["年度"] == "2024"
        assert [row[f"対象_{label}"] for label in TARGETS] == ["1" if t in program["targets"] else "0" for t in TARGETS]
        assert row["実績"] == program["results"] and row["概要"] == program["summary"]
        pairs = [(d["department"], d["division"] or "") for d in program["divisions"]]
        written = [(row[f"所管{k}_部"], row[f"所管{k}_課"]) for k in range(1, 4)]
        assert written == pairs + [("", "")] * (3 - len(pairs))
    ids = [r["掲載ID"] for r in placements]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"P\d{4}@\d+-\d+-\d+", i) for i in ids)
    assert any("\n" in r["概要"] for r in placements)  # line breaks kept inside quoted cells


def test_deterministic_and_bom(seeded_db, tmp_path, exported):
    again = export(seeded_db, tmp_path / "again", "--xlsx")
    for name in ("placements.csv", "programs.csv", "columns.csv", "columns.md"):
        assert (again / name).read_bytes() == (exported / name).read_bytes()
    assert not (exported / "programs.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bom = export(seeded_db, tmp_path / "bom", "--bom")
    assert (bom / "programs.csv").read_bytes() == b"\xef\xbb\xbf" + (exported / "programs.csv").read_bytes()
    third = export(seeded_db, tmp_path / "third", "--xlsx")
    assert (third / "open-data.xlsx").read_bytes() == (again / "open-data.xlsx").read_bytes()


def test_xlsx_sheets_equal_the_csv(seeded_db, tmp_path):
    from openpyxl import load_workbook

    folder = export(seeded_db, tmp_path / "open", "--xlsx")
    workbook = load_workbook(folder / "open-data.xlsx", read_only=True)
    for table in ("placements", "programs"):
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        sheet = [["" if v is None else str(v) for v in row] for row in workbook[table].iter_rows(values_only=True)]
        assert sheet == rows


def test_dictionary_lists_every_column(exported):
    markdown = (exported / "columns.md").read_text(encoding="utf-8")
    dictionary = read(exported / "columns.csv")
    for table in ("placements", "programs"):
        with (exported / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        section = markdown.split(f"## {table}.csv")[1].split("## ")[0]
        table_lines = [line for line in section.splitlines() if line.startswith("| ")][2:]
        assert [line.split(" | ")[0].removeprefix("| ") for line in table_lines] == header
        assert [r["列名"] for r in dictionary if r["ファイル"] == f"{table}.csv"] == header
        assert all(r["意味"] and r["型"] for r in dictionary)


def test_round_trip_changes_nothing(seeded_db, exported):
    before = export_document(seeded_db, 2024)
    code, out, err = run(seeded_db, "import-csv", str(exported))
    assert code == 0, err
    assert "何も変更していません" in out
    assert export_document(seeded_db, 2024) == before


def test_one_changed_cell_is_exactly_that_change(seeded_db, exported, tmp_path):
    before = export_document(seeded_db, 2024)
    rows = read(exported / "programs.csv")
    rows[3]["実績"] = "相談 12件\n講座 3回"
    rows[5]["対象_18歳超"] = "0" if rows[5]["対象_18歳超"] == "1" else "1"
    write(exported / "programs.csv", rows)
    placements = read(exported / "placements.csv")
    for row in placements:  # the program's fields are repeated on placements.csv
        if row["事業ID"] == rows[3]["事業ID"]:
            row["実績"] = rows[3]["実績"]
        if row["事業ID"] == rows[5]["事業ID"]:
            row["対象_18歳超"] = rows[5]["対象_18歳超"]
    write(exported / "placements.csv", placements)
    code, _out, err = run(seeded_db, "import-csv", str(exported))
    assert code == 0, err
    code, text, _err = run(seeded_db, "export-json", "--year", "2024")
    after = json.loads(text)
    after.pop("last_changed", None)
    expected = json.loads(json.dumps(before))
    changed = {p["id"]: p for p in expected["programs"]}
    changed[rows[3]["事業ID"]]["results"] = "相談 12件\n講座 3回"
    target = changed[rows[5]["事業ID"]]
    flipped = set(target["targets"]) ^ {"18歳超"}
    target["targets"] = [t for t in TARGETS if t in flipped]
    assert after == expected


def test_placement_order_is_imported(seeded_db, exported):
    rows = read(exported / "placements.csv")
    first, second = rows[0], rows[1]  # both under 基本施策1 個別施策1
    first["掲載順"], second["掲載順"] = second["掲載順"], first["掲載順"]
    write(exported / "placements.csv", rows)
    code, _out, err = run(seeded_db, "import-csv", str(exported / "placements.csv"))
    assert code == 0, err
    measure = export_document(seeded_db, 2024)["policies"][0]["measures"][0]
    assert [p["program"] for p in measure["placements"]][:2] == [second["事業ID"], first["事業ID"]]


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda rows: rows[2].update({"対象_乳児": "2"}), ["programs.csv", "4行目", "「対象_乳児」列"]),
        (lambda rows: rows[0].update({"事業ID": "P9999"}), ["programs.csv", "2行目", "「事業ID」列", "P9999"]),
        (lambda rows: [r.pop("実績") for r in rows], ["programs.csv", "1行目", "「実績」列", "ありません"]),
        (lambda rows: rows[1].update({"変更区分": "廃止"}), ["3行目", "「変更区分」列"]),
        (lambda rows: rows[1].update({"事業・取組名称": " "}), ["3行目", "「事業・取組名称」列"]),
        (lambda rows: rows[1].update({"基本施策番号": "3"}), ["3行目", "「基本施策番号」列"]),
        (
            lambda rows: rows[0].update({"所管1_課": "子育て支援科"}),
            ["2行目", "「所管1_課」列", "候補: 子育て支援部 子育て支援課"],
        ),
    ],
)
def test_a_bad_file_is_refused_naming_file_row_and_column(seeded_db, exported, edit, named):
    before = export_document(seeded_db, 2024)
    rows = read(exported / "programs.csv")
    edit(rows)
    write(exported / "programs.csv", rows)
    code, _out, err = run(seeded_db, "import-csv", str(exported))
    assert code == 2
    for words in named:
        assert words in err
    assert export_document(seeded_db, 2024) == before


def test_placements_csv_must_agree_with_programs(seeded_db, exported):
    rows = read(exported / "placements.csv")
    rows[4]["実績"] = "書き換え"
    write(exported / "placements.csv", rows)
    code, _out, err = run(seeded_db, "import-csv", str(exported))
    assert code == 2
    assert "placements.csv 6行目「実績」列" in err and "programs.csv で" in err


CELL = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.integers(min_value=0, max_value=29), row=st.integers(min_value=0, max_value=5), value=CELL)
def test_junk_cells_are_refused_or_imported_never_crash(seeded_db, tmp_path, column, row, value):
    folder = tmp_path / "junk"
    if not folder.exists():
        export(seeded_db, folder)
    with (folder / "programs.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row][column % len(rows[row])] = value
    path = tmp_path / "junk.csv"
    path.write_text(
        encoding="utf-8",
        data="".join(",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' for c in r) + "\r\n" for r in rows),
    )
    try:
        plan = read_csv_import(seeded_db, path, 2024)
        apply_csv_import(seeded_db, plan)
    except KodomoError:
        pass
