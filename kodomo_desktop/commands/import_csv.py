from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = (
    "export-csv で書き出した programs.csv（と placements.csv の掲載順）を年度版に取り込む"
    "（不正なファイルは何も変えずに拒否）"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="DIR_OR_FILE", help="export-csv の出力フォルダ、または programs.csv か placements.csv"
    )
    parser.add_argument("--year", type=year_argument, help="年度（西暦）。省略時はファイルの「年度」列の年度")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.open_data_import import apply_csv_import, read_csv_import

    plan = read_csv_import(ctx.db, args.path, args.year)
    label = era_label(plan.fiscal_year)
    if not plan:
        ctx.out.write(f"{label}版と同じ内容です。何も変更していません。\n")
        return 0
    ctx.notice_if_open_in_window()
    backup = ctx.db.backup("before-import-csv")
    if backup:
        ctx.err.write(f"バックアップ: {backup}\n")
    result = apply_csv_import(ctx.db, plan, source=f"import:{Path(args.path).name}")
    ctx.out.write(
        f"{label}版に取り込みました（事業 {len(plan.programs)}件、掲載順 {len(plan.orders)}施策、"
        f"変更 {len(result.changes)}件）。\n"
    )
    return 0
