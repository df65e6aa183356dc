from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context
    from kodomo_desktop.core.database import Database

HELP = "年度版の一覧を表示する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def print_editions(db: Database, out: TextIO) -> None:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.queries import list_editions
    from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS as status

    for e in list_editions(db):
        counts = f"事業 {e.programs}件\t掲載 {e.placements}件"
        out.write(f"{e.fiscal_year}\t{era_label(e.fiscal_year)}\t{status[e.status]}\t{counts}\t{e.title}\n")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import FIRST_YEAR, LAST_YEAR, year_problem
    from kodomo_desktop.core.queries import list_editions

    print_editions(ctx.db, ctx.out)
    for e in list_editions(ctx.db):
        if year_problem(e.fiscal_year) is not None:
            ctx.err.write(
                f"警告: 年度 {e.fiscal_year} の版は範囲（{FIRST_YEAR}〜{LAST_YEAR}）の外です"
                "（以前のバージョンで取り込まれたもの）。"
                f"`kodomo-desktop delete-edition --year {e.fiscal_year}` で削除できます。\n"
            )
    return 0
