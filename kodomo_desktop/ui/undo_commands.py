"""Undo commands: each redo and undo calls one operation.

A command keeps stable ids (program uid, measure id) and old/new values, never ORM
objects or row ids: undoing a delete recreates the program with a new row id, and
the commands around it must still find it. Multi-row edits are one command (one
transaction) or a macro of commands (one undo step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.changes import OpResult
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.targets import labels_from_mask
from kodomo_desktop.ui.edit_session import EditSession

Pairs = tuple[tuple[str, str | None], ...]


class OperationCommand(QUndoCommand):
    def __init__(self, session: EditSession, text: str):
        super().__init__(text)
        self.session = session
        self.db = session.db
        self.error: BaseException | None = None

    def apply(self) -> OpResult:
        raise NotImplementedError

    def revert(self) -> OpResult:
        raise NotImplementedError

    def redo(self) -> None:
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], OpResult]) -> None:
        # Called from C++ (QUndoStack): an exception must not escape. An obsolete command
        # is dropped by the stack, so a failed edit leaves no undo step behind.
        try:
            result = step()
        except Exception as exc:
            self.error = exc
            self.setObsolete(True)
            self.session.report(exc)
        else:
            self.session.record(result)


class EditField(OperationCommand):
    """One field of one program. Commits of one typing run (same merge key) merge into one step."""

    MERGE_ID = 1

    def __init__(self, session: EditSession, uid: str, field: str, old: Any, new: Any, merge_key: object = None):
        super().__init__(session, f"{FIELD_LABELS[field]}の変更")
        self.uid, self.field, self.old, self.new, self.merge_key = uid, field, old, new, merge_key

    def _write(self, value: Any) -> OpResult:
        return ops.update_program(self.db, self.session.program_id(self.uid), {self.field: value})

    def apply(self) -> OpResult:
        return self._write(self.new)

    def revert(self) -> OpResult:
        return self._write(self.old)

    def id(self) -> int:
        return self.MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditField) or (other.uid, other.field, other.merge_key) != (
            self.uid,
            self.field,
            self.merge_key,
        ):
            return False
        self.new = other.new
        # typed and then typed back: nothing left to undo
        self.setObsolete(self.new == self.old)
        return True


class SetTargets(OperationCommand):
    """Target groups of one or many programs: {uid: (old mask, new mask)}."""

    def __init__(self, session: EditSession, masks: dict[str, tuple[int, int]], text: str = "対象の変更"):
        super().__init__(session, text)
        self.masks = masks

    def _write(self, which: int) -> OpResult:
        ids = self.session.program_ids(self.masks)
        return ops.set_targets_for(self.db, {ids[uid]: labels_from_mask(m[which]) for uid, m in self.masks.items()})

    def apply(self) -> OpResult:
        return self._write(1)

    def revert(self) -> OpResult:
        return self._write(0)


class SetDivisions(OperationCommand):
    def __init__(self, session: EditSession, uid: str, old: Pairs, new: Pairs):
        super().__init__(session, "所管の変更")
        self.uid, self.old, self.new = uid, old, new

    def _write(self, pairs: Pairs) -> OpResult:
        return ops.set_divisions(self.db, self.session.program_id(self.uid), pairs)

    def apply(self) -> OpResult:
        return self._write(self.new)

    def revert(self) -> OpResult:
        return self._write(self.old)


class AddPlacement(OperationCommand):
    """A re-listing under another measure."""

    def __init__(self, session: EditSession, uid: str, measure_id: int):
        super().__init__(session, "再掲の追加")
        self.uid, self.measure_id = uid, measure_id
        self.placement_id: int | None = None

    def apply(self) -> OpResult:
        result = ops.add_placement(self.db, self.session.program_id(self.uid), self.measure_id)
        self.placement_id = result.value
        return result

    def revert(self) -> OpResult:
        assert self.placement_id is not None  # undo follows the redo that added it
        return ops.remove_placement(self.db, self.placement_id)


class RemovePlacement(OperationCommand):
    def __init__(self, session: EditSession, uid: str, measure_id: int, position: int):
        super().__init__(session, "再掲の削除")
        self.uid, self.measure_id, self.position = uid, measure_id, position

    def apply(self) -> OpResult:
        return ops.remove_placement(self.db, self.session.placement_id(self.uid, self.measure_id))

    def revert(self) -> OpResult:
        return ops.add_placement(self.db, self.session.program_id(self.uid), self.measure_id, self.position)


class SetPrimary(OperationCommand):
    def __init__(self, session: EditSession, uid: str, measure_id: int, former_measure_id: int):
        super().__init__(session, "主な掲載先の変更")
        self.uid, self.measure_id, self.former_measure_id = uid, measure_id, former_measure_id

    def _make_primary(self, measure_id: int) -> OpResult:
        return ops.set_primary(self.db, self.session.placement_id(self.uid, measure_id))

    def apply(self) -> OpResult:
        return self._make_primary(self.measure_id)

    def revert(self) -> OpResult:
        return self._make_primary(self.former_measure_id)


class MovePlacement(OperationCommand):
    """Reorder within a measure, or move to another measure."""

    def __init__(
        self, session: EditSession, uid: str, measure_id: int, position: int, to_measure_id: int, to_position: int
    ):
        super().__init__(session, "並べ替え" if measure_id == to_measure_id else "別の個別施策へ移動")
        self.uid = uid
        self.source = (measure_id, position)
        self.target = (to_measure_id, to_position)

    def _move(self, frm: tuple[int, int], to: tuple[int, int]) -> OpResult:
        return ops.move_placement(self.db, self.session.placement_id(self.uid, frm[0]), to[1], to[0])

    def apply(self) -> OpResult:
        return self._move(self.source, self.target)

    def revert(self) -> OpResult:
        return self._move(self.target, self.source)


class CreateProgram(OperationCommand):
    """A new program under a measure. Redo after undo brings it back with the same uid."""

    def __init__(self, session: EditSession, doc: dict[str, Any], measure_id: int, position: int | None):
        super().__init__(session, "事業の追加")
        self.doc = dict(doc)
        self.placement = (measure_id, position, True)
        self.edition_id = session.open_edition_id()

    @property
    def uid(self) -> str | None:
        return self.doc.get("id")

    def apply(self) -> OpResult:
        result = ops.create_program(self.db, self.edition_id, self.doc, [self.placement])
        self.doc["id"] = next(iter(result.touched("program")))
        return result

    def revert(self) -> OpResult:
        uid = self.uid
        assert uid is not None  # undo follows the redo that created it
        return ops.delete_program(self.db, self.session.program_id(uid))


class DeleteProgram(OperationCommand):
    """Undo recreates the program, its placements included, from the snapshot the delete returned."""

    def __init__(self, session: EditSession, uid: str):
        super().__init__(session, "事業の削除")
        self.uid = uid
        self.edition_id = session.open_edition_id()
        self.snapshot: dict[str, Any] | None = None

    def apply(self) -> OpResult:
        result = ops.delete_program(self.db, self.session.program_id(self.uid))
        self.snapshot = result.value
        return result

    def revert(self) -> OpResult:
        assert self.snapshot is not None  # undo follows the redo that took it
        placements = [(p["measure"], p["position"], p["primary"]) for p in self.snapshot["placements"]]
        return ops.create_program(self.db, self.edition_id, self.snapshot, placements)
