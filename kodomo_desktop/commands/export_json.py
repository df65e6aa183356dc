from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版を kodomo-edition/1 形式の JSON に書き出す（同じデータなら同じバイト列）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, help="年度（西暦、例: 2024）。省略時は最新の版")
    parser.add_argument("-o", "--output", metavar="FILE", help="出力ファイル（省略時は標準出力）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.edition_sql import dump_document

    ctx.write_output(dump_document(ctx.document(args.year)))
    return 0
