"""The navigator's chosen scope as a key that survives a restart and a new edition.

Node ids differ between editions (a rollover copies the tree), so a node is named by the
numbers (or, for a life stage, the title) on its path from the top; a department or
division by its name.
"""

from __future__ import annotations

from kodomo_desktop.core.queries import PolicyTree, ProgramGroups, Scope


def _path(tree: PolicyTree, node_id: int) -> list[str]:
    parts: list[str] = []
    current: int | None = node_id
    while current is not None:
        node = tree.node(current)
        parts.append(f"{node.kind}{node.number}" if node.number is not None else f"{node.kind}:{node.title}")
        current = node.parent_id
    return parts[::-1]


def scope_key(tree: PolicyTree, groups: ProgramGroups, scope: Scope) -> str:
    if scope.kind == "node" and scope.id is not None:
        return "node/" + "/".join(_path(tree, scope.id))
    for department in groups.departments:
        if scope.kind == "department" and scope.id == department.id:
            return f"department/{department.name}"
        for division in department.divisions:
            if scope.kind == "division" and scope.id == division.id:
                return f"division/{department.name}/{division.name}"
    return scope.kind  # all, review


def scope_of_key(tree: PolicyTree, groups: ProgramGroups, key: str) -> Scope | None:
    """The scope a saved key names in this edition; None when it names nothing here."""
    candidates = [
        Scope("all"),
        Scope("review"),
        *(Scope("node", node.id) for node in tree.nodes),
        *(Scope("department", department.id) for department in groups.departments),
        *(Scope("division", division.id) for department in groups.departments for division in department.divisions),
    ]
    return next((scope for scope in candidates if scope_key(tree, groups, scope) == key), None)
