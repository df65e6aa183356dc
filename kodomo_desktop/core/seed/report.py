"""The embedded FY2024 edition's files: built from the source list, shipped in db/seed/.

edition-2024.json is the edition exactly as `export-json` writes it; report-2024.json
holds every reconciliation decision the parser made, printed by `seed-report`.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from kodomo_desktop.core import locations
from kodomo_desktop.core.files import write_text_atomic
from kodomo_desktop.core.seed.parser import SeedNote, format_report, parse_source


def canonical_document(document: dict) -> dict:
    """The parser's document as the database gives it back (the form every export has)."""
    from kodomo_desktop.core.interchange import export_document, import_document
    from kodomo_desktop.core.opening import open_database

    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "seed.sqlite"), seed=False)
        try:
            import_document(db, document, source="seed")
            return export_document(db, document["fiscal_year"])
        finally:
            db.dispose()


def build_seed_files(source: Path, out_dir: Path) -> list[Path]:
    from kodomo_desktop.core.interchange import dump_document

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
