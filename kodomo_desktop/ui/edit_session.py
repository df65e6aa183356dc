"""The window's editing context: the database, the open edition and its undo stack.

Undo commands (ui/undo_commands.py) run operations through the session. What each
operation changed is collected and announced once per push, undo or redo (a
multi-row edit is one announcement), so every view refreshes only what changed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack
from PySide6.QtWidgets import QWidget

from kodomo_desktop.core import queries
from kodomo_desktop.core.changes import OpResult
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import Conflict
from kodomo_desktop.core.queries import EditionInfo
from kodomo_desktop.core.vocabulary import PUBLISHED
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.conflict_dialog import ask as ask_conflict
from kodomo_desktop.ui.messages import confirm, expected_error_text

if TYPE_CHECKING:
    from kodomo_desktop.ui.undo_commands import OperationCommand

# program fields whose change adds, removes or moves grid rows
STRUCTURE_FIELDS = frozenset({"placement", "created", "deleted"})
# program fields the navigator counts (要確認, by 所管)
GROUP_FIELDS = frozenset({"needs_review", "divisions"})


@dataclass(frozen=True)
class Update:
    """What a batch of operations changed, as the views need to know it."""

    programs: frozenset[str] = frozenset()  # uids
    structure: bool = False
    groups: bool = False

    @classmethod
    def of(cls, results: Iterable[OpResult]) -> Update:
        changes = [c for r in results for c in r.changes if c.entity == "program"]
        fields = {c.field for c in changes}
        return cls(
            frozenset(c.entity_id for c in changes),
            bool(fields & STRUCTURE_FIELDS),
            bool(fields & (GROUP_FIELDS | STRUCTURE_FIELDS)),
        )

    def __bool__(self) -> bool:
        return bool(self.programs)


class EditSession(QObject):
    changed = Signal(object)  # Update
    failed = Signal(str)  # a Japanese message; the data is as it was
    # emitted before undo and redo, so editors hand in text still being typed first
    commit_requested = Signal()
    # an undo or redo replaced or deleted a whole edition (a JSON import): the views re-read it
    edition_replaced = Signal(int)  # fiscal year

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.edition: EditionInfo | None = None
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._pending: list[OpResult] = []
        self._macro_depth = 0
        self._succeeded = 0  # operations run, to tell a macro whose every command failed
        # (edition id, uid) -> the program's version after this window's last write of it: an undo
        # or redo is based on it, and is refused where another process changed the field since
        self._versions: dict[tuple[int, str], int] = {}
        # (edition id, uid) -> the program's version the views last read (or this window last wrote):
        # an edit's first write is based on it, so it never overwrites what the user has not seen
        self._read_versions: dict[tuple[int, str], int] = {}

    # --- the open edition ---------------------------------------------------------------

    def open_edition(self, edition: EditionInfo | None) -> None:
        self.edition = edition
        if edition is None:
            self.undo_group.setActiveStack(None)  # type: ignore[arg-type]  # Qt takes null: no active stack
            return
        stack = self._stacks.get(edition.id)
        if stack is None:
            stack = self._stacks[edition.id] = QUndoStack(self.undo_group)
            stack.indexChanged.connect(self._announce)
        self.undo_group.setActiveStack(stack)

    @property
    def read_only(self) -> bool:
        return self.edition is None or self.edition.status == PUBLISHED

    @property
    def stack(self) -> QUndoStack | None:
        return self.undo_group.activeStack()

    def forget_history(self) -> None:
        """After a restore or a deleted edition the stored ids and old values belong to rows that are gone."""
        if self.stack is not None:
            self.stack.clear()

    def rekey(self, old_edition_id: int, new_edition_id: int) -> None:
        """A replaced edition (a JSON import) keeps its undo history under its new row id."""
        stack = self._stacks.pop(old_edition_id, None)
        if stack is not None:
            self._stacks[new_edition_id] = stack

    # --- running commands ---------------------------------------------------------------

    def _open_stack(self) -> QUndoStack:
        stack = self.stack
        assert stack is not None, "commands run only with an edition open"
        return stack

    def open_edition_id(self) -> int:
        assert self.edition is not None, "ids are looked up only with an edition open"
        return self.edition.id

    def push(self, command: OperationCommand) -> bool:
        """Run a command and keep it for undo; False when it failed (reported, nothing kept) or the
        user declined to overwrite another process's newer change (command.answer says how)."""
        if not self._may_write(command):
            return False
        self._open_stack().push(command)
        if not self._macro_depth:
            self._announce()
        return command.error is None

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Several commands as one undo step (a multi-row move, a multi-row delete)."""
        stack = self._open_stack()
        stack.beginMacro(text)
        self._macro_depth += 1
        succeeded = self._succeeded
        try:
            yield
        finally:
            self._macro_depth -= 1
            stack.endMacro()
            if self._succeeded == succeeded:
                # every command failed: leave no empty undo step (an obsolete command is dropped on undo)
                empty = stack.command(stack.index() - 1)
                assert empty is not None  # the macro just ended is the last step
                empty.setObsolete(True)
                stack.undo()
            self._announce()

    def undo(self) -> None:
        self.commit_requested.emit()
        if self._may_step(undoing=True):
            self.undo_group.undo()

    def redo(self) -> None:
        self.commit_requested.emit()
        if self._may_step(undoing=False):
            self.undo_group.redo()

    def _may_step(self, undoing: bool) -> bool:
        """A step asks first where it would overwrite a later change (QUndoStack cannot take a No back)."""
        from kodomo_desktop.ui.undo_commands import OperationCommand  # that module imports this one

        stack = self.stack
        if stack is None:
            return True
        command = stack.command(stack.index() - 1 if undoing else stack.index())
        return not isinstance(command, OperationCommand) or command.check(undoing)

    def _may_write(self, command: OperationCommand) -> bool:
        """An edit's first write asks first where the program changed since the views read it."""
        from kodomo_desktop.ui.undo_commands import VersionedCommand  # that module imports this one

        if not isinstance(command, VersionedCommand) or command.ran:
            return True
        if command.check(undoing=False) and not command.dropped:
            return True
        if command.dropped:
            # 相手の値を採用: nothing written; the views re-read the programs to show the other value
            self.changed.emit(Update(frozenset(command.uids())))
        return False

    def confirm(self, title: str, text: str) -> bool:
        parent = self.parent()
        return confirm(parent if isinstance(parent, QWidget) else None, title, text, default_yes=False)

    def ask_conflict(self, conflict: Conflict, mine: Any, verb: str) -> Choice:
        parent = self.parent()
        return ask_conflict(parent if isinstance(parent, QWidget) else None, conflict, mine, verb)

    def record(self, result: OpResult) -> None:
        """A command's operation succeeded: its changes are announced with the others of this step."""
        self._pending.append(result)
        self._succeeded += 1
        if self.edition is not None:
            for uid, version in result.versions.items():
                self._versions[self.edition.id, uid] = version
                self._read_versions[self.edition.id, uid] = version

    def version(self, uid: str) -> int | None:
        """The version of the program this window last wrote (None: not written by this window)."""
        return self._versions.get((self.open_edition_id(), uid))

    def note_read(self, versions: dict[str, int]) -> None:
        """Programs (uid -> version) a view has just read from the database and shows."""
        if self.edition is not None:
            for uid, version in versions.items():
                self._read_versions[self.edition.id, uid] = version

    def read_version(self, uid: str) -> int | None:
        """The version of the program the views last read (None: never read, the write is not checked)."""
        return self._read_versions.get((self.open_edition_id(), uid))

    def report(self, exc: BaseException) -> None:
        text = expected_error_text(exc)
        if text is None:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        else:
            self.failed.emit(text)

    def _announce(self) -> None:
        if not self._pending:
            return
        update = Update.of(self._pending)
        self._pending.clear()
        if update:
            self.changed.emit(update)

    # --- stable ids to row ids ----------------------------------------------------------

    def program_ids(self, uids: Iterable[str]) -> dict[str, int]:
        return queries.find_program_ids(self.db, self.open_edition_id(), uids)

    def program_id(self, uid: str) -> int:
        return self.program_ids([uid])[uid]

    def placement_id(self, uid: str, measure_id: int) -> int:
        return queries.find_placement_id(self.db, self.open_edition_id(), uid, measure_id)
