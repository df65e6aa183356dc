"""What an operation changed, and the write context that records it.

Every operation runs inside `writing(db, source)`: one transaction, and every
field change goes both to the change log (the audit trail) and into the
`OpResult` the caller gets back, so a view can refresh only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kodomo_desktop.core.database import Database, now_iso
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import NotFound, ReadOnlyEdition
from kodomo_desktop.core.models import Base, ChangeLog, Edition

_Row = TypeVar("_Row", bound=Base)


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
    _at: str = field(default_factory=now_iso)

    def log(self, entity: str, entity_id: Any, field_name: str, old: Any, new: Any, edition_id: int | None) -> None:
        if old == new:
            return
        change = Change(entity, str(entity_id), field_name, old, new, edition_id)
        self.changes.append(change)
        self.session.add(
            ChangeLog(
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
        )

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

    def result(self, value: Any = None) -> OpResult:
        return OpResult(tuple(self.changes), value)


@contextmanager
def writing(db: Database, source: str) -> Iterator[Writer]:
    with db.write_session() as session:
        yield Writer(session, source, db.user)
