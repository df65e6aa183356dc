"""Open data: an edition as two flat tables (one row per placement, one per program), their
column dictionary, and how a cell is written and read back (`open_data_import` reads them).

Everything is built from the kodomo-edition/1 document, printed programs only (see `listing`).
A row is first a record (column key -> typed value), then cells: `cell` writes a value and
`parse_cell` reads it back, so export → import gives the same record. `COLUMNS` is the one
table of columns: the headers, the dictionary (columns.csv, columns.md) and the importer all
read it.

A placement's stable id is ``{事業ID}@{基本施策番号}-{ライフステージ}-{個別施策番号}``, the life
stage being its position under the 基本施策 (1, 2, …; 0 for a 基本施策 without stages):
``P0012@2-1-3`` is P0012 listed under 基本施策2, the first life stage, 個別施策3. It is the
same in every export of an edition whose numbering is unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.files import write_bytes_atomic
from kodomo_desktop.core.listing import without_ended
from kodomo_desktop.core.targets import TARGETS, mask_from_labels
from kodomo_desktop.core.vocabulary import NODE_KIND_LABELS, POLICY, PROGRAM_STATUSES, STAGE

PLACEMENTS = "placements"
PROGRAMS = "programs"
TABLES = (PLACEMENTS, PROGRAMS)
XLSX_NAME = "open-data.xlsx"
DICTIONARY_CSV = "columns.csv"
DICTIONARY_MD = "columns.md"

# how the dictionary names a column's type
TYPE_LABELS = {"id": "文字列（ID）", "text": "文字列", "int": "整数", "flag": "0/1", "status": "文字列（区分）"}


@dataclass(frozen=True)
class Column:
    key: str  # the record's key
    header: str  # the Japanese header cell
    kind: str  # a key of TYPE_LABELS
    meaning: str
    tables: tuple[str, ...] = TABLES
    editable: bool = False  # import-csv writes it to the program (the rest must stay as exported)
    required: bool = False  # an empty cell is refused


def target_key(label: str) -> str:
    return f"target:{label}"


def division_keys(k: int) -> tuple[str, str]:
    return f"division:{k}:department", f"division:{k}:division"


# a meaning's {where}: in placements.csv where the row is listed, in programs.csv the primary listing
_WHERE = {PLACEMENTS: "掲載先の", PROGRAMS: "主な掲載先の"}

COLUMNS: tuple[Column, ...] = (
    Column(
        "placement_id",
        "掲載ID",
        "id",
        "掲載の安定したID: 事業ID@基本施策番号-ライフステージの順番（なければ0）-個別施策番号",
        (PLACEMENTS,),
        required=True,
    ),
    Column(
        "order",
        "掲載順",
        "int",
        "冊子での掲載順（1から）。取り込むと個別施策の中の並びがこの順になります",
        (PLACEMENTS,),
        required=True,
    ),
    Column("program_id", "事業ID", "id", "事業の安定したID（年度をまたいで同じ事業は同じID）", required=True),
    Column("fiscal_year", "年度", "int", "年度版の年度（西暦）", required=True),
    Column("policy_number", "基本施策番号", "int", "{where}基本施策の番号"),
    Column("policy_title", NODE_KIND_LABELS[POLICY], "text", "{where}基本施策の名前"),
    Column("stage", NODE_KIND_LABELS[STAGE], "text", "{where}ライフステージ（ない基本施策では空）"),
    Column("measure_number", "個別施策番号", "int", "{where}個別施策の番号"),
    Column("measure_title", NODE_KIND_LABELS["measure"], "text", "{where}個別施策の名前"),
    Column("relisted", "再掲", "flag", "1: 【再掲】（主な掲載先は別の個別施策）、0: 主な掲載", (PLACEMENTS,)),
    Column("name", FIELD_LABELS["name"], "text", "事業・取組の名称", editable=True, required=True),
    Column("alias", FIELD_LABELS["alias"], "text", "通称（なければ空）", editable=True),
    Column("summary", FIELD_LABELS["summary"], "text", "事業の概要（セル内の改行はそのまま）", editable=True),
    *(
        Column(target_key(label), f"対象_{label}", "flag", f"1: 対象に「{label}」を含む、0: 含まない", editable=True)
        for label in TARGETS
    ),
    Column("results", FIELD_LABELS["results"], "text", "実績（セル内の改行はそのまま）", editable=True),
    # the 所管 columns (所管1_部, 所管1_課, …) stand here: see division_columns
    Column("status", FIELD_LABELS["status"], "status", f"{' / '.join(PROGRAM_STATUSES)}", editable=True),
    Column("needs_review", FIELD_LABELS["needs_review"], "flag", "1: 担当課への確認が必要", editable=True),
)
_DIVISIONS_AFTER = "results"


def division_columns(count: int) -> list[Column]:
    """所管1_部, 所管1_課, … 所管{count}_課: one pair a division, as many as the edition's most.

    Columns rather than a third file: one program is one row, readable as it is in a
    spreadsheet, and the most any program has is small (3 in FY2024)."""
    columns = []
    for k in range(1, count + 1):
        department, division = division_keys(k)
        columns.append(Column(department, f"所管{k}_部", "text", f"{k}番目の所管の部・局", editable=True))
        columns.append(
            Column(division, f"所管{k}_課", "text", f"{k}番目の所管の課（部・局そのものが所管なら空）", editable=True)
        )
    return columns


def columns_of(table: str, divisions: int) -> list[Column]:
    """The table's columns in file order, with `divisions` pairs of 所管 columns."""
    columns = []
    for column in COLUMNS:
        if table in column.tables:
            columns.append(column)
        if column.key == _DIVISIONS_AFTER:
            columns.extend(division_columns(divisions))
    return columns


# --- records ----------------------------------------------------------------------------------


def placement_id(program_id: str, policy: int, stage: int, measure: int) -> str:
    return f"{program_id}@{policy}-{stage}-{measure}"


@dataclass(frozen=True)
class Place:
    """Where a placement is: its measure's path in the policy tree."""

    policy_number: int
    policy_title: str
    stage_index: int  # 1, 2, … under the policy; 0 without stages
    stage: str | None
    measure_number: int
    measure_title: str

    def values(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in PATH_KEYS}


PATH_KEYS = ("policy_number", "policy_title", "stage", "measure_number", "measure_title")


def walk(doc: dict[str, Any]) -> Iterator[tuple[Place, dict[str, Any]]]:
    """Every measure of the document in booklet order, with its place."""
    for policy in doc["policies"]:
        groups: list[tuple[int, str | None, list[dict[str, Any]]]] = [
            (i, stage["title"], stage["measures"]) for i, stage in enumerate(policy.get("stages", []), 1)
        ] or [(0, None, policy.get("measures", []))]
        for index, stage_title, measures in groups:
            for measure in measures:
                yield (
                    Place(policy["number"], policy["title"], index, stage_title, measure["number"], measure["title"]),
                    measure,
                )


def program_values(program: dict[str, Any]) -> dict[str, Any]:
    """The editable values of a program document, as records hold them."""
    values: dict[str, Any] = {
        "name": program["name"],
        "alias": program.get("alias"),
        "summary": program["summary"],
        "results": program["results"],
        "status": program["status"],
        "needs_review": program["needs_review"],
        "divisions": [(d["department"], d.get("division")) for d in program["divisions"]],
    }
    mask = mask_from_labels(program["targets"])
    values.update({target_key(label): bool(mask >> i & 1) for i, label in enumerate(TARGETS)})
    return values


@dataclass(frozen=True)
class Tables:
    fiscal_year: int
    placements: list[dict[str, Any]]  # booklet order
    programs: list[dict[str, Any]]  # program id order
    divisions: int  # pairs of 所管 columns

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.placements if table == PLACEMENTS else self.programs


def records(doc: dict[str, Any], *, printed_only: bool = True) -> Tables:
    """The document's tables; printed_only=False keeps the ended programs (what an import may name)."""
    if printed_only:
        doc = without_ended(doc)
    year = doc["fiscal_year"]
    values = {p["id"]: program_values(p) for p in doc["programs"]}
    placements: list[dict[str, Any]] = []
    seen: set[str] = set()
    primary: dict[str, Place] = {}
    for place, measure in walk(doc):
        for placement in measure["placements"]:
            uid = placement["program"]
            pid = placement_id(uid, place.policy_number, place.stage_index, place.measure_number)
            if pid in seen:
                raise InvalidInput(
                    f"掲載ID「{pid}」が重複します。基本施策・個別施策の番号の重複を直してから書き出してください。"
                )
            seen.add(pid)
            if not placement["relisted"]:
                primary[uid] = place
            placements.append(
                {
                    "placement_id": pid,
                    "order": len(placements) + 1,
                    "program_id": uid,
                    "fiscal_year": year,
                    **place.values(),
                    "relisted": placement["relisted"],
                    **values[uid],
                }
            )
    programs = [
        {
            "program_id": p["id"],
            "fiscal_year": year,
            **(primary[p["id"]].values() if p["id"] in primary else dict.fromkeys(PATH_KEYS)),
            **values[p["id"]],
        }
        for p in doc["programs"]
    ]
    divisions = max((len(v["divisions"]) for v in values.values()), default=1)
    return Tables(year, placements, programs, max(divisions, 1))


# --- cells ------------------------------------------------------------------------------------


def cell(record: dict[str, Any], key: str) -> str | int:
    """A record's value as the table writes it (int for whole numbers and 0/1, else text)."""
    if key.startswith("division:"):
        _, k, part = key.split(":")
        pairs = record["divisions"]
        if int(k) > len(pairs):
            return ""
        department, division = pairs[int(k) - 1]
        return (department if part == "department" else division) or ""
    value = record[key]
    if isinstance(value, bool):
        return int(value)
    return "" if value is None else value


def row_cells(record: dict[str, Any], columns: Sequence[Column]) -> list[str | int]:
    return [cell(record, c.key) for c in columns]


_INTEGER = re.compile(r"[0-9]+")


def parse_cell(column: Column, text: str) -> Any:
    """A cell read back to the record's value; ValueError (a Japanese message) when it cannot be."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if column.required and not text.strip():
        raise ValueError("空にできません")
    if column.kind == "flag":
        if text.strip() not in ("0", "1"):
            raise ValueError(f"0 か 1 で書いてください（「{text}」）")
        return text.strip() == "1"
    if column.kind == "int":
        if not text.strip():
            return None
        if not _INTEGER.fullmatch(text.strip()):
            raise ValueError(f"整数で書いてください（「{text}」）")
        return int(text.strip())
    if column.kind == "status":
        if text.strip() not in PROGRAM_STATUSES:
            raise ValueError(f"{' / '.join(PROGRAM_STATUSES)} のどれかで書いてください（「{text}」）")
        return text.strip()
    if column.key in ("name", "alias", "stage", "program_id", "placement_id") or column.key.startswith("division:"):
        return text.strip() or None
    return text


# --- writing ----------------------------------------------------------------------------------


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str | int]]) -> str:
    """RFC 4180: CRLF between records, quoted where a cell holds a comma, a quote or a line break."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _encode(text: str, bom: bool) -> bytes:
    return ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")


def _example(rows: Sequence[dict[str, Any]], key: str) -> str:
    for record in rows:
        value = str(cell(record, key))
        if value:
            value = value.replace("\n", "⏎")
            return value if len(value) <= 30 else value[:30] + "…"
    return ""


def dictionary_rows(tables: Tables) -> list[list[str]]:
    """columns.csv: file, column, meaning, type, an example from the data."""
    return [
        [
            f"{table}.csv",
            c.header,
            c.meaning.format(where=_WHERE[table]),
            TYPE_LABELS[c.kind],
            _example(tables.rows(table), c.key),
        ]
        for table in TABLES
        for c in columns_of(table, tables.divisions)
    ]


DICTIONARY_HEADER = ("ファイル", "列名", "意味", "型", "例")


def dictionary_markdown(tables: Tables) -> str:
    lines = [
        f"# オープンデータ列の説明（{tables.fiscal_year}年度）",
        "",
        "- 文字コードは UTF-8（--bom を付けると Excel 向けに BOM 付き）、区切りはカンマ、改行は CRLF。",
        "- セル内の改行（概要・実績）はそのまま、ダブルクォートで囲んで書いています。",
        "- placements.csv は冊子の掲載順に1掲載1行（【再掲】も1行）、programs.csv は1事業1行（事業ID順）。",
        "  どちらも冊子に載る事業だけで、変更区分が「終了」の事業は含みません。",
        "- 掲載ID は「事業ID@基本施策番号-ライフステージの順番（ライフステージのない基本施策は0）-個別施策番号」。"
        "同じ年度版で番号が変わらなければ、何度書き出しても同じです。",
        "- 対象は8区分それぞれを 0/1 の列にしています。所管は1事業に複数あるため、所管1_部・所管1_課、"
        f"所管2_部… の組をこの年度版で最も多い数（{tables.divisions}組）だけ並べています。",
        "- `kodomo-desktop import-csv` で取り込めるのは programs.csv（placements.csv）の名称・通称・概要・対象・実績・"
        "所管・変更区分・要確認と、個別施策の中の掲載順です。",
        "",
    ]
    for table in TABLES:
        lines += [f"## {table}.csv", "", "| 列名 | 意味 | 型 | 例 |", "| --- | --- | --- | --- |"]
        for _file, header, meaning, kind, example in (r for r in dictionary_rows(tables) if r[0] == f"{table}.csv"):
            cells = (_md(header), _md(meaning), _md(kind), _md(example))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|") if text else " "


def write_open_data(tables: Tables, folder: str | Path, *, bom: bool = False, xlsx: bool = False) -> list[Path]:
    """Write the tables and the column dictionary into folder (each file whole or not at all)."""
    folder = Path(folder)
    written = []
    for table in TABLES:
        columns = columns_of(table, tables.divisions)
        text = csv_text([c.header for c in columns], [row_cells(r, columns) for r in tables.rows(table)])
        written.append(folder / f"{table}.csv")
        write_bytes_atomic(written[-1], _encode(text, bom))
    written.append(folder / DICTIONARY_CSV)
    write_bytes_atomic(written[-1], _encode(csv_text(DICTIONARY_HEADER, dictionary_rows(tables)), bom))
    written.append(folder / DICTIONARY_MD)
    write_bytes_atomic(written[-1], dictionary_markdown(tables).encode("utf-8"))
    if xlsx:
        written.append(folder / XLSX_NAME)
        write_bytes_atomic(written[-1], xlsx_bytes(tables))
    return written


# characters XML 1.0 cannot hold; a cell with one would make a file Excel refuses
_ILLEGAL = str.maketrans(dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can be dated: the same data, the same bytes


def xlsx_bytes(tables: Tables) -> bytes:
    """The two tables as sheets (named like the CSV files) and the dictionary as a third."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in TABLES:
        sheet = workbook.create_sheet(table)
        columns = columns_of(table, tables.divisions)
        sheet.append([c.header for c in columns])
        for record in tables.rows(table):
            sheet.append([v.translate(_ILLEGAL) if isinstance(v, str) else v for v in row_cells(record, columns)])
        sheet.freeze_panes = "A2"
    sheet = workbook.create_sheet("columns")
    sheet.append(list(DICTIONARY_HEADER))
    for row in dictionary_rows(tables):
        sheet.append(row)
    workbook.properties.created = workbook.properties.modified = datetime(*_FIXED_TIME)
    out = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which dates the workbook modified now
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fixed_dates(out.getvalue())


def _fixed_dates(data: bytes) -> bytes:
    """The same archive with every entry dated alike (openpyxl dates them now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, _FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
