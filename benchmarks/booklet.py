"""How long the booklet takes: in process, as a whole command, at 10× the data, and
next to LibreOffice converting the same table from .xlsx.

    uv run python benchmarks/booklet.py [--repeat N]

Prints figures; asserts nothing (not a timed test). The head-to-head figure is the one
issue 12 asks for: the booklet as an installed app runs it (bytecode and font tables
cached by a warm-up run) against soffice on the same rows, run in turn.
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

    return {**document, "policies": with_measures(document, measure), "programs": programs}


def with_measures(document: dict, measure) -> list[dict]:
    """The policy tree with every 個別施策 replaced by measure(it)."""
    policies = []
    for policy in document["policies"]:
        policy = dict(policy)
        if policy.get("stages"):
            policy["stages"] = [{**s, "measures": [measure(m) for m in s["measures"]]} for s in policy["stages"]]
        else:
            policy["measures"] = [measure(m) for m in policy.get("measures") or []]
        policies.append(policy)
    return policies


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


def cached_env(tmp: Path) -> dict[str, str]:
    """The environment of an installed app after its first run: Python writes and reuses
    bytecode, and the booklet's font tables are in the app's cache."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["KODOMO_CACHE_DIR"] = str(tmp / "cache")
    return env


def booklet_commands(document: dict, tmp: Path) -> dict[str, list[str]]:
    """`kodomo-desktop booklet` (and `booklet --proof` where this version has it) on a
    database holding the edition; --force when the edition has validation errors."""
    db = tmp / "bench.sqlite"
    exe = shutil.which("kodomo-desktop", path=str(Path(sys.executable).parent))
    assert exe, "kodomo-desktop is not installed in this environment"
    editions = subprocess.run([exe, "--db", str(db), "editions"], check=True, capture_output=True, text=True).stdout
    if not any(line.startswith(f"{document['fiscal_year']}\t") for line in editions.splitlines()):
        doc_path = tmp / "edition.json"
        doc_path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        subprocess.run([exe, "--db", str(db), "import-json", str(doc_path)], check=True, capture_output=True)
    base = [exe, "--db", str(db), "booklet"]
    refused = subprocess.run([*base, "-o", str(tmp / "cli.pdf")], capture_output=True).returncode == 1
    force = ["--force"] if refused else []  # the edition has validation errors: print it anyway
    commands = {
        "booklet": [*base, "-o", str(tmp / "cli.pdf"), *force],
        "export-json": [exe, "--db", str(db), "export-json", "-o", str(tmp / "e.json")],
    }
    if "--proof" in subprocess.run([*base, "--help"], check=True, capture_output=True, text=True).stdout:
        # the proof compares with the previous year: the same edition a year earlier, every 実績 different
        previous = {**document, "fiscal_year": document["fiscal_year"] - 1, "status": "draft"}
        previous["programs"] = [{**p, "results": p["results"][::-1]} for p in document["programs"]]
        previous_path = tmp / "previous.json"
        previous_path.write_text(json.dumps(previous, ensure_ascii=False), encoding="utf-8")
        subprocess.run([exe, "--db", str(db), "import-json", str(previous_path)], check=True, capture_output=True)
        commands["proof"] = [*base, "-o", str(tmp / "proof.pdf"), "--proof", *force]
    return commands


def whole_command(commands: dict[str, list[str]], tmp: Path, repeat: int) -> list[tuple[str, float | None]]:
    """The booklet as a fresh process, with Python's bytecode cache as this environment
    has it and as an installed app has it, and through `uv run`."""
    booklet = commands["booklet"]
    label = "booklet" + (" --force" if "--force" in booklet else "")
    rows_of = [
        (f".venv/bin/kodomo-desktop {label}", booklet),
        ("  of which: .venv/bin/kodomo-desktop export-json (database only)", commands["export-json"]),
    ]
    if shutil.which("uv"):
        rows_of.insert(0, (f"uv run kodomo-desktop {label}", ["uv", "run", "--quiet", "kodomo-desktop", *booklet[1:]]))
    as_is = {**os.environ, "KODOMO_CACHE_DIR": str(tmp / "cache")}
    rows: list[tuple[str, float | None]] = []
    for env_label, env in (
        (f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')}", as_is),
        ("with a bytecode cache (as installed)", cached_env(tmp)),
    ):
        rows.append((f"[{env_label}]", None))
        for name, command in rows_of:
            subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=env)  # warm: caches, pyc
            seconds, _ = timed(
                lambda command=command, env=env: subprocess.run(
                    command, check=True, capture_output=True, cwd=REPO, env=env
                ),
                repeat,
            )
            rows.append((name, seconds))
    return rows


def head_to_head(commands: dict[str, list[str]], soffice: list[str] | None, tmp: Path, repeat: int) -> dict[str, float]:
    """Median seconds of the booklet (as installed), its proof and LibreOffice, run in
    turn so that the machine's load weighs on each alike."""
    env = cached_env(tmp)
    runs = {name: (commands[name], env) for name in ("booklet", "proof") if name in commands}
    if soffice:
        runs["soffice"] = (soffice, dict(os.environ))
    for command, run_env in runs.values():
        subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=run_env)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, (command, run_env) in runs.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=REPO, env=run_env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


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


def libreoffice(document: dict, tmp: Path) -> list[str] | None:
    """The command converting the booklet's table (as .xlsx) to PDF, its profile made."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    xlsx = tmp / "booklet.xlsx"
    write_xlsx(document, xlsx)
    profile = (tmp / "lo-profile").as_uri()  # its own profile: no clash with a running office
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp)]
    command.append(str(xlsx))
    subprocess.run(command, check=True, capture_output=True)  # first start creates the profile
    return command


def pdf_pages(path: Path) -> str:
    info = (
        subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    )
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


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
        commands = booklet_commands(document, tmp)
        print(f"{'whole process (median of ' + str(args.repeat) + ')':<58} {'seconds':>8}")
        for label, seconds in whole_command(commands, tmp, args.repeat):
            print(f"{label:<58} {seconds:>8.3f}" if seconds is not None else label)
        print()
        soffice = libreoffice(document, tmp)
        figures = head_to_head(commands, soffice, tmp, args.repeat)
        row = "{:<58} {:>8.3f} {:>6}".format
        print(f"{'head to head, run in turn (median of ' + str(args.repeat) + ')':<58} {'seconds':>8} {'pages':>6}")
        booklet = figures["booklet"]
        print(row("kodomo-desktop booklet (bytecode cached, as installed)", booklet, pdf_pages(tmp / "cli.pdf")))
        if "proof" in figures:
            print(row("kodomo-desktop booklet --proof", figures["proof"], pdf_pages(tmp / "proof.pdf")))
            print(row("  proof / booklet", figures["proof"] / booklet, ""))
        else:
            print("kodomo-desktop booklet --proof: not in this version")
        if "soffice" in figures:
            print(
                row(
                    "soffice --headless --convert-to pdf, same table as .xlsx",
                    figures["soffice"],
                    pdf_pages(tmp / "booklet.pdf"),
                )
            )
            print(row("  soffice / booklet", figures["soffice"] / booklet, ""))
        else:
            print("LibreOffice: not installed (soffice not found)")


if __name__ == "__main__":
    main()
