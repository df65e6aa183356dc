from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "前年度の版から新年度の版を作成する（作成前にバックアップ、実績は空にして前年度の実績を参考に残す）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="from_year",
        type=year_argument,
        required=True,
        metavar="YEAR",
        help="元の版の年度（西暦、例: 2024）",
    )
    parser.add_argument(
        "--to", dest="to_year", type=year_argument, metavar="YEAR", help="新しい版の年度（省略時は翌年度）"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.operations.rollover import rollover

    to_year = args.to_year if args.to_year is not None else args.from_year + 1
    ctx.notice_if_open_in_window()
    result = rollover(ctx.db, args.from_year, to_year)
    logged = {c.field: c.new for c in result.changes if c.entity == "edition"}
    if logged.get("backup"):
        ctx.err.write(f"バックアップ: {logged['backup']}\n")
    carried = sum(1 for c in result.changes if c.entity == "program" and c.field == "created")
    ended = logged.get("not_carried_over") or []
    ctx.out.write(
        f"{era_label(to_year)}版を{era_label(args.from_year)}版から作成しました（事業 {carried}件を引き継ぎ、"
        f"終了した事業 {len(ended)}件は引き継いでいません）。実績は空欄、前年度の実績は参考として残っています。\n"
    )
    return 0
