"""An edition's document as it is now, and as it was when last published.

`edition_document` is the kodomo-edition/1 document (interchange.export_document reads it
through its own session); publishing stores it beside the edition, so that a proof can
show what changed since.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kodomo_desktop.core.changes import Writer
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import ChangeLog, Division, Edition, Placement, PolicyNode, Program, ProgramDivision
from kodomo_desktop.core.operations.programs import program_document
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.validation.read_model import edition_by_year
from kodomo_desktop.core.vocabulary import DEFAULT_CITY, STAGE

FORMAT = "kodomo-edition/1"


def edition_document(session: Session, edition: Edition, *, dated: bool = False) -> dict[str, Any]:
    """The edition as a kodomo-edition/1 document, read through the caller's session."""
    nodes = session.scalars(
        select(PolicyNode)
        .where(PolicyNode.edition_id == edition.id)
        .order_by(PolicyNode.position)
        .options(selectinload(PolicyNode.children))
    ).all()
    programs = session.scalars(
        select(Program)
        .where(Program.edition_id == edition.id)
        .order_by(Program.uid)
        .options(
            # program_document names each division's department: load them here, not one by one
            selectinload(Program.divisions).selectinload(ProgramDivision.division).selectinload(Division.department),
            selectinload(Program.placements),
        )
    ).all()
    uid_of = {p.id: p.uid for p in programs}
    placements_of: dict[int, list[Placement]] = {}
    for program in programs:
        for placement in program.placements:
            placements_of.setdefault(placement.measure_id, []).append(placement)

    def measure_doc(node: PolicyNode) -> dict[str, Any]:
        rows = sorted(placements_of.get(node.id, []), key=lambda p: p.position)
        return {
            "number": node.number,
            "title": node.title,
            "placements": [{"program": uid_of[p.program_id], "relisted": not p.is_primary} for p in rows],
        }

    def policy_doc(node: PolicyNode) -> dict[str, Any]:
        doc: dict[str, Any] = {"number": node.number, "title": node.title}
        children = node.children
        if children and children[0].kind == STAGE:
            doc["stages"] = [{"title": s.title, "measures": [measure_doc(m) for m in s.children]} for s in children]
        else:
            doc["measures"] = [measure_doc(m) for m in children]
        return doc

    doc: dict[str, Any] = {
        "format": FORMAT,
        "fiscal_year": edition.fiscal_year,
        "title": edition.title,
        "status": edition.status,
    }
    # optional keys, written only when they say something: documents of editions without
    # them stay as they were
    issuer = {"city": edition.issuer_city, "department": edition.issuer_department, "division": edition.issuer_division}
    if issuer != {"city": DEFAULT_CITY, "department": None, "division": None}:
        doc["issuer"] = {key: value for key, value in issuer.items() if value is not None}
    if edition.published_on is not None:
        doc["published_on"] = edition.published_on.isoformat()
    if dated and (last := session.scalar(select(func.max(ChangeLog.at)).where(ChangeLog.edition_id == edition.id))):
        doc["last_changed"] = last[:19] + "Z"  # seconds: the precision of a PDF date
    doc["targets"] = list(TARGETS)
    doc["policies"] = [policy_doc(n) for n in nodes if n.parent_id is None]
    doc["programs"] = [program_document(p) for p in programs]
    return doc


def store_publication(w: Writer, edition: Edition, on: date) -> None:
    """Record a publication: its date, and the document as published."""
    old = edition.published_on.isoformat() if edition.published_on else None
    w.log("edition", edition.id, "published_on", old, on.isoformat(), edition.id)
    edition.published_on = on
    w.session.flush()  # the snapshot reads the edition, its status and its log through the session
    edition.published_snapshot = json.dumps(edition_document(w.session, edition, dated=True), ensure_ascii=False)


def published_document(db: Database, fiscal_year: int) -> dict[str, Any] | None:
    """The document as it was when the edition was last published; None if it never was."""
    with db.read() as session:
        edition = edition_by_year(session, fiscal_year)
        snapshot = edition.published_snapshot
    if snapshot is None:
        return None
    document: dict[str, Any] = json.loads(snapshot)
    return document
