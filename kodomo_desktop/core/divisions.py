"""How 所管 is written: the pairs (部, 課) in printed order <-> the booklet text.

The source writes one department once, then its divisions joined with 、:
``子育て支援部 子育て支援課``, ``社会教育部 社会教育課、公民館事業課``. 主幹付 is not a
separate unit but "attached to the department head", so it is written joined to
the department: ``学校教育部主幹付``, ``子育て支援部主幹付、おやこ応援課``.
"""

from collections.abc import Iterable

ATTACHED_DIVISIONS = ("主幹付",)


def format_divisions(pairs: Iterable[tuple[str, str | None]]) -> str:
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
