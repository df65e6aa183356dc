"""The web edition read back with html.parser: every printed program and every tick of the FY2024 edition,
the 【再掲】 links, no external request, lang="ja", determinism; the `web` command's folder rules."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kodomo_desktop.booklet.typography import normalize
from kodomo_desktop.core.listing import is_listed
from kodomo_desktop.core.targets import TARGETS
from tests.web_support import build_fy2024, fy2024_document


class Page(HTMLParser):
    """What the tests read from a page: lang, ids, links and sources, and each program row's cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.ids: list[str] = []
        self.urls: list[str] = []
        self.rows: list[dict] = []  # {"id", "cells": [(tag, attrs, text)], "links": [...]}
        self.headings: list[int] = []
        self._row: dict | None = None
        self._cell: list | None = None
        self._in_programs = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.append(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.urls.append(a[key])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self._in_programs = "programs" in (a.get("class") or "")
        if not self._in_programs:
            return
        if tag == "tr" and self._row is None:
            self._row = {"id": a.get("id"), "cells": [], "links": []}
        elif tag in ("th", "td") and self._row is not None:
            self._cell = [tag, a, ""]
        elif tag == "a" and self._row is not None:
            self._row["links"].append(a["href"])
        elif tag == "span" and self._cell is not None and "line" in (a.get("class") or "") and self._cell[2]:
            self._cell[2] += "\n"

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row["cells"].append(tuple(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row["cells"] and self._row["cells"][0][1].get("scope") == "row":
                self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_programs = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("web")
    names = build_fy2024(out)
    return out, names, {n: parse(out / n) for n in names if n.endswith(".html")}


def booklet_rows(document: dict) -> list[tuple[str, bool]]:
    """(program id, relisted) in booklet order, ended programs left out."""
    listed = {p["id"] for p in document["programs"] if is_listed(p)}
    rows = []
    for policy in document["policies"]:
        for group in policy.get("stages") or [policy]:
            for measure in group.get("measures") or []:
                rows += [(p["program"], p["relisted"]) for p in measure["placements"] if p["program"] in listed]
    return rows


def test_every_printed_program_and_tick_is_in_the_pages_in_booklet_order(site):
    _, names, pages = site
    document = fy2024_document()
    programs = {p["id"]: p for p in document["programs"]}
    rows = [row for name in names if name.startswith("policy-") for row in pages[name].rows]
    expected = booklet_rows(document)
    assert len(rows) == len(expected) == 194
    for row, (program_id, relisted) in zip(rows, expected, strict=True):
        program = programs[program_id]
        name_cell, summary, *rest = row["cells"]
        ticks, results, divisions = rest[: len(TARGETS)], rest[len(TARGETS)], rest[len(TARGETS) + 1]
        assert name_cell[0] == "th" and name_cell[1]["scope"] == "row"
        # the text as the booklet prints it: typography normalized (half-width marks among Japanese full-width)
        assert name_cell[2].startswith(("【再掲】" if relisted else "") + normalize(program["name"]))
        if program.get("alias"):
            assert name_cell[2].endswith("通称:" + normalize(program["alias"]))
        assert [t[1]["data-label"] for t in ticks] == list(TARGETS)
        assert [t[2] == "○対象" for t in ticks] == [t in program["targets"] for t in TARGETS], program_id
        assert all(t[2] in ("○対象", "対象外") for t in ticks)
        assert summary[2] == normalize(program["summary"])
        assert results[2] == (normalize(program["results"]) or "―記載なし")
        assert divisions[2].split("\n") == [
            normalize(" ".join(filter(None, (d["department"], d["division"])))) for d in program["divisions"]
        ]


def test_relisted_rows_link_to_the_primary_listing(site):
    _, _, pages = site
    ids = {name: set(page.ids) for name, page in pages.items()}
    relisted = [
        (name, row) for name, page in pages.items() for row in page.rows if row["cells"][0][2].startswith("【再掲】")
    ]
    assert relisted
    for name, row in relisted:
        (href,) = row["links"]
        page, anchor = href.split("#") if not href.startswith("#") else (name, href[1:])
        assert anchor in ids[page or name], href
        primary = next(r for r in pages[page or name].rows if r["id"] == anchor)
        assert not primary["cells"][0][2].startswith("【再掲】")
    for name, page in pages.items():
        assert len(page.ids) == len(set(page.ids)), name


def test_pages_are_japanese_local_and_headings_never_skip(site):
    out, names, pages = site
    assert names[0] == "index.html" and "style.css" in names
    for name, page in pages.items():
        assert page.lang == "ja"
        for url in page.urls:
            assert "://" not in url and not url.startswith("//"), (name, url)
            target = url.split("#")[0]
            assert not target or (out / target).exists(), (name, url)
        assert page.headings[0] == 1 and page.headings.count(1) == 1
        assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), name
    assert "url(" not in (out / "style.css").read_text(encoding="utf-8")


def test_the_same_document_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    names = build_fy2024(first)
    assert build_fy2024(second) == names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_text_is_escaped_and_ended_programs_are_not_listed(tmp_path, sample_document):
    from kodomo_desktop.web.site import build_site

    program = sample_document["programs"][0]
    program["name"] = '<script>alert("x")</script>&'
    ended = sample_document["programs"][1]
    ended["status"] = "終了"
    build_site(sample_document, tmp_path)
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.html"))
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert ended["name"] not in text


def test_the_index_shows_the_coverage_totals(site):
    from kodomo_desktop.core.coverage import coverage

    out, _, _ = site
    totals = coverage(fy2024_document()).totals
    index = (out / "index.html").read_text(encoding="utf-8")
    footer = index.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "".join(f"<td>{n}</td>" for n in totals) in footer


def run_cli(*argv: str) -> tuple[int, str, str]:
    from kodomo_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_web_command_writes_a_folder_and_refuses_a_foreign_one(seeded_db, tmp_path):
    base = ["--db", str(tmp_path / "seeded.sqlite")]  # the seeded_db fixture's file
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    folder = tmp_path / "site"
    code, out, err = run_cli(*base, "web", "--year", "2024", "-o", str(folder))
    assert (code, err) == (0, "")
    assert "5ページ" in out and (folder / "index.html").exists()
    # a previous web output is replaced without asking, and nothing is left beside it
    (folder / "stale.html").write_text("old", encoding="utf-8")
    assert run_cli(*base, "web", "--year", "2024", "-o", str(folder))[0] == 0
    assert not (folder / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # a folder with other things in it is refused, unless --force
    other = tmp_path / "documents"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    code, _, err = run_cli(*base, "web", "--year", "2024", "-o", str(other))
    assert code == 2 and "--force" in err and (other / "keep.txt").exists()
    assert run_cli(*base, "web", "--year", "2024", "-o", str(other), "--force")[0] == 0
    assert not (other / "keep.txt").exists() and (other / "index.html").exists()


def test_window_action_writes_the_open_edition(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from kodomo_desktop.ui import web_action

    written = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    monkeypatch.setattr(web_action, "_written", lambda _window, folder, pages: written.append((folder, pages)))
    assert window.act.web.isEnabled()
    window.act.web.trigger()
    qtbot.waitUntil(lambda: bool(written), timeout=20000)
    ((folder, pages),) = written
    assert folder.parent == tmp_path and (folder / "index.html").exists()
    assert pages >= 2  # the index and at least one 基本施策
