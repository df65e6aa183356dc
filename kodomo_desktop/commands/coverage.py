from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context
    from kodomo_desktop.core.coverage import Coverage, CoverageChange

HELP = "対象別の事業数（個別施策ごとに、各対象に届く事業・取組の数）を表にする"

FORMATS = ("text", "json", "csv")
LEADING = ("基本施策", "ライフステージ", "個別施策", "名称")
PROGRAMS = "事業数"
TOTAL = "合計"
STATUS = {"added": "追加", "removed": "削除", "kept": ""}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year_argument, help="年度（西暦、例: 2024）。省略時は最新の版")
    parser.add_argument("--format", choices=FORMATS, default="text", help="出力形式（既定: text）")
    parser.add_argument(
        "--compare",
        type=year_argument,
        metavar="YEAR",
        help="この年度版と比べた増減を出す（例: --compare 2024 で「+2」「-1」）",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="出力ファイル（省略時は標準出力）")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import json

    from kodomo_desktop.core.coverage import compare, coverage

    year = ctx.year()
    matrix = coverage(ctx.document(year))
    if args.compare is not None:
        change = compare(coverage(ctx.document(args.compare)), matrix)
        if args.format == "json":
            text = json.dumps(change.as_dict(), ensure_ascii=False, indent=2) + "\n"
        else:
            text = (render_csv if args.format == "csv" else render_text)(*change_table(change))
    elif args.format == "json":
        text = json.dumps(matrix.as_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = (render_csv if args.format == "csv" else render_text)(*table(matrix))
    ctx.write_output(text)
    return 0


Table = tuple[str, list[str], list[list[str]]]  # title, header, rows (the last is the totals)


def table(matrix: Coverage) -> Table:
    from kodomo_desktop.core.era import era_label

    rows = [
        [str(r.policy), r.stage or "", str(r.measure), r.title, *map(str, r.counts), str(r.programs)]
        for r in matrix.rows
    ]
    rows.append([TOTAL, "", "", "", *map(str, matrix.totals), str(matrix.programs)])
    title = f"{era_label(matrix.fiscal_year)} 対象別の事業数（個別施策ごと。再掲を含み、終了した事業を除く）"
    return title, [*LEADING, *matrix.targets, PROGRAMS], rows


def change_table(change: CoverageChange) -> Table:
    from kodomo_desktop.core.coverage import signed
    from kodomo_desktop.core.era import era_label

    rows = []
    for c in change.rows:
        name = c.row.title + (f"（{STATUS[c.status]}）" if STATUS[c.status] else "")
        r = c.row
        rows.append([str(r.policy), r.stage or "", str(r.measure), name, *map(signed, c.deltas), signed(c.programs)])
    rows.append([TOTAL, "", "", "", *map(signed, change.totals), signed(change.programs)])
    old, new = era_label(change.old.fiscal_year), era_label(change.new.fiscal_year)
    return f"対象別の事業数の増減（{old} → {new}）", [*LEADING, *change.new.targets, PROGRAMS], rows


def render_csv(_title: str, header: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def render_text(title: str, header: list[str], rows: list[list[str]]) -> str:
    """An aligned table; 名称 goes last, so a long title does not push the numbers apart."""
    order = [0, 1, 2, *range(4, len(header)), 3]
    lines = [[line[i] for i in order] for line in [header, *rows]]
    widths = [max(_width(line[k]) for line in lines) for k in range(len(order))]
    numeric = set(range(2, len(order) - 1))
    out = [title]
    for n, line in enumerate(lines):
        cells = []
        for k, cell in enumerate(line):
            pad = " " * (widths[k] - _width(cell))
            cells.append(pad + cell if k in numeric and n else cell + pad)
        out.append("  ".join(cells).rstrip())
        if n == 0 or n == len(lines) - 2:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    """Columns on a terminal: full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
