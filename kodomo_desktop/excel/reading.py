"""Reading one returned workbook: refuse what is not a safe template of ours, parse every cell.

Nothing here touches the database. A file is refused as a whole (ReturnRejected, a
Japanese message naming the file) when it is not an .xlsx, is encrypted, too large, a zip
or XML bomb, not one of our templates or of another edition; otherwise each cell that
cannot be read becomes an Issue with its sheet and cell, and the rest is parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import search_key
from kodomo_desktop.excel import cells, layout
from kodomo_desktop.excel.units import UNIT_KINDS, Unit

MAX_FILE_BYTES = 20 * 1024 * 1024
# what the zip declares it unpacks to; a template is well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_ROWS = 5000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

RESAVE_XLSX = (
    "Excel で開き「名前を付けて保存」で「Excel ブック (*.xlsx)」を選んで保存し直してから、もう一度取り込んでください。"
)


class ReturnRejected(Exception):
    """The whole file is refused; message names the file and the reason."""

    def __init__(self, path: Path, reason: str):
        self.message = f"{path.name}: {reason}"
        super().__init__(self.message)


@dataclass(frozen=True)
class Issue:
    sheet: str
    cell: str
    severity: str  # error | warning
    code: str
    message: str


@dataclass
class ReturnRow:
    row: int
    id: str  # "" on a row for a new program
    values: dict[str, Any]  # field -> value, only for fields whose cells could be read
    cells: dict[str, str]  # field -> cell reference ("D5"; targets: the first target cell)


@dataclass
class ReturnSheet:
    path: Path
    sha256: str
    fiscal_year: int
    unit: Unit
    sheet: str
    base: dict[str, dict[str, Any]]  # uid -> what the template sent (templates.base_value)
    rows: list[ReturnRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def issue(self, cell: str, code: str, message: str, severity: str = "error") -> None:
        self.issues.append(Issue(self.sheet, cell, severity, code, message))


def read_return(path: str | Path, fiscal_year: int, divisions: cells.DivisionNames) -> ReturnSheet:
    """Check and parse one return for the edition of fiscal_year; raises ReturnRejected."""
    path = Path(path)
    data = _read_bytes(path)
    warnings = _check_container(path, data)
    wb = _load(path, data)
    props = {p.name: p.value for p in wb.custom_doc_props}
    unit = _check_identity(path, props, fiscal_year)
    ws, header_row = _table_sheet(path, wb)
    sheet = ReturnSheet(path, hashlib.sha256(data).hexdigest(), fiscal_year, unit, ws.title, _base(path, wb))
    for code, message in warnings:
        sheet.issue("", code, message, "warning")
    _parse_rows(sheet, ws, header_row, divisions)
    return sheet


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReturnRejected(
                path,
                f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB、上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。回答票のファイルか確認してください。",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ReturnRejected(path, "ファイルが見つかりません。") from None
    except OSError as exc:
        raise ReturnRejected(path, f"読み込めません（{exc.strerror or exc}）。") from None


def _check_container(path: Path, data: bytes) -> list[tuple[str, str]]:
    """Refuse anything but a reasonably sized .xlsx zip before a parser sees it; returns warnings."""
    if not data:
        raise ReturnRejected(path, "空のファイルです。")
    if data.startswith(OLE_MAGIC):
        raise ReturnRejected(path, _ole_reason(data))
    if not data.startswith(ZIP_MAGIC):
        raise ReturnRejected(path, _not_zip_reason(path, data))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ReturnRejected(
                    path, f"圧縮ファイルの中身が多すぎます（{len(infos)}個）。回答票のファイルではありません。"
                )
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ReturnRejected(
                    path,
                    f"展開すると大きすぎるファイルです（{unpacked / 1024 / 1024:.0f} MB）。回答票のファイルではありません。",
                )
            if "mimetype" in names and zf.read("mimetype").strip() == ODS_MIMETYPE:
                raise ReturnRejected(
                    path,
                    "OpenDocument 形式（.ods）のファイルです。LibreOffice で開き「名前を付けて保存」で"
                    "「Excel 2007-365 (.xlsx)」を選んで保存し直してから、もう一度取り込んでください。",
                )
    except zipfile.BadZipFile:
        raise ReturnRejected(
            path, "ファイルが壊れています（zip として読めません）。送り直してもらってください。"
        ) from None
    if "xl/workbook.bin" in names:
        raise ReturnRejected(path, "Excel バイナリブック（.xlsb）です。" + RESAVE_XLSX)
    if "xl/workbook.xml" not in names:
        raise ReturnRejected(path, "Excel ブック（.xlsx）ではありません。回答票のファイルか確認してください。")
    if "xl/vbaProject.bin" in names:
        return [
            (
                "macro",
                "マクロが含まれています（実行はしません）。回答票を .xlsx 形式で保存し直すようお願いしてください。",
            )
        ]
    return []


def _ole_reason(data: bytes) -> str:
    import msoffcrypto

    try:
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # msoffcrypto raises assorted errors on OLE files it does not know
        encrypted = False
    if encrypted:
        return (
            "パスワードで保護（暗号化）されています。Excel で開き「ファイル」→「情報」→「ブックの保護」で"
            "パスワードを解除して保存し直してから、もう一度取り込んでください。"
        )
    return "Excel 97-2003 形式（.xls）などの古い形式のファイルです。" + RESAVE_XLSX


def _not_zip_reason(path: Path, data: bytes) -> str:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "PDF ファイルです。回答票は Excel ブック（.xlsx）のまま返送してもらってください。"
    try:
        text = head.decode("utf-8") if not head.startswith(b"\xff\xfe") else head.decode("utf-16")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp932")
        except UnicodeDecodeError:
            text = ""
    if text and ("," in text or "\t" in text or path.suffix.lower() in (".csv", ".txt", ".tsv")):
        return "CSV・テキスト形式のファイルです。回答票の .xlsx ファイルに記入し、形式を変えずに保存したものを取り込んでください。"
    return "Excel ブック（.xlsx）ではありません。回答票のファイルか確認してください。"


def _load(path: Path, data: bytes):
    import openpyxl
    from defusedxml import DefusedXmlException

    # defusedxml is a dependency: without it openpyxl would expand entities (XML bombs)
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError("openpyxl is not using defusedxml (OPENPYXL_DEFUSEDXML must not be False)")
    try:
        # a file object, not the path: openpyxl then does not judge the file by its extension
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError... on malformed parts
        causes = _causes(exc)
        if any(isinstance(e, DefusedXmlException) for e in causes):
            reason = "危険な XML（エンティティ定義）を含んでいます。取り込みません。"
        elif any(isinstance(e, zipfile.BadZipFile) for e in causes):
            reason = "ファイルが壊れています（中身が宣言と合いません）。送り直してもらってください。"
        else:
            reason = f"Excel ブックとして読めません（{causes[-1].__class__.__name__}）。ファイルが壊れている可能性があります。"
        raise ReturnRejected(path, reason) from None


def _causes(exc: BaseException) -> list[BaseException]:
    """exc and what it wraps: openpyxl re-raises a sheet's parse error as a plain ValueError."""
    chain = [exc]
    while (inner := chain[-1].__cause__ or chain[-1].__context__) is not None and inner not in chain:
        chain.append(inner)
    return chain


def _check_identity(path: Path, props: dict[str, Any], fiscal_year: int) -> Unit:
    if props.get(layout.PROP_KIND) != layout.TEMPLATE_KIND:
        raise ReturnRejected(
            path,
            "このアプリが作成した回答票ではありません。「回答票を作成」で作ったファイルに記入してもらってください。",
        )
    version = _int(props.get(layout.PROP_VERSION))
    if version != layout.TEMPLATE_VERSION:
        newer = version is not None and version > layout.TEMPLATE_VERSION
        raise ReturnRejected(
            path,
            f"回答票の版（{props.get(layout.PROP_VERSION)}）に対応していません。"
            + ("新しい版の kodomo-desktop で作成された回答票です。" if newer else "回答票を作り直して送ってください。"),
        )
    year = _int(props.get(layout.PROP_YEAR))
    if year != fiscal_year:
        which = era_label(year) if year else "不明な年度"
        raise ReturnRejected(
            path, f"{which}版の回答票です（取り込み先は{era_label(fiscal_year)}版）。年度を確かめてください。"
        )
    kind = props.get(layout.PROP_UNIT_KIND)
    department = props.get(layout.PROP_DEPARTMENT)
    if kind not in UNIT_KINDS or not department:
        raise ReturnRejected(path, "回答票の所管の情報が壊れています。回答票を作り直して送ってください。")
    return Unit(kind, str(department), str(props.get(layout.PROP_DIVISION) or "") or None)


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _named_range(path: Path, wb, name: str, what: str):
    from openpyxl.utils.cell import range_boundaries

    defined = wb.defined_names.get(name)
    destinations = list(defined.destinations) if defined is not None else []
    if not destinations or destinations[0][0] not in wb.sheetnames:
        raise ReturnRejected(
            path, f"{what}が見つかりません（名前「{name}」がありません）。回答票を作り直して送ってください。"
        )
    title, ref = destinations[0]
    return wb[title], range_boundaries(ref.replace("$", ""))


def _table_sheet(path: Path, wb):
    ws, (_min_col, min_row, _max_col, _max_row) = _named_range(path, wb, layout.TABLE_NAME, "回答の表")
    if ws.max_row > MAX_ROWS:
        raise ReturnRejected(path, f"「{ws.title}」シートの行が多すぎます（{ws.max_row}行）。")
    return ws, min_row


def _base(path: Path, wb) -> dict[str, dict[str, Any]]:
    ws, (min_col, min_row, _max_col, max_row) = _named_range(path, wb, layout.BASE_NAME, "回答票の元データ")
    base = {}
    try:
        for uid, value in ws.iter_rows(
            min_row=min_row + 1, max_row=max_row, min_col=min_col, max_col=min_col + 1, values_only=True
        ):
            base[str(uid)] = json.loads(value)
    except (TypeError, ValueError):
        raise ReturnRejected(path, "回答票の元データが壊れています。回答票を作り直して送ってください。") from None
    return base


def _header_columns(path: Path, ws, header_row: int, fiscal_year: int) -> dict[str, int]:
    """field key -> column number, by header text (columns may have been moved)."""
    wanted = {search_key(col.header): col.key for col in layout.columns(fiscal_year, with_previous_results=True)}
    found: dict[str, int] = {}
    for cell in next(ws.iter_rows(min_row=header_row, max_row=header_row)):
        key = wanted.get(search_key(cells.cell_text(cell.value)))
        if key is not None:
            found.setdefault(key, cell.column)
    missing = [
        col.header
        for col in layout.columns(fiscal_year, False)
        if col.key in layout.REQUIRED_KEYS and col.key not in found
    ]
    if missing:
        raise ReturnRejected(
            path,
            f"「{ws.title}」シートに列「{'」「'.join(missing)}」が見つかりません。列見出しの文字は変えずに返送してもらってください。",
        )
    return found


def _merged_input_cells(sheet: ReturnSheet, ws, first_row: int, input_columns: set[int]) -> set[tuple[int, int]]:
    merged: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        rows = range(max(rng.min_row, first_row), min(rng.max_row, ws.max_row) + 1)
        cols = [c for c in range(rng.min_col, rng.max_col + 1) if c in input_columns]
        if rows and cols:
            sheet.issue(
                rng.coord,
                "merged",
                f"セル {rng.coord} が結合されています。結合を解除して、1つのセルに1つの値を入力してください。",
            )
            merged.update((r, c) for r in rows for c in cols)
    return merged


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not cells.text(value))


def _parse_rows(sheet: ReturnSheet, ws, header_row: int, divisions: cells.DivisionNames) -> None:
    columns = _header_columns(sheet.path, ws, header_row, sheet.fiscal_year)
    parsers = {
        "name": cells.name,
        "alias": cells.alias,
        "summary": cells.text,
        "results": cells.text,
        "divisions": divisions.parse,
        "status": cells.status,
        "note": cells.text,
    }
    target_columns = [(label, columns[layout.target_key(label)]) for label in TARGETS]
    input_columns = [columns["id"], *(columns[key] for key in parsers), *(c for _, c in target_columns)]
    merged = _merged_input_cells(sheet, ws, header_row + 1, set(input_columns))

    def readable(cell) -> bool:
        """False (with an issue) for a cell whose value cannot be taken as typed."""
        if (cell.row, cell.column) in merged:
            return False
        if cell.data_type == "f":
            sheet.issue(
                cell.coordinate,
                "formula",
                f"セル {cell.coordinate} に数式があります。数式ではなく値を入力してください。",
            )
            return False
        if cell.data_type == "e":
            sheet.issue(
                cell.coordinate,
                "error_value",
                f"セル {cell.coordinate} がエラー値（{cell.value}）です。値を入力し直してください。",
            )
            return False
        return True

    def parse(cell, parser, *args):
        try:
            return parser(cell.value, *args)
        except cells.FieldError as exc:
            sheet.issue(cell.coordinate, exc.code, f"セル {cell.coordinate}: {exc.message}")
            raise

    for r in range(header_row + 1, ws.max_row + 1):
        if all(_is_blank(ws.cell(r, c).value) and (r, c) not in merged for c in input_columns):
            continue
        id_cell = ws.cell(r, columns["id"])
        if not readable(id_cell):
            continue  # without its ID the row is neither a known program nor surely a new one
        row = ReturnRow(r, cells.program_id(id_cell.value), {}, {"id": id_cell.coordinate})
        for key, parser in parsers.items():
            cell = ws.cell(r, columns[key])
            row.cells[key] = cell.coordinate
            if key == "divisions" and not row.id and _is_blank(cell.value):
                continue  # a new program without 所管 belongs to the unit that returned it
            if readable(cell):
                with contextlib.suppress(cells.FieldError):
                    row.values[key] = parse(cell, parser)
        row.cells["targets"] = ws.cell(r, target_columns[0][1]).coordinate
        ticked, complete = [], True
        for label, c in target_columns:
            cell = ws.cell(r, c)
            if not readable(cell):
                complete = False
                continue
            try:
                if parse(cell, cells.tick, label):
                    ticked.append(label)
            except cells.FieldError:
                complete = False
        if complete:
            row.values["targets"] = cells.targets_value(ticked)
        sheet.rows.append(row)
