"""The booklet's Japanese fonts: where they are found, and registered once per process.

A TrueType font is embedded (subset, with a ToUnicode map). Without one the booklet
falls back to ReportLab's built-in CID font, which is not embedded: how it looks
then depends on the PDF viewer, and the caller is told so.
"""

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from kodomo_desktop.booklet import cache_files
from kodomo_desktop.core import locations
from kodomo_desktop.core.errors import InvalidInput

CID_FONT = "HeiseiKakuGo-W5"

# Known faces in order of preference: file name, face inside a .ttc (PostScript
# name), and the file/face of its bold weight. BIZ UDGothic first: a universal
# design face made for public documents (and on Windows 10+ out of the box).
KNOWN_FONTS: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    ("BIZUDGothic-Regular.ttf", None, "BIZUDGothic-Bold.ttf", None),
    ("BIZ-UDGothicR.ttc", "BIZUDGothic-Regular", "BIZ-UDGothicB.ttc", "BIZUDGothic-Bold"),
    ("ipaexg.ttf", None, None, None),
)


@dataclass(frozen=True)
class FontSet:
    regular: str  # registered ReportLab font names
    bold: str
    embedded: str | None  # the face's name; None for the CID fallback
    covers: Callable[[str], bool]  # whether the regular face can draw a character


def system_font_dirs() -> list[Path]:
    """This machine's font folders (packaging/build.py looks for a font to bundle in the same ones)."""
    home = Path.home()
    if sys.platform == "win32":
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if local := os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts")]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [data_home / "fonts", home / ".fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]


def font_dirs() -> list[Path]:
    """Folders searched, in order: the package's own fonts first, so a bundled font wins."""
    return [locations.resources_dir() / "fonts", *system_font_dirs()]


@cache
def _found(dirs: tuple[Path, ...]) -> list[Path]:
    """The known font files in dirs, best first; each folder is walked once per process."""
    wanted = [name for name, *_ in KNOWN_FONTS]
    out = []
    for root in dirs:
        found: dict[str, Path] = {}
        for folder, _subdirs, files in os.walk(root):
            for name in set(wanted).intersection(files):
                found.setdefault(name, Path(folder) / name)
        out += [found[name] for name in wanted if name in found]
    return out


# The glyph tables ReportLab reads from a face's cmap, hmtx and loca: in pure Python,
# about 0.1 s a face and so most of a booklet's start-up; read back from the cache in ms.
_GLYPH_TABLES = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "defaultWidth")


def _glyph_cache_path(face: TTFontFace) -> Path | None:
    """Where this face's glyph tables are cached: one file per font file version, face
    and ReportLab version (None when the font file cannot be looked at)."""
    try:
        stat = os.stat(face.filename)
    except (OSError, TypeError):
        return None
    where = f"{os.path.abspath(face.filename)}|{stat.st_size}|{stat.st_mtime_ns}|{face.name!r}"
    return cache_files.cache_path("fonts", f"{REPORTLAB_VERSION}|{where}")


class _CachedFace(TTFontFace):
    """A TrueType face whose glyph tables come from the cache once this font file has been read."""

    def extractInfo(self, charInfo: int = 1) -> None:
        super().extractInfo(charInfo=0)  # names, header and metrics: cheap
        if not charInfo:
            return
        path = _glyph_cache_path(self)
        if path is not None:
            tables = cache_files.load(path)
            if isinstance(tables, dict) and set(tables) == set(_GLYPH_TABLES):
                self.__dict__.update(tables)
                return
        super().extractInfo(charInfo)
        if path is not None:
            cache_files.store(path, {name: getattr(self, name) for name in _GLYPH_TABLES})


class _CachedTTFont(TTFont):
    """TTFont on a _CachedFace: the same attributes TTFont.__init__ sets, with the face's
    class the only difference (ReportLab builds its TTFontFace inline)."""

    def __init__(self, name: str, filename: str, subfontIndex: int | str = 0) -> None:
        self.fontName = name
        self.face = _CachedFace(filename, subfontIndex=subfontIndex)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[object, object] = WeakKeyDictionary()  # per document
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)


@cache
def _register_ttf(path: Path, face: str | None) -> TTFont:
    # once per process, whatever the number of builds
    font = _CachedTTFont(f"KD-{path.stem}-{face or 0}", str(path), subfontIndex=face or 0)
    pdfmetrics.registerFont(font)
    return font


def _ttf_set(path: Path) -> FontSet:
    """The face in path (by its PostScript name inside a known .ttc), with its bold
    weight when that lies beside it."""
    face, bold_name, bold_face = next(((f, b, bf) for n, f, b, bf in KNOWN_FONTS if n == path.name), (None, None, None))
    regular = bold = _register_ttf(path, face)
    if bold_name and path.with_name(bold_name).exists():
        # a damaged bold file costs the headings their weight, nothing more
        with contextlib.suppress(Exception):
            bold = _register_ttf(path.with_name(bold_name), bold_face)
    cmap = regular.face.charToGlyph
    return FontSet(regular.fontName, bold.fontName, regular.face.name.decode("latin-1"), lambda ch: ord(ch) in cmap)


@cache
def cid_fonts() -> FontSet:
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    # The CID font is addressed in UCS-2: what lies beyond the BMP cannot be drawn.
    return FontSet(CID_FONT, CID_FONT, None, lambda ch: ord(ch) <= 0xFFFF)


def find_fonts(font_path: str | os.PathLike[str] | None = None) -> FontSet:
    """font_path if given (an error if unusable), else the first known face found in
    font_dirs(), else the CID fallback."""
    if font_path is not None:
        path = Path(font_path).expanduser()
        if not path.is_file():
            raise InvalidInput(f"フォントファイル {path} が見つかりません")
        try:
            return _ttf_set(path)
        except Exception as e:
            raise InvalidInput(
                f"フォントファイル {path} を使えません（TrueType アウトラインのフォントが必要です）: {e}"
            ) from e
    for path in _found(tuple(font_dirs())):
        try:
            return _ttf_set(path)
        except Exception:  # unreadable or CFF-outline file: try the next one
            continue
    return cid_fonts()
