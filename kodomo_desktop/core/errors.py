"""Errors the core raises. Every message is Japanese and names what is wrong and where."""

from datetime import datetime

from kodomo_desktop.core.fields import FIELD_LABELS


class KodomoError(Exception):
    """Base of every error meant to be shown to the user as it is."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(KodomoError):
    pass


class InvalidInput(KodomoError):
    pass


class ReadOnlyEdition(KodomoError):
    pass


class DatabaseError(KodomoError):
    pass


class Conflict(KodomoError):
    """A write based on an older version of a row than the database holds: another process
    (the command line, another window) changed the same field since.

    uid/name name a program; subject names any other row (「施策「…」」, 「所管の一覧の部「…」」)."""

    def __init__(
        self,
        *,
        uid: str,
        name: str,
        field: str,
        theirs: object,
        user: str,
        at: str,
        source: str,
        version: int,
        subject: str | None = None,
    ):
        self.uid, self.name, self.field, self.theirs = uid, name, field, theirs
        self.user, self.at, self.source, self.version = user, at, source, version
        self.subject = subject or f"事業 {uid}「{name}」"
        self.label = FIELD_LABELS.get(field, field)
        super().__init__(
            f"{self.subject}の{self.label}は、この画面が読み込んだ後に {user} が {self.when}（{source}）に"
            f"変更しました（現在の値: {value_text(theirs)}）。上書きしないよう、変更を取りやめました。"
        )

    @property
    def when(self) -> str:
        """The change's time, in local time to the minute."""
        try:
            moment = datetime.fromisoformat(self.at.replace("Z", "+00:00")).astimezone()
        except ValueError:
            return self.at
        return moment.strftime("%Y-%m-%d %H:%M")


class Conflicts(KodomoError):
    """An import (JSON, Excel returns) refused because programs it changes were changed by someone
    else after the file or review was read: each named, nothing written."""

    def __init__(self, what: str, conflicts: list[Conflict]):
        self.conflicts = conflicts
        lines = [
            f"  {c.subject}の{c.label}（{c.user}、{c.when}、現在の値: {value_text(c.theirs)}）" for c in conflicts[:20]
        ]
        more = [f"  ほか {len(conflicts) - 20}件"] if len(conflicts) > 20 else []
        super().__init__(
            f"{what}: 読み込んだ後に、ほかの人が次の事業を変更しました（{len(conflicts)}件）。\n"
            + "\n".join(lines + more)
            + "\n上書きしないよう、何も取り込んでいません。もう一度読み込んで確認してから取り込んでください。"
        )


class Busy(KodomoError):
    """Publishing, unpublishing, rolling over and applying returns run one at a time: another is running."""


def value_text(value: object) -> str:
    """A field's value as one line of a message: lists joined, None as 「（なし）」."""
    if value is None:
        return "（なし）"
    if isinstance(value, list):
        return "、".join(value_text(v) if not isinstance(v, list) else " ".join(str(x) for x in v if x) for v in value)
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return str(value)
