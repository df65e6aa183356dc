from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context
    from kodomo_desktop.core.yeardiff import YearDiff

HELP = "二つの年度版を比較する（事業の追加・終了・名称変更、項目の変更、掲載の変更、施策体系の変更）"

FORMATS = ("text", "json", "xlsx")
# kept here so that --help needs no import of the comparison; tests check they match core.yeardiff
KINDS = ("added", "ended", "renamed", "fields", "placements", "policy")
FIELDS = ("name", "alias", "summary", "targets", "divisions", "results")


def field_name(value: str) -> str:
    """A field as given on the command line: its key (results) or its label (実績)."""
    from kodomo_desktop.core.fields import FIELD_LABELS

    by_label = {label: key for key, label in FIELD_LABELS.items() if key in FIELDS}
    key = by_label.get(value, value)
    if key not in FIELDS:
        names = "、".join(f"{k}（{FIELD_LABELS[k]}）" for k in FIELDS)
        raise argparse.ArgumentTypeError(f"項目「{value}」はありません。使える項目: {names}")
    return key


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="from_year", type=year_argument, required=True, metavar="YEAR", help="比較元の年度（西暦）"
    )
    parser.add_argument(
        "--to", dest="to_year", type=year_argument, required=True, metavar="YEAR", help="比較先の年度（西暦）"
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="出力形式（既定: text）")
    parser.add_argument(
        "--kind",
        action="append",
        choices=KINDS,
        default=[],
        help="この種類の変更だけを出す（複数指定可）: added 追加、ended 終了、renamed 名称変更、"
        "fields 内容の変更、placements 掲載の変更、policy 施策体系の変更",
    )
    parser.add_argument(
        "--field",
        action="append",
        type=field_name,
        default=[],
        metavar="FIELD",
        help="名称・内容の変更のうち、この項目だけを出す（複数指定可。results または 実績 のように指定）",
    )
    parser.add_argument(
        "--exclude-field",
        action="append",
        type=field_name,
        default=[],
        metavar="FIELD",
        help="名称・内容の変更のうち、この項目を除く（例: --exclude-field results で実績を除く）",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="出力ファイル（xlsx では必須。省略時は標準出力）")


def render_text(diff: YearDiff) -> str:
    from kodomo_desktop.core.yeardiff import field_summary, sections, title_of

    lines = [title_of(diff)]
    if not diff:
        lines.append("違いはありません。")
    elif summary := field_summary(diff):
        lines.append(f"項目別: {summary}")
    for section in sections(diff):
        if not section.rows:
            continue
        lines.append(f"\n■ {section.title}（{len(section.rows)}件）")
        for row in section.rows:
            for i, (header, value) in enumerate(zip(section.headers, row, strict=True)):
                bullet = "  - " if i == 0 else "    "
                # continuation lines of a multi-line value stay under its header
                lines.append(bullet + f"{header}: " + value.replace("\n", "\n      "))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json

    from kodomo_desktop.core.errors import InvalidInput
    from kodomo_desktop.core.yeardiff import DiffFilter, compare_editions

    if args.format == "xlsx" and not args.output:
        raise InvalidInput("--format xlsx のときは -o FILE で保存先を指定してください。")
    wanted = DiffFilter.of(args.kind, args.field, args.exclude_field)
    diff = wanted.apply(compare_editions(ctx.db, args.from_year, args.to_year))
    if args.format == "xlsx":
        from kodomo_desktop.excel.diff_report import write_diff_report

        write_diff_report(diff, args.output)
        ctx.err.write(f"比較結果を保存しました: {args.output}\n")
        return 0
    text = (
        render_text(diff) if args.format == "text" else json.dumps(diff.as_dict(), ensure_ascii=False, indent=2) + "\n"
    )
    ctx.write_output(text)
    return 0
