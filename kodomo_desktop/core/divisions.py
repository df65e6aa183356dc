"""所管: the master list of departments (部) and divisions (課・室・センター・主幹付), and how 所管 is written.

The source writes one department once, then its divisions joined with 、:
``子育て支援部 子育て支援課``, ``社会教育部 社会教育課、公民館事業課``. 主幹付 is not a
separate unit but "attached to the department head", so it is written joined to
the department: ``学校教育部主幹付``, ``子育て支援部主幹付、おやこ応援課``.

This module is the one reader of the master list, the one parser of 所管 text and the
one suggester of entries for a name not on the list: the seed, Excel returns,
validation, the operations and the window all use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from typing import TYPE_CHECKING

from kodomo_desktop.core.sql_rows import Rows, session_rows
from kodomo_desktop.core.text import normalize_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kodomo_desktop.core.database import Database

DivisionPair = tuple[str, str | None]  # (部, 課); 課 None: the department itself

ATTACHED_DIVISIONS = ("主幹付",)

# How close a name must be to an entry to be offered as a 候補 (difflib's ratio, 0..1).
# 0.6, difflib's default: the entries are compared as printed, so an entry of the same
# department already shares its department's name with the typo; at 0.5 nearly every
# division of that department would be offered for a typo in any one of them.
SUGGESTION_CUTOFF = 0.6
SUGGESTIONS = 3

_SEPARATORS = re.compile(r"[\s、,，､]+")
# without a master list (the seed), a department is recognized by how its name ends
_DEPARTMENT = re.compile(r"^(?P<department>.+?(?:部|事務局))(?P<rest>.*)$")


def format_divisions(pairs: Iterable[DivisionPair]) -> str:
    """[(部, 課 or None), ...] in printed order -> one 所管 text; departments joined with a space."""
    groups: list[tuple[str, list[str]]] = []
    for department, division in pairs:
        if not groups or groups[-1][0] != department:
            groups.append((department, []))
        if division:
            groups[-1][1].append(division)
    parts = []
    for department, divisions in groups:
        if not divisions:
            parts.append(department)
        elif divisions[0] in ATTACHED_DIVISIONS:
            parts.append(department + "、".join(divisions))
        else:
            parts.append(f"{department} {'、'.join(divisions)}")
    return " ".join(parts)


# --- the master list ----------------------------------------------------------------------


@dataclass(frozen=True)
class DivisionEntry:
    id: int
    name: str | None  # None: the department itself
    active: bool
    programs: int  # programs naming it, all editions
    version: int  # what a change of it shown here is based on


@dataclass(frozen=True)
class DepartmentEntry:
    id: int
    name: str
    active: bool
    divisions: tuple[DivisionEntry, ...]
    version: int


def departments_from(rows: Rows) -> list[DepartmentEntry]:
    """The whole master list in its order, inactive entries too, with how many programs name each."""
    used = dict(rows("SELECT division_id, COUNT(*) FROM program_division GROUP BY division_id"))
    divisions: dict[int, list[DivisionEntry]] = {}
    for department_id, division_id, name, active, version in rows(
        "SELECT department_id, id, name, active, version FROM division ORDER BY position"
    ):
        divisions.setdefault(department_id, []).append(
            DivisionEntry(division_id, name, bool(active), used.get(division_id, 0), version)
        )
    return [
        DepartmentEntry(department_id, name, bool(active), tuple(divisions.get(department_id, ())), version)
        for department_id, name, active, version in rows(
            "SELECT id, name, active, version FROM department ORDER BY position"
        )
    ]


def read_departments(session: Session) -> list[DepartmentEntry]:
    return departments_from(session_rows(session))


@dataclass(frozen=True)
class MasterList:
    """The (部, 課) programs may name, in list order: in use (active) or deactivated (inactive)."""

    active: tuple[DivisionPair, ...]
    inactive: frozenset[DivisionPair] = frozenset()
    # entry -> how many programs name it, all editions (absent: unknown, e.g. a list built by hand)
    uses: Mapping[DivisionPair, int] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, departments: Iterable[DepartmentEntry]) -> MasterList:
        active: list[DivisionPair] = []
        inactive: set[DivisionPair] = set()
        uses: dict[DivisionPair, int] = {}
        for department in departments:
            for division in department.divisions:
                pair = (department.name, division.name)
                uses[pair] = division.programs
                if department.active and division.active:
                    active.append(pair)
                else:
                    inactive.add(pair)
        return cls(tuple(active), frozenset(inactive), uses)

    @cached_property
    def _active_set(self) -> frozenset[DivisionPair]:
        return frozenset(self.active)

    @cached_property
    def _owners(self) -> dict[str, list[str]]:
        """division name -> the departments having a division of that name."""
        owners: dict[str, list[str]] = {}
        for department, division in sorted(self.known, key=lambda p: (p[0], p[1] or "")):
            if division:
                owners.setdefault(division, []).append(department)
        return owners

    @cached_property
    def known(self) -> frozenset[DivisionPair]:
        return self._active_set | self.inactive

    @cached_property
    def departments(self) -> tuple[str, ...]:
        """Longest name first, so a department whose name starts with another's is matched whole."""
        return tuple(sorted({department for department, _ in self.known}, key=len, reverse=True))

    def is_active(self, pair: DivisionPair) -> bool:
        return pair in self._active_set

    def is_inactive(self, pair: DivisionPair) -> bool:
        return pair in self.inactive

    def owners(self, division: str) -> list[str]:
        return self._owners.get(division, [])

    def suggest(self, wanted: DivisionPair | str) -> list[str]:
        """The active entries closest to what was written, as printed, closest first (ties in list order).

        A pair is compared with each entry as printed (おやか応援課 of 子育て支援部 ->
        子育て支援部 おやこ応援課); a bare name, written without its department, with each
        entry's own name.
        """
        if isinstance(wanted, str):
            keyed = [(division or department, (department, division)) for department, division in self.active]
            text = wanted
        else:
            keyed = [(format_divisions([pair]), pair) for pair in self.active]
            text = format_divisions([wanted])
        scored = []
        for position, (key, pair) in enumerate(keyed):
            score = similarity(text, key)
            if score >= SUGGESTION_CUTOFF:
                scored.append((-score, position, format_divisions([pair])))
        return list(dict.fromkeys(printed for _, _, printed in sorted(scored)))[:SUGGESTIONS]


def similarity(a: str, b: str) -> float:
    """How alike two names are (difflib's ratio, 0..1): what SUGGESTION_CUTOFF is measured in."""
    return SequenceMatcher(None, a, b).ratio()


def near_duplicates(master: MasterList) -> list[tuple[DivisionPair, DivisionPair]]:
    """Pairs of active divisions of one department whose names are as alike as a typo and its
    correction (おやか応援課, おやこ応援課), in list order: the suggester would offer one for the other."""
    by_department: dict[str, list[DivisionPair]] = {}
    for pair in master.active:
        if pair[1]:
            by_department.setdefault(pair[0], []).append(pair)
    return [
        (first, second)
        for pairs in by_department.values()
        for i, first in enumerate(pairs)
        for second in pairs[i + 1 :]
        if similarity(first[1] or "", second[1] or "") >= SUGGESTION_CUTOFF
    ]


def master_from(rows: Rows) -> MasterList:
    return MasterList.of(departments_from(rows))


def read_master(session: Session) -> MasterList:
    return master_from(session_rows(session))


def load_master(db: Database) -> MasterList:
    with db.read() as session:
        return read_master(session)


# --- 所管 text -> pairs --------------------------------------------------------------------


class DivisionTextError(ValueError):
    """所管 text that does not name entries; code is stable (JSON), the message Japanese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def parse_divisions(text: str, master: MasterList | None = None) -> list[DivisionPair]:
    """所管 text -> [(部, 課 or None)] in printed order; the inverse of format_divisions. Empty text: [].

    A department name starts a group (主幹付 may be written joined to it: 学校教育部主幹付);
    the following names, separated by spaces or 、, are its divisions. With the master
    list, departments are its names, a division another department has may stand
    alone when only one department has it, and every pair must be on the list;
    without it (the seed, which builds the list), a department is a name ending in 部 or 事務局.
    """
    groups: list[tuple[str, list[str]]] = []
    for token in filter(None, _SEPARATORS.split(normalize_line(text))):
        if master is None:
            m = _DEPARTMENT.match(token)
            if m:
                groups.append((m["department"], [m["rest"]] if m["rest"] else []))
            elif groups:
                groups[-1][1].append(token)
            else:
                raise DivisionTextError("no_department", f"所管「{text}」が部・局の名前で始まっていません")
            continue
        if token in master.departments:
            groups.append((token, []))
        elif groups and (groups[-1][0], token) in master.known:
            groups[-1][1].append(token)
        elif department := next((d for d in master.departments if token.startswith(d)), None):
            groups.append((department, [token[len(department) :]]))
        else:
            owners = master.owners(token)
            if len(owners) > 1:
                raise DivisionTextError(
                    "ambiguous_division",
                    f"所管「{token}」は複数の部にあります（{'、'.join(owners)}）。部の名前を前に付けてください。",
                )
            if not owners:
                raise _unknown(master, (groups[-1][0], token) if groups else token)
            groups.append((owners[0], [token]))
    pairs: list[DivisionPair] = []
    for department, names in groups:
        pairs.extend([(department, name) for name in names] if names else [(department, None)])
    if master is not None:
        for pair in pairs:
            if pair not in master.known:
                raise _unknown(master, pair)
    return pairs


def _unknown(master: MasterList, wanted: DivisionPair | str) -> DivisionTextError:
    return DivisionTextError(
        "unknown_division", unknown_message(master, wanted, "所管の一覧にある名前で入力してください")
    )


def unknown_message(master: MasterList, wanted: DivisionPair | str, otherwise: str) -> str:
    """所管「…」は所管の一覧にありません（候補: …）: the same words and 候補 wherever a name is refused."""
    written = wanted if isinstance(wanted, str) else format_divisions([wanted])
    close = master.suggest(wanted)
    hint = f"候補: {'、'.join(close)}" if close else otherwise
    return f"所管「{written}」は所管の一覧にありません（{hint}）。"
