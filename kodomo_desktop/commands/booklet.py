"""`kodomo-desktop booklet`: print one edition's booklet to a PDF file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "年度版の冊子（PDF）を作成する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, metavar="Y", help="年度（西暦、例: 2024）。省略すると最新の年度版"
    )
    parser.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="書き出す PDF ファイル")
    parser.add_argument("--draft", action="store_true", help="公開済みの年度版にも「案」の印を付ける")
    parser.add_argument("--paper", choices=("A4", "A3"), default="A4", help="用紙（既定: A4）")
    orientation = parser.add_mutually_exclusive_group()
    orientation.add_argument("--landscape", dest="landscape", action="store_true", default=True, help="横向き（既定）")
    orientation.add_argument("--portrait", dest="landscape", action="store_false", help="縦向き")
    parser.add_argument(
        "--font", metavar="PATH", help="使う TrueType フォント（既定: BIZ UDゴシック、IPAexゴシックの順に探す）"
    )
    parser.add_argument(
        "--proof",
        nargs="?",
        const="previous",
        choices=("previous", "published"),
        help="校正用の冊子を作成する（要確認・不確かな対象・変更箇所に印）。変更の比較の対象: "
        "previous＝前年度の版（既定）、published＝この年度版の前回公開時",
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
        proof=args.proof or "off",
    )
    document = ctx.document(args.year)
    compare_to = None
    if args.proof:
        compare_to = _comparison(ctx, args.proof, document["fiscal_year"])
        if compare_to is None:
            return 2
    if not args.force and (refusal := _validation_refusal(ctx, document)):
        ctx.err.write(refusal)
        return 1
    try:
        report = build_booklet(document, args.output, options, compare_to=compare_to)
    except KodomoError as e:
        ctx.err.write(f"エラー: {e.message}\n")
        return e.exit_code
    except OSError as e:
        ctx.err.write(f"エラー: {args.output} に書き込めません: {e.strerror or e}\n")
        return 2
    for warning in report.warnings:
        ctx.err.write(f"警告: {warning}\n")
    font = f"{report.embedded_font}（埋め込み）" if report.embedded_font else "HeiseiKakuGo-W5（埋め込みなし）"
    kind = "校正用の冊子 " if args.proof else ""
    ctx.out.write(f"{kind}{args.output} を作成しました: {report.pages}ページ、フォント {font}\n")
    return 0


def _comparison(ctx: Context, proof: str, fiscal_year: int) -> dict[str, Any] | None:
    """The document a proof marks its changes against; None (after saying why) when there is none."""
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.errors import NotFound

    if proof == "published":
        from kodomo_desktop.core.edition_sql import published_from

        with ctx.reading() as rows:
            published = published_from(rows, fiscal_year)
        if published is None:
            ctx.err.write(
                f"エラー: {era_label(fiscal_year)}の版はまだ公開されていないため、公開時との比較はできません。"
                "前年度の版と比べるときは --proof previous を指定してください。\n"
            )
        return published
    try:
        return ctx.document(fiscal_year - 1)
    except NotFound:
        ctx.err.write(
            f"エラー: 前年度（{era_label(fiscal_year - 1)}）の版がないため、前年度との比較はできません。"
            "公開時と比べるときは --proof published を指定してください。\n"
        )
        return None


def _validation_refusal(ctx: Context, document: dict[str, Any]) -> str:
    """Why the booklet is not built: the edition's validation errors ("" when there are none).

    The document just read is checked, with the master list read alike: the rules are the ones
    a database edition is checked by, and errors cannot be acknowledged away."""
    from kodomo_desktop.core.divisions import master_from
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.validation import blocking_message, errors, validate_view, view_from_document

    with ctx.reading() as rows:
        master = master_from(rows)
    found = errors(validate_view(view_from_document(document, master)))
    if not found:
        return ""
    message = blocking_message(era_label(document["fiscal_year"]), found, "冊子を作成")
    return f"エラー: {message}\nエラーがあっても作成するときは --force を付けてください。\n"
