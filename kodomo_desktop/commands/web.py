"""`kodomo-desktop web`: write one edition's web edition (static HTML pages) to a folder."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版のウェブ版（HTML のページ一式）をフォルダに書き出す"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, metavar="Y", help="年度（西暦、例: 2024）。省略すると最新の年度版"
    )
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="書き出すフォルダ（中身は置き換わります）")
    parser.add_argument(
        "--force", action="store_true", help="空でなく、以前に書き出したウェブ版でもないフォルダでも置き換える"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.web.output import refusal, write_site

    if not args.force and (reason := refusal(args.output)):
        ctx.err.write(f"エラー: {reason}中身を置き換えるときは --force を付けてください。\n")
        return 2
    document = ctx.document(args.year)
    try:
        names = write_site(document, args.output)
    except OSError as e:
        ctx.err.write(f"エラー: {args.output} に書き込めません: {e.strerror or e}\n")
        return 2
    pages = sum(name.endswith(".html") for name in names)
    ctx.out.write(f"ウェブ版を {args.output} に書き出しました: {pages}ページ（入口は index.html）\n")
    return 0
