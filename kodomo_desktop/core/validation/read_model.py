"""The plain read model the rules run over, built from a kodomo-edition/1 document or the database.

Rules never see ORM objects or sessions, so one rule checks a database edition, a
document before import and an Excel return alike. A database view can hold only the
programs an edit touched; the edition's skeleton (policy tree, placements, names) is
always whole, because rules across programs need it and it is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kodomo_desktop.core.divisions import DivisionPair, MasterList, format_divisions
from kodomo_desktop.core.targets import labels_from_mask
from kodomo_desktop.core.vocabulary import CONTINUING, DRAFT, ENDED, MEASURE, POLICY, node_heading

if TYPE_CHECKING:
    from kodomo_desktop.core.models import Program


@dataclass(frozen=True)
class ProgramView:
    uid: str
    name: str
    alias: str | None
    summary: str
    targets: frozenset[str]
    results: str
    divisions: tuple[DivisionPair, ...]
    needs_review: bool = False
    review_notes: tuple[str, ...] = ()
    status: str = CONTINUING

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> ProgramView:
        return cls(
            uid=doc["id"],
            name=doc.get("name") or "",
            alias=doc.get("alias"),
            summary=doc.get("summary") or "",
            targets=frozenset(doc.get("targets", ())),
            results=doc.get("results") or "",
            divisions=tuple((d["department"], d.get("division")) for d in doc.get("divisions", ())),
            needs_review=bool(doc.get("needs_review", False)),
            review_notes=tuple(doc.get("review_notes", ())),
            status=doc.get("status", CONTINUING),
        )

    @classmethod
    def from_row(cls, program: Program) -> ProgramView:
        return cls(
            uid=program.uid,
            name=program.name,
            alias=program.alias,
            summary=program.summary,
            targets=frozenset(labels_from_mask(program.targets)),
            results=program.results,
            divisions=tuple((pd.division.department.name, pd.division.name) for pd in program.divisions),
            needs_review=program.needs_review,
            review_notes=tuple(program.review_notes),
            status=program.status,
        )

    @property
    def printed(self) -> bool:
        """An ended program stays in the edition's history but is not in the booklet."""
        return self.status != ENDED

    def texts(self) -> Iterable[tuple[str, str]]:
        """(field, text) of the free-text fields, as the booklet prints them."""
        yield "name", self.name
        if self.alias:
            yield "alias", self.alias
        yield "summary", self.summary
        yield "results", self.results

    def value(self, field_name: str | None) -> str:
        """A field as one text: what a finding about it judged."""
        if field_name == "targets":
            return "・".join(sorted(self.targets))
        if field_name == "divisions":
            return format_divisions(self.divisions)
        if field_name == "review_notes":
            return "\n".join(self.review_notes)
        return str(getattr(self, field_name, "") or "") if field_name else ""


@dataclass(frozen=True)
class NodeView:
    """A numbered node: a 基本施策 or a 個別施策 with the programs listed under it, in order."""

    kind: str  # policy | measure
    number: int | None
    title: str
    label: str  # 基本施策2 (ライフステージを通して) 個別施策1: how messages name it
    group: Any  # nodes with equal group are siblings: their numbers must differ
    placements: tuple[tuple[str, bool], ...] = ()  # (program uid, relisted)


@dataclass(frozen=True)
class EditionView:
    fiscal_year: int
    status: str
    nodes: tuple[NodeView, ...]
    programs: Mapping[str, ProgramView]  # the programs to check: all, or those an edit touched
    names: Mapping[str, str]  # every program of the edition, uid -> name
    ended: frozenset[str]  # uids of ended programs (not printed)
    master: MasterList

    @cached_property
    def placements(self) -> dict[str, list[tuple[NodeView, bool]]]:
        """uid -> [(measure, relisted)] in booklet order."""
        out: dict[str, list[tuple[NodeView, bool]]] = {uid: [] for uid in self.names}
        for node in self.nodes:
            for uid, relisted in node.placements:
                out.setdefault(uid, []).append((node, relisted))
        return out

    @cached_property
    def order(self) -> dict[str, int]:
        """uid -> position of its first listing in the booklet: findings are shown in that order."""
        out: dict[str, int] = {}
        for node in self.nodes:
            for uid, _relisted in node.placements:
                out.setdefault(uid, len(out))
        return out


def measure_label(parent_label: str, number: int | None) -> str:
    return f"{parent_label} {node_heading(MEASURE, number)}"


# --- from a document ----------------------------------------------------------------


def view_from_document(doc: Mapping[str, Any], master: MasterList) -> EditionView:
    """A kodomo-edition/1 document (checked against the schema) as a read model."""
    nodes: list[NodeView] = []
    for i, policy in enumerate(doc["policies"]):
        label = node_heading(POLICY, policy.get("number"))
        nodes.append(NodeView(POLICY, policy.get("number"), policy["title"], label, None))
        groups = [(f"{label} ({s['title']})", s["measures"]) for s in policy.get("stages", [])]
        groups = groups or [(label, policy.get("measures", []))]
        for j, (parent_label, measures) in enumerate(groups):
            for measure in measures:
                placements = tuple((p["program"], bool(p["relisted"])) for p in measure["placements"])
                number = measure.get("number")
                nodes.append(
                    NodeView(MEASURE, number, measure["title"], measure_label(parent_label, number), (i, j), placements)
                )
    programs = {p["id"]: ProgramView.from_document(p) for p in doc["programs"]}
    return EditionView(
        fiscal_year=doc["fiscal_year"],
        status=doc.get("status", DRAFT),
        nodes=tuple(nodes),
        programs=programs,
        names={uid: p.name for uid, p in programs.items()},
        ended=frozenset(uid for uid, p in programs.items() if not p.printed),
        master=master,
    )
