"""Read-only queries returning plain values (no live ORM objects leave a session)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import Edition, Placement, Program


@dataclass(frozen=True)
class EditionInfo:
    id: int
    fiscal_year: int
    title: str
    status: str
    programs: int
    placements: int


def list_editions(db: Database) -> list[EditionInfo]:
    with db.read() as session:
        programs = (
            select(Program.edition_id, func.count().label("n")).group_by(Program.edition_id).subquery()
        )
        placements = (
            select(Program.edition_id, func.count().label("n"))
            .join(Placement, Placement.program_id == Program.id)
            .group_by(Program.edition_id)
            .subquery()
        )
        rows = session.execute(
            select(Edition, func.coalesce(programs.c.n, 0), func.coalesce(placements.c.n, 0))
            .outerjoin(programs, programs.c.edition_id == Edition.id)
            .outerjoin(placements, placements.c.edition_id == Edition.id)
            .order_by(Edition.fiscal_year)
        ).all()
        return [EditionInfo(e.id, e.fiscal_year, e.title, e.status, n_prog, n_place) for e, n_prog, n_place in rows]
