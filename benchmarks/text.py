"""How fast search keys are made: the grid's search normalizes every row it filters.

    uv run python benchmarks/text.py [--repeat N]

10,000 rows of the length of a program name with full-width letters and katakana should
take well under half a second. Prints figures (best of N); asserts nothing (not a timed test).
"""

from __future__ import annotations

import argparse
import time

from kodomo_desktop.core.text import search_key

ROWS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [f"こども向け屋内遊戯場「もりもりパーク」（{i}） ＡＢＣ カタカナ 来場者数 104,400人" for i in range(ROWS)]
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for row in rows:
            search_key(row)
        times.append(time.perf_counter() - start)
    print(f"search_key over {ROWS:,} rows: {min(times) * 1000:.1f} ms (best of {args.repeat})")


if __name__ == "__main__":
    main()
