"""The proof copy (校正用) next to the plain booklet, in process, on the FY2024 edition.

    uv run python benchmarks/booklet_proof.py [--repeat N]

The proof compares with a copy of the edition as the previous year, one 実績 changed in every
tenth program and every fifth program given uncertain ticks. Prints the best of N; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import time
from typing import Any

from kodomo_desktop.booklet import BookletOptions, build_booklet
from kodomo_desktop.core import locations


def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    document = json.loads(locations.seed_edition_path().read_text(encoding="utf-8"))
    previous = copy.deepcopy(document)
    previous["fiscal_year"] -= 1
    for i, program in enumerate(document["programs"]):
        if i % 10 == 0:
            program["results"] += "\n追加の実績 12回"
        if i % 5 == 0:
            program["uncertain_targets"] = program["targets"][:1]
    return document, previous


def best(repeat: int, build: Any) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    document, previous = documents()
    build_booklet(document, io.BytesIO())  # fonts loaded once, as in a running app
    plain = best(repeat, lambda: build_booklet(document, io.BytesIO()))
    options = BookletOptions(proof="previous")
    proof = best(repeat, lambda: build_booklet(document, io.BytesIO(), options, compare_to=previous))
    print(f"plain booklet {plain * 1000:.0f} ms, proof {proof * 1000:.0f} ms: {proof / plain:.2f}×")


if __name__ == "__main__":
    main()
