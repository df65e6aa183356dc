"""Returns as departments make them: templates filled in with openpyxl, and the malformed files
an office receives, generated at test time (no binaries in the repository)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def write_templates(db, out_dir: Path, by: str = "division") -> dict[str, Path]:
    """unit name -> template path"""
    from kodomo_desktop.excel.templates import write_templates as write

    paths = write(db, 2024, out_dir, by=by)
    return {_unit_of(p): p for p in paths}


def _unit_of(path: Path) -> str:
    import openpyxl

    props = {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props}
    return props["kodomo.unit"]


class ReturnEditor:
    """Fill in a template the way a department does: by header and ID, in the table found by its name."""

    def __init__(self, path: Path):
        import openpyxl
        from openpyxl.utils.cell import range_boundaries

        self.wb = openpyxl.load_workbook(path)
        title, ref = next(iter(self.wb.defined_names["kodomo_table"].destinations))
        self.ws = self.wb[title]
        _c, self.header_row, _c2, _r = range_boundaries(ref.replace("$", ""))
        self.columns = {cell.value: cell.column for cell in self.ws[self.header_row] if cell.value is not None}

    def row(self, uid: str) -> int:
        col = self.columns["ID"]
        for r in range(self.header_row + 1, self.ws.max_row + 1):
            if self.ws.cell(r, col).value == uid:
                return r
        raise KeyError(uid)

    def blank_row(self, n: int = 0) -> int:
        col = self.columns["ID"]
        last = max(r for r in range(self.header_row, self.ws.max_row + 1) if self.ws.cell(r, col).value is not None)
        return last + 1 + n

    def cell(self, row: int | str, header: str):
        r = self.row(row) if isinstance(row, str) else row
        return self.ws.cell(r, self.columns[header])

    def set(self, row: int | str, header: str, value) -> ReturnEditor:
        self.cell(row, header).value = value
        return self

    def save(self, path: Path) -> Path:
        self.wb.save(path)
        return path


def edited(template: Path, out: Path, **changes_by_uid) -> Path:
    """template with {uid: {header: value}} filled in, saved to out."""
    editor = ReturnEditor(template)
    for uid, values in changes_by_uid.items():
        for header, value in values.items():
            editor.set(uid, header, value)
    return editor.save(out)


def rewrite_zip(
    src: Path,
    out: Path,
    replace: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    add: dict[str, bytes] | None = None,
) -> Path:
    """Copy an .xlsx member by member, replacing, dropping or adding parts."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out


def sheet_part(path: Path, title: str) -> str:
    """The zip member holding the sheet called title."""
    import re

    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    name = target.group(1) or target.group(2)
    return name.lstrip("/") if name.startswith("/xl/") else f"xl/{name}"


def xml_bomb(src: Path, out: Path) -> Path:
    part = sheet_part(src, "回答")
    with zipfile.ZipFile(src) as zf:
        xml = zf.read(part).decode()
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doctype = f"<!DOCTYPE worksheet [{entities}]>"
    bomb = xml.replace("?>", "?>" + doctype, 1) if xml.startswith("<?xml") else doctype + xml
    bomb = bomb.replace(
        "</sheetData>", '<row r="999"><c r="A999" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>', 1
    )
    return rewrite_zip(src, out, replace={part: bomb.encode()})


def zip_bomb(src: Path, out: Path, size: int) -> Path:
    """A valid template plus a member of `size` zero bytes (deflates to almost nothing)."""
    shutil.copy(src, out)
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/media/zeros.bin", "w", force_zip64=True) as f,
    ):
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            f.write(chunk)
    return out


def encrypted(src: Path, out: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as f:
        file = OOXMLFile(f)
        buffer = io.BytesIO()
        file.encrypt("secret", buffer)
    out.write_bytes(buffer.getvalue())
    return out


def ods(out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"<office:document-content/>")
    return out


def soffice_convert(src: Path, out_dir: Path, to: str) -> Path:
    """LibreOffice's re-save (as a department with LibreOffice does)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / f"{src.stem}.{to.split(':')[0]}"
