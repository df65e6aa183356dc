"""An edition as a kodomo-edition/1 document, read with plain SQL: the one reader of the
interchange document, for the ORM's sessions (export, publication snapshots) and for the
command line's read-only connection (core.read_only) alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import NotFound
from kodomo_desktop.core.program_document import program_document
from kodomo_desktop.core.sql_rows import Rows, date_text, json_value
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import DEFAULT_CITY, STAGE

FORMAT = "kodomo-edition/1"
NO_EDITIONS = "データベースに年度版がありません。`kodomo-desktop init` または `import-json` で作成してください。"


def no_edition(fiscal_year: int) -> NotFound:
    return NotFound(f"{era_label(fiscal_year)}（{fiscal_year}年度）の版はありません。")


@dataclass(frozen=True)
class ProgramRecord:
    """A program row as plain values (a core.program_document.ProgramValues)."""

    id: int
    uid: str
    name: str
    alias: str | None
    summary: str
    targets: int
    uncertain_targets: int
    results: str
    previous_results: str | None
    status: str
    needs_review: bool
    review_notes: list[str]


def latest_year(rows: Rows) -> int:
    found = rows("SELECT fiscal_year FROM edition ORDER BY fiscal_year DESC LIMIT 1")
    if not found:
        raise NotFound(NO_EDITIONS)
    year: int = found[0][0]
    return year


def read_document(rows: Rows, fiscal_year: int | None = None, *, dated: bool = False) -> dict[str, Any]:
    """The edition of fiscal_year (the latest when None) as a document.

    dated adds last_changed, the time of the edition's last change: for the booklet's PDF dates
    and the JSON export, not for comparing contents (undoing a change is a change too)."""
    if fiscal_year is None:
        fiscal_year = latest_year(rows)
    found = rows(
        "SELECT id, fiscal_year, title, status, issuer_city, issuer_department, issuer_division, published_on"
        " FROM edition WHERE fiscal_year = ?",
        (fiscal_year,),
    )
    if not found:
        raise no_edition(fiscal_year)
    edition_id, year, title, status, city, department, division, published_on = found[0]

    nodes = rows(
        "SELECT id, parent_id, kind, number, title FROM policy_node WHERE edition_id = ? ORDER BY position, id",
        (edition_id,),
    )
    children: dict[int | None, list[tuple[Any, ...]]] = {}
    for node in nodes:
        children.setdefault(node[1], []).append(node)
    programs = [
        ProgramRecord(
            id_,
            uid,
            name,
            alias,
            summary,
            targets,
            uncertain,
            results,
            previous,
            status_,
            bool(review),
            list(json_value(notes)),
        )
        for id_, uid, name, alias, summary, targets, uncertain, results, previous, status_, review, notes in rows(
            "SELECT id, uid, name, alias, summary, targets, uncertain_targets, results, previous_results, status,"
            " needs_review, review_notes FROM program WHERE edition_id = ? ORDER BY uid",
            (edition_id,),
        )
    ]
    uid_of = {p.id: p.uid for p in programs}
    divisions_of: dict[int, list[tuple[str, str | None]]] = {}
    for program_id, department_name, division_name in rows(
        "SELECT pd.program_id, d.name, v.name FROM program_division pd"
        " JOIN program p ON p.id = pd.program_id JOIN division v ON v.id = pd.division_id"
        " JOIN department d ON d.id = v.department_id"
        " WHERE p.edition_id = ? ORDER BY pd.program_id, pd.position",
        (edition_id,),
    ):
        divisions_of.setdefault(program_id, []).append((department_name, division_name))
    placements_of: dict[int, list[dict[str, Any]]] = {}
    for measure_id, program_id, primary in rows(
        "SELECT pl.measure_id, pl.program_id, pl.is_primary FROM placement pl JOIN program p ON p.id = pl.program_id"
        " WHERE p.edition_id = ? ORDER BY pl.measure_id, pl.position, pl.id",
        (edition_id,),
    ):
        placements_of.setdefault(measure_id, []).append({"program": uid_of[program_id], "relisted": not primary})

    def measure_doc(node: tuple[Any, ...]) -> dict[str, Any]:
        return {"number": node[3], "title": node[4], "placements": placements_of.get(node[0], [])}

    def policy_doc(node: tuple[Any, ...]) -> dict[str, Any]:
        doc: dict[str, Any] = {"number": node[3], "title": node[4]}
        below = children.get(node[0], [])
        if below and below[0][2] == STAGE:
            doc["stages"] = [
                {"title": stage[4], "measures": [measure_doc(m) for m in children.get(stage[0], [])]} for stage in below
            ]
        else:
            doc["measures"] = [measure_doc(m) for m in below]
        return doc

    doc: dict[str, Any] = {"format": FORMAT, "fiscal_year": year, "title": title, "status": status}
    # optional keys, written only when they say something: documents of editions without
    # them stay as they were
    issuer = {"city": city, "department": department, "division": division}
    if issuer != {"city": DEFAULT_CITY, "department": None, "division": None}:
        doc["issuer"] = {key: value for key, value in issuer.items() if value is not None}
    if published_on is not None:
        doc["published_on"] = date_text(published_on)
    if dated:
        last = rows("SELECT MAX(at) FROM change_log WHERE edition_id = ?", (edition_id,))[0][0]
        if last:
            doc["last_changed"] = last[:19] + "Z"  # seconds: the precision of a PDF date
    doc["targets"] = list(TARGETS)
    doc["policies"] = [policy_doc(n) for n in children.get(None, [])]
    doc["programs"] = [program_document(p, divisions_of.get(p.id, [])) for p in programs]
    return doc


def dump_document(doc: dict[str, Any]) -> str:
    """The document as text: fixed key order and layout, so the same data gives the same bytes."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def published_from(rows: Rows, fiscal_year: int) -> dict[str, Any] | None:
    """The document as the edition was when last published (publishing stores it); None if it never was."""
    found = rows("SELECT published_snapshot FROM edition WHERE fiscal_year = ?", (fiscal_year,))
    if not found:
        raise no_edition(fiscal_year)
    snapshot: str | None = found[0][0]
    if snapshot is None:
        return None
    document: dict[str, Any] = json.loads(snapshot)
    return document
