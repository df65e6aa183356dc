"""Read-only queries returning plain values (no live ORM objects leave a session)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import Row, func, select

from kodomo_desktop.core.changes import version_conflict
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import format_divisions, read_departments
from kodomo_desktop.core.errors import Conflict, NotFound
from kodomo_desktop.core.models import (
    ChangeLog,
    Department,
    Division,
    Edition,
    Placement,
    PolicyNode,
    Program,
    ProgramDivision,
)
from kodomo_desktop.core.validation.stored import edition_by_year
from kodomo_desktop.core.vocabulary import MEASURE, STAGE, node_heading


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
        programs = select(Program.edition_id, func.count().label("n")).group_by(Program.edition_id).subquery()
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


@dataclass(frozen=True)
class EditionSettings:
    """The issuing body printed on an edition's cover (operations.update_edition_settings writes it)."""

    issuer_city: str
    issuer_department: str | None
    issuer_division: str | None


def edition_settings(db: Database, fiscal_year: int) -> EditionSettings:
    with db.read() as session:
        e = edition_by_year(session, fiscal_year)
        return EditionSettings(e.issuer_city, e.issuer_department, e.issuer_division)


# --- the editor's reads ----------------------------------------------------------------
# Core selects of plain columns, not ORM objects: the grid loads 10,000 programs and the
# ORM's per-object bookkeeping would cost more than the query itself.


@dataclass(frozen=True)
class TreeNodeInfo:
    id: int
    parent_id: int | None
    kind: str  # policy | stage | measure
    number: int | None
    title: str
    depth: int
    listings: int  # placements under the node, re-listings included

    @property
    def heading(self) -> str:
        """'基本施策2', '個別施策1'; a stage has only its title."""
        return "" if self.kind == STAGE else node_heading(self.kind, self.number)


@dataclass(frozen=True)
class PolicyTree:
    """An edition's policy tree, depth first in printed order."""

    nodes: tuple[TreeNodeInfo, ...]

    def node(self, node_id: int) -> TreeNodeInfo:
        return self._by_id[node_id]

    @cached_property
    def _by_id(self) -> dict[int, TreeNodeInfo]:
        return {n.id: n for n in self.nodes}

    def measures(self) -> list[TreeNodeInfo]:
        return [n for n in self.nodes if n.kind == MEASURE]

    def measures_under(self, node_id: int) -> list[int]:
        """The measures at or below a node, in printed order."""
        inside: set[int] = {node_id}
        found = []
        for n in self.nodes:
            if n.id == node_id or n.parent_id in inside:
                inside.add(n.id)
                if n.kind == MEASURE:
                    found.append(n.id)
        return found

    def path_label(self, node_id: int) -> str:
        """'基本施策2 ライフステージを通して 個別施策1 遊びや体験': a measure named in full."""
        by_id = self._by_id
        parts = []
        node = by_id.get(node_id)
        while node is not None:
            parts.append(node.heading or node.title)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        return " ".join(reversed(parts)) + f" {by_id[node_id].title}"


def policy_tree(db: Database, edition_id: int) -> PolicyTree:
    with db.read() as session:
        rows = session.execute(
            select(PolicyNode.id, PolicyNode.parent_id, PolicyNode.kind, PolicyNode.number, PolicyNode.title)
            .where(PolicyNode.edition_id == edition_id)
            .order_by(PolicyNode.position)
        ).all()
        counts = dict(
            session.execute(
                select(Placement.measure_id, func.count())
                .join(PolicyNode, PolicyNode.id == Placement.measure_id)
                .where(PolicyNode.edition_id == edition_id)
                .group_by(Placement.measure_id)
            ).all()
        )
    children: dict[int | None, list[Row[int, int | None, str, int | None, str]]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    nodes: list[TreeNodeInfo | None] = []

    def walk(parent_id: int | None, depth: int) -> int:
        total = 0
        for row in children.get(parent_id, []):
            at = len(nodes)
            nodes.append(None)  # placeholder: the count is known after the children
            listings = counts.get(row.id, 0) + walk(row.id, depth + 1)
            nodes[at] = TreeNodeInfo(row.id, row.parent_id, row.kind, row.number, row.title, depth, listings)
            total += listings
        return total

    walk(None, 0)
    return PolicyTree(tuple(node for node in nodes if node is not None))


@dataclass(frozen=True)
class ProgramRow:
    """One program as the grid shows and searches it."""

    id: int
    uid: str
    name: str
    alias: str | None
    summary: str
    results: str
    targets: int  # bit mask over targets.TARGETS
    status: str
    needs_review: bool
    divisions: str  # 所管 as printed
    division_ids: tuple[int, ...]
    department_ids: tuple[int, ...]
    version: int  # what a write based on this row expects (core.changes)


def program_rows(db: Database, edition_id: int, uids: Iterable[str] | None = None) -> list[ProgramRow]:
    """The edition's programs (or only those uids), ordered by uid."""
    query = select(
        Program.id,
        Program.uid,
        Program.name,
        Program.alias,
        Program.summary,
        Program.results,
        Program.targets,
        Program.status,
        Program.needs_review,
    ).where(Program.edition_id == edition_id)
    division_query = (
        select(ProgramDivision.program_id, Department.id, Department.name, Division.id, Division.name)
        .join(Program, Program.id == ProgramDivision.program_id)
        .join(Division, Division.id == ProgramDivision.division_id)
        .join(Department, Department.id == Division.department_id)
        .where(Program.edition_id == edition_id)
        .order_by(ProgramDivision.program_id, ProgramDivision.position)
    )
    if uids is not None:
        uids = list(uids)
        query = query.where(Program.uid.in_(uids))
        division_query = division_query.where(Program.uid.in_(uids))
    version_query = select(Program.id, Program.version).where(Program.edition_id == edition_id)
    if uids is not None:
        version_query = version_query.where(Program.uid.in_(uids))
    with db.read() as session:
        connection = session.connection()  # Core rows: no ORM result processing per row
        programs = connection.execute(query.order_by(Program.uid)).all()
        division_rows = connection.execute(division_query).all()
        versions: dict[int, int] = {pid: version for pid, version in connection.execute(version_query)}
    pairs: dict[int, list[tuple[int, str, int, str | None]]] = {}
    for program_id, dept_id, dept, div_id, div in division_rows:
        pairs.setdefault(program_id, []).append((dept_id, dept, div_id, div))
    rows = []
    for program in programs:
        mine = pairs.get(program[0], ())
        rows.append(
            ProgramRow(
                *program,
                format_divisions([(dept, div) for _, dept, _, div in mine]),
                tuple([div_id for _, _, div_id, _ in mine]),
                tuple(dict.fromkeys([dept_id for dept_id, _, _, _ in mine])),
                versions[program[0]],
            )
        )
    return rows


@dataclass(frozen=True)
class Scope:
    """What the grid lists: everything, the programs needing review, a tree node, a department or division."""

    kind: str  # all | review | node | department | division
    id: int | None = None


@dataclass(frozen=True)
class Listing:
    """One grid row: a program, and the placement it is shown by (None outside a measure's order)."""

    program_id: int
    placement_id: int | None
    measure_id: int | None
    position: int | None
    relisted: bool
    version: int | None  # the placement's, which a move of it is based on


def listings(db: Database, edition_id: int, scope: Scope, tree: PolicyTree | None = None) -> list[Listing]:
    """The rows of a scope, in printed order.

    A tree node lists every placement below it (re-listings marked); the other
    scopes list each program once, where its primary placement prints it.
    """
    tree = tree or policy_tree(db, edition_id)
    if scope.kind == "node":
        if scope.id is None:
            raise ValueError("a node scope names its node")
        measure_ids = tree.measures_under(scope.id)
        position = {m: i for i, m in enumerate(measure_ids)}
        with db.read() as session:
            placed = session.execute(
                select(
                    Placement.program_id,
                    Placement.id,
                    Placement.measure_id,
                    Placement.position,
                    Placement.is_primary,
                    Placement.version,
                ).where(Placement.measure_id.in_(measure_ids))
            ).all()
        placed_in_order = sorted(placed, key=lambda r: (position[r.measure_id], r.position))
        return [
            Listing(r.program_id, r.id, r.measure_id, r.position, not r.is_primary, r.version) for r in placed_in_order
        ]

    query = (
        select(Program.id, Placement.id, Placement.measure_id, Placement.position, Placement.version)
        .outerjoin(Placement, (Placement.program_id == Program.id) & Placement.is_primary)
        .where(Program.edition_id == edition_id)
    )
    if scope.kind == "review":
        query = query.where(Program.needs_review)
    elif scope.kind in ("department", "division"):
        holders = select(ProgramDivision.program_id).join(Division, Division.id == ProgramDivision.division_id)
        holders = holders.where(
            Division.department_id == scope.id if scope.kind == "department" else Division.id == scope.id
        )
        query = query.where(Program.id.in_(holders))
    elif scope.kind != "all":
        raise ValueError(f"unknown scope {scope.kind!r}")
    order = {m.id: i for i, m in enumerate(tree.measures())}
    unplaced = len(order)
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        Listing(program_id, placement_id, measure_id, position, False, version)
        for program_id, placement_id, measure_id, position, version in sorted(
            rows, key=lambda r: (order.get(r[2], unplaced), r[3] or 0, r[0])
        )
    ]


@dataclass(frozen=True)
class DivisionGroup:
    id: int
    name: str | None  # None: the department itself
    programs: int


@dataclass(frozen=True)
class DepartmentGroup:
    id: int
    name: str
    programs: int  # distinct programs: one with two divisions of the department counts once
    divisions: tuple[DivisionGroup, ...]


@dataclass(frozen=True)
class ProgramGroups:
    """The edition's program counts outside the policy tree: all, needing review, by 所管."""

    programs: int
    needs_review: int
    departments: tuple[DepartmentGroup, ...]


def program_groups(db: Database, edition_id: int) -> ProgramGroups:
    """Departments and divisions holding programs in the edition, in master-list order."""
    held = (
        select(Department.id.label("dept"), Division.id.label("div"), Program.id.label("program"))
        .join(Division, Division.department_id == Department.id)
        .join(ProgramDivision, ProgramDivision.division_id == Division.id)
        .join(Program, Program.id == ProgramDivision.program_id)
        .where(Program.edition_id == edition_id)
        .subquery()
    )
    with db.read() as session:
        total, review = session.execute(
            select(func.count(), func.count().filter(Program.needs_review)).where(Program.edition_id == edition_id)
        ).one()
        per_department: dict[int, int] = dict(
            session.execute(select(held.c.dept, func.count(held.c.program.distinct())).group_by(held.c.dept)).all()
        )
        rows = session.execute(
            select(Department.id, Department.name, Division.id, Division.name, func.count())
            .join(Division, Division.department_id == Department.id)
            .join(held, held.c.div == Division.id)
            .group_by(Department.id, Division.id)
            .order_by(Department.position, Division.position)
        ).all()
    departments: dict[int, tuple[str, list[DivisionGroup]]] = {}
    for dept_id, dept, div_id, div, count in rows:
        departments.setdefault(dept_id, (dept, []))[1].append(DivisionGroup(div_id, div, count))
    return ProgramGroups(
        total,
        review,
        tuple(
            DepartmentGroup(dept_id, name, per_department[dept_id], tuple(divisions))
            for dept_id, (name, divisions) in departments.items()
        ),
    )


@dataclass(frozen=True)
class DivisionChoice:
    department: str
    division: str | None
    active: bool

    @property
    def label(self) -> str:
        return format_divisions([(self.department, self.division)])


def division_choices(db: Database) -> list[DivisionChoice]:
    """The whole master list, in its order (inactive entries too: old programs may still name them)."""
    with db.read() as session:
        departments = read_departments(session)
    return [DivisionChoice(d.name, v.name, d.active and v.active) for d in departments for v in d.divisions]


@dataclass(frozen=True)
class PlacementInfo:
    id: int
    measure_id: int
    position: int
    is_primary: bool
    measure_size: int  # rows in that measure, for "move down" bounds
    version: int  # what a change of it shown here is based on


@dataclass(frozen=True)
class ProgramDetail:
    """Everything the program form shows."""

    id: int
    uid: str
    edition_id: int
    name: str
    alias: str | None
    summary: str
    results: str
    previous_results: str | None
    targets: int
    status: str
    needs_review: bool
    review_notes: tuple[str, ...]
    divisions: tuple[tuple[str, str | None], ...]
    placements: tuple[PlacementInfo, ...]  # primary first, then re-listings by id
    version: int  # what a write based on this detail expects (core.changes)


def program_detail(db: Database, program_id: int) -> ProgramDetail:
    with db.read() as session:
        program = session.get(Program, program_id)
        if program is None:
            raise NotFound(f"事業（id {program_id}）が見つかりません。別の画面で削除された可能性があります。")
        sizes = dict(
            session.execute(
                select(Placement.measure_id, func.count())
                .where(Placement.measure_id.in_([p.measure_id for p in program.placements]))
                .group_by(Placement.measure_id)
            ).all()
        )
        placements = sorted(program.placements, key=lambda p: (not p.is_primary, p.id))
        return ProgramDetail(
            program.id,
            program.uid,
            program.edition_id,
            program.name,
            program.alias,
            program.summary,
            program.results,
            program.previous_results,
            program.targets,
            program.status,
            program.needs_review,
            tuple(program.review_notes),
            tuple((pd.division.department.name, pd.division.name) for pd in program.divisions),
            tuple(
                PlacementInfo(p.id, p.measure_id, p.position, p.is_primary, sizes[p.measure_id], p.version)
                for p in placements
            ),
            program.version,
        )


@dataclass(frozen=True)
class HistoryEntry:
    at: str  # ISO 8601 UTC
    user: str
    source: str
    fiscal_year: int | None
    field: str
    old: Any
    new: Any


def program_history(db: Database, uid: str) -> list[HistoryEntry]:
    """Every logged change of a program (by its stable id, so across editions), newest first."""
    with db.read() as session:
        rows = session.execute(
            select(
                ChangeLog.at,
                ChangeLog.user,
                ChangeLog.source,
                Edition.fiscal_year,
                ChangeLog.field,
                ChangeLog.old,
                ChangeLog.new,
            )
            .outerjoin(Edition, Edition.id == ChangeLog.edition_id)
            .where(ChangeLog.entity == "program", ChangeLog.entity_id == uid)
            .order_by(ChangeLog.id.desc())
        ).all()
    return [HistoryEntry(*row) for row in rows]


def program_conflict(
    db: Database, program_id: int, expected_version: int | None, fields: Iterable[str]
) -> Conflict | None:
    """The Conflict a write of these fields based on expected_version would meet now (asked before an undo)."""
    with db.read() as session:
        program = session.get(Program, program_id)
        if program is None:
            raise NotFound(f"事業（id {program_id}）が見つかりません。別の画面で削除された可能性があります。")
        return version_conflict(session, program, expected_version, fields)


def find_program_ids(db: Database, edition_id: int, uids: Iterable[str]) -> dict[str, int]:
    """Row ids of programs by their stable ids (row ids change when a delete is undone)."""
    uids = set(uids)
    with db.read() as session:
        found = dict(
            session.execute(
                select(Program.uid, Program.id).where(Program.edition_id == edition_id, Program.uid.in_(uids))
            ).all()
        )
    if missing := sorted(uids - found.keys()):
        raise NotFound(f"事業ID「{'、'.join(missing)}」が見つかりません。別の画面で削除された可能性があります。")
    return found


def find_placement_id(db: Database, edition_id: int, uid: str, measure_id: int) -> int:
    with db.read() as session:
        found = session.scalar(
            select(Placement.id)
            .join(Program, Program.id == Placement.program_id)
            .where(Program.edition_id == edition_id, Program.uid == uid, Placement.measure_id == measure_id)
        )
    if found is None:
        raise NotFound(f"事業ID「{uid}」の掲載が見つかりません。別の画面で変更された可能性があります。")
    return found
