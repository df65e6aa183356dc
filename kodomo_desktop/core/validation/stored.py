"""Validation of an edition stored in the database: its read model and acknowledgements read
through a session, and the runs over them. The only part of core.validation that needs
SQLAlchemy: the rest checks a document (the command line's booklet) without importing it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import read_master
from kodomo_desktop.core.edition_sql import no_edition
from kodomo_desktop.core.models import Division, Edition, FindingAck, Placement, PolicyNode, Program, ProgramDivision
from kodomo_desktop.core.validation.acks import Ack, AckKey, split_acknowledged
from kodomo_desktop.core.validation.checking import Report, validate_view
from kodomo_desktop.core.validation.empty_results import EmptyResults, is_empty
from kodomo_desktop.core.validation.findings import Finding, errors
from kodomo_desktop.core.validation.read_model import EditionView, NodeView, ProgramView, measure_label
from kodomo_desktop.core.validation.typesetting import NO_TYPESETTING, Typesetting
from kodomo_desktop.core.vocabulary import ENDED, MEASURE, POLICY, STAGE, node_heading


def edition_by_year(session: Session, fiscal_year: int) -> Edition:
    """The edition of a fiscal year; operations use it too (they import validation, not the reverse)."""
    edition = session.scalar(select(Edition).where(Edition.fiscal_year == fiscal_year))
    if edition is None:
        raise no_edition(fiscal_year)
    return edition


def load_view(session: Session, edition: Edition, uids: Iterable[str] | None = None) -> EditionView:
    """The edition's read model; uids limits the programs to check (None: all of them)."""
    rows = session.scalars(select(PolicyNode).where(PolicyNode.edition_id == edition.id)).all()
    listed: dict[int, list[tuple[str, bool]]] = {}
    for measure_id, uid, primary in session.execute(
        select(Placement.measure_id, Program.uid, Placement.is_primary)
        .join(Program, Program.id == Placement.program_id)
        .where(Program.edition_id == edition.id)
        .order_by(Placement.measure_id, Placement.position)
    ):
        listed.setdefault(measure_id, []).append((uid, not primary))

    children: dict[int | None, list[PolicyNode]] = {}
    for node in sorted(rows, key=lambda n: n.position):
        children.setdefault(node.parent_id, []).append(node)
    nodes: list[NodeView] = []

    def walk(node: PolicyNode, parent_label: str) -> None:
        if node.kind == POLICY:
            label = node_heading(POLICY, node.number)
            nodes.append(NodeView(POLICY, node.number, node.title, label, None))
        elif node.kind == STAGE:
            label = f"{parent_label} ({node.title})"
        else:
            label = measure_label(parent_label, node.number)
            nodes.append(
                NodeView(MEASURE, node.number, node.title, label, node.parent_id, tuple(listed.get(node.id, ())))
            )
        for child in children.get(node.id, ()):
            walk(child, label)

    for top in children.get(None, ()):
        walk(top, "")

    catalog = session.execute(
        select(Program.uid, Program.name, Program.status).where(Program.edition_id == edition.id)
    ).all()
    query = (
        select(Program)
        .where(Program.edition_id == edition.id)
        .options(
            selectinload(Program.divisions).selectinload(ProgramDivision.division).selectinload(Division.department)
        )
    )
    if uids is not None:
        query = query.where(Program.uid.in_(list(uids)))
    programs = {p.uid: ProgramView.from_row(p) for p in session.scalars(query)}
    return EditionView(
        fiscal_year=edition.fiscal_year,
        status=edition.status,
        nodes=tuple(nodes),
        programs=programs,
        names={uid: name for uid, name, _status in catalog},
        ended=frozenset(uid for uid, _name, status in catalog if status == ENDED),
        master=read_master(session),
    )


def load_acks(session: Session, edition_id: int) -> dict[AckKey, Ack]:
    rows = session.scalars(select(FindingAck).where(FindingAck.edition_id == edition_id))
    return {(r.program_uid, r.code, r.field): Ack(r.note, r.user, r.at, r.fingerprint) for r in rows}


def edition_empty_results(session: Session, edition: Edition) -> EmptyResults:
    results = session.scalars(
        select(Program.results).where(Program.edition_id == edition.id, Program.status != ENDED)
    ).all()
    return EmptyResults(sum(is_empty(r) for r in results), len(results))


def empty_results(db: Database, fiscal_year: int) -> EmptyResults:
    with db.read() as session:
        return edition_empty_results(session, edition_by_year(session, fiscal_year))


def _report(
    session: Session, edition: Edition, uids: set[str] | None, typesetting: Typesetting, publishing: bool
) -> Report:
    view = load_view(session, edition, uids)
    shown, acked = split_acknowledged(
        validate_view(view, typesetting, publishing=publishing), load_acks(session, edition.id)
    )
    scope = None if uids is None else frozenset(uids)
    return Report(tuple(shown), tuple(acked), typesetting.skipped, scope, view.order)


def validate_edition(
    db: Database, fiscal_year: int, typesetting: Typesetting = NO_TYPESETTING, *, publishing: bool = False
) -> Report:
    with db.read() as session:
        return _report(session, edition_by_year(session, fiscal_year), None, typesetting, publishing)


def validate_programs(
    db: Database, fiscal_year: int, uids: Iterable[str], typesetting: Typesetting = NO_TYPESETTING
) -> Report:
    """The programs an edit touched plus the edition-wide rules: quick enough to run after every edit."""
    with db.read() as session:
        return _report(session, edition_by_year(session, fiscal_year), set(uids), typesetting, False)


def edition_errors(session: Session, edition: Edition) -> list[Finding]:
    """The errors that block publishing, read in the caller's (write) session."""
    return errors(validate_view(load_view(session, edition), publishing=True))
