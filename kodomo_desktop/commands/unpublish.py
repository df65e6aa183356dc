from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "版の公開を取り消す（編集できる案に戻す。理由は変更履歴に残る）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, required=True, metavar="YEAR", help="公開を取り消す版の年度（西暦）"
    )
    parser.add_argument("--reason", required=True, metavar="TEXT", help="公開を取り消す理由（変更履歴に残ります）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.operations.editions import unpublish

    ctx.notice_if_open_in_window()
    unpublish(ctx.db, args.year, args.reason, source="cli")
    ctx.out.write(f"{era_label(args.year)}版の公開を取り消しました。冊子には再び「案」の印が付きます。\n")
    return 0
