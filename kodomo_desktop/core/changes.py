"""What an operation changed, and the write context that records it.

Every operation runs inside `writing(db, source)`: one transaction, and every
field change goes both to the change log (the audit trail) and into the
`OpResult` the caller gets back, so a view can refresh only what changed.

Every write of a program, policy node, placement or master entry bumps the row's
version, and the change log row keeps the version it made: a write based on an older
version (`check_version`, `check_row`) is refused with a `Conflict` that names who changed what since.

The log's user is the database user on a server (PostgreSQL's current_user: who logged in,
whatever the PC says) and the OS user on a SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Select, event, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kodomo_desktop.core.database import Database, now_iso
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import Conflict, NotFound, ReadOnlyEdition
from kodomo_desktop.core.live import notify_changes
from kodomo_desktop.core.models import Base, ChangeLog, Department, Division, Edition, Placement, PolicyNode, Program

_Row = TypeVar("_Row", bound=Base)

# entities of the change log whose rows carry a version, by the row id the log names them with
_VERSIONED_BY_ID: dict[str, type[PolicyNode] | type[Department] | type[Division]] = {
    "policy_node": PolicyNode,
    "department": Department,
    "division": Division,
}
_CHUNK = 500  # ids per statement, well under SQLite's bound-parameter limit


@dataclass(frozen=True)
class Change:
    entity: str  # program | placement | policy_node | edition | department | division
    entity_id: str  # program uid, or the row id of the others
    field: str
    old: Any
    new: Any
    edition_id: int | None = None


@dataclass(frozen=True)
class OpResult:
    changes: tuple[Change, ...] = ()
    # what the operation made or found, e.g. the id of a new program
    value: Any = None
    # the version each written row now has: a program by its uid, any other row by row_key()
    versions: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def touched(self, entity: str) -> set[str]:
        return {c.entity_id for c in self.changes if c.entity == entity}


@dataclass
class Writer:
    session: Session
    source: str
    user: str
    changes: list[Change] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    _at: str = field(default_factory=now_iso)
    _unversioned: list[ChangeLog] = field(default_factory=list)

    def __post_init__(self) -> None:
        # once per session: several writers may share one transaction (an Excel return per file)
        if not event.contains(self.session, "before_flush", _bump_placements):
            event.listen(self.session, "before_flush", _bump_placements)
        if self.session.get_bind().dialect.name == "postgresql":
            # other windows refresh when this transaction commits (core.live)
            event.listen(self.session, "before_commit", lambda session: notify_changes(session, self.changes))

    def log(self, entity: str, entity_id: Any, field_name: str, old: Any, new: Any, edition_id: int | None) -> None:
        if old == new:
            return
        change = Change(entity, str(entity_id), field_name, old, new, edition_id)
        self.changes.append(change)
        row = ChangeLog(
            at=self._at,
            user=self.user,
            source=self.source,
            edition_id=edition_id,
            entity=entity,
            entity_id=change.entity_id,
            field=field_name,
            old=old,
            new=new,
        )
        self.session.add(row)
        if entity == "program" or entity in _VERSIONED_BY_ID:
            self._unversioned.append(row)

    def log_many(self, entries: Iterable[tuple[str, Any, str, Any, Any, int | None]]) -> None:
        """Log entries as log() does, in one statement: an import logs thousands."""
        changes = [Change(e, str(i), f, old, new, ed) for e, i, f, old, new, ed in entries if old != new]
        if not changes:
            return
        self.changes += changes
        self.session.flush()  # the entries logged before these come first
        self.session.execute(
            insert(ChangeLog),
            [
                {
                    "at": self._at,
                    "user": self.user,
                    "source": self.source,
                    "edition_id": c.edition_id,
                    "entity": c.entity,
                    "entity_id": c.entity_id,
                    "field": c.field,
                    "old": c.old,
                    "new": c.new,
                }
                for c in changes
            ],
        )

    def get(self, model: type[_Row], ident: int, what: str) -> _Row:
        obj = self.session.get(model, ident)
        if obj is None:
            raise NotFound(f"{what}（id {ident}）が見つかりません。別の画面で削除された可能性があります。")
        return obj

    def editable(self, edition_id: int) -> Edition:
        """The edition, refusing any write to a published one whatever the caller."""
        edition = self.get(Edition, edition_id, "年度版")
        if edition.published:
            raise ReadOnlyEdition(
                f"{era_label(edition.fiscal_year)}版は公開済みのため変更できません。"
                "訂正が必要なときは「公開を取り消す」を理由とともに実行してください。"
            )
        return edition

    def check_version(self, program: Program, expected: int | None, fields: Iterable[str]) -> None:
        self._lock(program, expected)
        conflict = version_conflict(self.session, program, expected, fields)
        if conflict is not None:
            raise conflict

    def check_row(
        self,
        row: Versioned,
        expected: int | None,
        subject: str,
        fields: Iterable[str] | None = None,
        measure: str = "",
    ) -> None:
        """Refuse a write of these fields (None: any) of a policy node, placement or master entry
        based on an older version than the row has (see version_conflict). measure: a placement's
        measure as the log names it."""
        self._lock(row, expected)
        conflict = row_conflict(self.session, row, expected, subject, fields, measure)
        if conflict is not None:
            raise conflict

    def _lock(self, row: Program | Versioned, expected: int | None) -> None:
        """Read the row again, locked until the transaction ends: on a server another transaction may
        have checked the same version and be about to write, and would otherwise both go through
        (SQLite's write transaction holds the whole file already; FOR UPDATE is left out there)."""
        if expected is not None:
            self.session.refresh(row, with_for_update=True)

    def bump_versions(self) -> None:
        """One more version for every row logged since the last call; each log row keeps the version it made."""
        rows, self._unversioned = self._unversioned, []
        if not rows:
            return
        self.session.flush()
        programs: dict[int | None, set[str]] = {}
        others: dict[str, set[int]] = {}
        for row in rows:
            if row.entity == "program":
                programs.setdefault(row.edition_id, set()).add(row.entity_id)
            else:
                others.setdefault(row.entity, set()).add(int(row.entity_id))
        made: dict[tuple[str, str, int | None], int] = {}
        for edition_id, uids in programs.items():
            for chunk in _chunks(sorted(uids)):
                where = (Program.edition_id == edition_id, Program.uid.in_(chunk))
                self.session.execute(
                    update(Program).where(*where).values(version=Program.version + 1),
                    execution_options={"synchronize_session": False},
                )
                for uid, version in self.session.execute(select(Program.uid, Program.version).where(*where)):
                    made["program", uid, edition_id] = version
                    self.versions[uid] = version
        for entity, ids in others.items():
            model = _VERSIONED_BY_ID[entity]
            for id_chunk in _chunks(sorted(ids)):
                self.session.execute(
                    update(model).where(model.id.in_(id_chunk)).values(version=model.version + 1),
                    execution_options={"synchronize_session": False},
                )
                for ident, version in self.session.execute(
                    select(model.id, model.version).where(model.id.in_(id_chunk))
                ):
                    made[entity, str(ident), None] = version
                    self.versions[f"{entity}:{ident}"] = version
        for row in rows:
            row.version = made.get((row.entity, row.entity_id, row.edition_id if row.entity == "program" else None))
        # the rows in the session learn their new versions without a reload
        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, Program):
                key: tuple[str, str, int | None] = ("program", obj.uid, obj.edition_id)
            elif isinstance(obj, (PolicyNode, Department, Division)):
                key = (obj.__tablename__, str(obj.id), None)
            else:
                continue
            if key in made:
                set_committed_value(obj, "version", made[key])

    def result(self, value: Any = None) -> OpResult:
        self.bump_versions()
        for placement in self.session.info.pop(_BUMPED, ()):
            if placement in self.session and placement not in self.session.deleted:
                self.versions[row_key(placement)] = placement.version
        return OpResult(tuple(self.changes), value, dict(self.versions))


Versioned = PolicyNode | Placement | Department | Division


def row_key(row: Versioned) -> str:
    """How OpResult.versions names a row other than a program: "policy_node:12", "placement:7"."""
    return f"{row.__tablename__}:{row.id}"


def version_conflict(
    session: Session, program: Program, expected: int | None, fields: Iterable[str]
) -> Conflict | None:
    """What refuses a write of these fields based on an older version of the program (None: no check):
    the latest change of one of them by a write after that version. A change of other fields is no conflict."""
    if expected is None or program.version == expected:
        return None
    return latest_change(session, program, fields, after=expected)


def latest_change(
    session: Session, program: Program, fields: Iterable[str] | None = None, *, after: int | None = None
) -> Conflict | None:
    """The latest logged change of these fields (None: any) of the program, after a version, as the
    Conflict a write it overtook meets: who changed which field to what, and when."""
    query = select(ChangeLog).where(
        ChangeLog.entity == "program", ChangeLog.entity_id == program.uid, ChangeLog.edition_id == program.edition_id
    )
    if fields is not None:
        query = query.where(ChangeLog.field.in_(list(fields)))
    if after is not None:
        query = query.where(ChangeLog.version > after)
    latest = session.scalar(query.order_by(ChangeLog.id.desc()).limit(1))
    if latest is None:
        return None
    return Conflict(
        uid=program.uid,
        name=program.name,
        field=latest.field,
        theirs=latest.new,
        user=latest.user,
        at=latest.at,
        source=latest.source,
        version=program.version,
    )


def row_conflict(
    session: Session,
    row: Versioned,
    expected: int | None,
    subject: str,
    fields: Iterable[str] | None = None,
    measure: str = "",
) -> Conflict | None:
    """version_conflict for a policy node, placement or master entry. A placement's changes are logged
    on its program (field "placement"), and a move of another program in the same measure renumbers
    it unlogged: any newer version conflicts, named by the latest placement change in its measure or,
    failing that, of its program."""
    if expected is None or row.version == expected:
        return None
    logged = select(ChangeLog).order_by(ChangeLog.id.desc())
    latest: ChangeLog | None
    theirs: Any
    if isinstance(row, Placement):
        latest = _placement_change(session, row, logged, measure)
        theirs = f"{measure} {row.position + 1}番目" + ("" if row.is_primary else "（再掲）")
    else:
        query = logged.where(
            ChangeLog.entity == row.__tablename__, ChangeLog.entity_id == str(row.id), ChangeLog.version > expected
        )
        if fields is not None:
            query = query.where(ChangeLog.field.in_(list(fields)))
        latest = session.scalar(query.limit(1))
        theirs = latest.new if latest is not None else None
    if latest is None:
        return None
    return Conflict(
        uid="",
        name="",
        field=latest.field,
        theirs=theirs,
        user=latest.user,
        at=latest.at,
        source=latest.source,
        version=row.version,
        subject=subject,
    )


_RECENT = 200  # placement changes of an edition looked through for the one that moved a placement


def _placement_change(
    session: Session, placement: Placement, logged: Select[ChangeLog], measure: str
) -> ChangeLog | None:
    """The change that last moved this placement: the latest placement change in its measure (a move of
    another program there renumbers it unlogged), else the latest of its program."""
    program = placement.program
    in_edition = logged.where(ChangeLog.edition_id == program.edition_id, ChangeLog.field == "placement")
    for change in session.scalars(in_edition.limit(_RECENT)):
        if any(isinstance(v, dict) and v.get("measure") == measure for v in (change.old, change.new)):
            return change
    return session.scalar(in_edition.where(ChangeLog.entity == "program", ChangeLog.entity_id == program.uid).limit(1))


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


_BUMPED = "kodomo_bumped_placements"  # session.info key: the placements whose version went up


def _bump_placements(session: Session, _context: object, _instances: object) -> None:
    """A placement's row is written in place (position, primary), so its version goes up with each write."""
    bumped = session.info.setdefault(_BUMPED, set())
    for obj in session.dirty:
        if isinstance(obj, Placement) and session.is_modified(obj, include_collections=False):
            obj.version += 1
            bumped.add(obj)
    bumped.update(obj for obj in session.new if isinstance(obj, Placement))


def audit_user(db: Database, session: Session) -> str:
    """Who the change log names: the database user on a server, the OS user on a SQLite file."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.scalar(text("SELECT current_user")))
    return db.user


@contextmanager
def writing(db: Database, source: str) -> Iterator[Writer]:
    with db.write_session() as session:
        writer = Writer(session, source, audit_user(db, session))
        yield writer
        writer.bump_versions()
