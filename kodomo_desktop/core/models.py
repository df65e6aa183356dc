"""The ORM models: one DeclarativeBase, typed Mapped[...] columns.

Migrations in db/ must produce exactly this schema (tests/test_migrations.py checks it).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, MetaData, String, Text, UniqueConstraint, text, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kodomo_desktop.core.vocabulary import CONTINUING, DEFAULT_CITY, DRAFT, PUBLISHED

# Constraint names are needed for SQLite batch migrations to alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[object, object]] = {
        str: String(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class Edition(Base):
    __tablename__ = "edition"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str]
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, server_default=DRAFT)
    # the issuing body on the cover and colophon
    issuer_city: Mapped[str] = mapped_column(default=DEFAULT_CITY, server_default=DEFAULT_CITY)
    issuer_department: Mapped[str | None]
    issuer_division: Mapped[str | None]
    # the last publication: kept when it is unpublished, replaced when published again
    published_on: Mapped[date | None]
    # the kodomo-edition/1 document (JSON text) as published; deferred: only a proof reads it
    published_snapshot: Mapped[str | None] = mapped_column(Text, deferred=True)

    nodes: Mapped[list[PolicyNode]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", passive_deletes=True
    )
    programs: Mapped[list[Program]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED


class PolicyNode(Base):
    """基本施策 (kind 'policy') → optional life stage ('stage') → 個別施策 ('measure')."""

    __tablename__ = "policy_node"
    __table_args__ = (Index("ix_policy_node_parent_position", "edition_id", "parent_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("policy_node.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    # None only for stages, which are not numbered
    number: Mapped[int | None]
    title: Mapped[str]
    position: Mapped[int]
    # bumped by every write of the row (core.changes): a write based on an older one is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    edition: Mapped[Edition] = relationship(back_populates="nodes")
    children: Mapped[list[PolicyNode]] = relationship(
        order_by="PolicyNode.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Department(Base):
    """部 (or an independent office such as 選挙管理委員会事務局): the master list."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    position: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # bumped by every write of the row (core.changes): a write based on an older one is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    divisions: Mapped[list[Division]] = relationship(back_populates="department", order_by="Division.position")


class Division(Base):
    """課・室・センター・主幹付; name None is the department itself being responsible."""

    __tablename__ = "division"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    name: Mapped[str | None]
    position: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # bumped by every write of the row (core.changes): a write based on an older one is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    department: Mapped[Department] = relationship(back_populates="divisions")


class Program(Base):
    __tablename__ = "program"
    __table_args__ = (UniqueConstraint("edition_id", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    # stable id: the same program keeps it across exports and editions
    uid: Mapped[str] = mapped_column(String(32))
    name: Mapped[str]
    alias: Mapped[str | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    # bit i set = targets.TARGETS[i]
    targets: Mapped[int] = mapped_column(default=0)
    # bits of `targets` (ticked or not) whose value is not certain; cleared as the editor sets them
    uncertain_targets: Mapped[int] = mapped_column(default=0, server_default="0")
    results: Mapped[str] = mapped_column(Text, default="")
    previous_results: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default=CONTINUING, server_default=CONTINUING)
    needs_review: Mapped[bool] = mapped_column(default=False)
    review_notes: Mapped[list[str]] = mapped_column(default=list)
    # bumped by every write of the row (core.changes): a write based on an older one is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    edition: Mapped[Edition] = relationship(back_populates="programs")
    divisions: Mapped[list[ProgramDivision]] = relationship(
        order_by="ProgramDivision.position", cascade="all, delete-orphan", passive_deletes=True
    )
    placements: Mapped[list[Placement]] = relationship(
        back_populates="program", cascade="all, delete-orphan", passive_deletes=True
    )


class ProgramDivision(Base):
    """所管: a program's responsible divisions, in printed order."""

    __tablename__ = "program_division"

    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), primary_key=True)
    # indexed (the key leads with program_id): merging and deactivating look programs up by division
    division_id: Mapped[int] = mapped_column(ForeignKey("division.id"), primary_key=True, index=True)
    position: Mapped[int]

    division: Mapped[Division] = relationship()


class Placement(Base):
    """A program listed under a 個別施策. Exactly one per program is primary; the rest print 【再掲】."""

    __tablename__ = "placement"
    __table_args__ = (
        UniqueConstraint("measure_id", "program_id"),
        Index("ix_placement_measure_position", "measure_id", "position"),
        # the database itself refuses a second primary placement of one program. The PostgreSQL
        # form is added by postgresql_forms(): a postgresql_where= here would import that dialect
        # (and asyncio) at every SQLite start-up. The migration (db/versions/0001) carries both.
        Index("uq_placement_primary", "program_id", unique=True, sqlite_where=text("is_primary = 1")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed: a program's placements are read for every form and every delete
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("policy_node.id", ondelete="CASCADE"))
    position: Mapped[int]
    is_primary: Mapped[bool] = mapped_column(default=False)
    # bumped by every write of the row (core.changes): a write based on an older one is refused
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    program: Mapped[Program] = relationship(back_populates="placements")
    measure: Mapped[PolicyNode] = relationship()


class ChangeLog(Base):
    """The audit trail: who changed what field of what, when, from where."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC, sortable as text
    user: Mapped[str] = mapped_column(String(128))
    source: Mapped[str]  # editor | import:<file> | seed | cli | rollover ...
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="SET NULL"))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    # the row's version this change made (program, policy node, master entry); None before 0004
    version: Mapped[int | None]


class FindingAck(Base):
    """A validation finding marked 「確認済み」: hidden for that program until the text it judged changes."""

    __tablename__ = "finding_ack"
    __table_args__ = (UniqueConstraint("edition_id", "program_uid", "code", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    program_uid: Mapped[str | None] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(64))
    # fingerprint of the judged text: a change of the text brings the finding back
    fingerprint: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[str] = mapped_column(String(32))


class ReturnImport(Base):
    """One Excel return applied to an edition: which unit returned what, when (the returns overview)."""

    __tablename__ = "return_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    unit: Mapped[str]
    file_name: Mapped[str]
    sha256: Mapped[str] = mapped_column(String(64))
    user: Mapped[str] = mapped_column(String(128))
    at: Mapped[str] = mapped_column(String(32))
    changes: Mapped[int] = mapped_column(default=0)


class Presence(Base):
    """A window with an edition open: who, on which computer and process, since when, last heard from when.

    Bookkeeping, not content: written by core.presence, not through the change log."""

    __tablename__ = "presence"
    __table_args__ = (UniqueConstraint("user", "host", "pid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(128))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    edition_id: Mapped[int | None] = mapped_column(ForeignKey("edition.id", ondelete="SET NULL"))
    since: Mapped[str] = mapped_column(String(32))  # ISO 8601 UTC, as change_log.at
    heartbeat: Mapped[str] = mapped_column(String(32))


def postgresql_forms() -> None:
    """Give the partial primary-placement index its PostgreSQL condition (a server database is opened)."""
    for index in Base.metadata.tables["placement"].indexes:
        if index.name == "uq_placement_primary":
            index.dialect_options["postgresql"]["where"] = text("is_primary")
