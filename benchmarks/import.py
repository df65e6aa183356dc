"""How long `import-json` takes at 1k, 4k and 10k programs, and a return with thousands of new rows.

    uv run python benchmarks/import.py [--sizes 1000 4000 10000] [--new-rows 4900]

The documents are FY2024's programs copied under new ids, each copy placed where its original
is (the same tree, more rows per 個別施策). Prints the whole `import-json` process and
`import_document` in process, each on a fresh database; asserts nothing (not a timed test).
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
from booklet import fy2024_document, scaled


def sized(document: dict, programs: int) -> dict:
    """A document of exactly `programs` programs: FY2024 copied, cut at the last copy."""
    factor = -(-programs // len(document["programs"]))
    doc = scaled(document, factor)
    kept = [p for p in doc["programs"][:programs]]
    ids = {p["id"] for p in kept}

    def measure(m: dict) -> dict:
        return {**m, "placements": [pl for pl in m["placements"] if pl["program"] in ids]}

    policies = []
    for policy in doc["policies"]:
        policy = dict(policy)
        if policy.get("stages"):
            policy["stages"] = [{**s, "measures": [measure(m) for m in s["measures"]]} for s in policy["stages"]]
        else:
            policy["measures"] = [measure(m) for m in policy.get("measures") or []]
        policies.append(policy)
    return {**doc, "fiscal_year": 2030, "policies": policies, "programs": kept}


def fresh_database(path: Path):
    from kodomo_desktop.core.opening import open_database

    return open_database(str(path))


def in_process(doc: dict, tmp: Path) -> float:
    from kodomo_desktop.core.interchange import import_document

    db = fresh_database(tmp / f"in-process-{len(doc['programs'])}.sqlite")
    start = time.perf_counter()
    import_document(db, doc, add_divisions=True)
    seconds = time.perf_counter() - start
    db.dispose()
    return seconds


def whole_process(doc: dict, tmp: Path) -> float:
    path = tmp / f"doc-{len(doc['programs'])}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    database = tmp / f"process-{len(doc['programs'])}.sqlite"
    fresh_database(database).dispose()
    command = [sys.executable, "-m", "kodomo_desktop", "--db", str(database), "import-json", str(path)]
    start = time.perf_counter()
    done = subprocess.run([*command, "--add-divisions"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"import-json exited {done.returncode}: {done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--new-rows", type=int, default=4900)
    args = parser.parse_args()
    document, source = fy2024_document()
    print(f"document: {source} ({len(document['programs'])} programs), copied to each size")
    print(f"{'programs':>8} {'import-json (process) s':>24} {'import_document (in process) s':>31}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            doc = sized(document, n)
            process = whole_process(doc, Path(tmp))
            inside = in_process(doc, Path(tmp))
            print(f"{n:>8} {process:>24.2f} {inside:>31.2f}")


if __name__ == "__main__":
    main()
