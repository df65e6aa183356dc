from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "データベースのバックアップの一覧（日時・理由・大きさ・中の年度版）。--prune で古いものを整理する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--prune", action="store_true", help="保存の方針にしたがって古いバックアップを削除する")
    parser.add_argument(
        "--keep-last",
        type=int,
        metavar="N",
        help="--prune で残す最新の件数（既定 20、環境変数 KODOMO_BACKUP_KEEP_LAST）",
    )
    parser.add_argument(
        "--keep-months",
        type=int,
        metavar="M",
        help="--prune で月ごとに一つ残す月数（既定 24、環境変数 KODOMO_BACKUP_KEEP_MONTHS）",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.backup_files import KeepPolicy
    from kodomo_desktop.core.backups import list_backups, no_backups_text, prune_backups
    from kodomo_desktop.core.errors import InvalidInput

    db = ctx.db
    if args.prune:
        policy = KeepPolicy.from_environment()
        if (args.keep_last or 0) < 0 or (args.keep_months or 0) < 0:
            raise InvalidInput("--keep-last と --keep-months には 0 以上の数を指定してください。")
        policy = KeepPolicy(
            policy.last if args.keep_last is None else args.keep_last,
            policy.months if args.keep_months is None else args.keep_months,
        )
        removed = prune_backups(db, policy)
        ctx.err.write(f"古いバックアップを {len(removed)}件削除しました。\n")
    backups = list_backups(db)
    if not backups:
        ctx.out.write(f"{no_backups_text(db)}\n")
        return 0
    for b in backups:
        ctx.out.write(f"{b.time:%Y-%m-%d %H:%M:%S}\t{b.reason}\t{b.size_text}\t{b.contents}\t{b.path}\n")
    return 0
