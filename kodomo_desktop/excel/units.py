"""The units a return goes to: one per division (課) or per department (部), with its programs.

A program with several divisions goes to each of them; programs with status 終了 are not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import format_divisions, read_departments
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.listing import is_listed

UNIT_KINDS = {"division": "課ごと", "department": "部ごと"}


@dataclass(frozen=True)
class Unit:
    kind: str  # division | department
    department: str
    division: str | None  # None: the department itself (kind division) or all of it (kind department)

    @property
    def name(self) -> str:
        if self.kind == "department":
            return self.department
        return format_divisions([(self.department, self.division)])

    def covers(self, pairs: Iterable[tuple[str, str | None]]) -> bool:
        if self.kind == "department":
            return any(dept == self.department for dept, _ in pairs)
        return (self.department, self.division) in pairs

    def file_name(self, fiscal_year: int) -> str:
        # characters Windows refuses in file names
        safe = re.sub(r'[\\/:*?"<>|\s]+', "_", self.name)
        return f"{era_label(fiscal_year)}_{safe}.xlsx"


def check_kind(by: str) -> str:
    if by not in UNIT_KINDS:
        raise InvalidInput(f"単位「{by}」は使えません（division: 課ごと、department: 部ごと）。")
    return by


def program_pairs(program: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(d["department"], d["division"]) for d in program["divisions"]]


def booklet_order(doc: dict[str, Any]) -> dict[str, int]:
    """uid -> position of the program's primary placement in the booklet (what departments know)."""
    order: dict[str, int] = {}
    for policy in doc["policies"]:
        groups = [stage["measures"] for stage in policy.get("stages", [])] or [policy.get("measures", [])]
        for measures in groups:
            for measure in measures:
                for placement in measure["placements"]:
                    if not placement["relisted"]:
                        order.setdefault(placement["program"], len(order))
    return order


def master_order(db: Database) -> dict[tuple[str, str | None], tuple[int, int]]:
    """(部, 課) -> its position in the master list, so units come out in the office's order."""
    with db.read() as session:
        departments = read_departments(session)
    return {(d.name, v.name): (i, j) for i, d in enumerate(departments) for j, v in enumerate(d.divisions)}


def edition_units(
    doc: dict[str, Any], by: str, order: dict[tuple[str, str | None], tuple[int, int]]
) -> list[tuple[Unit, list[dict[str, Any]]]]:
    """Every unit with at least one program to send, in master-list order, its programs in booklet order."""
    check_kind(by)
    position = booklet_order(doc)
    programs = sorted(
        filter(is_listed, doc["programs"]),
        key=lambda p: (position.get(p["id"], len(position)), p["id"]),
    )
    units: dict[Unit, list[dict[str, Any]]] = {}
    for program in programs:
        for dept, div in program_pairs(program):
            unit = Unit(by, dept, div if by == "division" else None)
            listed = units.setdefault(unit, [])
            if not listed or listed[-1] is not program:
                listed.append(program)
    unknown = (1 << 30, 1 << 30)

    def unit_order(unit: Unit) -> tuple[int, int, str]:
        if unit.kind == "department":
            dpos = min((v[0] for k, v in order.items() if k[0] == unit.department), default=unknown[0])
            return (dpos, 0, unit.name)
        return (*order.get((unit.department, unit.division), unknown), unit.name)

    return [(unit, units[unit]) for unit in sorted(units, key=unit_order)]
