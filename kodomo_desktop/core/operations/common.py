"""Pieces the operations share: ordering, master-list look-up, labels for the log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from kodomo_desktop.core.divisions import read_master, unknown_message
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Department, Division, PolicyNode
from kodomo_desktop.core.vocabulary import STAGE, node_heading


class Positioned(Protocol):
    position: int


def reindex(rows: Sequence[Positioned]) -> None:
    """Give rows positions 0..n-1 in their current list order."""
    for i, row in enumerate(rows):
        if row.position != i:
            row.position = i


def clamp_position(position: int | None, length: int) -> int:
    return length if position is None else max(0, min(position, length))


def node_label(session: Session, node: PolicyNode) -> str:
    """'基本施策2 (ライフステージを通して) 個別施策1': how a measure is named in the log and messages."""
    parts = []
    current: PolicyNode | None = node
    while current is not None:
        parts.append(f"({current.title})" if current.kind == STAGE else node_heading(current.kind, current.number))
        current = session.get(PolicyNode, current.parent_id) if current.parent_id else None
    return " ".join(reversed(parts))


_REGISTER_FIRST = "所管の一覧に登録してから選んでください"


def find_division(session: Session, department: str, division: str | None, *, create: bool) -> Division:
    """The master entry for (部, 課); created only where the caller is an importer of trusted data."""
    dept = session.scalar(select(Department).where(Department.name == department))
    if dept is None:
        if not create:
            raise InvalidInput(unknown_message(read_master(session), (department, division), _REGISTER_FIRST))
        position = session.scalar(select(Department.position).order_by(Department.position.desc()).limit(1))
        dept = Department(name=department, position=(position + 1) if position is not None else 0)
        session.add(dept)
        session.flush()
    found = session.scalar(
        select(Division).where(
            Division.department_id == dept.id,
            Division.name.is_(None) if division is None else Division.name == division,
        )
    )
    if found is None:
        if not create:
            raise InvalidInput(unknown_message(read_master(session), (department, division), _REGISTER_FIRST))
        position = session.scalar(
            select(Division.position)
            .where(Division.department_id == dept.id)
            .order_by(Division.position.desc())
            .limit(1)
        )
        found = Division(department_id=dept.id, name=division, position=(position + 1) if position is not None else 0)
        session.add(found)
        session.flush()
    return found
