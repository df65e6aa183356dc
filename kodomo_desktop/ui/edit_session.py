"""The window's editing context: the database, the open edition and its undo stack.

Undo commands (ui/undo_commands.py) hold what an edit writes; the session runs their
operations in the write thread (ui/op_runner.py) and, once a result is back on the GUI
thread, keeps the command on the undo stack (bookkeeping only: the stack never runs a
command itself) and announces what changed, once per push, undo or redo (a multi-row
edit is one announcement), so every view refreshes only what changed.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
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
from kodomo_desktop.ui.op_runner import OpRunner

if TYPE_CHECKING:
    from kodomo_desktop.ui.undo_commands import OperationCommand, VersionedCommand

Then = Callable[[bool], None]  # called with whether the command ran and is kept
Failed = Callable[[BaseException], None]

# how long a closing window lets the steps handed in run (a stuck one must not keep it open)
CLOSE_WAIT_S = 60
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
        self.runner = OpRunner(db, self)
        self.edition: EditionInfo | None = None
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._pending: list[OpResult] = []
        # steps (a push, a macro, an undo, a write) run one after the other: the next one starts once
        # the last one's result is recorded, so its write is based on the versions that result made
        self._steps: deque[Callable[[], None]] = deque()
        self._busy = False
        self._macro: list[tuple[OperationCommand, Then | None]] | None = None
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

    @property
    def idle(self) -> bool:
        """Nothing handed in is still waiting or running (tests and the closing window wait for it)."""
        return not self._busy and not self._steps and self._macro is None

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

    def push(self, command: OperationCommand, then: Then | None = None) -> None:
        """Run a command in the write thread and keep it for undo. then(True) once it has run and is kept;
        then(False) when it failed (reported, nothing kept) or the user declined to overwrite another
        process's newer change (command.answer says how). Inside a macro, once the macro has run."""
        if self._macro is not None:
            self._macro.append((command, then))
        else:
            self._step(lambda: self._run_push([(command, then)], None))

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Several commands as one undo step (a multi-row move, a multi-row delete): they run in order,
        the first failure stops the rest, and the ones that ran are one step."""
        assert self._macro is None, "macros do not nest"
        entries: list[tuple[OperationCommand, Then | None]] = []
        self._macro = entries
        try:
            yield
        finally:
            self._macro = None
            if entries:
                self._step(lambda: self._run_push(entries, text))

    def submit(self, work: Callable[[], Any], done: Callable[[Any], None], failed: Failed | None = None) -> None:
        """A write that is no undo step (publish, the master list, 確認済み…): run in the write thread
        after the edits before it; done(value) or failed(exception) on the GUI thread (default: reported)."""

        def run() -> None:
            self.runner.submit(
                work, lambda value: self._finish(done, value), lambda exc: self._finish(failed or self.report, exc)
            )

        self._step(run)

    def undo(self) -> None:
        self.commit_requested.emit()
        self._step(lambda: self._run_move(undoing=True))

    def redo(self) -> None:
        self.commit_requested.emit()
        self._step(lambda: self._run_move(undoing=False))

    def follow(self, command: OperationCommand, undoing: bool) -> None:
        """The stack moved by itself (an undo view set its index): the command's write follows."""
        self._step(lambda: self._run_commands([command], undoing, lambda _results: self._next()))

    # --- steps, one after the other -----------------------------------------------------

    def _step(self, start: Callable[[], None]) -> None:
        self._steps.append(start)
        if not self._busy:
            self._next()

    def _next(self) -> None:
        self._announce()
        if not self._steps:
            self._busy = False
            return
        self._busy = True
        self._steps.popleft()()

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        finally:
            self._next()

    def _run_commands(
        self, commands: list[OperationCommand], undoing: bool, done: Callable[[list[OpResult]], None]
    ) -> None:
        """Run each command's write (revert when undoing) in the write thread, in order, stopping at the first
        failure; a conflict is asked about here and the rest run again with the user's answer. done(results)
        gets the results of the commands that ran (all of them, or the ones before a failure)."""
        results: list[OpResult] = []

        def work() -> tuple[list[OpResult], BaseException | None]:
            ran: list[OpResult] = []
            for command in commands[len(results) :]:
                try:
                    ran.append(
                        command.revert() if undoing else command.apply() if command.ran else command.write_first()
                    )
                except Exception as exc:
                    return ran, exc
            return ran, None

        from kodomo_desktop.ui.undo_commands import VersionedCommand  # that module imports this one

        def arrived(outcome: tuple[list[OpResult], BaseException | None]) -> None:
            ran, error = outcome
            for command, result in zip(commands[len(results) :], ran, strict=False):
                self.record(result)
                command.ran = True
            results.extend(ran)
            if error is not None:
                command = commands[len(results)]
                if (
                    isinstance(error, Conflict)
                    and isinstance(command, VersionedCommand)
                    and self._resolve(command, error, undoing)
                ):
                    self.runner.submit(work, arrived, crashed)
                    return
                command.error = error
                if command.answer is None:
                    self.report(error)
            done(results)

        def crashed(exc: BaseException) -> None:
            self.report(exc)
            done(results)

        self.runner.submit(work, arrived, crashed)

    def _resolve(self, command: VersionedCommand, conflict: Conflict, undoing: bool) -> bool:
        """Ask which value to keep; True to write again with the user's over theirs."""
        verb = "元に戻す" if undoing else "やり直す" if command.ran else "保存する"
        choice = self.ask_conflict(conflict, command.value(conflict.uid, undoing), verb)
        command.answer = choice
        if choice is Choice.MINE:
            command.forced[conflict.uid] = conflict.version
            return True
        if choice is Choice.THEIRS:
            # their value stays and the step goes: the views re-read the programs to show it
            command.setObsolete(True)
            self.changed.emit(Update(frozenset(command.uids())))
        return False

    def _run_push(self, entries: list[tuple[OperationCommand, Then | None]], text: str | None) -> None:
        stack = self._open_stack()
        commands = [command for command, _then in entries]
        for command in commands:
            command.answer, command.forced = None, {}

        def ran(results: list[OpResult]) -> None:
            kept = commands[: len(results)]
            if kept:
                if text is not None:
                    stack.beginMacro(text)
                for command in kept:
                    command.skip_next = True
                    stack.push(command)
                    command.finished(undoing=False)
                if text is not None:
                    stack.endMacro()
            self._announce()  # the views show the change before the callers go on
            for i, (_command, then) in enumerate(entries):
                if then is not None:
                    then(i < len(results))
            self._next()

        self._run_commands(commands, False, ran)

    def _run_move(self, undoing: bool) -> None:
        from kodomo_desktop.ui.undo_commands import OperationCommand  # that module imports this one

        stack = self.stack
        if stack is None or stack.index() == (0 if undoing else stack.count()):
            self._next()
            return
        step = stack.command(stack.index() - 1 if undoing else stack.index())
        assert step is not None
        # a macro's children undo last first
        children = [step.child(i) for i in range(step.childCount())] or [step]
        commands = [c for c in (reversed(children) if undoing else children) if isinstance(c, OperationCommand)]
        for command in commands:
            command.answer, command.forced = None, {}
            # asked first where the step would overwrite a later change (an import's undo)
            if not command.check(undoing):
                self._next()
                return

        def ran(results: list[OpResult]) -> None:
            if len(results) == len(commands) or any(c.isObsolete() for c in commands):
                for command in commands:
                    command.skip_next = True
                if undoing:
                    stack.undo()
                else:
                    stack.redo()
                for command in commands:
                    command.finished(undoing)
            self._next()

        self._run_commands(commands, undoing, ran)

    def confirm(self, title: str, text: str) -> bool:
        parent = self.parent()
        return confirm(parent if isinstance(parent, QWidget) else None, title, text, default_yes=False)

    def ask_conflict(self, conflict: Conflict, mine: Any, verb: str) -> Choice:
        parent = self.parent()
        return ask_conflict(parent if isinstance(parent, QWidget) else None, conflict, mine, verb)

    def record(self, result: OpResult) -> None:
        """A command's operation succeeded: its changes are announced with the others of this step."""
        self._pending.append(result)
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

    def close(self) -> None:
        """The window closes: the steps handed in run first (a step waiting for the one before has not
        reached the write thread yet), then the write thread ends."""
        deadline = time.monotonic() + CLOSE_WAIT_S
        while not self.idle and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        self.runner.stop()

    # --- stable ids to row ids ----------------------------------------------------------

    def program_ids(self, uids: Iterable[str]) -> dict[str, int]:
        return queries.find_program_ids(self.db, self.open_edition_id(), uids)

    def program_id(self, uid: str) -> int:
        return self.program_ids([uid])[uid]

    def placement_id(self, uid: str, measure_id: int) -> int:
        return queries.find_placement_id(self.db, self.open_edition_id(), uid, measure_id)
