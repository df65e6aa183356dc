"""Builds the one-folder bundle packaging/dist/kodomo-desktop (see packaging/README.md).

    uv run --group packaging python packaging/build.py [--font FILE ... | --no-font]

Unless told otherwise, a freely redistributable Japanese font found on this machine
goes into the bundle, so that every PC prints the booklet with the same embedded font.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from kodomo_desktop.booklet.fonts import system_font_dirs

PACKAGING = Path(__file__).resolve().parent
SPEC = PACKAGING / "kodomo-desktop.spec"

# Only the files published under a free licence: BIZ UDGothic as released under the
# SIL OFL (Google Fonts, Debian's fonts-morisawa-bizud-gothic) and IPAexGothic. The
# BIZ-UDGothicR.ttc that comes with Windows is licensed with Windows: never bundle it.
FONT_FAMILIES = (("BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf"), ("ipaexg.ttf",))


def find_font_family() -> list[Path]:
    """The files of the first family found, the booklet's order of preference; [] if none."""
    found: dict[str, Path] = {}
    wanted = {name for family in FONT_FAMILIES for name in family}
    for root in system_font_dirs():
        for folder, _subdirs, files in os.walk(root):
            for name in wanted.intersection(files):
                found.setdefault(name, Path(folder) / name)
    for family in FONT_FAMILIES:
        if family[0] in found:
            return [found[name] for name in family if name in found]
    return []


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    fonts = parser.add_mutually_exclusive_group()
    fonts.add_argument("--font", action="append", type=Path, help="bundle this font file (repeat for its bold)")
    fonts.add_argument("--no-font", action="store_true", help="bundle no font (the booklet falls back to a CID font)")
    parser.add_argument("--dist", type=Path, default=PACKAGING / "dist", help="output folder (default packaging/dist)")
    parser.add_argument("--work", type=Path, default=PACKAGING / "build", help="PyInstaller's work folder")
    args = parser.parse_args(argv)

    font_files = [] if args.no_font else args.font or find_font_family()
    for font in font_files:
        if not font.is_file():
            parser.error(f"no font file {font}")
    print("font:", ", ".join(map(str, font_files)) or "none (the booklet will use the CID fallback)")

    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(args.dist),
        "--workpath",
        str(args.work),
    ]
    command += ["--", *(arg for font in font_files for arg in ("--font", str(font.resolve())))]
    if built := subprocess.run(command).returncode:
        return built

    bundle = args.dist / "kodomo-desktop"
    print(f"bundle: {bundle} ({folder_size(bundle) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
