"""The program fields' Japanese labels: one table for the form, the history, findings, returns and diffs."""

FIELD_LABELS = {
    "name": "事業・取組名称",
    "alias": "通称",
    "summary": "概要",
    "targets": "対象",
    "results": "実績",
    "previous_results": "前年度の実績",
    "divisions": "所管",
    "placement": "掲載",
    "placements": "掲載先",
    "status": "変更区分",
    "needs_review": "要確認",
    "review_notes": "確認メモ",
    "note": "備考",
    "created": "作成",
    "deleted": "削除",
}

TEXT_FIELDS = ("name", "alias", "summary", "results")
EDITABLE_FIELDS = (*TEXT_FIELDS, "status", "needs_review", "review_notes")
