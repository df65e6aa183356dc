"""Operations on the policy tree: 基本施策 → optional life stage → 個別施策."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import PolicyNode
from kodomo_desktop.core.operations.common import clamp_position, reindex
from kodomo_desktop.core.operations.programs import measure_rows
from kodomo_desktop.core.vocabulary import MEASURE, NODE_KIND_LABELS, POLICY, STAGE

# which kind may stand under which parent kind (None = the edition's top level)
ALLOWED_PARENTS = {POLICY: (None,), STAGE: (POLICY,), MEASURE: (POLICY, STAGE)}


def siblings(w: Writer, edition_id: int, parent_id: int | None) -> list[PolicyNode]:
    return list(
        w.session.scalars(
            select(PolicyNode)
            .where(
                PolicyNode.edition_id == edition_id,
                PolicyNode.parent_id.is_(None) if parent_id is None else PolicyNode.parent_id == parent_id,
            )
            .order_by(PolicyNode.position)
        )
    )


def node_value(node: PolicyNode) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "number": node.number,
        "title": node.title,
        "parent": node.parent_id,
        "position": node.position,
    }


def insert_node(
    w: Writer, edition_id: int, parent_id: int | None, kind: str, title: str, number: int | None, position: int | None
) -> PolicyNode:
    if kind not in ALLOWED_PARENTS:
        raise InvalidInput(f"施策の種類「{kind}」は使えません。")
    parent = w.get(PolicyNode, parent_id, "親の施策") if parent_id is not None else None
    if (parent.kind if parent else None) not in ALLOWED_PARENTS[kind]:
        raise InvalidInput(f"{NODE_KIND_LABELS[kind]}はここには置けません。")
    if parent is not None and parent.edition_id != edition_id:
        raise InvalidInput("親の施策が別の年度版のものです。")
    rows = siblings(w, edition_id, parent_id)
    if parent is not None and {r.kind for r in rows} - {kind}:
        raise InvalidInput("一つの基本施策の下にライフステージと個別施策を混在させることはできません。")
    title = (title or "").strip()
    if not title:
        raise InvalidInput(f"{NODE_KIND_LABELS[kind]}の名称は空にできません。")
    if kind != STAGE and number is None:
        number = max((r.number or 0 for r in rows), default=0) + 1
    node = PolicyNode(
        edition_id=edition_id, parent_id=parent_id, kind=kind, number=number, title=title, position=len(rows)
    )
    w.session.add(node)
    rows.insert(clamp_position(position, len(rows)), node)
    reindex(rows)
    w.session.flush()
    w.log("policy_node", node.id, "created", None, node_value(node), edition_id)
    return node


def add_node(
    db: Database,
    edition_id: int,
    parent_id: int | None,
    kind: str,
    title: str,
    *,
    number: int | None = None,
    position: int | None = None,
    source: str = "editor",
) -> OpResult:
    """Add a 基本施策, stage or 個別施策. Returns the node id."""
    with writing(db, source) as w:
        w.editable(edition_id)
        node = insert_node(w, edition_id, parent_id, kind, title, number, position)
        return w.result(node.id)


def node_subject(node: PolicyNode) -> str:
    """How a conflict names the node."""
    return f"{NODE_KIND_LABELS[node.kind]}「{node.title}」"


def update_node(
    db: Database,
    node_id: int,
    *,
    title: str | None = None,
    number: int | None = None,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    """Rename a node or change its number; refused (Conflict) where another write changed the same
    field after expected_version, the version the caller read."""
    with writing(db, source) as w:
        node = w.get(PolicyNode, node_id, "施策")
        w.editable(node.edition_id)
        fields = [f for f, v in (("title", title), ("number", number)) if v is not None]
        w.check_row(node, expected_version, node_subject(node), fields)
        if title is not None:
            title = title.strip()
            if not title:
                raise InvalidInput(f"{NODE_KIND_LABELS[node.kind]}の名称は空にできません。")
            w.log("policy_node", node.id, "title", node.title, title, node.edition_id)
            node.title = title
        if number is not None:
            if number < 1:
                raise InvalidInput("番号は1以上で指定してください。")
            w.log("policy_node", node.id, "number", node.number, number, node.edition_id)
            node.number = number
        return w.result()


def move_node(
    db: Database, node_id: int, position: int, *, source: str = "editor", expected_version: int | None = None
) -> OpResult:
    """Reorder a node among its siblings (expected_version: see update_node)."""
    with writing(db, source) as w:
        node = w.get(PolicyNode, node_id, "施策")
        w.editable(node.edition_id)
        w.check_row(node, expected_version, node_subject(node), ["position"])
        rows = siblings(w, node.edition_id, node.parent_id)
        old = node.position
        rows.remove(node)
        rows.insert(clamp_position(position, len(rows)), node)
        reindex(rows)
        w.log("policy_node", node.id, "position", old, node.position, node.edition_id)
        return w.result()


def delete_node(db: Database, node_id: int, *, source: str = "editor", expected_version: int | None = None) -> OpResult:
    """Delete an empty node (no children, no programs listed); refused where it changed after expected_version."""
    with writing(db, source) as w:
        node = w.get(PolicyNode, node_id, "施策")
        w.editable(node.edition_id)
        w.check_row(node, expected_version, node_subject(node))
        if node.children:
            raise InvalidInput(f"「{node.title}」の下に施策があるため削除できません。")
        if measure_rows(w, node.id):
            raise InvalidInput(
                f"「{node.title}」に事業が掲載されているため削除できません。先に事業を移動してください。"
            )
        value = node_value(node)
        rows = siblings(w, node.edition_id, node.parent_id)
        rows.remove(node)
        w.session.delete(node)
        reindex(rows)
        w.log("policy_node", node_id, "deleted", value, None, node.edition_id)
        return w.result()
