"""The words the data is stored in, each vocabulary with its one table of Japanese labels.

Program fields are in `fields`, the target groups in `targets`; this module holds the rest:
the policy tree's node kinds, an edition's status and a program's status.
"""

from __future__ import annotations

# --- the policy tree: 基本施策 → optional life stage → 個別施策 ------------------------------
POLICY = "policy"
STAGE = "stage"
MEASURE = "measure"
NODE_KIND_LABELS = {POLICY: "基本施策", STAGE: "ライフステージ", MEASURE: "個別施策"}


def node_heading(kind: str, number: int | None) -> str:
    """'基本施策2', '個別施策1': how the booklet and messages address a numbered node."""
    return f"{NODE_KIND_LABELS[kind]}{number if number is not None else '（番号なし）'}"


# --- an edition: a draft is edited, a published edition is frozen --------------------------
DRAFT = "draft"
PUBLISHED = "published"
EDITION_STATUS_LABELS = {DRAFT: "作成中", PUBLISHED: "公開済み"}
DEFAULT_TITLE = "「旭川市こども計画」関連事業・取組一覧"
# the issuing body printed on the cover: the city, unless an edition's settings say otherwise
DEFAULT_CITY = "旭川市"

# --- a program: the booklet's own words, stored as printed ---------------------------------
# an ended program stays in the edition's history but is not printed
CONTINUING = "継続"
NEW = "新規"
ENDED = "終了"
PROGRAM_STATUSES = (CONTINUING, NEW, ENDED)
