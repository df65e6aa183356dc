"""Operations on the master list of departments (部) and divisions (課・室・センター・主幹付).

The list is shared by every edition. A rename corrects an entry everywhere it is
printed, so it is refused for an entry a published edition names (add the new name
and merge instead). A merge moves every program of the draft editions onto the other entry;
published editions are frozen, so an entry one of them still names is kept,
deactivated, instead of deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import DepartmentEntry, DivisionPair, format_divisions, read_departments
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Department, Division, Edition, Program, ProgramDivision
from kodomo_desktop.core.operations.common import clamp_position, reindex
from kodomo_desktop.core.operations.programs import write_divisions
from kodomo_desktop.core.text import normalize_line
from kodomo_desktop.core.vocabulary import DRAFT, PUBLISHED

KIND_LABELS = {"department": "部", "division": "課"}

Entry = Department | Division


def _entry(w: Writer, kind: str, entry_id: int, expected_version: int | None = None) -> Entry:
    """The entry; refused (Conflict) where another write changed it after expected_version, the
    version the caller read."""
    entry: Entry
    if kind == "department":
        entry = _department(w, entry_id)
    elif kind == "division":
        entry = w.get(Division, entry_id, f"所管の一覧の{KIND_LABELS[kind]}")
    else:
        raise InvalidInput(f"所管の一覧の種類「{kind}」はありません（department / division）。")
    w.check_row(entry, expected_version, f"所管の一覧の{KIND_LABELS[kind]}「{_label(entry)}」")
    return entry


def _department(w: Writer, department_id: int) -> Department:
    return w.get(Department, department_id, f"所管の一覧の{KIND_LABELS['department']}")


def _label(entry: Department | Division) -> str:
    if isinstance(entry, Department):
        return entry.name
    return format_divisions([(entry.department.name, entry.name)])


def _departments(w: Writer) -> list[Department]:
    return list(w.session.scalars(select(Department).order_by(Department.position)))


def _siblings(w: Writer, entry: Entry) -> list[Entry]:
    if isinstance(entry, Department):
        return [*_departments(w)]
    return [*entry.department.divisions]


def _divisions_under(entry: Department | Division) -> list[Division]:
    """The entries a change to entry reaches: a department's all, or the one division."""
    return list(entry.divisions) if isinstance(entry, Department) else [entry]


def _clean_name(name: str | None, kind: str) -> str:
    name = normalize_line(name)
    if not name:
        raise InvalidInput(f"{KIND_LABELS[kind]}の名前を入力してください。")
    return name


def _department_named(w: Writer, name: str) -> Department | None:
    return w.session.scalar(select(Department).where(Department.name == name))


def _division_named(department: Department, name: str | None) -> Division | None:
    return next((d for d in department.divisions if d.name == name), None)


def _value(entry: Department | Division) -> dict[str, Any]:
    return {"name": _label(entry), "position": entry.position, "active": entry.active}


def _insert(w: Writer, kind: str, entry: Entry, siblings: Sequence[Entry], position: int | None) -> None:
    w.session.add(entry)
    rows = [*siblings]
    rows.insert(clamp_position(position, len(rows)), entry)
    reindex(rows)
    w.session.flush()
    w.log(kind, entry.id, "created", None, _value(entry), None)


# --- add, rename, reorder, deactivate --------------------------------------------------


def add_department(db: Database, name: str, *, position: int | None = None, source: str = "editor") -> OpResult:
    """A new 部, with its entry for "the department itself is responsible". Returns its id."""
    with writing(db, source) as w:
        name = _clean_name(name, "department")
        if _department_named(w, name):
            raise InvalidInput(f"部「{name}」はすでに所管の一覧にあります。")
        department = Department(name=name, position=0)
        _insert(w, "department", department, _departments(w), position)
        _insert(
            w, "division", Division(department_id=department.id, name=None, position=0, department=department), [], 0
        )
        return w.result(department.id)


def add_division(
    db: Database, department_id: int, name: str, *, position: int | None = None, source: str = "editor"
) -> OpResult:
    """A new 課・室・センター under a department. Returns its id."""
    with writing(db, source) as w:
        department = _department(w, department_id)
        name = _clean_name(name, "division")
        if _division_named(department, name):
            raise InvalidInput(f"「{format_divisions([(department.name, name)])}」はすでに所管の一覧にあります。")
        division = Division(department_id=department.id, name=name, position=0, department=department)
        _insert(w, "division", division, list(department.divisions), position)
        return w.result(division.id)


def rename_entry(
    db: Database, kind: str, entry_id: int, name: str, *, source: str = "editor", expected_version: int | None = None
) -> OpResult:
    """Correct an entry's name: every program naming it, in every draft edition, prints the new name."""
    with writing(db, source) as w:
        entry = _entry(w, kind, entry_id, expected_version)
        name = _clean_name(name, kind)
        clash: Entry | None
        if isinstance(entry, Division):
            if entry.name is None:
                raise InvalidInput("部そのものを表す項目の名前は、部の名前を変えてください。")
            clash = _division_named(entry.department, name)
        else:
            clash = _department_named(w, name)
        if clash is not None and clash is not entry:
            raise InvalidInput(
                f"「{_label(clash)}」はすでに所管の一覧にあります。一つにまとめるときは「統合」を使ってください。"
            )
        if _programs_naming(w, _divisions_under(entry), published=True):
            raise InvalidInput(
                f"「{_label(entry)}」は公開済みの年度版で使われているため、名前を変えると公開済みの冊子の内容が変わります。"
                "新しい名前の項目を追加し、「統合」で移してください（公開済みの年度版は元の名前のまま残ります）。"
            )
        w.log(kind, entry.id, "name", entry.name, name, None)
        entry.name = name
        return w.result()


def move_entry(
    db: Database,
    kind: str,
    entry_id: int,
    position: int,
    *,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    """Reorder an entry among its siblings (departments; divisions of one department)."""
    with writing(db, source) as w:
        entry = _entry(w, kind, entry_id, expected_version)
        rows = _siblings(w, entry)
        old = entry.position
        rows.remove(entry)
        rows.insert(clamp_position(position, len(rows)), entry)
        reindex(rows)
        w.log(kind, entry.id, "position", old, entry.position, None)
        return w.result()


def set_entry_active(
    db: Database,
    kind: str,
    entry_id: int,
    active: bool,
    *,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    """Deactivate (or reactivate) an entry: it stays for the programs naming it, which validation
    then reports, and is no longer offered for new ones. Returns how many programs of draft
    editions still name it."""
    with writing(db, source) as w:
        entry = _entry(w, kind, entry_id, expected_version)
        w.log(kind, entry.id, "active", entry.active, bool(active), None)
        entry.active = bool(active)
        return w.result(len(_programs_naming(w, _divisions_under(entry), published=False)))


# --- merge ---------------------------------------------------------------------------------


def _programs_naming(w: Writer, divisions: list[Division], *, published: bool) -> list[Program]:
    ids = [d.id for d in divisions]
    if not ids:
        return []
    # a subquery, not DISTINCT over the rows: PostgreSQL cannot compare the JSON columns
    naming = select(ProgramDivision.program_id).where(ProgramDivision.division_id.in_(ids))
    return list(
        w.session.scalars(
            select(Program)
            .join(Edition, Edition.id == Program.edition_id)
            .where(Program.id.in_(naming), Edition.status == (PUBLISHED if published else DRAFT))
            .order_by(Program.edition_id, Program.uid)
        )
    )


def _merge_division(w: Writer, source: Division, target: Division) -> int:
    """Move the draft editions' programs from source to target; drop or deactivate source. Returns programs moved."""
    source_pair: DivisionPair = (source.department.name, source.name)
    target_pair: DivisionPair = (target.department.name, target.name)
    moved = _programs_naming(w, [source], published=False)
    for program in moved:
        named = [(pd.division.department.name, pd.division.name) for pd in program.divisions]
        pairs = [target_pair if pair == source_pair else pair for pair in named]
        # a program naming both keeps the target once, where it came first
        write_divisions(w, program, list(dict.fromkeys(pairs)), False)
    w.session.flush()
    if _programs_naming(w, [source], published=True):
        if source.active:
            w.log("division", source.id, "active", True, False, None)
            source.active = False
    else:
        w.log("division", source.id, "deleted", _value(source), None, None)
        rest = [d for d in source.department.divisions if d is not source]
        w.session.delete(source)
        reindex(rest)
    w.log(
        "division", target.id, "merged", None, {"from": format_divisions([source_pair]), "programs": len(moved)}, None
    )
    return len(moved)


def _merge_department(w: Writer, source: Department, target: Department) -> int:
    """Each division of source goes into target's division of the same name (created if need be)."""
    moved = 0
    for division in list(source.divisions):
        counterpart = _division_named(target, division.name)
        if counterpart is None:
            counterpart = Division(department_id=target.id, name=division.name, position=0, department=target)
            _insert(w, "division", counterpart, list(target.divisions), None)
        moved += _merge_division(w, division, counterpart)
    w.session.flush()
    w.session.refresh(source)
    if source.divisions:
        if source.active:
            w.log("department", source.id, "active", True, False, None)
            source.active = False
    else:
        w.log("department", source.id, "deleted", _value(source), None, None)
        w.session.delete(source)
        w.session.flush()
        reindex(_departments(w))
    return moved


def merge_entries(
    db: Database,
    kind: str,
    source_id: int,
    target_id: int,
    *,
    source: str = "editor",
    expected_versions: dict[int, int] | None = None,
) -> OpResult:
    """Merge the source entry into the target: every program of a draft edition naming the source
    names the target instead (once, if it named both). The source is deleted, or deactivated
    where a published edition still names it. All or nothing. Returns the number of programs moved.
    expected_versions: entry id -> the version the caller read of each (see rename_entry)."""
    with writing(db, source) as w:
        expected = expected_versions or {}
        old = _entry(w, kind, source_id, expected.get(source_id))
        new = _entry(w, kind, target_id, expected.get(target_id))
        if old is new:
            raise InvalidInput("統合元と統合先が同じです。")
        if not new.active or (isinstance(new, Division) and not new.department.active):
            raise InvalidInput(f"統合先「{_label(new)}」は使用停止です。先に使用を再開してください。")
        if isinstance(old, Department) and isinstance(new, Department):
            moved = _merge_department(w, old, new)
        elif isinstance(old, Division) and isinstance(new, Division):
            moved = _merge_division(w, old, new)
        else:  # _entry gave both of the one kind asked for
            raise AssertionError(kind)
        return w.result(moved)


# --- reading -----------------------------------------------------------------------------


def master_list(db: Database) -> list[DepartmentEntry]:
    """The whole list in its order, inactive entries too, with how many programs name each."""
    with db.read() as session:
        return read_departments(session)
