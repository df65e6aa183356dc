"""Opening a returned workbook safely: refuse what is not a reasonably sized, unencrypted .xlsx
before a parser sees it, and parse it with entity expansion off.

A refused file raises ReturnRejected, a Japanese message naming the file and the reason
(too large, a zip or XML bomb, encrypted, .xls/.xlsb/.ods/CSV/PDF, corrupt).
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 20 * 1024 * 1024
# what the zip declares it unpacks to; a template is well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000

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
class OpenedWorkbook:
    workbook: Workbook
    sha256: str  # of the file's bytes, as read
    warnings: list[tuple[str, str]]  # (code, message): the file is read but the sender should know


def open_workbook(path: Path) -> OpenedWorkbook:
    """The workbook in the file at path (formulas as written, no external links); raises ReturnRejected."""
    data = _read_bytes(path)
    warnings = _check_container(path, data)
    return OpenedWorkbook(_load(path, data), hashlib.sha256(data).hexdigest(), warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        # only a regular file: /dev/zero would be read until memory runs out, a FIFO would hang
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ReturnRejected(path, "フォルダです。回答票のファイルを指定してください。")
        if not stat.S_ISREG(info.st_mode):
            raise ReturnRejected(
                path,
                "通常のファイルではありません（デバイスや名前付きパイプなど）。回答票のファイルを指定してください。",
            )
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(path, info.st_size)
        with open(path, "rb") as f:
            # the file may have grown since stat: never read more than the limit
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(path, len(data))
        return data
    except FileNotFoundError:
        raise ReturnRejected(path, "ファイルが見つかりません。") from None
    except OSError as exc:
        raise ReturnRejected(path, f"読み込めません（{exc.strerror or exc}）。") from None


def _too_large(path: Path, size: int) -> ReturnRejected:
    return ReturnRejected(
        path,
        f"ファイルが大きすぎます（{size / 1024 / 1024:.1f} MB、上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。"
        "回答票のファイルか確認してください。",
    )


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
                    f"展開すると大きすぎるファイルです（{unpacked / 1024 / 1024:.0f} MB）。"
                    "回答票のファイルではありません。",
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
        return (
            "CSV・テキスト形式のファイルです。"
            "回答票の .xlsx ファイルに記入し、形式を変えずに保存したものを取り込んでください。"
        )
    return "Excel ブック（.xlsx）ではありません。回答票のファイルか確認してください。"


def _load(path: Path, data: bytes) -> Workbook:
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
            reason = (
                f"Excel ブックとして読めません（{causes[-1].__class__.__name__}）。"
                "ファイルが壊れている可能性があります。"
            )
        raise ReturnRejected(path, reason) from None


def _causes(exc: BaseException) -> list[BaseException]:
    """exc and what it wraps: openpyxl re-raises a sheet's parse error as a plain ValueError."""
    chain = [exc]
    while (inner := chain[-1].__cause__ or chain[-1].__context__) is not None and inner not in chain:
        chain.append(inner)
    return chain
