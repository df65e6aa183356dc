"""`kodomo-desktop booklet`: print one edition's booklet to a PDF file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版の冊子（PDF）を作成する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, metavar="Y", help="年度（西暦、例: 2024）。省略すると最新の年度版")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="書き出す PDF ファイル")
    parser.add_argument("--draft", action="store_true", help="公開済みの年度版にも「案」の印を付ける")
    parser.add_argument("--paper", choices=("A4", "A3"), default="A4", help="用紙（既定: A4）")
    orientation = parser.add_mutually_exclusive_group()
    orientation.add_argument("--landscape", dest="landscape", action="store_true", default=True, help="横向き（既定）")
    orientation.add_argument("--portrait", dest="landscape", action="store_false", help="縦向き")
    parser.add_argument(
        "--font", metavar="PATH", help="使う TrueType フォント（既定: BIZ UDゴシック、IPAexゴシックの順に探す）"
    )
    parser.add_argument("--force", action="store_true", help="検証でエラーがある年度版でも作成する")


def run(args: argparse.Namespace, ctx: Context) -> int:
    # ReportLab is imported here, not at module level, so that `--help` stays fast.
    from kodomo_desktop.booklet import BookletOptions, build_booklet
    from kodomo_desktop.core.errors import KodomoError

    options = BookletOptions(
        paper=args.paper,
        landscape=args.landscape,
        draft=True if args.draft else None,
        font_path=args.font,
    )
    document = ctx.document(args.year)
    if not args.force and (refusal := _validation_refusal(ctx, document["fiscal_year"])):
        ctx.err.write(refusal)
        return 1
    try:
        report = build_booklet(document, args.output, options)
    except KodomoError as e:
        ctx.err.write(f"エラー: {e.message}\n")
        return e.exit_code
    except OSError as e:
        ctx.err.write(f"エラー: {args.output} に書き込めません: {e.strerror or e}\n")
        return 2
    for warning in report.warnings:
        ctx.err.write(f"警告: {warning}\n")
    font = f"{report.embedded_font}（埋め込み）" if report.embedded_font else "HeiseiKakuGo-W5（埋め込みなし）"
    ctx.out.write(f"{args.output} を作成しました: {report.pages}ページ、フォント {font}\n")
    return 0


def _validation_refusal(ctx: Context, fiscal_year: int) -> str:
    """Why the booklet is not built: the edition's validation errors ("" when there are none)."""
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.validation import blocking_message, validate_edition

    errors = validate_edition(ctx.db, fiscal_year).errors
    if not errors:
        return ""
    message = blocking_message(era_label(fiscal_year), errors, "冊子を作成")
    return f"エラー: {message}\nエラーがあっても作成するときは --force を付けてください。\n"
