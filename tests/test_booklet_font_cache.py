"""The booklet font's glyph tables, cached across processes: the same tables as ReportLab reads."""

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
