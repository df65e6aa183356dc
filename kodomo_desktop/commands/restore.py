from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "バックアップからデータベースを復元する（いまの状態をバックアップしてから置き換える）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "backup", metavar="BACKUP", help="バックアップのファイル（backups/ の中のファイル名だけでもよい）"
    )
    parser.add_argument("--yes", action="store_true", help="確認せずに復元する")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.backups import change_summary, preview_restore, restore

    db = ctx.db
    backup = Path(args.backup)
    if not backup.exists() and db.path is not None and (db.path.parent / "backups" / backup.name).exists():
        backup = db.path.parent / "backups" / backup.name
    ctx.notice_if_open_in_window(replaces_file=True)
    changes = preview_restore(db, backup)
    ctx.out.write(f"{backup} から復元すると:\n")
    for change in changes:
        ctx.out.write(f"  {change_summary(change)}\n")
    refusal = "復元するには --yes を付けて実行してください（データベースが置き換わります）。"
    if not ctx.confirmed("復元しますか？", refusal):
        ctx.out.write("復元しませんでした。\n")
        return 0
    result = restore(db, backup)
    if result.before:
        ctx.err.write(f"復元前の状態のバックアップ: {result.before}\n")
    ctx.out.write(f"{result.restored.name} から復元しました。\n")
    return 0
