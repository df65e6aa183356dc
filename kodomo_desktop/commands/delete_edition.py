from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import stored_year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "作成中の年度版を削除する（削除の前にバックアップ。公開済みの版は削除できない）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=stored_year_argument, required=True, metavar="YEAR", help="削除する版の年度（西暦）"
    )
    parser.add_argument("--yes", action="store_true", help="確認せずに削除する")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.operations.edition_removal import (
        deletable_edition,
        delete_draft_edition,
        deletion_notice,
    )

    notice = deletion_notice(deletable_edition(ctx.db, args.year))
    ctx.out.write(notice + "\n")
    if not ctx.confirmed("削除しますか？", "削除するには --yes を付けて実行してください。"):
        ctx.out.write("削除しませんでした。\n")
        return 0
    ctx.notice_if_open_in_window()
    backup = delete_draft_edition(ctx.db, args.year, source="cli")
    if backup:
        ctx.err.write(f"バックアップ: {backup}\n")
    ctx.out.write(f"{era_label(args.year)}版を削除しました。\n")
    return 0
