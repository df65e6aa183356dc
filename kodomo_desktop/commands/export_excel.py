from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版の一覧を冊子の順に Excel の1枚のシートへ書き出す（【再掲】の行も含む。庁内での回覧用）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, help="年度（西暦、例: 2024）。省略時は最新の版")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="書き出す .xlsx ファイル")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.excel.whole_list import write_whole_list

    written = write_whole_list(ctx.document(args.year), args.output)
    ctx.out.write(f"{era_label(written.fiscal_year)}版の一覧（{written.rows}行）を {written.path} に書き出しました。\n")
    return 0
