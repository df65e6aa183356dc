from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "（開発用）原資料のテキストから埋め込みの令和6年度版と照合レポートを作り直す"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source", metavar="SOURCE_TXT", nargs="?", help="原資料のテキスト（省略時はリポジトリの source-list/000_….txt）"
    )
    parser.add_argument("-o", "--output-dir", metavar="DIR", help="出力先（省略時はパッケージの db/seed）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kodomo_desktop.core import locations
    from kodomo_desktop.core.errors import InvalidInput
    from kodomo_desktop.core.seed.report import build_seed_files
    from kodomo_desktop.core.seed.source import SOURCE_LIST

    source = Path(args.source) if args.source else SOURCE_LIST
    if not source.is_file():  # the default is a checkout's file: an installed app has no source-list/
        raise InvalidInput(f"原資料 {source} がありません。SOURCE_TXT に原資料のテキストを指定してください。")
    out_dir = Path(args.output_dir) if args.output_dir else locations.seed_edition_path().parent
    for path in build_seed_files(source, out_dir):
        ctx.out.write(f"{path}\n")
    return 0
