"""`kodomo-desktop templates`: write one return template per unit."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "各課（または部）に送る回答票（Excel）を作成する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, metavar="Y", help="年度（西暦、例: 2024）。省略すると最新の年度版"
    )
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="回答票を書き出すフォルダ")
    parser.add_argument(
        "--by",
        choices=("division", "department"),
        default="division",
        help="回答票の単位: division（課ごと、既定）または department（部ごと）",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.excel.templates import write_templates

    year = ctx.year()
    try:
        paths = write_templates(ctx.db, year, args.output, by=args.by)
    except OSError as exc:
        ctx.err.write(f"エラー: {args.output} に書き込めません: {exc.strerror or exc}\n")
        return 2
    for path in paths:
        ctx.out.write(f"{path}\n")
    ctx.out.write(f"{era_label(year)}版の回答票を {len(paths)} 件作成しました。\n")
    return 0
