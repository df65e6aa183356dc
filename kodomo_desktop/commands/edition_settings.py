from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "版の発行者（表紙と奥付の市・部・課）を表示する、または変更する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, required=True, metavar="YEAR", help="版の年度（西暦、例: 2024）")
    parser.add_argument("--city", metavar="TEXT", help="発行者の市（空にはできません。既定: 旭川市）")
    parser.add_argument("--department", metavar="TEXT", help="発行者の部（例: 子育て支援部。空文字で削除）")
    parser.add_argument("--division", metavar="TEXT", help="発行者の課（例: こども政策課。空文字で削除）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.operations.editions import update_edition_settings
    from kodomo_desktop.core.queries import edition_settings

    given = {"issuer_city": args.city, "issuer_department": args.department, "issuer_division": args.division}
    values = {field: value for field, value in given.items() if value is not None}
    if values:
        ctx.notice_if_open_in_window()
        result = update_edition_settings(ctx.db, args.year, values, source="cli")
        ctx.out.write(f"{era_label(args.year)}版の発行者を変更しました。\n" if result else "変更はありません。\n")
    settings = edition_settings(ctx.db, args.year)
    ctx.out.write(
        f"市: {settings.issuer_city}\n部: {settings.issuer_department or '（なし）'}\n"
        f"課: {settings.issuer_division or '（なし）'}\n"
    )
    return 0
