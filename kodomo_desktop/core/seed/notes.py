"""The decisions taken while building the edition from the source list.

Nothing is fixed silently: every decision is a SeedNote, and a decision about a program is
also written into its review_notes, with needs_review where the data does not settle the
question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kodomo_desktop.core.targets import TARGETS


@dataclass(frozen=True)
class SeedNote:
    code: str  # machine code, one of report.NOTE_KINDS
    message: str  # Japanese, names the program or heading and the source line(s)
    program: str | None = None  # program id when the note concerns a program
    line: int | None = None  # 1-based source line


@dataclass
class Decisions:
    notes: list[SeedNote] = field(default_factory=list)
    review: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # program -> review_notes
    flagged: set[str] = field(default_factory=set)  # programs that need review

    def note(
        self,
        code: str,
        message: str,
        program: str | None = None,
        line: int | None = None,
        *,
        review: bool | None = None,
    ) -> None:
        """Record a decision; review=False/True also writes it into the program's review_notes (True: needs_review)."""
        self.notes.append(SeedNote(code, message, program, line))
        if program and review is not None:
            self.review[program].append(message)
            if review:
                self.flagged.add(program)


def targets_label(targets: Iterable[str]) -> str:
    """Targets as the notes write them: 乳児・幼児, in the booklet's column order."""
    return "・".join(t for t in TARGETS if t in set(targets)) or "なし"
