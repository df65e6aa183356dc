"""The returns of an edition: which units have returned, when, and which are still outstanding."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import Edition, ReturnImport
from kodomo_desktop.excel.units import edition_units, master_order


@dataclass(frozen=True)
class ReturnRecord:
    at: str
    file_name: str
    changes: int
    user: str


@dataclass(frozen=True)
class UnitReturns:
    unit: str
    programs: int  # programs its template carries; 0 for a unit that no longer has any
    returns: tuple[ReturnRecord, ...]  # oldest first

    @property
    def latest(self) -> ReturnRecord | None:
        return self.returns[-1] if self.returns else None


def returns_overview(db: Database, fiscal_year: int, by: str = "division") -> list[UnitReturns]:
    """Every unit of the edition in master-list order, then any other unit a return came from."""
    units = edition_units(export_document(db, fiscal_year), by, master_order(db))
    with db.read() as session:
        rows = session.execute(
            select(ReturnImport.unit, ReturnImport.at, ReturnImport.file_name, ReturnImport.changes, ReturnImport.user)
            .join(Edition, Edition.id == ReturnImport.edition_id)
            .where(Edition.fiscal_year == fiscal_year)
            .order_by(ReturnImport.at)
        ).all()
    records: dict[str, list[ReturnRecord]] = {}
    for unit, at, file_name, changes, user in rows:
        records.setdefault(unit, []).append(ReturnRecord(at, file_name, changes, user))
    overview = [UnitReturns(unit.name, len(programs), tuple(records.pop(unit.name, ()))) for unit, programs in units]
    overview += [UnitReturns(name, 0, tuple(recs)) for name, recs in records.items()]
    return overview
