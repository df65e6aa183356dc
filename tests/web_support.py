"""Shared by the web edition's tests: the FY2024 site, built once per test module.

TEMPORARY (remove at the merge of W1's kodomo_desktop/core/coverage.py): until that module exists on this
branch, `install_coverage_stub` puts a throw-away module of the contract's shape in its place, so that the
index page can be built and checked here. It is never used when the real module is present.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import SEED_EDITION

COVERAGE_MODULE = "kodomo_desktop.core.coverage"


def fy2024_document() -> dict:
    return json.loads(SEED_EDITION.read_text(encoding="utf-8"))


def coverage_missing() -> bool:
    """The real module is absent (the stub may stand in for it)."""
    module = sys.modules.get(COVERAGE_MODULE)
    if module is not None:
        return getattr(module, "STUB", False)
    return importlib.util.find_spec(COVERAGE_MODULE) is None


@dataclass(frozen=True)
class _Row:
    policy: int
    stage: str | None
    measure: int
    title: str
    counts: tuple[int, ...]
    programs: int
    ids: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Coverage:
    fiscal_year: int
    targets: tuple[str, ...]
    rows: tuple[_Row, ...]
    totals: tuple[int, ...]
    programs: int


def _coverage(document: dict) -> _Coverage:
    from kodomo_desktop.core.listing import without_ended
    from kodomo_desktop.core.targets import TARGETS

    listed = without_ended(document)
    programs = {p["id"]: p for p in listed["programs"]}
    rows = []
    for policy in listed["policies"]:
        groups = [(s.get("title"), s) for s in policy.get("stages") or []] or [(None, policy)]
        for stage, group in groups:
            for measure in group.get("measures") or []:
                placed = list(dict.fromkeys(p["program"] for p in measure["placements"]))
                ids = tuple(tuple(i for i in placed if t in programs[i]["targets"]) for t in TARGETS)
                rows.append(
                    _Row(
                        policy["number"],
                        stage,
                        measure["number"],
                        measure["title"],
                        tuple(map(len, ids)),
                        len(placed),
                        ids,
                    )
                )
    totals = tuple(sum(r.counts[i] for r in rows) for i in range(len(TARGETS)))
    return _Coverage(listed["fiscal_year"], TARGETS, tuple(rows), totals, sum(r.programs for r in rows))


def install_coverage_stub() -> None:
    if coverage_missing():
        module = types.ModuleType(COVERAGE_MODULE)
        module.STUB = True
        module.coverage = _coverage
        sys.modules[COVERAGE_MODULE] = module


def build_fy2024(out: Path) -> list[str]:
    from kodomo_desktop.web.site import build_site

    install_coverage_stub()
    return build_site(fy2024_document(), out)
