from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版をオープンデータ（placements.csv・programs.csv と列の説明 columns.csv・columns.md）に書き出す"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, help="年度（西暦、例: 2024）。省略時は最新の版")
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="書き出すフォルダ（なければ作成）")
    parser.add_argument("--bom", action="store_true", help="CSV の先頭に BOM を付ける（Excel で開くとき）")
    parser.add_argument("--xlsx", action="store_true", help="同じ表を open-data.xlsx にも書き出す")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.interchange import export_document
    from kodomo_desktop.core.open_data import records, write_open_data

    tables = records(export_document(ctx.db, args.year))
    written = write_open_data(tables, args.output, bom=args.bom, xlsx=args.xlsx)
    ctx.out.write(
        f"{era_label(tables.fiscal_year)}版を書き出しました（掲載 {len(tables.placements)}件、"
        f"事業 {len(tables.programs)}件）:\n"
    )
    for path in written:
        ctx.out.write(f"  {path}\n")
    return 0
