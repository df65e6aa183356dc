"""The proof copy (校正用), read back from real PDFs with pdfplumber: review notes, uncertain
ticks and the changes planted against a previous edition are all marked; the plain booklet has none."""

from __future__ import annotations

import copy
import io
import json
import re

import pdfplumber
import pytest

from kodomo_desktop.booklet import BookletOptions, build_booklet
from kodomo_desktop.booklet.proof import changed_spans, marker
from kodomo_desktop.cli import main
from kodomo_desktop.core.targets import TARGETS
from tests.helpers import SEED_EDITION

RED = (1, 0, 0)
PLANTED = "追加した実績の行"
NEW_NAME = "新しく始めた校正確認事業"
MARKER = r"[\u2460-\u2473]|\[\d+\]"


def planted() -> tuple[dict, dict, dict]:
    """The FY2024 seed as a previous edition, and this year's copy with one change of each kind.

    Returns (document, previous, plants): plants names the programs changed."""
    previous = json.loads(SEED_EDITION.read_text(encoding="utf-8"))
    previous["fiscal_year"] = 2023
    document = copy.deepcopy(previous)
    document["fiscal_year"] = 2024
    programs = [p for p in document["programs"] if not p["needs_review"] and p["results"]]
    changed, ended, unsure = programs[0], programs[1], programs[2]
    changed["results"] += "\n" + PLANTED
    ended["status"] = "終了"
    unsure["uncertain_targets"] = [TARGETS[0], unsure["targets"][0]]
    new = {**copy.deepcopy(programs[3]), "id": "P9999", "name": NEW_NAME}
    document["programs"].append(new)
    first = document["policies"][0]["measures"][0]
    first["placements"].append({"program": "P9999", "relisted": False})
    return document, previous, {"changed": changed, "ended": ended, "unsure": unsure}


class Pdf:
    def __init__(self, path):
        with pdfplumber.open(path) as pdf:
            self.texts = [page.extract_text() or "" for page in pdf.pages]
            self.chars = [page.chars for page in pdf.pages]
            self.red_bars = sum(
                1
                for page in pdf.pages
                for line in page.lines
                if line.get("stroking_color") == RED and abs(line["x0"] - line["x1"]) < 0.5
            )
            self.rows = [row for page in pdf.pages for table in page.extract_tables() for row in table]

    def lines(self) -> list[str]:
        return [line for text in self.texts for line in text.splitlines()]

    def row(self, name: str) -> list[str]:
        return next(row for row in self.rows if row[0] and name in row[0].replace("\n", ""))

    def red_text(self) -> str:
        return "".join(c["text"] for chars in self.chars for c in chars if c.get("non_stroking_color") == RED)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    document, previous, plants = planted()
    folder = tmp_path_factory.mktemp("proof")
    build_booklet(document, folder / "plain.pdf")
    build_booklet(document, folder / "proof.pdf", BookletOptions(proof="previous"), compare_to=previous)
    return document, plants, Pdf(folder / "proof.pdf"), Pdf(folder / "plain.pdf")


def test_every_page_says_proof(books):
    _, _, proof, plain = books
    assert all("校正用" in text for text in proof.texts)
    assert proof.texts[0].count("校正用") == 2  # on the cover itself, not only in the header
    assert not any("校正用" in text for text in plain.texts)


def test_every_review_program_is_numbered_on_its_row_and_in_the_notes(books):
    document, _, proof, plain = books
    review = [p for p in document["programs"] if p["needs_review"] and p.get("status") != "終了"]
    assert len(review) >= 10
    lines = proof.lines()
    notes = "".join(proof.texts[next(i for i, t in enumerate(proof.texts) if "校正メモ" in t.splitlines()) :])
    notes = notes.replace("\n", "")
    numbers = set()
    for program in review:
        # the marker stands on the row's first line, in the margin left of the name
        marked = [line for line in lines if re.match(rf"^({MARKER}) (【再掲】)?{re.escape(program['name'][:6])}", line)]
        assert marked, program["name"]
        number = marked[0].split(" ")[0]
        assert all(line.startswith(number + " ") for line in marked)
        numbers.add(number)
        assert f"{number} {program['name']}（{program['id']}）" in notes
        assert program["review_notes"][0][:40].replace(" ", "") in notes.replace(" ", "")
    assert numbers == {marker(n) for n in range(1, len(review) + 1)}
    assert not any(line.startswith(marker(1) + " ") for line in plain.lines())


def test_uncertain_ticks_are_marked(books):
    _, plants, proof, plain = books
    program = plants["unsure"]
    cells = proof.row(program["name"][:8])[2 : 2 + len(TARGETS)]
    for target, cell in zip(TARGETS, cells, strict=True):
        tick = "○" if target in program["targets"] else ""
        expected = tick + ("?" if target in program["uncertain_targets"] else "")
        assert (cell or "") == expected, target
    assert not any("?" in (cell or "") for row in plain.rows for cell in row[2 : 2 + len(TARGETS)])


def test_changes_are_marked(books):
    _, plants, proof, plain = books
    red = proof.red_text()
    assert PLANTED in red
    # only the planted line of that cell is red
    assert plants["changed"]["results"].split("\n")[0].replace(" ", "")[:6] not in red
    assert proof.red_bars >= 2  # the changed row and the new one
    assert proof.row(NEW_NAME)[0].startswith("新規")
    ended = proof.texts.index(next(t for t in proof.texts if "終了した事業" in t))
    assert plants["ended"]["name"] in "".join(proof.texts[ended:]).replace("\n", "")
    assert not any(plants["ended"]["name"] in (row[0] or "").replace("\n", "") for row in proof.rows)
    assert plain.red_text().replace("案", "") == ""  # the draft mark is the plain booklet's only red
    assert plain.red_bars == 0
    assert not any((row[0] or "").startswith("新規") for row in plain.rows)
    assert not any("終了した事業" in text for text in plain.texts)


def test_changed_spans_are_characters_of_the_new_text():
    assert changed_spans("開所日数 233日", "開所日数 235日") == [(7, 8)]
    assert changed_spans("abc", "abc") == []
    assert changed_spans("abcdef", "abef") == [(2, 2)]  # a deletion: nothing to colour


def test_a_proof_without_a_comparison_marks_only_review_and_uncertain(tmp_path):
    document, _, plants = planted()
    build_booklet(document, tmp_path / "p.pdf", BookletOptions(proof="published"))
    pdf = Pdf(tmp_path / "p.pdf")
    assert "?" in "".join(pdf.row(plants["unsure"]["name"][:8])[2 : 2 + len(TARGETS)])
    assert any(line.startswith(marker(1) + " ") for line in pdf.lines())
    assert PLANTED not in pdf.red_text() and pdf.red_bars == 0
    assert not any("終了した事業" in text for text in pdf.texts)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_proof_against_the_previous_year(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    code, _, err = run("--db", db, "booklet", "--year", "2024", "--proof", "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "前年度（令和5年度）の版がない" in err
    assert not (tmp_path / "x.pdf").exists()
    assert run("--db", db, "rollover", "--from", "2024")[0] == 0
    out_path = tmp_path / "proof.pdf"
    code, out, err = run("--db", db, "booklet", "--year", "2025", "--proof", "--force", "-o", str(out_path))
    assert code == 0, err
    assert "校正用の冊子" in out
    pdf = Pdf(out_path)
    assert all("校正用" in text for text in pdf.texts)
    assert "比較の対象：令和6年度版" in pdf.texts[0]
