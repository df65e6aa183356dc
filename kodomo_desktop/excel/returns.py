"""Checking returns: the files given (or folders of them) read, checked and diffed, nothing written.

The result of each file is what the command prints, the review screen shows and apply takes.
Returns from several units may change the same shared program: the same value from each
merges, different values are a conflict between the returns (batch_conflicts), which the
office settles per field before anything is applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import Edition, ReturnImport
from kodomo_desktop.core.textdiff import as_json
from kodomo_desktop.excel.diff import EditionState, FieldChange, diff_return, display_value, edition_state
from kodomo_desktop.excel.reading import Issue, read_return
from kodomo_desktop.excel.safe_open import ReturnRejected
from kodomo_desktop.excel.units import Unit

LOCK_FILE_PREFIX = "~$"  # Excel's owner file beside an open workbook


@dataclass
class ReturnResult:
    path: Path
    status: str = "ok"  # ok | rejected
    error: str | None = None
    unit: Unit | None = None
    sha256: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    imported_at: str | None = None  # when this very file was applied before
    unit_programs: list[str] = field(default_factory=list)  # uids the template sent, in its order

    @property
    def has_errors(self) -> bool:
        return self.status == "rejected" or any(i.severity == "error" for i in self.issues)

    @property
    def conflicts(self) -> list[FieldChange]:
        return [c for c in self.changes if c.conflict]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "unit": self.unit.name if self.unit else None,
            "status": self.status,
            "error": self.error,
            "changes": [
                {
                    "program": c.program,
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                    "conflict": c.conflict,
                    "edit_script": as_json(c.edits()),
                }
                for c in self.changes
            ],
            "issues": [
                {"sheet": i.sheet, "cell": i.cell, "severity": i.severity, "code": i.code, "message": i.message}
                for i in self.issues
            ],
        }


@dataclass(frozen=True)
class BatchConflict:
    """One field of one program that several returns read together change to different values."""

    program: str  # uid
    program_name: str
    field: str
    offers: tuple[tuple[ReturnResult, FieldChange], ...]  # each return's change, in file order

    def units(self) -> list[str]:
        return [r.unit.name if r.unit else r.path.name for r, _ in self.offers]

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "program_name": self.program_name,
            "field": self.field,
            "old": self.offers[0][1].old,
            "values": [
                {"file": str(r.path), "unit": unit, "new": c.new}
                for (r, c), unit in zip(self.offers, self.units(), strict=True)
            ],
        }


def batch_conflicts(results: Iterable[ReturnResult]) -> list[BatchConflict]:
    """The fields that two or more returns change to different values (a 備考 is each unit's own: never)."""
    offers: dict[tuple[str, str], list[tuple[ReturnResult, FieldChange]]] = {}
    for r in results:
        if r.status != "ok":
            continue
        for c in r.changes:
            if c.program is not None and c.field != "note":
                offers.setdefault((c.program, c.field), []).append((r, c))
    return [
        BatchConflict(uid, group[0][1].program_name, field, tuple(group))
        for (uid, field), group in offers.items()
        if len({display_value(field, c.new) for _, c in group}) > 1
    ]


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders expanded to their files (each gets a verdict); Excel's ~$ lock files skipped."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", LOCK_FILE_PREFIX)))
        elif not path.name.startswith(LOCK_FILE_PREFIX):
            found.append(path)
    return found


def check_return(path: Path, state: EditionState, imported: dict[str, str]) -> ReturnResult:
    try:
        sheet = read_return(path, state.fiscal_year, state.divisions)
    except ReturnRejected as exc:
        return ReturnResult(path, status="rejected", error=exc.message)
    changes = diff_return(sheet, state)
    return ReturnResult(
        path, "ok", None, sheet.unit, sheet.sha256, changes, sheet.issues, imported.get(sheet.sha256), list(sheet.base)
    )


def check_returns(
    db: Database,
    fiscal_year: int,
    paths: Iterable[str | Path],
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ReturnResult]:
    """Read, check and diff every return against the edition as it is now."""
    files = collect_files(paths)
    state = edition_state(db, fiscal_year)
    imported = imported_files(db, fiscal_year)
    results = []
    for i, path in enumerate(files):
        if cancelled and cancelled():
            break
        if progress:
            progress(i, len(files), path.name)
        results.append(check_return(path, state, imported))
    if progress:
        progress(len(files), len(files), "")
    return results


def imported_files(db: Database, fiscal_year: int) -> dict[str, str]:
    """sha256 -> when that file was applied to the edition."""
    with db.read() as session:
        rows = session.execute(
            select(ReturnImport.sha256, ReturnImport.at)
            .join(Edition, Edition.id == ReturnImport.edition_id)
            .where(Edition.fiscal_year == fiscal_year)
        ).all()
    return dict(rows)
