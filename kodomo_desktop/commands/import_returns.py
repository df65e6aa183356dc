"""`kodomo-desktop import-returns`: check returned templates, and with --apply take them in."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context
    from kodomo_desktop.excel.returns import BatchConflict, ReturnResult

HELP = "返送された回答票（Excel）を確認し、--apply で取り込む（--apply なしでは何も変更しない）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="回答票のファイル、またはそれを入れたフォルダ")
    parser.add_argument(
        "--year", type=year_argument, metavar="Y", help="取り込み先の年度（西暦）。省略すると最新の年度版"
    )
    parser.add_argument("--apply", action="store_true", help="競合のない変更を取り込む（事前にバックアップを作成）")
    parser.add_argument(
        "--prefer",
        action="append",
        default=[],
        metavar="UNIT",
        help="複数の回答が同じ事業の同じ項目を別の値に変えているとき、この所管（例: 「子育て支援部 こども家庭課」）"
        "またはファイル名の回答の値を採る。繰り返すと先に書いたものが優先。"
        "決まらない競合が残ると --apply は何も取り込まずに終了コード 1 で終わる"
        "（同じ値なら競合ではなく、そのまま取り込む）",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json
    from pathlib import Path

    from kodomo_desktop.core.errors import InvalidInput
    from kodomo_desktop.excel.apply import apply_returns, default_plans
    from kodomo_desktop.excel.returns import check_returns

    # a path that is not there is a usage error (exit 2), like a missing JSON file for import-json
    if missing := [p for p in args.paths if not Path(p).exists()]:
        raise InvalidInput(f"{'、'.join(missing)}: ファイルまたはフォルダが見つかりません。")
    year = ctx.year()
    results = check_returns(ctx.db, year, args.paths)
    plans, unsettled = default_plans(results, args.prefer)
    if args.format == "json":
        doc = {"files": [r.to_json() for r in results], "conflicts": [c.to_json() for c in unsettled]}
        ctx.out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_text(results, ctx.out)
        _print_conflicts(unsettled, ctx.out)
    if args.apply and unsettled:
        ctx.err.write(
            f"複数の回答が同じ項目を別の値に変えています（{len(unsettled)} 件）。何も取り込んでいません。"
            "採る回答を --prefer 所管 で指定するか、ウィンドウの「Excel 回答の取り込み」で選んでください。\n"
        )
    elif args.apply:
        ctx.notice_if_open_in_window()
        report = apply_returns(ctx.db, year, plans)
        if report.backup:
            ctx.err.write(f"バックアップ: {report.backup}\n")
        held = [r.path.name for r in results if r.status == "ok" and r.has_errors]
        if held:
            ctx.err.write(f"エラーのあるファイルは取り込んでいません: {'、'.join(held)}\n")
        ctx.err.write(f"{len(plans)} ファイルから {report.applied} 件の変更を取り込みました。\n")
    elif any(r.changes for r in results):
        ctx.err.write("確認のみで、何も変更していません。取り込むには --apply を付けて実行してください。\n")
    problems = unsettled or any(r.has_errors or r.conflicts for r in results)
    return 1 if problems or not results else 0


def _print_conflicts(conflicts: list[BatchConflict], out: TextIO) -> None:
    from kodomo_desktop.core.fields import FIELD_LABELS
    from kodomo_desktop.excel.diff import display_value

    if conflicts:
        out.write(f"回答どうしの競合 {len(conflicts)} 件（--prefer で採る回答を指定）:\n")
    for conflict in conflicts:
        out.write(f"  {conflict.program} {conflict.program_name} {FIELD_LABELS[conflict.field]}\n")
        for (r, c), unit in zip(conflict.offers, conflict.units(), strict=True):
            out.write(f"    {unit}（{r.path.name}）: 「{display_value(conflict.field, c.new)}」\n")
    if conflicts:
        out.write("\n")


def _print_text(results: list[ReturnResult], out: TextIO) -> None:
    from kodomo_desktop.core.fields import FIELD_LABELS
    from kodomo_desktop.core.textdiff import excerpt, marked

    if not results:
        out.write("回答票が見つかりません。\n")
    for r in results:
        if r.status == "rejected":
            out.write(f"× {r.error}\n\n")
            continue
        unit = f"（{r.unit.name}）" if r.unit else ""  # a readable return names its unit
        head = f"{r.path.name}{unit}: 変更 {len(r.changes)} 件"
        if r.conflicts:
            head += f"、うち競合 {len(r.conflicts)} 件"
        if r.imported_at:
            head += f"（このファイルは {r.imported_at} に取り込み済み）"
        out.write(head + "\n")
        for c in r.changes:
            who = f"{c.program} {c.program_name}" if c.program else f"新規（{c.row}行目）{c.program_name}"
            mark = "[競合] " if c.conflict else ""
            # the changed characters marked 【+…】/【-…】, with enough context to find them in a long text
            out.write(f"  {mark}{who} {FIELD_LABELS[c.field]}: 「{marked(excerpt(c.edits()))}」\n")
        for i in r.issues:
            where = f"{i.sheet}!{i.cell}" if i.cell else i.sheet
            level = "エラー" if i.severity == "error" else "注意"
            out.write(f"  {level} {where}: {i.message}\n")
        out.write("\n")
