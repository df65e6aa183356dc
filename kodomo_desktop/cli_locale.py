"""argparse's own texts (usage, help headings, usage errors) in Japanese.

argparse looks its texts up with gettext, but binds `_` and `ngettext` at import
(`from gettext import gettext as _, ngettext`), and no Japanese catalogue ships with
Python; so the two module-level names are replaced here, once, by lookups in a table.
A text missing from the table stays English rather than failing.
"""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "使い方: ",
    "positional arguments": "位置引数",
    "options": "オプション",
    "subcommands": "サブコマンド",
    "show this help message and exit": "このヘルプを表示して終了",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "引数 %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "one of the arguments %s is required": "引数 %s のどれかが必要です",
    "unrecognized arguments: %s": "認識できない引数です: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r は選べません（選べる値: %(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r は正しい値ではありません（%(type)s）",
    "expected one argument": "値を1つ指定してください",
    "expected at most one argument": "値は1つまでです",
    "expected at least one argument": "値を1つ以上指定してください",
    "expected %s argument": "値を%s個指定してください",
    "expected %s arguments": "値を%s個指定してください",
    "not allowed with argument %s": "引数 %s と一緒には指定できません",
    "ambiguous option: %(option)s could match %(matches)s": "オプション %(option)s があいまいです（候補: %(matches)s）",
    "ignored explicit argument %r": "値 %r は受け付けません",
    "unexpected option string: %s": "予期しないオプションです: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "%(parser_name)r というコマンドはありません（選べるコマンド: %(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "'%(filename)s' を開けません: %(error)s",
}


def _gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Japanese; before any parser is built (the help heading is read then)."""
    # setattr: the names are argparse's private imports, which its type stubs do not declare
    setattr(argparse, "_", _gettext)  # noqa: B010
    setattr(argparse, "ngettext", _ngettext)  # noqa: B010
