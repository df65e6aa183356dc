"""One suggester: a misspelt 所管 gets the same 候補 wherever it is refused."""

from __future__ import annotations

import re

import pytest

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.divisions import SUGGESTION_CUTOFF, load_master, read_master
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.queries import list_editions, program_rows
from kodomo_desktop.core.validation import validate_view, view_from_document
from kodomo_desktop.excel.cells import FieldError
from kodomo_desktop.excel.diff import edition_state

TYPOS = [
    (("子育て支援部", "おやか応援課"), "子育て支援部 おやか応援課"),
    (("子育て支援部", "子育て支援室"), "子育て支援部 子育て支援室"),
    (("選挙管理委員会事務所", None), "選挙管理委員会事務所"),
]


def candidates(message: str) -> list[str]:
    found = re.search(r"候補: ([^）]*)）", message)
    return found[1].split("、") if found else []


def from_excel(db, text: str) -> list[str]:
    with pytest.raises(FieldError) as raised:
        edition_state(db, 2024).divisions.parse(text)
    return candidates(raised.value.message)


def from_validation(db, pair) -> list[str]:
    doc = export_document(db, 2024)
    doc["programs"][0]["divisions"] = [{"department": pair[0], "division": pair[1]}]
    with db.read() as session:
        view = view_from_document(doc, read_master(session))
    (finding,) = [f for f in validate_view(view) if f.code == "divisions.unknown"]
    return candidates(finding.message)


def from_editor(db, pair) -> list[str]:
    edition = next(e for e in list_editions(db) if e.fiscal_year == 2024)
    program_id = program_rows(db, edition.id)[0].id
    with pytest.raises(InvalidInput) as raised:
        ops.set_divisions(db, program_id, [pair])
    return candidates(str(raised.value))


@pytest.mark.parametrize(("pair", "text"), TYPOS)
def test_a_typo_gets_the_same_candidates_from_excel_validation_and_the_editor(sample_db, pair, text):
    expected = load_master(sample_db).suggest(pair)
    assert expected  # a typo close enough to be offered something
    assert from_excel(sample_db, text) == expected
    assert from_validation(sample_db, pair) == expected
    assert from_editor(sample_db, pair) == expected


def test_the_candidates_are_close_entries_closest_first():
    from kodomo_desktop.core.divisions import MasterList

    master = MasterList((("子育て支援部", "子育て支援課"), ("子育て支援部", "おやこ応援課"), ("学校教育部", None)))
    assert master.suggest(("子育て支援部", "おやか応援課"))[0] == "子育て支援部 おやこ応援課"
    assert master.suggest("おやか応援課") == ["子育て支援部 おやこ応援課"]
    assert master.suggest(("総務部", "広報課")) == []
    assert 0 < SUGGESTION_CUTOFF < 1
