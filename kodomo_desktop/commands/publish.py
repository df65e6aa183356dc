from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "版を公開する（確定版にして編集できなくする。入力チェックでエラーがあるときは公開しない）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, required=True, metavar="YEAR", help="公開する版の年度（西暦、例: 2024）"
    )
    parser.add_argument(
        "--force", action="store_true", help="実績が空の事業が2割を超えていても公開する（回答の取り込み前など）"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.operations.editions import publish

    ctx.notice_if_open_in_window()
    publish(ctx.db, args.year, allow_empty_results=args.force, source="cli")
    ctx.out.write(f"{era_label(args.year)}版を公開しました。冊子は「案」の印なしで作られます。\n")
    return 0
