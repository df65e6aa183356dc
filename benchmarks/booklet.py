"""How long the booklet takes: in process, as a whole command, at 10× the data, and
next to LibreOffice converting the same table from .xlsx.

    uv run python benchmarks/booklet.py [--repeat N]

Prints figures; asserts nothing (not a timed test).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kodomo_desktop.core import locations

REPO = Path(__file__).resolve().parents[1]
WIDTHS = (24, 48, 4, 4, 4, 4, 4, 4, 5, 4, 22, 18)  # .xlsx columns, in characters


def fy2024_document() -> tuple[dict, str]:
    path = locations.seed_edition_path()
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    from kodomo_desktop.core.seed import SOURCE_LIST, parse_source

    return parse_source(
        SOURCE_LIST.read_text(encoding="utf-8")
    ).document, f"{SOURCE_LIST.name}（seed parser, in memory）"


def scaled(document: dict, factor: int) -> dict:
    """factor copies of every program, each placed where the original is: the same
    tree, factor times the rows."""
    programs = [
        {**p, "id": f"{p['id']}-{k}", "name": f"{p['name']}（{k}）" if k else p["name"]}
        for k in range(factor)
        for p in document["programs"]
    ]

    def measure(m: dict) -> dict:
        placements = [{**pl, "program": f"{pl['program']}-{k}"} for pl in m["placements"] for k in range(factor)]
        return {**m, "placements": placements}

    policies = []
    for policy in document["policies"]:
        policy = dict(policy)
        if policy.get("stages"):
            policy["stages"] = [{**s, "measures": [measure(m) for m in s["measures"]]} for s in policy["stages"]]
        else:
            policy["measures"] = [measure(m) for m in policy.get("measures") or []]
        policies.append(policy)
    return {**document, "policies": policies, "programs": programs}


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def in_process(document: dict, repeat: int) -> tuple[float, int]:
    from kodomo_desktop.booklet import build_booklet

    seconds, report = timed(lambda: build_booklet(document, io.BytesIO()), repeat)
    return seconds, report.pages


def whole_command(document: dict, tmp: Path, repeat: int) -> list[tuple[str, float]]:
    """`kodomo-desktop booklet` as a fresh process on a database holding the edition,
    with Python's bytecode cache as this environment has it and as an installed app has it."""
    db = tmp / "bench.sqlite"
    exe = shutil.which("kodomo-desktop", path=str(Path(sys.executable).parent))
    editions = subprocess.run([exe, "--db", str(db), "editions"], check=True, capture_output=True, text=True).stdout
    if not any(line.startswith(f"{document['fiscal_year']}\t") for line in editions.splitlines()):
        doc_path = tmp / "edition.json"
        doc_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        subprocess.run([exe, "--db", str(db), "import-json", str(doc_path)], check=True, capture_output=True)
    booklet = ["--db", str(db), "booklet", "-o", str(tmp / "cli.pdf")]
    if subprocess.run([exe, *booklet], capture_output=True).returncode == 1:
        booklet.append("--force")  # the edition has validation errors: print it anyway
    database_only = ["--db", str(db), "export-json", "-o", str(tmp / "e.json")]
    label = "booklet" + (" --force" if "--force" in booklet else "")
    commands = [
        (f".venv/bin/kodomo-desktop {label}", [exe, *booklet]),
        ("  of which: .venv/bin/kodomo-desktop export-json (database only)", [exe, *database_only]),
    ]
    if shutil.which("uv"):
        commands.insert(0, (f"uv run kodomo-desktop {label}", ["uv", "run", "--quiet", "kodomo-desktop", *booklet]))

    as_is = dict(os.environ)
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    rows = []
    for env_label, env in (
        (f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}", as_is),
        ("with a bytecode cache (as installed)", cached),
    ):
        rows.append((f"[{env_label}]", None))
        for name, command in commands:
            subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=env)  # warm: caches, pyc
            seconds, _ = timed(
                lambda command=command, env=env: subprocess.run(
                    command, check=True, capture_output=True, cwd=REPO, env=env
                ),
                repeat,
            )
            rows.append((name, seconds))
    return rows


def write_xlsx(document: dict, path: Path) -> None:
    """The booklet's table as one sheet, as an office would print it from Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.page import PageMargins

    from kodomo_desktop.booklet.story import divisions_text, headings, program_name
    from kodomo_desktop.core.era import results_header
    from kodomo_desktop.core.targets import TARGETS

    programs = {p["id"]: p for p in document["programs"]}
    wb = Workbook()
    ws = wb.active
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_title_rows = "1:1"
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(["事業・取組名称", "概要", *TARGETS, results_header(document["fiscal_year"]), "所管"])
    for heading, measure in headings(document):
        ws.append([heading.text])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for placement in (measure or {}).get("placements", ()):
            program = programs[placement["program"]]
            values = [
                program_name(program, placement["relisted"]),
                program["summary"],
                *("○" if t in program["targets"] else "" for t in TARGETS),
                program["results"],
                divisions_text(program),
            ]
            ws.append(values)
            for c in ws[ws.max_row]:
                c.alignment = wrap
            # openpyxl cannot autofit and LibreOffice does not on conversion: estimate
            # the wrapped lines (a full-width character is two width units)
            lines = max(
                sum(-(-sum(1 + (ord(ch) > 0x7F) for ch in para) // width) or 1 for para in str(v).split("\n"))
                for v, width in zip(values, WIDTHS, strict=False)
            )
            ws.row_dimensions[ws.max_row].height = 13 * lines
    for column, width in zip("ABCDEFGHIJKL", WIDTHS, strict=False):
        ws.column_dimensions[column].width = width
    wb.save(path)


def libreoffice(document: dict, tmp: Path, repeat: int) -> tuple[float, str] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    xlsx = tmp / "booklet.xlsx"
    write_xlsx(document, xlsx)
    profile = (tmp / "lo-profile").as_uri()  # its own profile: no clash with a running office
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp),
        str(xlsx),
    ]
    subprocess.run(command, check=True, capture_output=True)  # first start creates the profile
    seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True), repeat)
    pages = (
        subprocess.run(["pdfinfo", str(tmp / "booklet.pdf")], capture_output=True, text=True).stdout
        if shutil.which("pdfinfo")
        else ""
    )
    count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    return seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is printed")
    args = parser.parse_args()

    start = time.perf_counter()
    import kodomo_desktop.booklet.build  # noqa: F401  ReportLab's import is part of a first build
    from kodomo_desktop.booklet.fonts import find_fonts
    from kodomo_desktop.booklet.story import headings

    imported = time.perf_counter()
    fonts = find_fonts()
    fonts_found = time.perf_counter()
    document, source = fy2024_document()
    big = scaled(document, 10)
    rows = sum(len(m["placements"]) for _, m in headings(document) if m)

    print(f"document: {source}")
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    font = fonts.embedded or "CID (not embedded)"
    print(f"machine: {os.cpu_count()} CPUs{load}, Python {sys.version.split()[0]}, font {font}")
    print(
        f"one-off per process: import ReportLab + booklet {imported - start:.3f} s,"
        f" find and register fonts {fonts_found - imported:.3f} s"
    )
    print()
    print(
        f"{'in-process build_booklet (median of ' + str(args.repeat) + ')':<58} {'seconds':>8} {'pages':>6} {'rows':>6}"
    )
    results = {}
    for label, doc, n in (("FY2024", document, rows), ("10x FY2024 (synthetic copies)", big, rows * 10)):
        seconds, pages = in_process(doc, args.repeat)
        results[label] = seconds
        print(f"{label:<58} {seconds:>8.3f} {pages:>6} {n:>6}")
    ratio = results["10x FY2024 (synthetic copies)"] / results["FY2024"]
    print(f"{'  10x / 1x':<58} {ratio:>8.1f}")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print(f"{'whole process (median of ' + str(args.repeat) + ')':<58} {'seconds':>8}")
        for label, seconds in whole_command(document, tmp, args.repeat):
            print(f"{label:<58} {seconds:>8.3f}" if seconds is not None else label)
        print()
        lo = libreoffice(document, tmp, max(1, args.repeat // 2))
        if lo is None:
            print("LibreOffice: not installed (soffice not found)")
        else:
            seconds, pages = lo
            print(f"{'soffice --headless --convert-to pdf, same table as .xlsx':<58} {seconds:>8.3f} {pages:>6}")


if __name__ == "__main__":
    main()
