"""How long validation takes on the FY2024 edition: the whole edition, and the re-check after one edit.

    uv run python benchmarks/validation.py [--repeat N]

The re-check (validate_programs on one program plus the edition-wide rules) runs after
every edit in the window, so it has to feel instant (well under 20 ms on a desktop).
Prints figures (best of N); asserts nothing (not a timed test).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kodomo_desktop.booklet.typesetting import typesetting
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.validation import validate_edition, validate_programs


def best_of(work, repeat: int) -> float:
    """The figure least disturbed by the rest of the machine; one unmeasured run first compiles the statements."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    typeset = typesetting(2024)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "seeded.sqlite"))
        try:
            whole = best_of(lambda: validate_edition(db, 2024, typeset), args.repeat)
            one = best_of(lambda: validate_programs(db, 2024, {"P0049"}, typeset), args.repeat)
        finally:
            db.dispose()
    print(f"whole FY2024 edition          : {whole * 1000:7.1f} ms (best of {args.repeat})")
    print(f"re-check after editing P0049  : {one * 1000:7.1f} ms (best of {args.repeat})")


if __name__ == "__main__":
    main()
