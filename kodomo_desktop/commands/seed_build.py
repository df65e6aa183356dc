from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "（開発用）原資料のテキストから埋め込みの令和6年度版と照合レポートを作り直す"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SOURCE_TXT", help="原資料のテキスト（shared/seed/000_….txt）")
    parser.add_argument("-o", "--output-dir", metavar="DIR", help="出力先（省略時はパッケージの db/seed）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kodomo_desktop.core import locations
    from kodomo_desktop.core.seed.report import build_seed_files

    out_dir = Path(args.output_dir) if args.output_dir else locations.seed_edition_path().parent
    for path in build_seed_files(Path(args.source), out_dir):
        ctx.out.write(f"{path}\n")
    return 0
