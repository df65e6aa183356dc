from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "データベースを作成し、令和6年度版（埋め込みの既定データ）を入れる"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="既存のデータベースをバックアップしてから作り直す")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.commands.editions import print_editions
    from kodomo_desktop.core.database import Database
    from kodomo_desktop.core.database_url import SERVER_BACKUPS
    from kodomo_desktop.core.locations import database_target
    from kodomo_desktop.core.opening import open_database, seed_if_empty

    if args.force:
        existing = Database(database_target(args.db))
        backup = existing.backup("before-init") if existing.revision() is not None else None
        existing.wipe()
        existing.dispose()
        if backup:
            ctx.err.write(f"バックアップ: {backup}\n")
        elif existing.path is None:
            ctx.err.write(f"{SERVER_BACKUPS.format(name=existing.display_name)}\n")
    db = open_database(args.db)
    ctx.out.write(f"データベース: {db.display_name}\n")
    if seed_if_empty(db):
        # left so by an interrupted first start of an older version, or every edition deleted
        ctx.err.write("年度版が1つもなかったため、令和6年度版（埋め込みの既定データ）を入れました。\n")
    print_editions(db, ctx.out)
    return 0
