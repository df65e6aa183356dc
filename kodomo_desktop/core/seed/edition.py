"""The FY2024 edition (kodomo-edition/1) from the source list, the text of the printed booklet.

Reading (source.py), then each reconciliation step in turn; every decision on the way is a
SeedNote (notes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kodomo_desktop.core.seed.notes import Decisions, SeedNote
from kodomo_desktop.core.seed.reconcile import fill_missing_divisions, group_programs, program_document
from kodomo_desktop.core.seed.source import SOURCE_NAME, read_divisions, read_source, source_error
from kodomo_desktop.core.seed.target_slots import resolve_target_slots
from kodomo_desktop.core.seed.typos import fix_division_typos
from kodomo_desktop.core.targets import TARGETS


@dataclass(frozen=True)
class SeedResult:
    document: dict[str, Any]  # a kodomo-edition/1 document
    notes: list[SeedNote]  # the summary first, then every decision in source order


def parse_source(text: str, source_name: str = SOURCE_NAME) -> SeedResult:
    """The source list's text -> the edition document and every reconciliation decision."""
    decisions = Decisions()
    source = read_source(text, source_name, decisions)
    programs = group_programs(source.rows, decisions)
    resolve_target_slots(source.rows, decisions)
    read_divisions(source)
    fix_division_typos(source.rows, decisions)
    fill_missing_divisions(programs, decisions)
    documents = [program_document(pid, copies, decisions) for pid, copies in programs.items()]
    if len(source.years) != 1:
        raise source_error(source_name, 1, f"表の見出しの実績の年度が{len(source.years)}通りあります（1つのはず）")
    (fiscal_year,) = source.years
    relisted = sum(p["relisted"] for m in source.measures for p in m.doc["placements"])
    counts = f"事業 {len(programs)}件、掲載 {len(source.rows)}件（うち【再掲】{relisted}件）"
    summary = SeedNote("summary", f"{source_name} から{counts}を読み込みました。")
    document = {
        "format": "kodomo-edition/1",
        "fiscal_year": fiscal_year,
        "title": source.title,
        "status": "draft",
        "targets": list(TARGETS),
        "policies": source.policies,
        "programs": documents,
    }
    return SeedResult(document, [summary, *sorted(decisions.notes, key=lambda n: n.line or 0)])
