"""The printed booklet, read back from the PDF with pdfplumber and poppler's pdffonts."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest

from kodomo_desktop.booklet import BookletOptions, BuildCancelled, build_booklet, fonts
from kodomo_desktop.booklet.flowables import CONTINUED
from kodomo_desktop.booklet.typography import normalize
from kodomo_desktop.commands import booklet as command
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.targets import TARGETS
from tests.helpers import SEED_EDITION

LONG_SUMMARY = "\n".join(f"・長い概要の{i}行目：ページをまたいで続く行のための文章です。" for i in range(1, 91))
KINSOKU_SUMMARY = (
    "来場者数は104,400人（R6年度末）で、「ReportLab」による組版を確かめる。"
    "新生児聴覚検査は1,364人が受検し、ファミリーサポートセンター（ショートステイ）を利用した。" * 3
)


def make_document(measures: int = 6, rows: int = 5, *, status: str = "draft", long_program: int | None = None) -> dict:
    """A document in the shape the core exports: 2 basic policies, the second with
    life stages; every third placement re-lists an earlier program."""
    programs: list[dict] = []
    placed: list[dict] = []

    def placements(m: int) -> list[dict]:
        out = []
        for r in range(rows):
            if r == 2 and programs:
                out.append({"program": programs[(m * 7) % len(programs)]["id"], "relisted": True})
                continue
            i = len(programs) + 1
            summary = (
                KINSOKU_SUMMARY
                if i == 3
                else f"事業{i}の概要。\n・箇条書きの一つ目\n・二つ目は長めに書いて折り返すことを確かめるための文章です"
            )
            if i == long_program:
                summary = LONG_SUMMARY
            programs.append(
                {
                    "id": f"T{i:04d}",
                    "name": f"テスト事業{i}",
                    "alias": "通称テスト" if i % 4 == 0 else None,
                    "summary": summary,
                    "targets": [t for k, t in enumerate(TARGETS) if (i + k) % 3 == 0],
                    "results": f"実施回数 {i}回\n参加者 {i * 1000 + 364:,}人",
                    "divisions": [{"department": "子育て支援部", "division": "子育て支援課"}]
                    if i % 2
                    else [
                        {"department": "子育て支援部", "division": "主幹付"},
                        {"department": "子育て支援部", "division": "おやこ応援課"},
                    ],
                    "needs_review": False,
                    "review_notes": [],
                }
            )
            out.append({"program": programs[-1]["id"], "relisted": False})
        placed.extend(out)
        return out

    numbers = iter(range(1, measures + 1))

    def measure(n: int) -> dict:
        m = next(numbers)
        return {"number": n, "title": f"施策題名{m:02d}", "placements": placements(m)}

    half = measures // 2
    stage_a = measures - half - half // 2
    policies = [
        {"number": 1, "title": "第一の基本施策", "measures": [measure(n) for n in range(1, half + 1)]},
        {
            "number": 2,
            "title": "第二の基本施策",
            "stages": [
                {"title": "ライフステージを通して", "measures": [measure(n) for n in range(1, stage_a + 1)]},
                {"title": "青年期", "measures": [measure(n) for n in range(1, half // 2 + 1)]},
            ],
        },
    ]
    return {
        "format": "kodomo-edition/1",
        "fiscal_year": 2024,
        "title": "「旭川市こども計画」関連事業・取組一覧",
        "status": status,
        "targets": list(TARGETS),
        "policies": policies,
        "programs": programs,
    }


def placements_in_order(document: dict) -> list[tuple[dict, bool]]:
    by_id = {p["id"]: p for p in document["programs"]}
    out = []
    for policy in document["policies"]:
        for group in policy.get("stages") or [policy]:
            for measure in group["measures"]:
                out += [(by_id[p["program"]], p["relisted"]) for p in measure["placements"]]
    return out


class Booklet:
    """A built PDF read back once: text and body-table rows of every page."""

    def __init__(self, path: Path):
        self.path = path
        self.bytes = path.read_bytes()
        with pdfplumber.open(path) as pdf:
            self.metadata = pdf.metadata
            self.catalog = pdf.doc.catalog
            self.texts = [page.extract_text() or "" for page in pdf.pages]
            self.numbers = [self._printed_number(text) for text in self.texts]
            self.rows = []  # (printed page number, row cells) of every body-table row
            for number, page in zip(self.numbers, pdf.pages, strict=False):
                if number is None:
                    continue
                for table in page.extract_tables():
                    if table[0][:2] == ["施策", "ライフステージ"]:
                        continue  # the appendix (付録　対象別の事業数): tests/test_coverage.py reads it
                    self.rows += [(number, row) for row in table if row[0] != "事業・取組名称" and row[2] != "妊婦\n等"]

    @staticmethod
    def _printed_number(text: str) -> int | None:
        match = re.search(r"^- (\d+) -$", text, re.M)
        return int(match[1]) if match else None

    def contents(self) -> list[tuple[str, int]]:
        """(title, page number) of every numbered entry on the contents pages: those
        between the cover and the first numbered page."""
        front = self.texts[1 : self.numbers.index(1)]
        assert front and "目 次" in front[0].replace("\u3000", " ")
        return [(m[1], int(m[2])) for text in front for m in re.finditer(r"^(.*\S)\s+(\d+)$", text, re.M)]


# a draft's date of issue is the day of the build: fixed, so builds on different days compare
ISSUED = datetime.date(2025, 6, 30)


def build(document: dict, path: Path, **options) -> tuple[Booklet, object]:
    report = build_booklet(document, path, BookletOptions(**options))
    return Booklet(path), report


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    document = make_document(measures=6, rows=5, long_program=8)
    path = tmp_path_factory.mktemp("booklet") / "sample.pdf"
    booklet, report = build(document, path, issue_date=ISSUED)
    return document, booklet, report


def cell(text: str | None) -> str:
    return (text or "").replace("\n", "")


def continued(row: list[str | None]) -> bool:
    """A row carried on from the page before: its name cell is empty or starts with the mark."""
    return not row[0] or cell(row[0]).startswith(CONTINUED)


def test_every_placement_in_order_with_marks_results_and_divisions(sample):
    document, booklet, _ = sample
    expected = placements_in_order(document)
    # a row split across pages comes back as two rows: join the continuation
    rows = []
    for _, row in booklet.rows:
        if not continued(row) or not rows:
            rows.append(list(row))
        else:
            row = [cell(row[0]).removeprefix(CONTINUED), *row[1:]]
            rows[-1] = [cell(a) + cell(b) for a, b in zip(rows[-1], row, strict=False)]
    assert len(rows) == len(expected)
    for row, (program, relisted) in zip(rows, expected, strict=False):
        name = ("【再掲】" if relisted else "") + program["name"]
        if program["alias"]:
            name += f"通称:{program['alias']}"
        assert cell(row[0]) == name
        marks = [cell(c) for c in row[2:10]]
        assert marks == ["○" if t in program["targets"] else "" for t in TARGETS], name
        assert cell(row[10]) == cell(program["results"])
        divisions = format_divisions((d["department"], d["division"]) for d in program["divisions"])
        assert cell(row[11]).replace(" ", "") == divisions.replace(" ", "")
        assert cell(row[1]).replace(" ", "") == cell(program["summary"]).replace(" ", "")


def test_contents_page_numbers_are_the_printed_ones(sample):
    document, booklet, _ = sample
    entries = booklet.contents()
    measures = sum(len(g["measures"]) for p in document["policies"] for g in p.get("stages") or [p])
    assert len(entries) == measures + len(document["policies"]) + 1  # and the appendix
    for title, number in entries:
        heading = title.split()[-1]
        first = next(
            n for n, text in zip(booklet.numbers, booklet.texts, strict=False) if n is not None and heading in text
        )
        assert number == first, (title, number, first)
    numbered = [n for n in booklet.numbers if n is not None]
    assert numbered == list(range(1, len(numbered) + 1))
    assert booklet.numbers[:2] == [None, None]  # cover and contents carry no number


def test_contents_over_two_pages(tmp_path):
    booklet, _ = build(make_document(60, 1), tmp_path / "toc.pdf")
    assert booklet.numbers[:4] == [None, None, None, 1]
    entries = booklet.contents()
    assert len(entries) == 63  # 2 基本施策, 60 個別施策 and the appendix
    for title, number in entries:
        first = next(
            n for n, text in zip(booklet.numbers, booklet.texts, strict=False) if n and title.split()[-1] in text
        )
        assert number == first, title


def test_header_repeats_on_continued_pages_and_long_row_splits(sample):
    _, booklet, _ = sample
    split = [n for n, row in booklet.rows if "長い概要の" in cell(row[1])]
    assert len(set(split)) >= 2  # the 90-line row runs over more than one page
    for number in set(split):
        text = booklet.texts[booklet.numbers.index(number)]
        assert "事業・取組名称" in text and "実績 (令和6年度)" in text
    lines = "".join(cell(row[1]) for _, row in booklet.rows if "長い概要の" in cell(row[1]))
    assert all(f"長い概要の{i}行目" in lines for i in range(1, 91))


@pytest.mark.parametrize("rows, long_program", [(1, None), (3, None), (4, 5), (6, 7), (7, 13)])
def test_headings_stay_with_their_table_and_no_page_is_blank(tmp_path, rows, long_program):
    document = make_document(8, rows, long_program=long_program)
    booklet, _ = build(document, tmp_path / "h.pdf")
    body = [(n, text) for n, text in zip(booklet.numbers, booklet.texts, strict=False) if n is not None]
    # the colophon closes the last page, or takes a page of its own when the last is full
    colophon_only = [n for n, text in body if "事業・取組名称" not in text]
    assert colophon_only in ([], [body[-1][0]]) and "発行日" in body[-1][1]
    body = [(n, text) for n, text in body if n not in colophon_only]
    by_id = {p["id"]: p for p in document["programs"]}
    for policy in document["policies"]:
        for group in policy.get("stages") or [policy]:
            for measure in group["measures"]:
                page = next(text for _, text in body if measure["title"] in text)
                first = by_id[measure["placements"][0]["program"]]["name"]
                assert first in page.split(measure["title"], 1)[1], measure["title"]


def test_extracted_lines_keep_kinsoku_and_whole_numbers(sample):
    _, booklet, _ = sample
    summary = next(row[1] for _, row in booklet.rows if row[1] and row[1].startswith("来場者数は"))
    lines = summary.split("\n")
    assert len(lines) > 3
    for line in lines[1:]:
        assert line[0] not in "、。，．」）』】〕・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々", line
    for line in lines[:-1]:
        assert line[-1] not in "「（『【〔", line
    assert summary.count("104,400人") == 3 and summary.count("1,364人") == 3 and summary.count("ReportLab") == 3


def test_no_nul_and_metadata(sample):
    _, booklet, report = sample
    assert all("\x00" not in text for text in booklet.texts)
    assert booklet.metadata["Title"] == "「旭川市こども計画」関連事業・取組一覧（令和6年度）"
    assert booklet.metadata["Author"] == "旭川市" and booklet.metadata["Subject"]
    assert booklet.catalog["Lang"] == b"ja-JP"
    assert report.pages == len(booklet.texts)
    cover = booklet.texts[0]
    assert "「旭川市こども計画」関連事業・取組一覧" in cover and "旭川市" in cover and "令和6年度" in cover


def test_outline_has_every_heading(sample):
    _document, booklet, _ = sample
    with pdfplumber.open(booklet.path) as pdf:
        titles = [title for _, title, *_ in pdf.doc.get_outlines()]
    assert titles[0] == "目次"
    assert "（ライフステージを通して）" in titles
    assert sum(t.startswith("個別施策") for t in titles) == 6 and sum(t.startswith("■基本施策") for t in titles) == 2


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_fonts_embedded_with_unicode_maps(sample):
    _, booklet, report = sample
    assert report.embedded_font
    output = subprocess.run(["pdffonts", str(booklet.path)], capture_output=True, text=True, check=True).stdout
    fonts_ = output.splitlines()[2:]
    assert fonts_
    for line in fonts_:
        emb, sub, uni = line.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
    assert "Helvetica" not in output and "ZapfDingbats" not in output


def test_seeded_contents_settles_in_two_passes(monkeypatch):
    from kodomo_desktop.booklet.pages import BookletTemplate

    passes = []
    original = BookletTemplate.build_passes
    monkeypatch.setattr(BookletTemplate, "build_passes", lambda self, story: passes.append(original(self, story)))
    build_booklet(make_document(8, 4), io.BytesIO())
    assert passes == [2]


def test_same_document_same_bytes(sample, tmp_path):
    document, booklet, _ = sample
    again = io.BytesIO()
    build_booklet(document, again, BookletOptions(issue_date=ISSUED))  # a draft's cover dates the build
    assert again.getvalue() == booklet.bytes


def test_draft_mark_follows_status_and_option(tmp_path):
    def mark_on_every_page(document, **options):
        booklet, _ = build(document, tmp_path / "d.pdf", **options)
        return [text.splitlines()[0] == "案" for text in booklet.texts]

    assert all(mark_on_every_page(make_document(3, 2, status="draft")))
    assert not any(mark_on_every_page(make_document(3, 2, status="published")))
    assert all(mark_on_every_page(make_document(3, 2, status="published"), draft=True))


def test_cid_fallback_when_no_truetype_font(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path / "no-fonts"])
    booklet, report = build(make_document(3, 2), tmp_path / "cid.pdf")
    assert report.embedded_font is None
    assert any("埋め込まれていない" in w for w in report.warnings)
    assert "テスト事業1" in "".join(booklet.texts)


IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


@pytest.mark.skipif(not IPAEX.exists(), reason="IPAexGothic (fonts-ipaexfont-gothic) is not installed")
def test_configured_font_is_used(tmp_path):
    booklet, report = build(make_document(3, 2), tmp_path / "ipa.pdf", font_path=str(IPAEX))
    assert report.embedded_font == "IPAexGothic"
    with pdfplumber.open(booklet.path) as pdf:
        assert {c["fontname"].split("+")[-1] for c in pdf.pages[3].chars} == {"IPAexGothic"}


def test_missing_glyph_is_reported_with_program_and_field(tmp_path):
    document = make_document(3, 2)
    document["programs"][1]["results"] = "𠮷野家で実施"
    _, report = build(document, tmp_path / "g.pdf")
    warning = next(w for w in report.warnings if "U+20BB7" in w)
    assert "T0002" in warning and "テスト事業2" in warning and "実績" in warning


def test_cancel_writes_nothing(tmp_path):
    path = tmp_path / "c.pdf"
    path.write_bytes(b"previous")
    calls = iter(range(1000))
    with pytest.raises(BuildCancelled):
        build_booklet(make_document(), path, cancel=lambda: next(calls) > 20)
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["c.pdf"]


def test_progress_reaches_total(tmp_path):
    seen = []
    build_booklet(make_document(), io.BytesIO(), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) > 6
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_portrait_a3_builds(tmp_path):
    booklet, _report = build(make_document(3, 2), tmp_path / "a3.pdf", paper="A3", landscape=False)
    with pdfplumber.open(booklet.path) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (842, 1191)


def run_command(tmp_path, document, *argv):
    """The command with a stand-in for the CLI's context (--force: validation needs a database)."""
    parser = __import__("argparse").ArgumentParser()
    command.add_arguments(parser)
    args = parser.parse_args([*argv, "--force"])
    out, err = io.StringIO(), io.StringIO()
    ctx = SimpleNamespace(document=lambda year: document, out=out, err=err)
    return command.run(args, ctx), out.getvalue(), err.getvalue()


def test_command_writes_pdf_and_reports(tmp_path):
    document = make_document(3, 2)
    document["programs"][0]["name"] += "𠮷"
    target = tmp_path / "out.pdf"
    code, out, err = run_command(tmp_path, document, "-o", str(target), "--draft")
    assert code == 0 and target.read_bytes().startswith(b"%PDF")
    assert str(target) in out and "ページ" in out and "埋め込み" in out
    assert "U+20BB7" in err


def test_command_bad_input_exit_2(tmp_path):
    code, _, err = run_command(
        tmp_path, make_document(3, 2), "-o", str(tmp_path / "x.pdf"), "--font", str(tmp_path / "none.ttf")
    )
    assert code == 2 and "フォント" in err
    code, _, err = run_command(tmp_path, {"format": "other"}, "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and "kodomo-edition/1" in err
    assert not (tmp_path / "x.pdf").exists()


def test_seed_edition_booklet(tmp_path):
    import json

    document = json.loads(SEED_EDITION.read_text(encoding="utf-8"))
    booklet, report = build(document, tmp_path / "seed.pdf")
    assert report.embedded_font and not [w for w in report.warnings if "U+" in w]
    # a line may break at a space, which the line then drops
    names = [cell(row[0]).replace(" ", "") for _, row in booklet.rows if not continued(row)]
    expected = [
        (
            ("【再掲】" if relisted else "")
            + normalize(program["name"])  # printed as typography normalizes it
            + (f"通称:{normalize(program['alias'])}" if program.get("alias") else "")
        ).replace(" ", "")
        for program, relisted in placements_in_order(document)
    ]
    assert names == expected
    for title, number in booklet.contents():
        heading = re.sub(r"\s", "", title)[-12:]
        first = next(
            n
            for n, text in zip(booklet.numbers, booklet.texts, strict=False)
            if n and heading in re.sub(r"\s", "", text)
        )
        assert number == first, title


def test_ended_programs_are_not_printed(tmp_path):
    document = make_document(measures=2, rows=3)
    ended = document["programs"][0]
    ended["status"] = "終了"
    booklet, _ = build(document, tmp_path / "ended.pdf")
    names = [row[0] for _, row in booklet.rows]
    assert not any(ended["name"] in name for name in names)
    assert any(document["programs"][1]["name"] in name for name in names)
