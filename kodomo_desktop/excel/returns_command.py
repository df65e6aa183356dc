"""`kodomo-desktop import-returns`: check returned templates, and with --apply take them in."""

HELP = "返送された回答票（Excel）を確認し、--apply で取り込む（--apply なしでは何も変更しない）"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="回答票のファイル、またはそれを入れたフォルダ")
    parser.add_argument("--year", type=int, metavar="Y", help="取り込み先の年度（西暦）。省略すると最新の年度版")
    parser.add_argument("--apply", action="store_true", help="競合のない変更を取り込む（事前にバックアップを作成）")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="出力の形式（既定: text）")


def run(args, ctx) -> int:
    import json

    from kodomo_desktop.excel.apply import apply_returns, default_plan
    from kodomo_desktop.excel.returns import check_returns

    year = ctx.year()
    results = check_returns(ctx.db, year, args.paths)
    if args.format == "json":
        ctx.out.write(json.dumps({"files": [r.to_json() for r in results]}, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_text(results, ctx.out)
    if args.apply:
        plans = [plan for r in results if (plan := default_plan(r)) is not None]
        report = apply_returns(ctx.db, year, plans)
        if report.backup:
            ctx.err.write(f"バックアップ: {report.backup}\n")
        held = [r.path.name for r in results if r.status == "ok" and r.has_errors]
        if held:
            ctx.err.write(f"エラーのあるファイルは取り込んでいません: {'、'.join(held)}\n")
        ctx.err.write(f"{len(plans)} ファイルから {report.applied} 件の変更を取り込みました。\n")
    elif any(r.changes for r in results):
        ctx.err.write("確認のみで、何も変更していません。取り込むには --apply を付けて実行してください。\n")
    problems = any(r.has_errors or r.conflicts for r in results)
    return 1 if problems or not results else 0


def _print_text(results, out) -> None:
    from kodomo_desktop.core.fields import FIELD_LABELS
    from kodomo_desktop.excel.diff import display_value

    def short(value) -> str:
        text = value.replace("\n", "⏎")
        return text if len(text) <= 60 else text[:59] + "…"

    if not results:
        out.write("回答票が見つかりません。\n")
    for r in results:
        if r.status == "rejected":
            out.write(f"× {r.error}\n\n")
            continue
        head = f"{r.path.name}（{r.unit.name}）: 変更 {len(r.changes)} 件"
        if r.conflicts:
            head += f"、うち競合 {len(r.conflicts)} 件"
        if r.imported_at:
            head += f"（このファイルは {r.imported_at} に取り込み済み）"
        out.write(head + "\n")
        for c in r.changes:
            who = f"{c.program} {c.program_name}" if c.program else f"新規（{c.row}行目）{c.program_name}"
            mark = "[競合] " if c.conflict else ""
            old = display_value(c.field, c.old)
            out.write(
                f"  {mark}{who} {FIELD_LABELS[c.field]}: 「{short(old)}」→「{short(display_value(c.field, c.new))}」\n"
            )
        for i in r.issues:
            where = f"{i.sheet}!{i.cell}" if i.cell else i.sheet
            level = "エラー" if i.severity == "error" else "注意"
            out.write(f"  {level} {where}: {i.message}\n")
        out.write("\n")
