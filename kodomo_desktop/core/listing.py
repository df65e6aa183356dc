"""Which programs an edition lists: every program but the ended (終了) ones.

An ended program stays in its edition — the history, the JSON export — but is not
printed in the booklet, not sent out in the return templates and not carried into
the next year. This module holds that one rule, for documents in kodomo-edition/1 form.
"""

from __future__ import annotations

import copy
from typing import Any

from kodomo_desktop.core.vocabulary import CONTINUING, ENDED


def is_listed(program: dict[str, Any]) -> bool:
    status: str = program.get("status", CONTINUING)
    return status != ENDED


def without_ended(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the document without the ended programs and their placements."""
    listed = copy.deepcopy(doc)
    ended = {p["id"] for p in doc["programs"] if not is_listed(p)}
    listed["programs"] = [p for p in listed["programs"] if p["id"] not in ended]
    for policy in listed["policies"]:
        # a policy without life stages holds its measures itself
        for group in policy.get("stages", [policy]):
            for measure in group.get("measures", []):
                measure["placements"] = [pl for pl in measure["placements"] if pl["program"] not in ended]
    return listed
