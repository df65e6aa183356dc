"""How long `import-json` takes at 1k, 4k and 10k programs, and a return with thousands of new rows.

    uv run python benchmarks/import.py [--sizes 1000 4000 10000] [--new-rows 4900]

The documents are FY2024's programs copied under new ids, each copy placed where its original
is (the same tree, more rows per 個別施策). Prints the whole `import-json` process (bytecode
cached, as installed) and `import_document` in process, each on a fresh database, then a
department's return with --new-rows new programs read and applied in process. Asserts nothing
(not a timed test).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from booklet import cached_env, fy2024_document, scaled, with_measures


def sized(document: dict, programs: int) -> dict:
    """A document of exactly `programs` programs: FY2024 copied, cut at the last copy."""
    factor = -(-programs // len(document["programs"]))
    doc = scaled(document, factor)
    kept = doc["programs"][:programs]
    ids = {p["id"] for p in kept}

    def measure(m: dict) -> dict:
        return {**m, "placements": [pl for pl in m["placements"] if pl["program"] in ids]}

    return {**doc, "fiscal_year": 2030, "policies": with_measures(doc, measure), "programs": kept}


def fresh_database(path: Path):
    from kodomo_desktop.core.opening import open_database

    return open_database(str(path))


def in_process(doc: dict, tmp: Path) -> tuple[float, float]:
    """Seconds for import_document, and of them the seconds the write lock was held."""
    from sqlalchemy import event

    from kodomo_desktop.core.interchange import import_document

    db = fresh_database(tmp / f"in-process-{len(doc['programs'])}.sqlite")
    marks: dict[str, float] = {}
    event.listen(db.engine, "begin", lambda _conn: marks.__setitem__("begin", time.perf_counter()))
    event.listen(db.engine, "commit", lambda _conn: marks.__setitem__("commit", time.perf_counter()))
    start = time.perf_counter()
    import_document(db, doc, add_divisions=True)
    seconds = time.perf_counter() - start
    db.dispose()
    return seconds, marks["commit"] - marks["begin"]


def whole_process(doc: dict, tmp: Path) -> float:
    path = tmp / f"doc-{len(doc['programs'])}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    database = tmp / f"process-{len(doc['programs'])}.sqlite"
    fresh_database(database).dispose()
    command = [sys.executable, "-m", "kodomo_desktop", "--db", str(database), "import-json", str(path)]
    env = cached_env(tmp)
    subprocess.run([*command[:5], "editions"], env=env, check=True, capture_output=True)  # writes the bytecode
    start = time.perf_counter()
    done = subprocess.run([*command, "--add-divisions"], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"import-json exited {done.returncode}: {done.stderr}")
    return seconds


def new_rows_return(template: Path, out: Path, rows: int) -> Path:
    """The template with `rows` new programs added below its table, each under the unit's first 所管."""
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    wb = openpyxl.load_workbook(template)
    title, ref = next(iter(wb.defined_names["kodomo_table"].destinations))
    ws = wb[title]
    _c, header_row, _c2, _r = range_boundaries(ref.replace("$", ""))
    columns = {cell.value: cell.column for cell in ws[header_row] if cell.value is not None}
    division = ws.cell(header_row + 1, columns["所管"]).value
    last = max(r for r in range(header_row, ws.max_row + 1) if ws.cell(r, columns["ID"]).value is not None)
    for i in range(rows):
        r = last + 1 + i
        ws.cell(r, columns["事業・取組名称"]).value = f"新しい事業 {i + 1}"
        ws.cell(r, columns["概要"]).value = f"新しい事業 {i + 1} の概要"
        ws.cell(r, columns["所管"]).value = division
    wb.save(out)
    return out


def returns_apply(document: dict, tmp: Path, rows: int) -> tuple[float, float, int]:
    """Seconds to read and check the return, seconds to apply it, programs added."""
    from kodomo_desktop.core.interchange import import_document
    from kodomo_desktop.excel.apply import apply_returns, default_plan
    from kodomo_desktop.excel.returns import check_returns
    from kodomo_desktop.excel.templates import write_templates

    db = fresh_database(tmp / "returns.sqlite")
    import_document(db, {**document, "status": "draft"}, add_divisions=True, replace=True)
    template = write_templates(db, document["fiscal_year"], tmp / "templates", by="department")[0]
    returned = new_rows_return(template, tmp / "return.xlsx", rows)
    start = time.perf_counter()
    [result] = check_returns(db, document["fiscal_year"], [returned])
    checked = time.perf_counter()
    plan = default_plan(result)
    assert plan is not None, result.issues
    report = apply_returns(db, document["fiscal_year"], [plan])
    applied = time.perf_counter()
    db.dispose()
    return checked - start, applied - checked, len(report.result.touched("program"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--new-rows", type=int, default=4900)
    args = parser.parse_args()
    document, source = fy2024_document()
    print(f"document: {source} ({len(document['programs'])} programs), copied to each size")
    print(f"{'programs':>8} {'import-json (process) s':>24} {'import_document (in process) s':>31} {'lock held s':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            doc = sized(document, n)
            process = whole_process(doc, Path(tmp))
            inside, locked = in_process(doc, Path(tmp))
            print(f"{n:>8} {process:>24.2f} {inside:>31.2f} {locked:>12.2f}")
        print()
        read, applied, added = returns_apply(document, Path(tmp), args.new_rows)
        print(f"a return with {args.new_rows} new rows: read and checked {read:.2f} s, applied {applied:.2f} s")
        print(f"  ({added} programs changed or added)")


if __name__ == "__main__":
    main()
