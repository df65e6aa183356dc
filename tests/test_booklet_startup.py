"""What `kodomo-desktop booklet` loads at start-up: no module it does not use, and the
font's glyph tables from a cache across processes (the same tables as ReportLab reads)."""

import json
import os
import subprocess
import sys

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from kodomo_desktop.booklet import fonts

TABLES = fonts._GLYPH_TABLES


@pytest.fixture
def font_file():
    found = fonts._found(tuple(fonts.font_dirs()))
    if not found:
        pytest.skip("no known TrueType font on this machine")
    return str(found[0])


def tables(face: TTFontFace) -> dict:
    return {name: getattr(face, name) for name in TABLES}


def test_cached_tables_are_reportlabs(font_file, tmp_path, monkeypatch):
    monkeypatch.setenv("KODOMO_CACHE_DIR", str(tmp_path))
    read = tables(TTFontFace(font_file))
    first = fonts._CachedFace(font_file)  # reads the font, writes the cache
    assert len(list((tmp_path / "fonts").iterdir())) == 1
    second = fonts._CachedFace(font_file)  # from the cache
    assert tables(first) == read
    assert tables(second) == read
    # the same order too: a subset's glyphs follow it
    assert list(second.charToGlyph) == list(read["charToGlyph"])
    assert second.name == first.name and second.ascent == first.ascent


def test_damaged_cache_reads_the_font_again(font_file, tmp_path, monkeypatch):
    monkeypatch.setenv("KODOMO_CACHE_DIR", str(tmp_path))
    fonts._CachedFace(font_file)
    (cached,) = (tmp_path / "fonts").iterdir()
    cached.write_bytes(b"not marshal data")
    assert tables(fonts._CachedFace(font_file)) == tables(TTFontFace(font_file))
    assert cached.read_bytes() != b"not marshal data"  # rewritten


def test_unwritable_cache_still_builds(font_file, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("KODOMO_CACHE_DIR", str(blocker))  # a file: no folder can be made there
    assert tables(fonts._CachedFace(font_file)) == tables(TTFontFace(font_file))


@pytest.mark.parametrize("force", [["--force"], []], ids=["forced", "validated"])
def test_booklet_command_loads_only_what_it_uses(tmp_path, force):
    """On a local SQLite file the edition is read and checked with sqlite3 alone (core.read_only):
    no ORM, no SQLAlchemy, no Alembic."""
    db, pdf = tmp_path / "k.sqlite", tmp_path / "b.pdf"
    subprocess.run([sys.executable, "-m", "kodomo_desktop", "--db", str(db), "editions"], check=True)  # migrate, seed
    script = (
        "import json, sys; from kodomo_desktop.cli import main;"
        f"code = main(['--db', {str(db)!r}, 'booklet', *{force!r}, '-o', {str(pdf)!r}]);"
        "print(json.dumps([code, sorted(sys.modules)]))"
    )
    env = {**os.environ, "KODOMO_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env).stdout
    code, loaded = json.loads(out.splitlines()[-1])
    assert code == 0 and pdf.exists()
    unused = ("alembic", "jsonschema", "openpyxl", "PySide6", "defusedxml", "sqlalchemy")
    assert [m for m in loaded if m.startswith(unused)] == []
    assert "kodomo_desktop.core.validation.rules.divisions" in loaded or force  # it did validate


TEXTS = ["【児童発達支援事業】開所日数 233日", "子育て支援部主幹付、おやこ応援課", "令和7年3月31日現在の利用者数"]


def segment_in_a_process(cache: str) -> tuple[list, int]:
    """The phrases of TEXTS from a new process, and how many it had to segment itself."""
    script = (
        "import json; from kodomo_desktop.booklet import linebreak as lb;"
        f"out = [lb.phrases(t) for t in {TEXTS!r}]; segmented = lb._segmented; lb.keep_phrases();"
        "print(json.dumps([out, segmented]))"
    )
    env = {**os.environ, "KODOMO_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env).stdout
    phrases, segmented = json.loads(out)
    return phrases, segmented


def test_phrases_are_kept_for_the_next_process(tmp_path):
    first, segmented = segment_in_a_process(str(tmp_path))
    assert segmented == len(TEXTS)
    second, segmented = segment_in_a_process(str(tmp_path))
    assert (second, segmented) == (first, 0)


def test_damaged_phrase_cache_segments_again(tmp_path):
    first, _ = segment_in_a_process(str(tmp_path))
    (cached,) = (tmp_path / "phrases").iterdir()
    cached.write_bytes(b"\x00not marshal")
    assert segment_in_a_process(str(tmp_path)) == (first, len(TEXTS))
    assert segment_in_a_process(str(tmp_path)) == (first, 0)  # rewritten
