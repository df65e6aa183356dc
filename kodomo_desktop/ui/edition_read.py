"""What the window shows of an edition, read in one go: off the GUI thread at start-up, on it later.

At start-up the read runs in a worker while a light window is already shown (ui/window_start.py);
the main window then only fills its views from it, in steps too short to freeze the window.
No widgets here: only queries and plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kodomo_desktop.core import queries
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.live import ChangeWatcher
from kodomo_desktop.core.queries import (
    DivisionChoice,
    EditionInfo,
    Listing,
    PolicyTree,
    ProgramGroups,
    ProgramRow,
    Scope,
)
from kodomo_desktop.ui import tree_state
from kodomo_desktop.ui.policy_tree import ALL


@dataclass(frozen=True)
class EditionRead:
    editions: list[EditionInfo]
    edition: EditionInfo | None  # None: the database has no edition yet
    tree: PolicyTree
    groups: ProgramGroups
    rows: list[ProgramRow]
    divisions: list[DivisionChoice]
    scope: Scope  # the navigator's choice, found again in this edition's tree
    listings: list[Listing]  # the scope's grid rows
    # at start-up: started before the read, so that it reports every commit the read may have missed
    watcher: ChangeWatcher | None = None


def choose_year(editions: list[EditionInfo], *wanted: int | None) -> int | None:
    """The first wanted year that has an edition, else the newest."""
    years = [e.fiscal_year for e in editions]
    return next((y for y in wanted if y in years), years[-1] if years else None)


def read_edition(
    db: Database, editions: list[EditionInfo], fiscal_year: int | None, scope_key: str | None
) -> EditionRead:
    """The edition of the year (among editions) with the scope named by scope_key (tree_state), or all."""
    edition = next((e for e in editions if e.fiscal_year == fiscal_year), None)
    divisions = queries.division_choices(db)
    if edition is None:
        return EditionRead(editions, None, PolicyTree(()), ProgramGroups(0, 0, ()), [], divisions, ALL, [])
    tree = queries.policy_tree(db, edition.id)
    groups = queries.program_groups(db, edition.id)
    scope = (tree_state.scope_of_key(tree, groups, scope_key) if scope_key else None) or ALL
    return EditionRead(
        editions,
        edition,
        tree,
        groups,
        queries.program_rows(db, edition.id),
        divisions,
        scope,
        queries.listings(db, edition.id, scope, tree),
    )


def read_first(db: Database, fiscal_year: int | None, scope_key: str | None) -> EditionRead:
    """At start-up: the year the window showed last (else the newest), in the scope it showed, and the
    watcher the window's live refresh goes on with."""
    watcher = ChangeWatcher(db)
    editions = queries.list_editions(db)
    return replace(read_edition(db, editions, choose_year(editions, fiscal_year), scope_key), watcher=watcher)
