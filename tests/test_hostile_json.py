"""Hostile input refused before any write (issue 15, items 1, 8, 9): out-of-range years, JSON that
cannot be stored (deep nesting, lone surrogates, huge numbers, duplicate keys), and schema errors in
Japanese naming the file, the JSON path and the program. Each refusal exits 2 and leaves the database
as it was."""

from __future__ import annotations

import copy
import io
import json

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from kodomo_desktop.cli import main
from kodomo_desktop.core import interchange
from kodomo_desktop.core.changes import writing
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Base, Edition
from kodomo_desktop.core.operations.editions import create_edition
from kodomo_desktop.core.operations.rollover import rollover
from tests.helpers import SAMPLE_DOCUMENT


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def contents(target: str) -> list:
    """Every row of every table in key order: the whole database, on either backend."""
    engine = create_engine(target, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [
                (table.name, conn.execute(select(table).order_by(*table.primary_key.columns)).all())
                for table in Base.metadata.sorted_tables
            ]
    finally:
        engine.dispose()


@pytest.fixture
def db_path(sample_db):
    return sample_db.url


def refused(db_path, tmp_path, text: str) -> str:
    """Import text as a document file: exit 2, nothing changed; the message (which names the file)."""
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = contents(db_path)
    code, _, err = run("--db", db_path, "import-json", str(path), "--replace", "--add-divisions")
    assert code == 2, err
    assert "Traceback" not in err
    assert str(path) in err
    assert contents(db_path) == before
    return err


def with_year(text: str) -> str:
    doc = json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 1111}, ensure_ascii=False)
    return doc.replace('"fiscal_year": 1111', f'"fiscal_year": {text}')


# --- item 1: years --------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "-1", "202", "99999", "2101", "1925"])
def test_import_with_a_year_out_of_range_is_refused(db_path, tmp_path, year):
    err = refused(db_path, tmp_path, with_year(year))
    assert "fiscal_year" in err and "範囲外" in err


@pytest.mark.parametrize("year", ["1e300", "1e30", "2023.0", "true", "9" * 5000, "-" + "9" * 30, "NaN", "Infinity"])
def test_import_with_a_year_that_is_no_integer_is_refused(db_path, tmp_path, year):
    err = refused(db_path, tmp_path, with_year(year))
    assert "fiscal_year" in err


def test_import_at_the_bounds_of_the_range_is_taken(db_path, tmp_path):
    for year in (1926, 2100):
        path = tmp_path / f"{year}.json"
        path.write_text(with_year(str(year)), encoding="utf-8")
        assert run("--db", db_path, "import-json", str(path))[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["export-json", "--year", "1925"],
        ["export-json", "--year", "0"],
        ["booklet", "--year", "1900", "-o", "x.pdf"],
        ["templates", "--year", "202", "-o", "out"],
        ["validate", "--year", "-1"],
        ["rollover", "--from", "1925"],
        ["rollover", "--from", "2024", "--to", "99999"],
        ["diff", "--from", "1800", "--to", "2024"],
        ["diff", "--from", "2024", "--to", "9" * 5000],
        ["import-returns", "x.xlsx", "--year", "1925"],
        ["publish", "--year", "3000"],
        ["export-csv", "--year", "1e300"],
        ["coverage", "--compare", "1925"],
    ],
)
def test_every_year_argument_is_bounded(db_path, argv, capsys):
    before = contents(db_path)
    code, _, _ = run("--db", db_path, *argv)
    err = capsys.readouterr().err  # argparse writes usage errors to sys.stderr
    assert code == 2
    assert "Traceback" not in err
    assert "範囲外" in err or "西暦の整数" in err
    assert contents(db_path) == before


@pytest.mark.parametrize("year", [0, 202, 1925, 2101, 10**100])
def test_create_edition_refuses_a_year_out_of_range(sample_db, year):
    with pytest.raises(InvalidInput, match="範囲外"):
        create_edition(sample_db, year)


def test_rollover_refuses_a_year_out_of_range(sample_db):
    with pytest.raises(InvalidInput, match=r"新しい版の年度.*範囲外"):
        rollover(sample_db, 2100, 2101)


def test_an_out_of_range_edition_from_an_older_version_is_listed_with_a_warning(db_path, sample_db):
    with writing(sample_db, "test") as w:
        w.session.add(Edition(fiscal_year=202, title="古い版", status="draft"))
    code, out, err = run("--db", db_path, "editions")
    assert code == 0
    assert "（年度 202 は範囲外）" in out
    assert "警告" in err and "delete-edition --year 202" in err
    assert run("--db", db_path, "delete-edition", "--year", "202", "--yes")[0] == 0
    assert [line.split("\t")[0] for line in run("--db", db_path, "editions")[1].splitlines()] == ["2024"]
    assert era_label(202) == "（年度 202 は範囲外）"


# --- item 2: inputs bounded before parsing ----------------------------------------------


def test_deeply_nested_arrays_are_refused_before_parsing(db_path, tmp_path):
    doc = json.dumps({**SAMPLE_DOCUMENT, "extra": None}, ensure_ascii=False)
    err = refused(db_path, tmp_path, doc.replace('"extra": null', '"extra": ' + "[" * 100_000 + "]" * 100_000))
    assert "入れ子が深すぎます" in err


def test_brackets_inside_strings_do_not_count_as_nesting(db_path, tmp_path):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["fiscal_year"] = 2023
    doc["programs"][0]["summary"] = "[" * 1000 + '\\"{'
    path = tmp_path / "brackets.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("--db", db_path, "import-json", str(path))[0] == 0


def test_a_document_over_the_size_limit_is_refused(db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(interchange, "MAX_DOCUMENT_BYTES", 1000)
    err = refused(db_path, tmp_path, json.dumps(SAMPLE_DOCUMENT, ensure_ascii=False))
    assert "大きすぎます" in err


def test_a_lone_surrogate_is_refused_naming_the_path(db_path, tmp_path):
    doc = json.dumps(SAMPLE_DOCUMENT, ensure_ascii=False).replace("ちびっこ広場", "ちびっこ\\ud800広場")
    err = refused(db_path, tmp_path, doc)
    assert "programs/2/name" in err and "サロゲート" in err


def test_a_lone_surrogate_in_a_key_is_refused(db_path, tmp_path):
    doc = json.dumps({**SAMPLE_DOCUMENT, "x": 1}, ensure_ascii=False).replace('"x"', '"\\udc00"')
    assert "サロゲート" in refused(db_path, tmp_path, doc)


def test_a_huge_integer_elsewhere_is_refused_naming_the_path(db_path, tmp_path):
    doc = json.dumps(SAMPLE_DOCUMENT, ensure_ascii=False).replace('"number": 1,', '"number": ' + "7" * 5000 + ",", 1)
    err = refused(db_path, tmp_path, doc)
    assert "policies/0/number" in err


def test_a_boolean_where_an_integer_belongs_is_refused(db_path, tmp_path):
    doc = json.dumps(SAMPLE_DOCUMENT, ensure_ascii=False).replace('"number": 1,', '"number": true,', 1)
    err = refused(db_path, tmp_path, doc)
    assert "policies/0/number: 整数であるべきところが真偽値です" in err


# --- item 8: messages in Japanese naming the path and the program --------------------------


def test_schema_errors_are_in_japanese_with_the_program(db_path, tmp_path):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["programs"][0]["targets"] = "all"
    err = refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))
    assert "programs/0/targets（事業 P0001 児童の権利に関する条約の普及啓発）: 配列であるべきところが文字列です" in err
    assert "is not of type" not in err


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["programs"][1].pop("name"), "programs/1（事業 P0002）: 必須の項目「name」がありません"),
        (lambda d: d.update(status="final"), 'status: 値 "final" は使えません（使える値: draft、published）'),
        (lambda d: d.update(format="x"), 'format: 値 "x" は使えません（"kodomo-edition/1" であるべきです）'),
        (lambda d: d.update(title=""), "title: 空にできません"),
        (lambda d: d.update(published_on="today"), 'published_on: 値 "today" の書き方が違います（例: 2024-04-01）'),
        (lambda d: d.update(issuer={"city": "旭川市", "mayor": "x"}), "issuer: 使えない項目「mayor」があります"),
        (lambda d: d["policies"][0].update(number=0), "policies/0/number: 値 0 は 1 以上であるべきです"),
        (
            lambda d: d["programs"][2].update(targets=["乳児", "乳児"]),
            "programs/2/targets（事業 P0003 ちびっこ広場）: 同じ値",
        ),
    ],
)
def test_each_kind_of_schema_error_reads_in_japanese(db_path, tmp_path, change, expected):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    change(doc)
    assert expected in refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))


def test_a_blank_name_names_the_file_and_the_program(db_path, tmp_path):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["programs"][1]["name"] = "　 "
    err = refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))
    assert "programs/1/name（事業 P0002）" in err and "空白" in err


def test_status_haishi_names_the_file_and_the_program(db_path, tmp_path):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["programs"][2]["status"] = "廃止"
    err = refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))
    assert "programs/2/status（事業 P0003 ちびっこ広場）" in err and "廃止" in err


def test_previous_results_of_another_type_is_refused(db_path, tmp_path):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["programs"][0]["previous_results"] = [1]
    assert "programs/0/previous_results（事業 P0001" in refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))


# --- item 9: questionable accepts -------------------------------------------------------------


def test_duplicate_keys_are_refused_naming_key_and_path(db_path, tmp_path):
    doc = json.dumps(SAMPLE_DOCUMENT, ensure_ascii=False).replace(
        '"name": "若者の就労相談"', '"name": "若者の就労相談", "name": "別の名前"'
    )
    err = refused(db_path, tmp_path, doc)
    assert "programs/1" in err and "「name」が二度" in err


@pytest.mark.parametrize(("department", "division"), [("", "子育て支援課"), ("  ", None), ("子育て支援部", " ")])
def test_an_empty_department_never_enters_the_master_list(db_path, tmp_path, department, division):
    doc = copy.deepcopy(SAMPLE_DOCUMENT)
    doc["programs"][0]["divisions"] = [{"department": department, "division": division}]
    err = refused(db_path, tmp_path, json.dumps(doc, ensure_ascii=False))
    assert "programs/0/divisions/0/" in err and "（事業 P0001" in err
