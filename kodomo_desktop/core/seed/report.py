"""The embedded FY2024 edition's files, built from the source list and shipped in db/seed/, and the report.

edition-2024.json is the edition exactly as `export-json` writes it; report-2024.json
holds every reconciliation decision the parser made, printed by `seed-report`.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kodomo_desktop.core import locations
from kodomo_desktop.core.files import write_text_atomic
from kodomo_desktop.core.seed.edition import parse_source
from kodomo_desktop.core.seed.notes import SeedNote

# Report order and headings.
NOTE_KINDS: dict[str, str] = {
    "summary": "読み込んだ件数",
    "heading_differs": "目次と本文で見出しが違う",
    "primary_missing": "【再掲】のない掲載箇所がない事業",
    "primary_duplicate": "【再掲】のない掲載箇所が2つ以上ある事業",
    "name_variant": "掲載箇所によって名称の書き方が違う事業",
    "copies_differ": "掲載箇所によって内容が違う事業",
    "target_slots_9": "対象欄が9つに分かれていた表",
    "target_slots_7": "対象欄が7つしかなかった表",
    "division_typo": "所管の誤記",
    "division_missing": "所管の記載漏れ",
    "trailing_field": "行末の余分な空欄",
    "html_converted": "HTMLタグの変換",
    "line_breaks_restored": "抽出で失われたセル内の改行の復元",
}


def canonical_document(document: dict[str, Any]) -> dict[str, Any]:
    """The parser's document as the database gives it back (the form every export has)."""
    from kodomo_desktop.core.interchange import export_document, import_document
    from kodomo_desktop.core.opening import open_database

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "seed.sqlite"), seed=False)
        try:
            import_document(db, document, add_divisions=True, source="seed")
            return export_document(db, document["fiscal_year"])
        finally:
            db.dispose()


def build_seed_files(source: Path, out_dir: Path) -> list[Path]:
    from kodomo_desktop.core.edition_sql import dump_document

    result = parse_source(source.read_text(encoding="utf-8"), source.name)
    edition_path = out_dir / locations.seed_edition_path().name
    report_path = out_dir / locations.seed_report_path().name
    write_text_atomic(edition_path, dump_document(canonical_document(result.document)))
    notes = [asdict(note) for note in result.notes]
    write_text_atomic(report_path, json.dumps(notes, ensure_ascii=False, indent=1) + "\n")
    return [edition_path, report_path]


def load_report() -> str:
    notes = json.loads(locations.seed_report_path().read_text(encoding="utf-8"))
    return format_report([SeedNote(**n) for n in notes])


def format_report(notes: Sequence[SeedNote]) -> str:
    """The reconciliation report in Japanese: the summary line, then the notes grouped by kind."""
    by_code: dict[str, list[SeedNote]] = defaultdict(list)
    for note in notes:
        by_code[note.code].append(note)
    out = ["原資料の取り込み報告", ""] + [note.message for note in by_code.pop("summary", [])]
    kinds = list(dict.fromkeys(code for code in [*NOTE_KINDS, *sorted(by_code)] if code in by_code))
    counts = "、".join(f"{NOTE_KINDS.get(code, code)} {len(by_code[code])}件" for code in kinds)
    out.append(
        f"判断・注意事項は{sum(len(by_code[code]) for code in kinds)}件です（{counts}）。"
        if kinds
        else "判断・注意事項はありません。"
    )
    for code in kinds:
        out += ["", f"■ {NOTE_KINDS.get(code, code)}（{len(by_code[code])}件）"]
        out += [f"・{note.message}" for note in by_code[code]]
    return "\n".join(out) + "\n"
