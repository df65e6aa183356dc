"""Undo commands: each redo and undo calls one operation.

A command keeps stable ids (program uid, measure id) and old/new values, never ORM
objects or row ids: undoing a delete recreates the program with a new row id, and
the commands around it must still find it. Multi-row edits are one command (one
transaction) or a macro of commands (one undo step).

An edit of a program's fields, targets or divisions is based on the version the window last
read of the program, its undo and redo on the version this window last wrote: where another
process (the command line, another window) changed the same field since, the operation
refuses it (Conflict), and `check` asks first which value to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.changes import Change, OpResult
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.operations.reverting import (
    document_edits,
    later_edits,
    remove_document,
    restore_document,
    revert_changes,
)
from kodomo_desktop.core.targets import labels_from_mask
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.edit_session import EditSession

Pairs = tuple[tuple[str, str | None], ...]


class OperationCommand(QUndoCommand):
    """What one undo step writes. The session runs apply/revert in the write thread; the undo stack
    only keeps the step (its redo/undo are skipped when the session has just run the write)."""

    def __init__(self, session: EditSession, text: str):
        super().__init__(text)
        self.session = session
        self.db = session.db
        self.error: BaseException | None = None
        self.ran = False  # applied once: later writes are based on the version this window wrote
        self.skip_next = False  # the session ran the write; the stack's next redo/undo only moves
        self.forced: dict[str, int] = {}  # uid -> the newer version the user chose to overwrite
        self.answer: Choice | None = None  # the user's answer to the last conflict asked about

    def apply(self) -> OpResult:
        raise NotImplementedError

    def revert(self) -> OpResult:
        raise NotImplementedError

    def write_first(self) -> OpResult:
        """The write of the step's first run (push)."""
        return self.apply()

    def check(self, undoing: bool) -> bool:
        """Asked on the GUI thread before the session undoes or redoes this step; False leaves it."""
        return True

    def finished(self, undoing: bool) -> None:
        """On the GUI thread after a write of this step has run and the stack has moved."""

    def redo(self) -> None:
        self._moved(undoing=False)

    def undo(self) -> None:
        self._moved(undoing=True)

    def _moved(self, undoing: bool) -> None:
        # Called from C++ (QUndoStack). Moved by the session: the write has run. Moved by anyone else
        # (an undo view setting the index): the write follows, in the write thread.
        if self.skip_next:
            self.skip_next = False
        else:
            self.session.follow(self, undoing)


class VersionedCommand(OperationCommand):
    """A step writing fields of programs: after its first run, each write is based on the version this
    window last wrote, and a newer change of the same field by someone else comes back as a Conflict,
    which the session asks about."""

    fields: tuple[str, ...] = ()

    def uids(self) -> tuple[str, ...]:
        raise NotImplementedError

    def value(self, uid: str, undoing: bool) -> Any:
        """What the step writes to the program: its old value when undoing, its new one when redoing."""
        raise NotImplementedError

    def expected(self, uid: str) -> int | None:
        """The version the write is based on: for the first run the one the views showed the user."""
        if uid in self.forced:
            return self.forced[uid]
        return self.session.version(uid) if self.ran else self.session.read_version(uid)


class EditField(VersionedCommand):
    """One field of one program. Commits of one typing run (same merge key) merge into one step."""

    MERGE_ID = 1

    def __init__(self, session: EditSession, uid: str, field: str, old: Any, new: Any, merge_key: object = None):
        super().__init__(session, f"{FIELD_LABELS[field]}の変更（{uid}）")
        self.uid, self.field, self.old, self.new, self.merge_key = uid, field, old, new, merge_key
        self.fields = (field,)

    def uids(self) -> tuple[str, ...]:
        return (self.uid,)

    def value(self, uid: str, undoing: bool) -> Any:
        return self.old if undoing else self.new

    def _write(self, value: Any) -> OpResult:
        return ops.update_program(
            self.db, self.session.program_id(self.uid), {self.field: value}, expected_version=self.expected(self.uid)
        )

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


class SetTargets(VersionedCommand):
    """Target groups of one or many programs: {uid: (old mask, new mask)}."""

    fields = ("targets",)

    def __init__(self, session: EditSession, masks: dict[str, tuple[int, int]], text: str = "対象の変更"):
        # the undo menu names the step and, for one program, which one
        super().__init__(session, f"{text}（{next(iter(masks))}）" if len(masks) == 1 else text)
        self.masks = masks

    def uids(self) -> tuple[str, ...]:
        return tuple(self.masks)

    def value(self, uid: str, undoing: bool) -> Any:
        return labels_from_mask(self.masks[uid][0 if undoing else 1])

    def _write(self, which: int) -> OpResult:
        ids = self.session.program_ids(self.masks)
        expected = {ids[uid]: v for uid in self.masks if (v := self.expected(uid)) is not None}
        return ops.set_targets_for(
            self.db,
            {ids[uid]: labels_from_mask(m[which]) for uid, m in self.masks.items()},
            expected_versions=expected,
        )

    def apply(self) -> OpResult:
        return self._write(1)

    def revert(self) -> OpResult:
        return self._write(0)


class SetDivisions(VersionedCommand):
    fields = ("divisions",)

    def __init__(self, session: EditSession, uid: str, old: Pairs, new: Pairs):
        super().__init__(session, f"所管の変更（{uid}）")
        self.uid, self.old, self.new = uid, old, new

    def uids(self) -> tuple[str, ...]:
        return (self.uid,)

    def value(self, uid: str, undoing: bool) -> Any:
        return [list(pair) for pair in (self.old if undoing else self.new)]

    def _write(self, pairs: Pairs) -> OpResult:
        return ops.set_divisions(
            self.db, self.session.program_id(self.uid), pairs, expected_version=self.expected(self.uid)
        )

    def apply(self) -> OpResult:
        return self._write(self.new)

    def revert(self) -> OpResult:
        return self._write(self.old)


class PlacementCommand(OperationCommand):
    """A step on a program's placements: its first write is based on the placement's version the form
    showed (None: not shown, not checked), its undo and redo on the version this window's last write
    left, so a placement someone else moved since is refused (Conflict) rather than moved back over."""

    def __init__(self, session: EditSession, text: str, read_version: int | None = None):
        super().__init__(session, text)
        self.read_version = read_version
        self.ran = False

    def expected(self, placement_id: int) -> int | None:
        return self.session.version(f"placement:{placement_id}") if self.ran else self.read_version

    def redo(self) -> None:
        super().redo()
        self.ran = True


class AddPlacement(PlacementCommand):
    """A re-listing under another measure."""

    def __init__(self, session: EditSession, uid: str, measure_id: int):
        super().__init__(session, f"再掲の追加（{uid}）")
        self.uid, self.measure_id = uid, measure_id
        self.placement_id: int | None = None

    def apply(self) -> OpResult:
        result = ops.add_placement(self.db, self.session.program_id(self.uid), self.measure_id)
        self.placement_id = result.value
        return result

    def revert(self) -> OpResult:
        assert self.placement_id is not None  # undo follows the redo that added it
        return ops.remove_placement(self.db, self.placement_id, expected_version=self.expected(self.placement_id))


class RemovePlacement(PlacementCommand):
    def __init__(self, session: EditSession, uid: str, measure_id: int, position: int, read_version: int | None = None):
        super().__init__(session, f"再掲の削除（{uid}）", read_version)
        self.uid, self.measure_id, self.position = uid, measure_id, position

    def apply(self) -> OpResult:
        placement_id = self.session.placement_id(self.uid, self.measure_id)
        return ops.remove_placement(self.db, placement_id, expected_version=self.expected(placement_id))

    def revert(self) -> OpResult:
        return ops.add_placement(self.db, self.session.program_id(self.uid), self.measure_id, self.position)


class SetPrimary(PlacementCommand):
    def __init__(
        self,
        session: EditSession,
        uid: str,
        measure_id: int,
        former_measure_id: int,
        read_version: int | None = None,
    ):
        super().__init__(session, f"主な掲載先の変更（{uid}）", read_version)
        self.uid, self.measure_id, self.former_measure_id = uid, measure_id, former_measure_id

    def _make_primary(self, measure_id: int) -> OpResult:
        placement_id = self.session.placement_id(self.uid, measure_id)
        return ops.set_primary(self.db, placement_id, expected_version=self.expected(placement_id))

    def apply(self) -> OpResult:
        return self._make_primary(self.measure_id)

    def revert(self) -> OpResult:
        return self._make_primary(self.former_measure_id)


class MovePlacement(PlacementCommand):
    """Reorder within a measure, or move to another measure."""

    def __init__(
        self,
        session: EditSession,
        uid: str,
        measure_id: int,
        position: int,
        to_measure_id: int,
        to_position: int,
        read_version: int | None = None,
    ):
        verb = "並べ替え" if measure_id == to_measure_id else "別の個別施策へ移動"
        super().__init__(session, f"{verb}（{uid}）", read_version)
        self.uid = uid
        self.source = (measure_id, position)
        self.target = (to_measure_id, to_position)

    def _move(self, frm: tuple[int, int], to: tuple[int, int]) -> OpResult:
        placement_id = self.session.placement_id(self.uid, frm[0])
        return ops.move_placement(self.db, placement_id, to[1], to[0], expected_version=self.expected(placement_id))

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

    @property
    def uid(self) -> str | None:
        return self.doc.get("id")

    def apply(self) -> OpResult:
        # the edition's row id at run time: a JSON import undone or redone since replaces the row
        result = ops.create_program(self.db, self.session.open_edition_id(), self.doc, [self.placement])
        self.doc["id"] = next(iter(result.touched("program")))
        self.setText(f"事業の追加（{self.doc['id']}）")  # the uid is known once the program exists
        return result

    def revert(self) -> OpResult:
        uid = self.uid
        assert uid is not None  # undo follows the redo that created it
        return ops.delete_program(self.db, self.session.program_id(uid))


class DeleteProgram(OperationCommand):
    """Undo recreates the program, its placements included, from the snapshot the delete returned."""

    def __init__(self, session: EditSession, uid: str):
        super().__init__(session, f"事業の削除（{uid}）")
        self.uid = uid
        self.snapshot: dict[str, Any] | None = None

    def apply(self) -> OpResult:
        result = ops.delete_program(self.db, self.session.program_id(self.uid))
        self.snapshot = result.value
        return result

    def revert(self) -> OpResult:
        assert self.snapshot is not None  # undo follows the redo that took it
        placements = [(p["measure"], p["position"], p["primary"]) for p in self.snapshot["placements"]]
        return ops.create_program(self.db, self.session.open_edition_id(), self.snapshot, placements)


class ImportCommand(OperationCommand):
    """An import that has already run, kept as one undo step: undo takes back what it wrote, redo writes it again.

    The push writes nothing (the import has run). Before the stack moves, `check` names any
    field edited since that the step would overwrite and asks; on yes the step overwrites it.
    """

    def __init__(self, session: EditSession, text: str):
        super().__init__(session, text)
        self.force = False

    def write_first(self) -> OpResult:
        return OpResult()

    def later_edits(self, undoing: bool) -> list[str]:
        raise NotImplementedError

    def check(self, undoing: bool) -> bool:
        self.force = False
        try:
            edits = self.later_edits(undoing)
        except Exception as exc:
            self.session.report(exc)
            return False
        if not edits:
            return True
        verb = "元に戻す" if undoing else "やり直す"
        listed = "\n".join(f"・{e}" for e in edits[:20]) + (
            f"\n（ほか {len(edits) - 20}件）" if len(edits) > 20 else ""
        )
        self.force = self.session.confirm(
            f"{self.text()}を{verb}",
            f"「{self.text()}」の後に変更された項目があります:\n{listed}\n\n"
            f"{verb}と、これらの後からの変更は失われます。{verb}しますか？",
        )
        return self.force


class ReturnsImport(ImportCommand):
    """Applied Excel returns: undo restores exactly the fields and rows the apply changed."""

    def __init__(self, session: EditSession, changes: Sequence[Change], applied: int):
        super().__init__(session, f"回答の取り込み（{applied}件）")
        self.changes = tuple(changes)  # what the database holds while the import is in
        self.undone: tuple[Change, ...] = ()  # what the undo wrote; reverting it is the redo

    def later_edits(self, undoing: bool) -> list[str]:
        return [str(e) for e in later_edits(self.db, self.changes if undoing else self.undone)]

    def apply(self) -> OpResult:
        result = revert_changes(self.db, self.undone, source="editor", force=self.force)
        self.changes = result.changes
        return result

    def revert(self) -> OpResult:
        result = revert_changes(self.db, self.changes, source="editor", force=self.force)
        self.undone = result.changes
        return result


class JsonImport(ImportCommand):
    """A kodomo-edition/1 document imported: undo puts back the edition it replaced (before), or deletes
    the edition it created (before None); redo imports the document's edition (after) again."""

    def __init__(self, session: EditSession, name: str, before: dict[str, Any] | None, after: dict[str, Any]):
        super().__init__(session, f"JSON の取り込み（{name}）")
        self.before, self.after = before, after
        self.year: int = after["fiscal_year"]
        self.replaced = False  # a write of this step replaced the edition's row (set in the write thread)
        self.new_edition_id: int | None = None

    def later_edits(self, undoing: bool) -> list[str]:
        from kodomo_desktop.core.interchange import export_document

        expected = self.after if undoing else self.before
        return [] if expected is None else document_edits(expected, export_document(self.db, self.year))

    def check(self, undoing: bool) -> bool:
        if not (undoing and self.before is None):
            return super().check(undoing)
        # the created edition goes, whatever was edited in it since: always asked
        self.force = self.session.confirm(
            f"{self.text()}を元に戻す",
            f"JSON から作成した{era_label(self.year)}版を削除します（削除の前にバックアップを作成します）。"
            "この版で行った変更もすべて失われます。よろしいですか？",
        )
        return self.force

    def apply(self) -> OpResult:
        from kodomo_desktop.core.interchange import import_document

        if self.before is None:
            result = import_document(self.db, self.after, add_divisions=True, source="editor")
        else:
            result = restore_document(self.db, self.after, self.before, source="editor", force=self.force)
        return self._replaced(result.value)

    def revert(self) -> OpResult:
        if self.before is None:
            remove_document(self.db, self.after, source="editor", force=self.force)
            return self._replaced(None)
        return self._replaced(
            restore_document(self.db, self.before, self.after, source="editor", force=self.force).value
        )

    def _replaced(self, edition_id: int | None) -> OpResult:
        self.replaced = True
        self.new_edition_id = edition_id
        return OpResult()  # nothing to refresh piecemeal: the whole edition is re-read

    def finished(self, undoing: bool) -> None:
        """The edition's row is new (or gone): its undo history follows it, and the views re-read it."""
        if not self.replaced:  # the push of the import that has run
            return
        self.replaced = False
        edition = self.session.edition
        if self.new_edition_id is not None and edition is not None and edition.fiscal_year == self.year:
            self.session.rekey(edition.id, self.new_edition_id)
        self.session.edition_replaced.emit(self.year)
