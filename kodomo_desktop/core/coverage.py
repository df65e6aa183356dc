"""The coverage picture: how many programs reach each target group under each 個別施策.

Built from a kodomo-edition/1 document. Each listed program counts once per measure it is
placed under (a 【再掲】 placement counts under its measure); ended (終了) programs are not
printed, so not counted. `compare` gives the change per cell between two editions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kodomo_desktop.core.listing import is_listed
from kodomo_desktop.core.targets import TARGETS

ADDED = "added"
REMOVED = "removed"
KEPT = "kept"


@dataclass(frozen=True)
class CoverageRow:
    policy: int  # 基本施策 number
    stage: str | None  # life-stage title (without brackets) or None
    measure: int  # 個別施策 number
    title: str  # the measure's title
    counts: tuple[int, ...]  # per target in TARGETS order: programs placed under this measure that reach it
    programs: int  # programs placed under this measure (each once)
    ids: tuple[tuple[str, ...], ...]  # per target, the program ids counted (for "click a cell")
    policy_title: str = ""

    @property
    def key(self) -> tuple[int, str | None, int]:
        return self.policy, self.stage, self.measure


@dataclass(frozen=True)
class Coverage:
    fiscal_year: int
    targets: tuple[str, ...]  # TARGETS
    rows: tuple[CoverageRow, ...]  # booklet order
    totals: tuple[int, ...]  # column totals (sum of counts per target over rows)
    programs: int  # sum of CoverageRow.programs

    def as_dict(self) -> dict[str, Any]:
        return {
            "fiscal_year": self.fiscal_year,
            "targets": list(self.targets),
            "rows": [
                {
                    "policy": row.policy,
                    "policy_title": row.policy_title,
                    "stage": row.stage,
                    "measure": row.measure,
                    "title": row.title,
                    "counts": list(row.counts),
                    "programs": row.programs,
                    "ids": [list(ids) for ids in row.ids],
                }
                for row in self.rows
            ],
            "totals": list(self.totals),
            "programs": self.programs,
        }


def coverage(document: dict[str, Any]) -> Coverage:
    listed = {p["id"]: p for p in document["programs"] if is_listed(p)}
    rows = []
    for policy in document["policies"]:
        # a policy without life stages holds its measures itself
        for group in policy.get("stages") or [policy]:
            stage = group["title"] if group is not policy else None
            for measure in group.get("measures") or []:
                placed = dict.fromkeys(pl["program"] for pl in measure["placements"] if pl["program"] in listed)
                ids = tuple(tuple(pid for pid in placed if target in listed[pid]["targets"]) for target in TARGETS)
                rows.append(
                    CoverageRow(
                        policy=policy["number"],
                        stage=stage,
                        measure=measure["number"],
                        title=measure["title"],
                        counts=tuple(len(cell) for cell in ids),
                        programs=len(placed),
                        ids=ids,
                        policy_title=policy["title"],
                    )
                )
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(len(TARGETS)))
    return Coverage(document["fiscal_year"], TARGETS, tuple(rows), totals, sum(row.programs for row in rows))


@dataclass(frozen=True)
class RowChange:
    """One measure in two editions: its counts then and now and the change per cell (new − old)."""

    row: CoverageRow  # as in the new edition; for a removed measure, as in the old one
    status: str  # KEPT, ADDED (only in the new edition) or REMOVED (only in the old one)
    deltas: tuple[int, ...]  # per target, new − old (a missing side counts 0)
    programs: int  # change in programs placed under the measure
    gained: tuple[tuple[str, ...], ...]  # per target, program ids counted now but not before
    lost: tuple[tuple[str, ...], ...]  # per target, program ids counted before but not now


@dataclass(frozen=True)
class CoverageChange:
    old: Coverage
    new: Coverage
    rows: tuple[RowChange, ...]  # new booklet order; a removed measure after the row before it in the old edition
    totals: tuple[int, ...]  # new − old column totals
    programs: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.old.fiscal_year,
            "to": self.new.fiscal_year,
            "targets": list(self.new.targets),
            "rows": [
                {
                    "policy": c.row.policy,
                    "stage": c.row.stage,
                    "measure": c.row.measure,
                    "title": c.row.title,
                    "status": c.status,
                    "counts": list(c.row.counts) if c.status != REMOVED else [0] * len(c.deltas),
                    "changes": list(c.deltas),
                    "programs": c.programs,
                    "gained": [list(ids) for ids in c.gained],
                    "lost": [list(ids) for ids in c.lost],
                }
                for c in self.rows
            ],
            "totals": list(self.totals),
            "programs": self.programs,
        }


def signed(delta: int) -> str:
    """「+2」「-1」「0」: a change as printed."""
    return f"{delta:+d}" if delta else "0"


def compare(old: Coverage, new: Coverage) -> CoverageChange:
    """The change per cell from old to new.

    A measure is matched by (基本施策, stage, number) with the same title; one left over then by its
    title alone (renumbered or moved), then by its place alone (retitled); what is left is added
    or removed.
    """
    matched: dict[int, int] = {}  # index in new.rows -> index in old.rows
    keys: tuple[Any, ...] = (
        lambda r: (r.key, r.title),
        lambda r: r.title,
        lambda r: r.key,
    )
    for key in keys:
        free: dict[Any, int] = {}
        taken = set(matched.values())
        for i, row in enumerate(old.rows):
            if i not in taken:
                free.setdefault(key(row), i)
        for j, row in enumerate(new.rows):
            if j not in matched and (i := free.pop(key(row), -1)) >= 0:
                matched[j] = i
    empty = tuple(() for _ in new.targets)
    changes = [
        _change(new.rows[j], old.rows[matched[j]] if j in matched else None, empty) for j in range(len(new.rows))
    ]
    # a removed measure goes after the new row matched to the old row before it
    position = {i: j for j, i in matched.items()}
    inserted: dict[int, list[RowChange]] = {}
    after = -1
    for i, row in enumerate(old.rows):
        if i in position:
            after = position[i]
        else:
            inserted.setdefault(after, []).append(_removed(row))
    rows = [*inserted.get(-1, [])]
    for j, change in enumerate(changes):
        rows += [change, *inserted.get(j, [])]
    totals = tuple(n - o for n, o in zip(new.totals, old.totals, strict=True))
    return CoverageChange(old, new, tuple(rows), totals, new.programs - old.programs)


def _change(row: CoverageRow, before: CoverageRow | None, empty: tuple[tuple[str, ...], ...]) -> RowChange:
    then = before.ids if before is not None else empty
    return RowChange(
        row=row,
        status=KEPT if before is not None else ADDED,
        deltas=tuple(len(now) - len(old) for now, old in zip(row.ids, then, strict=True)),
        programs=row.programs - (before.programs if before is not None else 0),
        gained=tuple(tuple(p for p in now if p not in old) for now, old in zip(row.ids, then, strict=True)),
        lost=tuple(tuple(p for p in old if p not in now) for now, old in zip(row.ids, then, strict=True)),
    )


def _removed(row: CoverageRow) -> RowChange:
    return RowChange(
        row=row,
        status=REMOVED,
        deltas=tuple(-n for n in row.counts),
        programs=-row.programs,
        gained=tuple(() for _ in row.ids),
        lost=row.ids,
    )
