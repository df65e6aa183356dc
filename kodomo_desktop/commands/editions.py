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
    print_editions(ctx.db, ctx.out)
    return 0
