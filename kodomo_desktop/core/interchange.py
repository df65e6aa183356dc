"""The kodomo-edition/1 JSON document: export (deterministic), validation, import.

Export → import → export gives the same bytes. The booklet and the Excel
templates read editions in this form too, so there is one way to read an edition.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kodomo_desktop.core import edition_sql, locations
from kodomo_desktop.core.changes import OpResult, Writer, latest_change, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import DivisionPair, MasterList, read_master, unknown_message
from kodomo_desktop.core.era import year_problem
from kodomo_desktop.core.errors import Conflict, Conflicts, InvalidInput
from kodomo_desktop.core.files import read_utf8_text
from kodomo_desktop.core.models import ChangeLog, Division, Edition, Placement, PolicyNode, Program, ProgramDivision
from kodomo_desktop.core.operations.common import find_division, node_label
from kodomo_desktop.core.operations.policy import insert_node
from kodomo_desktop.core.operations.programs import program_row
from kodomo_desktop.core.program_document import program_document
from kodomo_desktop.core.snapshots import store_publication
from kodomo_desktop.core.sql_rows import session_rows
from kodomo_desktop.core.vocabulary import DEFAULT_TITLE, DRAFT, MEASURE, POLICY, PUBLISHED, STAGE

SCHEMA_PATH = Path(__file__).with_name("kodomo-edition-1.schema.json")

# Bounds checked before a document is parsed. An export of 10,000 programs is about 15 MB;
# the real nesting is 8 levels deep; no integer of the format needs more than a few digits.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32
MAX_INTEGER_DIGITS = 15


# --- export -----------------------------------------------------------------------


def latest_year(db: Database) -> int:
    with db.read() as session:
        return edition_sql.latest_year(session_rows(session))


def export_document(db: Database, fiscal_year: int | None = None, *, dated: bool = False) -> dict[str, Any]:
    """The whole edition as a kodomo-edition/1 document (the latest edition when no year is given);
    dated: with last_changed (core.edition_sql.read_document)."""
    with db.read() as session:
        return edition_sql.read_document(session_rows(session), fiscal_year, dated=dated)


# --- validation -------------------------------------------------------------------


class _SchemaError(Protocol):
    """What validate_document reads of a jsonschema ValidationError (jsonschema has no type hints)."""

    absolute_path: Sequence[str | int]
    message: str
    validator: str
    validator_value: Any
    instance: Any
    schema: dict[str, Any]


class _SchemaValidator(Protocol):
    def iter_errors(self, instance: object) -> Iterable[_SchemaError]: ...


@cache
def _validator() -> _SchemaValidator:
    from jsonschema import Draft202012Validator, validators

    # jsonschema takes 2024.0 and 1e300 for integers; an integer of the format is written as one
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict = validators.extend(Draft202012Validator, type_checker=checker)
    validator: _SchemaValidator = strict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return validator


def _where(path: Sequence[str | int]) -> str:
    return "/".join(str(p) for p in path) or "(文書全体)"


TYPE_NAMES = {
    "array": "配列",
    "object": "オブジェクト",
    "string": "文字列",
    "integer": "整数",
    "number": "数値",
    "boolean": "真偽値（true / false）",
    "null": "null",
}


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "真偽値"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    return TYPE_NAMES["string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"]


def _shown(value: Any) -> str:
    """A value for a message: JSON, cut short."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INTEGER_DIGITS:
        return "（桁数の多い数）"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def _schema_message(e: _SchemaError) -> str:
    """jsonschema's (English) message in Japanese, by the kind of rule broken."""
    kind, rule, value = e.validator, e.validator_value, e.instance
    if kind == "type":
        wanted = "か".join(TYPE_NAMES.get(t, t) for t in ([rule] if isinstance(rule, str) else rule))
        return f"{wanted}であるべきところが{_type_of(value)}です"
    if kind == "required":
        missing = [k for k in rule if isinstance(value, dict) and k not in value and repr(k) in e.message]
        return f"必須の項目「{'」「'.join(missing[:1] or rule)}」がありません"
    if kind == "enum":
        return f"値 {_shown(value)} は使えません（使える値: {'、'.join(map(str, rule))}）"
    if kind == "const":
        return f"値 {_shown(value)} は使えません（{_shown(rule)} であるべきです）"
    if kind == "minLength":
        return "空にできません"
    if kind == "minimum":
        return f"値 {_shown(value)} は {rule} 以上であるべきです"
    if kind == "pattern":
        example = "2024-04-01T09:00:00Z" if "T" in rule else "2024-04-01"
        return f"値 {_shown(value)} の書き方が違います（例: {example}）"
    if kind == "additionalProperties":
        known = e.schema.get("properties", {})
        extra = [k for k in value if k not in known] if isinstance(value, dict) else []
        return f"使えない項目「{'」「'.join(extra)}」があります"
    if kind == "uniqueItems":
        return "同じ値が重複しています"
    return f"形式に合いません（{kind}）"


def _program_of(doc: dict[str, Any], path: Sequence[str | int]) -> str:
    """「（事業 P0001 名称）」 when path lies inside programs/N, to find it in the document."""
    if len(path) < 2 or path[0] != "programs" or not isinstance(path[1], int):
        return ""
    program = doc["programs"][path[1]]
    if not isinstance(program, dict):
        return ""
    uid, name = program.get("id"), program.get("name")
    label = " ".join(_shown(v).strip('"') for v in (uid, name) if isinstance(v, str) and v.strip())
    return f"（事業 {label}）" if label else ""


def check_schema(doc: Any, name: str = "JSON") -> dict[str, Any]:
    """Refuse anything but a kodomo-edition/1 document: the shape every reader of it relies on."""
    if not isinstance(doc, dict):
        raise InvalidInput(f"{name}: kodomo-edition/1 の文書ではありません（最上位がオブジェクトではありません）。")
    if bad := list(_bad_values(doc, [])):
        raise InvalidInput(
            f"{name}: 使えない値があります（{len(bad)}件）。\n" + "\n".join(f"  {w}: {m}" for w, m in bad[:10])
        )
    errors = sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [
            f"  {_where(e.absolute_path)}{_program_of(doc, e.absolute_path)}: {_schema_message(e)}" for e in errors[:10]
        ]
        more = f"\n  …ほか{len(errors) - 10}件" if len(errors) > 10 else ""
        raise InvalidInput(
            f"{name}: kodomo-edition/1 の形式に合いません（{len(errors)}件）。\n" + "\n".join(lines) + more
        )
    if (problem := year_problem(doc["fiscal_year"])) is not None:
        raise InvalidInput(f"{name}: fiscal_year: {problem}。")
    return doc


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Duplicated(dict[str, Any]):
    """An object of the text that named a key twice (json keeps the last silently)."""

    def __init__(self, pairs: list[tuple[str, Any]], duplicates: list[str]):
        super().__init__(pairs)
        self.duplicates = duplicates


class _Unreadable:
    """A number the text holds that no field of the format can take (NaN, Infinity, too many digits)."""

    def __init__(self, text: str):
        self.text = text


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _v in pairs]
    if len(set(keys)) == len(keys):
        return dict(pairs)
    return _Duplicated(pairs, sorted({k for k in keys if keys.count(k) > 1}))


def _integer(text: str) -> int | _Unreadable:
    return int(text) if len(text.lstrip("-")) <= MAX_INTEGER_DIGITS else _Unreadable(text)


def _float(text: str) -> float | _Unreadable:
    value = float(text)
    return value if math.isfinite(value) else _Unreadable(text)


def _bad_values(value: Any, path: list[str | int]) -> Iterator[tuple[str, str]]:
    """(where, what) for every value the text holds that the database cannot: lone surrogates,
    unreadable numbers, keys given twice."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield _where(path), "文字列に対になっていないサロゲート（\\ud800 など）があります"
    elif isinstance(value, _Unreadable):
        yield _where(path), f"数 {value.text[:20]}{'…' if len(value.text) > 20 else ''} は扱えません"
    elif isinstance(value, float) and not math.isfinite(value):
        yield _where(path), f"数 {value} は扱えません"
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _bad_values(item, [*path, i])
    elif isinstance(value, dict):
        if isinstance(value, _Duplicated):
            yield _where(path), f"項目「{'」「'.join(value.duplicates)}」が二度書かれています"
        for key, item in value.items():
            if _SURROGATE.search(key):
                yield _where(path), f"項目名 {key!r} に対になっていないサロゲートがあります"
            else:
                yield from _bad_values(item, [*path, key])


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', "", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


@dataclass(frozen=True)
class Contradiction:
    """What the schema cannot say but an edition cannot hold (a program placed twice under one measure)."""

    where: str  # the path in the document
    message: str
    program: str | None = None  # the program's id, when it is about one
    rule: str | None = None  # the validation rule that reports the same of the program, if one does


def contradictions(doc: dict[str, Any]) -> list[Contradiction]:
    """Every contradiction of a document that passed the schema, in document order."""
    problems: list[Contradiction] = []
    seen: set[str] = set()
    for i, program in enumerate(doc["programs"]):
        uid = program["id"]
        if uid in seen:
            problems.append(Contradiction(f"programs/{i}/id", f"事業ID「{uid}」が重複しています", uid))
        seen.add(uid)
        pairs = [(d["department"], d.get("division")) for d in program["divisions"]]
        if len(set(pairs)) != len(pairs):
            problems.append(Contradiction(f"programs/{i}/divisions", "所管に同じ部・課が重複しています", uid))
    primaries = {p["id"]: 0 for p in doc["programs"]}
    for where, measure in _measures_with_path(doc):
        listed: set[str] = set()
        for j, placement in enumerate(measure["placements"]):
            uid = placement["program"]
            here = f"{where}/placements/{j}"
            if uid not in primaries:
                problems.append(Contradiction(here, f"事業ID「{uid}」は programs にありません"))
                continue
            if uid in listed:
                problems.append(
                    Contradiction(here, f"事業ID「{uid}」が同じ個別施策に二度掲載されています", uid, "placements.twice")
                )
            listed.add(uid)
            primaries[uid] += not placement["relisted"]
    for uid, count in primaries.items():
        if count != 1:
            problems.append(
                Contradiction(
                    f"事業ID「{uid}」",
                    f"主な掲載（relisted=false）が{count}件です（ちょうど1件必要）",
                    uid,
                    "placements.primary",
                )
            )
    for i, policy in enumerate(doc["policies"]):
        if "stages" in policy and "measures" in policy:
            problems.append(Contradiction(f"policies/{i}", "stages と measures の両方があります（どちらか一方）"))
    return problems


def validate_document(doc: Any, name: str = "JSON") -> None:
    """Refuse a document that breaks the schema or the rules the schema cannot say."""
    doc = check_schema(doc, name)
    if unfit := list(_unfit_programs(doc)):
        raise InvalidInput(f"{name}: 取り込めない事業があります（{len(unfit)}件）。\n" + "\n".join(unfit[:20]))
    problems = contradictions(doc)
    if problems:
        raise InvalidInput(
            f"{name}: 内容に矛盾があります（{len(problems)}件）。\n"
            + "\n".join(f"  {p.where}: {p.message}" for p in problems[:20])
        )


def _unfit_programs(doc: dict[str, Any]) -> Iterator[str]:
    """What the program operations refuse, found before the write and named by path and program."""
    for i, program in enumerate(doc["programs"]):
        of = _program_of(doc, ["programs", i])
        if not program["name"].strip():
            yield f"  programs/{i}/name{of}: 事業・取組名称が空白だけです"
        for j, division in enumerate(program["divisions"]):
            if not division["department"].strip():
                yield f"  programs/{i}/divisions/{j}/department{of}: 部の名前が空です"
            if division["division"] is not None and not division["division"].strip():
                yield f"  programs/{i}/divisions/{j}/division{of}: 課の名前が空白だけです（部そのものなら null）"


def _measures_with_path(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for i, policy in enumerate(doc["policies"]):
        for j, stage in enumerate(policy.get("stages", [])):
            for k, measure in enumerate(stage["measures"]):
                yield f"policies/{i}/stages/{j}/measures/{k}", measure
        for k, measure in enumerate(policy.get("measures", [])):
            yield f"policies/{i}/measures/{k}", measure


def read_document(path: str | Path) -> dict[str, Any]:
    """Read a document file and check its shape only; every failure names the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_utf8_text names what is wrong with the file
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidInput(
            f"{path}: 大きすぎます（{size / 1024 / 1024:.0f} MB。上限は {MAX_DOCUMENT_BYTES // 1024 // 1024} MB）。"
        )
    text = read_utf8_text(path)
    if _nesting_depth(text) > MAX_DEPTH:
        raise InvalidInput(f"{path}: 配列やオブジェクトの入れ子が深すぎます（上限 {MAX_DEPTH} 段）。")
    try:
        doc = json.loads(
            text, object_pairs_hook=_object, parse_int=_integer, parse_float=_float, parse_constant=_Unreadable
        )
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}: JSON として読めません（{exc.lineno}行{exc.colno}列: {exc.msg}）。") from None
    return check_schema(doc, str(path))


def load_document(path: str | Path) -> dict[str, Any]:
    """Read and validate a document file; every failure names the file."""
    doc = read_document(path)
    validate_document(doc, str(path))
    return doc


# --- import -----------------------------------------------------------------------


def program_rows(doc: dict[str, Any]) -> list[Program]:
    """The document's programs as rows, checked: prepared before the write lock is taken."""
    return [program_row(program_doc, program_doc["id"]) for program_doc in doc["programs"]]


def write_edition(w: Writer, doc: dict[str, Any], rows: list[Program] | None = None) -> Edition:
    """Insert a whole (validated) edition; master-list entries are created as needed.

    rows: program_rows(doc), when the caller prepared them. Linear in the document: one flush
    for the programs, one statement for each measure's placements and for their log entries."""
    if rows is None:
        rows = program_rows(doc)
    edition = Edition(fiscal_year=doc["fiscal_year"], title=doc["title"] or DEFAULT_TITLE, status=DRAFT)
    w.session.add(edition)
    w.session.flush()
    w.log(
        "edition", edition.id, "created", None, {"fiscal_year": edition.fiscal_year, "title": edition.title}, edition.id
    )
    issuer = doc.get("issuer", {})
    for field, key in (("issuer_city", "city"), ("issuer_department", "department"), ("issuer_division", "division")):
        if issuer.get(key):
            w.log("edition", edition.id, field, getattr(edition, field), issuer[key], edition.id)
            setattr(edition, field, issuer[key])
    # last_changed is not read: it is this database's change log that dates the edition
    divisions: dict[DivisionPair, Division] = {}
    for program_doc in doc["programs"]:  # before any program is added: a look-up flushes what is pending
        for d in program_doc["divisions"]:
            pair = (d["department"], d.get("division"))
            if pair not in divisions:
                divisions[pair] = find_division(w.session, *pair, create=True)
    for program in rows:
        program.edition_id = edition.id
    w.session.add_all(rows)
    w.session.flush()
    pairs = [[(d["department"], d.get("division")) for d in p["divisions"]] for p in doc["programs"]]
    names = [[list(pair) for pair in program_pairs] for program_pairs in pairs]
    if links := [
        {"program_id": program.id, "division_id": divisions[pair].id, "position": i}
        for program, program_pairs in zip(rows, pairs, strict=True)
        for i, pair in enumerate(program_pairs)
    ]:
        w.session.execute(insert(ProgramDivision), links)
    w.log_many(
        ("program", program.uid, "created", None, program_document(program, program_names), edition.id)
        for program, program_names in zip(rows, names, strict=True)
    )
    ids = {program.uid: program.id for program in rows}
    for policy_doc in doc["policies"]:
        policy = insert_node(w, edition.id, None, POLICY, policy_doc["title"], policy_doc["number"], None)
        groups = [
            (insert_node(w, edition.id, policy.id, STAGE, s["title"], None, None), s["measures"])
            for s in policy_doc.get("stages", [])
        ] or [(policy, policy_doc.get("measures", []))]
        for parent, measures in groups:
            for measure_doc in measures:
                measure = insert_node(
                    w, edition.id, parent.id, MEASURE, measure_doc["title"], measure_doc["number"], None
                )
                _write_placements(w, measure, measure_doc["placements"], ids)
    # status last: a published edition refuses writes, including this import's own
    if doc["status"] == PUBLISHED:
        w.log("edition", edition.id, "status", DRAFT, PUBLISHED, edition.id)
        edition.status = PUBLISHED
        store_publication(w, edition, date.fromisoformat(doc.get("published_on") or date.today().isoformat()))
    elif published_on := doc.get("published_on"):  # a draft published before: its last publication
        w.log("edition", edition.id, "published_on", None, published_on, edition.id)
        edition.published_on = date.fromisoformat(published_on)
    return edition


def _write_placements(w: Writer, measure: PolicyNode, placements: list[dict[str, Any]], ids: dict[str, int]) -> None:
    """A new measure's placements in document order, in one statement, logged as insert_placement logs."""
    if not placements:
        return
    w.session.execute(
        insert(Placement),
        [
            {"program_id": ids[p["program"]], "measure_id": measure.id, "position": i, "is_primary": not p["relisted"]}
            for i, p in enumerate(placements)
        ],
    )
    label = node_label(w.session, measure)
    values = [{"measure": label, "position": i + 1, "relisted": p["relisted"]} for i, p in enumerate(placements)]
    w.log_many(
        ("program", p["program"], "placement", None, value, measure.edition_id)
        for p, value in zip(placements, values, strict=True)
    )


def unknown_divisions(master: MasterList, doc: dict[str, Any]) -> dict[DivisionPair, list[str]]:
    """The document's (部, 課) not on the master list (active or not), in document order -> the programs naming each."""
    unknown: dict[DivisionPair, list[str]] = {}
    for program in doc["programs"]:
        for d in program["divisions"]:
            pair = (d["department"], d.get("division"))
            if pair not in master.known:
                unknown.setdefault(pair, []).append(program["id"])
    return unknown


def import_document(
    db: Database,
    doc: dict[str, Any],
    *,
    replace: bool = False,
    add_divisions: bool = False,
    source: str = "cli",
    name: str = "JSON",
    validated: bool = False,
    expected_versions: Mapping[str, int] | None = None,
) -> OpResult:
    """Create the document's edition; with replace=True an existing draft of that year is replaced.

    expected_versions: the replaced edition's programs (uid -> version, `edition_versions`) as the
    caller read them before deciding to replace it; where someone changed, added or deleted one
    since, the import is refused (Conflicts, naming each) rather than overwrite it unseen.

    A 所管 not on the master list refuses the document, each named with its 候補 (a typo
    would otherwise become an entry every later edition is checked against);
    add_divisions=True adds them to the list instead. All in one transaction: a bad
    document or a failure half-way changes nothing. validated=True: the caller has read doc
    with load_document (checking 10,000 programs takes seconds; the write lock is not held).
    """
    if not validated:
        validate_document(doc, name)
    rows = program_rows(doc)  # the write lock is taken at the first statement below
    with writing(db, source) as w:
        master = read_master(w.session)
        if not add_divisions and (unknown := unknown_divisions(master, doc)):
            raise InvalidInput(unknown_divisions_message(master, unknown, name))
        existing = w.session.scalar(select(Edition).where(Edition.fiscal_year == doc["fiscal_year"]))
        if existing is not None:
            if not replace:
                raise InvalidInput(
                    f"{name}: {doc['fiscal_year']}年度の版はすでにあります。"
                    "置き換えるときは --replace を指定してください。"
                )
            w.editable(existing.id)
            if expected_versions is not None and (changed := changed_since(w.session, existing, expected_versions)):
                raise Conflicts(name, changed)
            w.log("edition", existing.id, "replaced", {"fiscal_year": existing.fiscal_year}, None, None)
            w.session.delete(existing)
            w.session.flush()
        edition = write_edition(w, doc, rows)
        return w.result(edition.id)


def edition_versions(db: Database, fiscal_year: int) -> dict[str, int]:
    """The version of each program of the year's edition (empty: no such edition), what an import
    that replaces it checks nobody changed since (import_document's expected_versions)."""
    with db.read() as session:
        rows = session.execute(
            select(Program.uid, Program.version).join(Edition).where(Edition.fiscal_year == fiscal_year)
        )
        return {uid: version for uid, version in rows}


def changed_since(session: Session, edition: Edition, expected: Mapping[str, int]) -> list[Conflict]:
    """The edition's programs changed or added after the versions read, and those deleted since, each
    as the change that did it."""
    programs = session.scalars(select(Program).where(Program.edition_id == edition.id).order_by(Program.uid)).all()
    changed = []
    for program in programs:
        read = expected.get(program.uid)
        if read != program.version and (found := latest_change(session, program, after=read)) is not None:
            changed.append(found)
    present = {p.uid for p in programs}
    for uid in sorted(set(expected) - present):
        deleted = session.scalar(
            select(ChangeLog)
            .where(ChangeLog.entity == "program", ChangeLog.entity_id == uid, ChangeLog.field == "deleted")
            .where(ChangeLog.edition_id == edition.id)
            .order_by(ChangeLog.id.desc())
            .limit(1)
        )
        name = deleted.old.get("name", "") if deleted is not None and isinstance(deleted.old, dict) else ""
        user, at, source = (deleted.user, deleted.at, deleted.source) if deleted is not None else ("", "", "")
        changed.append(
            Conflict(uid=uid, name=name, field="deleted", theirs=None, user=user, at=at, source=source, version=0)
        )
    return changed


def unknown_divisions_message(master: MasterList, unknown: dict[DivisionPair, list[str]], name: str) -> str:
    lines = [
        f"  {unknown_message(master, pair, '近い名前はありません')}（{'、'.join(uids)}）"
        for pair, uids in unknown.items()
    ]
    return (
        f"{name}: 所管の一覧にない部・課があります（{len(unknown)}件）。\n"
        + "\n".join(lines)
        + "\n誤記なら文書を直してください。新しい部・課なら --add-divisions を付けると一覧に追加して取り込みます。"
    )


def install_seed(db: Database) -> OpResult:
    """Fill a new database with the embedded FY2024 edition (which builds the master list)."""
    path = locations.seed_edition_path()
    return import_document(db, load_document(path), add_divisions=True, source="seed", name=path.name)
