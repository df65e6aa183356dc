"""Comparing two editions: programs added, ended, renamed; changed fields; placements
added, removed or moved; policy-tree changes.

Works on kodomo-edition/1 documents, so any two exports can be compared. Programs are
matched by their stable id. Policy nodes have no stable id: they are matched by their
printed address (基本施策 number, life stage title, 個別施策 number), then, among the
rest, by title — so a renumbered measure is one tree change, not a move of every
program listed under it. Only listed programs count: an ended (終了) program is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.listing import is_listed
from kodomo_desktop.core.textdiff import Run, as_json, edit_script, excerpt, marked
from kodomo_desktop.core.vocabulary import MEASURE, NODE_KIND_LABELS, POLICY, STAGE, node_heading

# the fields compared, in the order they are reported; the name has its own list (renamed)
COMPARED_FIELDS = ("alias", "summary", "targets", "divisions", "results")
# every field a change can be filtered by: the name (renamed), then the compared ones
FILTER_FIELDS = ("name", *COMPARED_FIELDS)
# the kinds of change, as the reports title them, in reporting order
KIND_LABELS = {
    "added": "追加された事業",
    "ended": "終了した事業",
    "renamed": "名称が変わった事業",
    "fields": "内容が変わった事業",
    "placements": "掲載の変更",
    "policy": "施策体系の変更",
}
PLACEMENT_CHANGES = {"added": "追加", "removed": "削除", "moved": "移動", "primary": "主な掲載先の変更"}
NODE_CHANGES = {"added": "追加", "removed": "削除", "renamed": "名称変更", "moved": "番号・位置の変更"}


@dataclass(frozen=True)
class ProgramEntry:
    """A program added or ended, with where it is (or was) listed."""

    uid: str
    name: str
    divisions: str
    measures: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    uid: str
    name: str  # as in the newer edition
    field: str  # a key of FIELD_LABELS
    old: str
    new: str

    def edits(self) -> list[Run]:
        return edit_script(self.old, self.new)


@dataclass(frozen=True)
class PlacementChange:
    uid: str
    name: str
    change: str  # a key of PLACEMENT_CHANGES
    old: str | None  # the measure in the older edition
    new: str | None


@dataclass(frozen=True)
class NodeChange:
    kind: str  # policy | stage | measure
    change: str  # a key of NODE_CHANGES
    old: str | None
    new: str | None


@dataclass(frozen=True)
class YearDiff:
    from_year: int
    to_year: int
    added: tuple[ProgramEntry, ...] = ()
    ended: tuple[ProgramEntry, ...] = ()
    renamed: tuple[FieldChange, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    placements: tuple[PlacementChange, ...] = ()
    policy: tuple[NodeChange, ...] = ()
    filter: str = ""  # how the changes were narrowed, as the reports say it; "" for all of them

    def __bool__(self) -> bool:
        return any((self.added, self.ended, self.renamed, self.fields, self.placements, self.policy))

    def as_dict(self) -> dict[str, Any]:
        """Every change; a name or field change also as its edit script, for tools that render it."""
        found = asdict(self)
        for key in ("renamed", "fields"):
            for entry, change in zip(found[key], getattr(self, key), strict=True):
                entry["edit_script"] = as_json(change.edits())
        found["field_counts"] = field_counts(self)
        return found


@dataclass(frozen=True)
class Section:
    """One kind of change as a table: what the text output, the .xlsx report and the dialog show."""

    key: str
    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]  # column widths in characters
    rows: tuple[tuple[str, ...], ...] = ()
    # where a row's change is shown down to the character: the (old, new) full-text columns, and the
    # edit script of each row, whose excerpt is the last column (plain text with 【+…】/【-…】)
    full_columns: tuple[int, int] | None = None
    scripts: tuple[tuple[Run, ...], ...] = ()


# --- the policy tree --------------------------------------------------------------


# compared by identity: two nodes of one tree are never the same node
@dataclass(frozen=True, eq=False)
class _Node:
    kind: str
    address: tuple[int | str | None, ...]  # how the printed list names the node's place
    label: str  # '基本施策2 (青年期) 個別施策1'
    title: str
    placements: tuple[tuple[str, bool], ...] = ()  # (program uid, relisted)

    @property
    def display(self) -> str:
        return f"{self.label}「{self.title}」"


def _nodes(doc: dict[str, Any]) -> list[_Node]:
    """Every node of the document's tree, in printed order."""
    nodes = []
    for policy in doc["policies"]:
        label = node_heading(POLICY, policy["number"])
        nodes.append(_Node(POLICY, (policy["number"],), label, policy["title"]))
        groups = [(None, label, policy)] if "measures" in policy else []
        for stage in policy.get("stages", []):
            stage_label = f"{label} ({stage['title']})"
            nodes.append(_Node(STAGE, (policy["number"], stage["title"]), stage_label, stage["title"]))
            groups.append((stage["title"], stage_label, stage))
        for stage_title, parent_label, group in groups:
            for measure in group["measures"]:
                placements = tuple((p["program"], p["relisted"]) for p in measure["placements"])
                address = (policy["number"], stage_title, measure["number"])
                heading = f"{parent_label} {node_heading(MEASURE, measure['number'])}"
                nodes.append(_Node(MEASURE, address, heading, measure["title"], placements))
    return nodes


def _match_nodes(old: list[_Node], new: list[_Node]) -> tuple[dict[_Node, _Node], list[NodeChange]]:
    """Old node -> its new counterpart, and the tree changes."""
    by_address = {(n.kind, n.address): n for n in new}
    matched: dict[_Node, _Node] = {}
    changes: list[NodeChange] = []
    for node in old:
        twin = by_address.get((node.kind, node.address))
        if twin is not None:
            matched[node] = twin
            if twin.title != node.title:
                changes.append(NodeChange(node.kind, "renamed", node.display, twin.display))
    taken = set(matched.values())
    free = [n for n in new if n not in taken]
    for node in (n for n in old if n not in matched):
        twin = next((n for n in free if n.kind == node.kind and n.title == node.title), None)
        if twin is None:
            changes.append(NodeChange(node.kind, "removed", node.display, None))
            continue
        free.remove(twin)
        matched[node] = twin
        changes.append(NodeChange(node.kind, "moved", node.display, twin.display))
    changes.extend(NodeChange(n.kind, "added", None, n.display) for n in free)
    return matched, changes


# --- programs ---------------------------------------------------------------------


def _field_text(program: dict[str, Any], name: str) -> str:
    if name == "targets":
        return "・".join(program["targets"])
    if name == "divisions":
        return format_divisions((d["department"], d["division"]) for d in program["divisions"])
    return program.get(name) or ""


def _placements_by_program(nodes: list[_Node]) -> dict[str, list[tuple[_Node, bool]]]:
    found: dict[str, list[tuple[_Node, bool]]] = {}
    for node in nodes:
        for uid, relisted in node.placements:
            found.setdefault(uid, []).append((node, relisted))
    return found


def _where(node: _Node, relisted: bool) -> str:
    return node.display + ("【再掲】" if relisted else "")


def _entry(program: dict[str, Any], placements: list[tuple[_Node, bool]]) -> ProgramEntry:
    ordered = sorted(placements, key=lambda p: p[1])  # the primary first
    measures = tuple(_where(node, relisted) for node, relisted in ordered)
    return ProgramEntry(program["id"], program["name"], _field_text(program, "divisions"), measures)


def _placement_changes(
    uid: str, name: str, old: list[tuple[_Node, bool]], new: list[tuple[_Node, bool]], matched: dict[_Node, _Node]
) -> list[PlacementChange]:
    """One program's placements compared, old measures seen through the tree matching.

    A program that left one measure and entered another has moved; the primary
    placements pair first, then the re-listings in printed order.
    """
    new_nodes = {node for node, _ in new}
    old_nodes = {matched.get(node) for node, _ in old}
    removed = [(node, relisted) for node, relisted in old if matched.get(node) not in new_nodes]
    added = [(node, relisted) for node, relisted in new if node not in old_nodes]
    old_primary = next(node for node, relisted in old if not relisted)
    new_primary = next(node for node, relisted in new if not relisted)
    changes = []
    if (old_primary, False) in removed and (new_primary, False) in added:
        removed.remove((old_primary, False))
        added.remove((new_primary, False))
        changes.append(PlacementChange(uid, name, "moved", old_primary.display, new_primary.display))
    elif matched.get(old_primary) is not new_primary:
        changes.append(PlacementChange(uid, name, "primary", old_primary.display, new_primary.display))
    while removed and added:
        before, after = removed.pop(0), added.pop(0)
        changes.append(PlacementChange(uid, name, "moved", _where(*before), _where(*after)))
    changes.extend(PlacementChange(uid, name, "removed", _where(*p), None) for p in removed)
    changes.extend(PlacementChange(uid, name, "added", None, _where(*p)) for p in added)
    return changes


def diff_documents(old_doc: dict[str, Any], new_doc: dict[str, Any]) -> YearDiff:
    """The changes from one valid document (every program with one primary placement) to another."""
    old_nodes, new_nodes = _nodes(old_doc), _nodes(new_doc)
    matched, tree_changes = _match_nodes(old_nodes, new_nodes)
    old_placements, new_placements = _placements_by_program(old_nodes), _placements_by_program(new_nodes)
    old_programs = {p["id"]: p for p in old_doc["programs"] if is_listed(p)}
    new_programs = {p["id"]: p for p in new_doc["programs"] if is_listed(p)}
    renamed, fields, placements = [], [], []
    for uid in sorted(old_programs.keys() & new_programs.keys()):
        before, after = old_programs[uid], new_programs[uid]
        name = after["name"]
        if before["name"] != name:
            renamed.append(FieldChange(uid, name, "name", before["name"], name))
        for key in COMPARED_FIELDS:
            old_text, new_text = _field_text(before, key), _field_text(after, key)
            if old_text != new_text:
                fields.append(FieldChange(uid, name, key, old_text, new_text))
        placements += _placement_changes(uid, name, old_placements[uid], new_placements[uid], matched)
    return YearDiff(
        from_year=old_doc["fiscal_year"],
        to_year=new_doc["fiscal_year"],
        added=tuple(
            _entry(new_programs[u], new_placements[u]) for u in sorted(new_programs.keys() - old_programs.keys())
        ),
        ended=tuple(
            _entry(old_programs[u], old_placements[u]) for u in sorted(old_programs.keys() - new_programs.keys())
        ),
        renamed=tuple(renamed),
        fields=tuple(fields),
        placements=tuple(placements),
        policy=tuple(tree_changes),
    )


def compare_editions(db: Database, from_year: int, to_year: int) -> YearDiff:
    return diff_documents(export_document(db, from_year), export_document(db, to_year))


# --- narrowing down ---------------------------------------------------------------


@dataclass(frozen=True)
class DiffFilter:
    """Which changes to report: some kinds (keys of KIND_LABELS), some fields (of FILTER_FIELDS)."""

    kinds: frozenset[str] = frozenset(KIND_LABELS)
    fields: frozenset[str] = frozenset(FILTER_FIELDS)

    @classmethod
    def of(
        cls,
        kinds: Collection[str] = (),
        fields: Collection[str] = (),
        exclude_fields: Collection[str] = (),
    ) -> DiffFilter:
        """From what was asked: none of a kind or field means every one."""
        chosen = set(fields or FILTER_FIELDS) - set(exclude_fields)
        return cls(frozenset(kinds or KIND_LABELS), frozenset(chosen))

    def describe(self) -> str:
        """「実績を除く」, 「項目: 実績のみ」, 「追加された事業のみ」: the shorter way of saying what was chosen."""
        kinds = _choice(
            [KIND_LABELS[k] for k in KIND_LABELS if k in self.kinds],
            [KIND_LABELS[k] for k in KIND_LABELS if k not in self.kinds],
            "種類",
            "",
        )
        fields = _choice(
            [FIELD_LABELS[f] for f in FILTER_FIELDS if f in self.fields],
            [FIELD_LABELS[f] for f in FILTER_FIELDS if f not in self.fields],
            "項目",
            "項目: ",
        )
        parts = [part for part in (kinds, fields) if part]
        return "、".join(parts)

    def apply(self, diff: YearDiff) -> YearDiff:
        def kind(key: str, changes: tuple[Any, ...]) -> tuple[Any, ...]:
            return changes if key in self.kinds else ()

        return replace(
            diff,
            added=kind("added", diff.added),
            ended=kind("ended", diff.ended),
            renamed=kind("renamed", diff.renamed) if "name" in self.fields else (),
            fields=tuple(c for c in kind("fields", diff.fields) if c.field in self.fields),
            placements=kind("placements", diff.placements),
            policy=kind("policy", diff.policy),
            filter=self.describe(),
        )


def _choice(kept: list[str], left_out: list[str], what: str, prefix: str) -> str:
    if not left_out:
        return ""
    if not kept:
        return f"どの{what}も選ばれていません"
    if len(kept) <= len(left_out):
        return prefix + "・".join(kept) + "のみ"
    return "・".join(left_out) + "を除く"


def field_counts(diff: YearDiff) -> dict[str, int]:
    """How many name and content changes each field has, in reporting order; fields without any left out."""
    counts = dict.fromkeys(FILTER_FIELDS, 0)
    for change in (*diff.renamed, *diff.fields):
        counts[change.field] += 1
    return {field: n for field, n in counts.items() if n}


def field_summary(diff: YearDiff) -> str:
    """One line per edition pair: 「実績: 123件、概要: 3件」."""
    return "、".join(f"{FIELD_LABELS[field]}: {n}件" for field, n in field_counts(diff).items())


# --- as tables --------------------------------------------------------------------


def title_of(diff: YearDiff) -> str:
    title = f"{era_label(diff.from_year)}版と{era_label(diff.to_year)}版の比較"
    return title + (f"（{diff.filter}）" if diff.filter else "")


def _changes_section(
    key: str,
    changes: tuple[FieldChange, ...],
    headers: tuple[str, ...],
    widths: tuple[int, ...],
    lead: Callable[[FieldChange], tuple[str, ...]],
) -> Section:
    """Name or field changes: the leading columns, the full old and new texts, the changed characters in context."""
    scripts = tuple(tuple(c.edits()) for c in changes)
    rows = tuple((*lead(c), c.old, c.new, marked(excerpt(list(s)))) for c, s in zip(changes, scripts, strict=True))
    old_column = len(headers) - 3
    return Section(key, KIND_LABELS[key], headers, widths, rows, (old_column, old_column + 1), scripts)


def sections(diff: YearDiff) -> list[Section]:
    """Every kind of change as a table with Japanese headers, in reporting order."""
    program_headers, program_widths = ("事業ID", "事業・取組名称", "所管", "掲載先"), (8, 40, 30, 60)

    def program_rows(entries: Iterable[ProgramEntry]) -> tuple[tuple[str, ...], ...]:
        return tuple((e.uid, e.name, e.divisions, "\n".join(e.measures)) for e in entries)

    return [
        Section("added", KIND_LABELS["added"], program_headers, program_widths, program_rows(diff.added)),
        Section("ended", KIND_LABELS["ended"], program_headers, program_widths, program_rows(diff.ended)),
        _changes_section(
            "renamed",
            diff.renamed,
            ("事業ID", "変更前の名称", "変更後の名称", "変更箇所"),
            (8, 50, 50, 50),
            lambda c: (c.uid,),
        ),
        _changes_section(
            "fields",
            diff.fields,
            ("事業ID", "事業・取組名称", "項目", "変更前", "変更後", "変更箇所"),
            (8, 30, 8, 55, 55, 55),
            lambda c: (c.uid, c.name, FIELD_LABELS[c.field]),
        ),
        Section(
            "placements",
            KIND_LABELS["placements"],
            ("事業ID", "事業・取組名称", "変更", "変更前の掲載先", "変更後の掲載先"),
            (8, 35, 14, 50, 50),
            tuple((c.uid, c.name, PLACEMENT_CHANGES[c.change], c.old or "", c.new or "") for c in diff.placements),
        ),
        Section(
            "policy",
            KIND_LABELS["policy"],
            ("区分", "変更", "変更前", "変更後"),
            (12, 14, 60, 60),
            tuple((NODE_KIND_LABELS[c.kind], NODE_CHANGES[c.change], c.old or "", c.new or "") for c in diff.policy),
        ),
    ]
