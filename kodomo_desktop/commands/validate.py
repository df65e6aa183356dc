"""`kodomo-desktop validate`: an edition's (or a document's) findings; exit 1 when any is an error."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from kodomo_desktop.commands import year_argument

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context
    from kodomo_desktop.core.validation import Finding, Typesetting

# (year, findings shown, how many acknowledged are hidden, checks skipped)
Checked = tuple[int, list["Finding"], int, tuple[str, ...]]

HELP = "年度版を検証し、エラー・警告・提案を表示する（エラーがあれば終了コード 1）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_argument, metavar="Y", help="年度（西暦、例: 2024）。省略すると最新の年度版"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="出力形式（既定: text）")
    parser.add_argument(
        "--file",
        metavar="EDITION.json",
        help="データベースの年度版の代わりに kodomo-edition/1 の文書を検証する（取り込む前の確認）",
    )
    parser.add_argument(
        "--publishing", action="store_true", help="公開前の検査として実行する（実績が空の事業が多すぎる版も警告）"
    )


def _typesetting(fiscal_year: int) -> Typesetting:
    from kodomo_desktop.core.validation import Typesetting

    try:
        from kodomo_desktop.booklet.typesetting import typesetting
    except ImportError as exc:  # a build without the booklet: the rest of the checks still run
        return Typesetting.unknown(f"冊子の機能を読み込めません: {exc}")
    return typesetting(fiscal_year)


def _document_findings(args: argparse.Namespace, ctx: Context) -> Checked:
    """A document's contradictions (that an import refuses) and every finding of its rules, in one run;
    only a file that is not a kodomo-edition/1 document at all stops it."""
    from kodomo_desktop.core.divisions import read_master
    from kodomo_desktop.core.interchange import contradictions, read_document
    from kodomo_desktop.core.validation import Finding, Severity, fingerprint, validate_view, view_from_document

    doc = read_document(args.file)
    typesetting = _typesetting(doc["fiscal_year"])
    with ctx.db.read() as session:
        view = view_from_document(doc, read_master(session))
    findings = validate_view(view, typesetting, publishing=args.publishing)
    reported = {(f.code, f.program) for f in findings}
    contradicting = [
        Finding(
            "document.contradiction",
            Severity.ERROR,
            f"{c.where}: {c.message}。",
            c.program,
            None,
            fingerprint(c.message),
            view.names.get(c.program, "") if c.program else "",
        )
        for c in contradictions(doc)
        if (c.rule, c.program) not in reported
    ]
    return doc["fiscal_year"], [*contradicting, *findings], 0, typesetting.skipped


def _edition_findings(args: argparse.Namespace, ctx: Context) -> Checked:
    from kodomo_desktop.core.validation import validate_edition

    year = ctx.year()
    report = validate_edition(ctx.db, year, _typesetting(year), publishing=args.publishing)
    return year, list(report.findings), len(report.acknowledged), report.skipped


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.fields import FIELD_LABELS
    from kodomo_desktop.core.validation import Severity

    year, findings, acknowledged, skipped = (_document_findings if args.file else _edition_findings)(args, ctx)
    for note in skipped:
        ctx.err.write(f"注意: {note}\n")
    if args.format == "json":
        ctx.out.write(json.dumps({"findings": [f.to_json() for f in findings]}, ensure_ascii=False, indent=2) + "\n")
    else:
        counts = "、".join(f"{s.label} {sum(f.severity is s for f in findings)}件" for s in Severity)
        kept = f"（確認済み {acknowledged}件は表示していません）" if acknowledged else ""
        ctx.out.write(f"{era_label(year)}版: {counts}{kept}\n")
        for f in findings:
            field = f" {FIELD_LABELS[f.field]}:" if f.field in FIELD_LABELS else ""
            ctx.out.write(f"[{f.severity.label}] {f.where}{field} {f.message} ({f.code})\n")
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0
