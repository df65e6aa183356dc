"""The `kodomo-desktop` command: the window with no arguments, the same operations without one.

Exit status: 0 success, 1 the command ran and found problems, 2 bad input or usage.
Each subcommand is one module in `commands/` with HELP, add_arguments(parser) and
run(args, ctx). Heavy imports stay inside run() so that `--help` and start-up stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, TextIO

from kodomo_desktop import __version__, cli_locale
from kodomo_desktop.core.errors import InvalidInput, KodomoError

if TYPE_CHECKING:
    import sqlite3

    from kodomo_desktop.core.database import Database
    from kodomo_desktop.core.sql_rows import Rows

# subcommand -> module providing HELP, add_arguments(parser), run(args, ctx)
COMMANDS = {
    "init": "kodomo_desktop.commands.init",
    "editions": "kodomo_desktop.commands.editions",
    "export-json": "kodomo_desktop.commands.export_json",
    "import-json": "kodomo_desktop.commands.import_json",
    "export-csv": "kodomo_desktop.commands.export_csv",
    "import-csv": "kodomo_desktop.commands.import_csv",
    "seed-report": "kodomo_desktop.commands.seed_report",
    "seed-build": "kodomo_desktop.commands.seed_build",
    "booklet": "kodomo_desktop.commands.booklet",
    "web": "kodomo_desktop.commands.web",
    "templates": "kodomo_desktop.commands.templates",
    "import-returns": "kodomo_desktop.commands.import_returns",
    "validate": "kodomo_desktop.commands.validate",
    "publish": "kodomo_desktop.commands.publish",
    "unpublish": "kodomo_desktop.commands.unpublish",
    "edition-settings": "kodomo_desktop.commands.edition_settings",
    "rollover": "kodomo_desktop.commands.rollover",
    "diff": "kodomo_desktop.commands.diff",
    "coverage": "kodomo_desktop.commands.coverage",
    "delete-edition": "kodomo_desktop.commands.delete_edition",
    "backups": "kodomo_desktop.commands.backups",
    "restore": "kodomo_desktop.commands.restore",
    "export-excel": "kodomo_desktop.commands.export_excel",
}


class Context:
    """What a command needs: the database (opened on first use) and the output streams."""

    def __init__(self, args: argparse.Namespace, out: TextIO, err: TextIO):
        self.args = args
        self.out = out
        self.err = err

    @cached_property
    def db(self) -> Database:
        from kodomo_desktop.core.environment import WAITING
        from kodomo_desktop.core.opening import open_database

        def say_waiting() -> None:
            self.err.write(f"{WAITING}\n")
            self.err.flush()

        db = open_database(self.args.db)
        db.on_wait = say_waiting
        return db

    def database_name(self) -> str:
        """The database a failure is about: the opened one, or what --db / KODOMO_DB name."""
        if "db" in self.__dict__:
            return self.db.display_name
        from kodomo_desktop.core.database_url import display_target
        from kodomo_desktop.core.locations import database_target

        return display_target(database_target(self.args.db))

    @cached_property
    def _quick(self) -> sqlite3.Connection | None:
        from kodomo_desktop.core.locations import database_target
        from kodomo_desktop.core.read_only import open_read_only

        return None if "db" in self.__dict__ else open_read_only(database_target(self.args.db))

    @contextlib.contextmanager
    def reading(self) -> Iterator[Rows]:
        """Plain-SQL reads (core.sql_rows): of a local SQLite file at this version's schema through
        sqlite3 alone, one snapshot for the whole command; else through the opened database."""
        from kodomo_desktop.core.sql_rows import session_rows, sqlite_rows

        if self._quick is not None:
            yield sqlite_rows(self._quick)
        else:
            with self.db.read() as session:
                yield session_rows(session)

    def close(self) -> None:
        """Close the database's connections: another command (a restore) may need the file to itself."""
        quick = self.__dict__.get("_quick")
        if quick is not None:
            quick.close()
        if "db" in self.__dict__:
            self.db.dispose()

    def year(self) -> int:
        """--year, or the latest edition's when it is not given."""
        from kodomo_desktop.core.interchange import latest_year

        return self.args.year if self.args.year is not None else latest_year(self.db)

    def write_output(self, text: str) -> None:
        """To -o FILE (written whole or not at all), or to standard output."""
        from kodomo_desktop.core.files import write_text_atomic

        if self.args.output:
            write_text_atomic(self.args.output, text)
        else:
            self.out.write(text)

    def confirmed(self, question: str, without_terminal: str) -> bool:
        """--yes, or the user's 「y」 at a terminal; without one (a script) the command refuses."""
        if self.args.yes:
            return True
        if not sys.stdin.isatty():
            raise InvalidInput(without_terminal)
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")

    def notice_if_open_in_window(self, *, replaces_file: bool = False) -> None:
        """Before a write: say so when a window has this database open. Its undo is checked against
        the rows' versions, so the window copes; a restore replaces the file under it, hence --yes."""
        if self.db.path is None:
            return
        from kodomo_desktop.ui.instance_lock import window_holding

        holder = window_holding(self.db.path)
        if holder is None:
            return
        notice = f"このデータベースは画面（{holder}）でも開かれています。"
        if not replaces_file:
            self.err.write(f"{notice}画面の元に戻す操作は、この変更と食い違う場合に確認を求めます。\n")
        elif self.args.yes:
            self.err.write(f"{notice}復元のあと、画面でデータベースを開き直してください。\n")
        else:
            raise InvalidInput(
                f"{notice}復元するとファイルが画面の下で置き換わります。"
                "画面を閉じてから復元するか、--yes を付けて実行してください。"
            )

    def document(self, year: int | None = None) -> dict[str, Any]:
        """The edition of year (the latest when None) as a kodomo-edition/1 document, dated."""
        from kodomo_desktop.core.edition_sql import read_document

        with self.reading() as rows:
            return read_document(rows, year, dated=True)


def build_parser() -> argparse.ArgumentParser:
    cli_locale.install()
    parser = argparse.ArgumentParser(
        prog="kodomo-desktop",
        description="「旭川市こども計画」関連事業・取組一覧の編集・検証・印刷。引数なしでウィンドウを開きます。",
    )
    parser.add_argument(
        "--version", action="version", version=f"kodomo-desktop {__version__}", help="バージョンを表示して終了"
    )
    parser.add_argument(
        "--db",
        type=_db_argument,
        metavar="PATH",
        help="データベースのファイルまたは SQLAlchemy URL（既定: 環境変数 KODOMO_DB、なければユーザーデータフォルダ）",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="コマンド")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command_parser)
        command_parser.set_defaults(_module=module)
    return parser


def _db_argument(value: str) -> str:
    # an empty --db would otherwise silently open the default database
    if not value.strip():
        raise argparse.ArgumentTypeError("データベースの指定が空です。ファイルのパスか URL を指定してください。")
    return value


def open_window(args: argparse.Namespace) -> int:
    from kodomo_desktop.ui.app import run_app

    return run_app(args.db)


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    if args.command is None:
        try:
            return open_window(args)
        except KodomoError as exc:
            err.write(f"エラー: {exc.message}\n")
            return exc.exit_code
    if argv is None:
        # A command from the shell is one short process that builds little cyclic garbage:
        # the collector's passes over what the SQLAlchemy and ReportLab imports create
        # cost a tenth of a booklet's time. (Not in the window, nor when called in-process.)
        gc.disable()
    code = run_command(args, out, err)
    if argv is None:
        # The command has closed its database and written its files: the interpreter's
        # teardown, freeing every module's objects one by one, would add another tenth.
        for stream in (out, err):
            with contextlib.suppress(OSError):  # a closed pipe (`| head`) has read what it wanted
                stream.flush()
        os._exit(code)
    return code


def run_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """One subcommand, its failures as their Japanese messages and exit codes."""
    try:
        ctx = Context(args, out, err)
        try:
            code: int = args._module.run(args, ctx)
        except KodomoError:
            raise
        except Exception as exc:
            if isinstance(exc, BrokenPipeError) or (problem := _environment_problem(exc, ctx)) is None:
                raise
            raise problem from exc
        finally:
            ctx.close()
        return code
    except KodomoError as exc:
        err.write(f"エラー: {exc.message}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        err.write("中断しました。\n")
        return 130
    except BrokenPipeError:
        return 0


def _environment_problem(exc: Exception, ctx: Context) -> KodomoError | None:
    """A lock, permission, full disk or path problem that escaped a command, as its message."""
    from kodomo_desktop.core.environment import translate

    return translate(exc, ctx.database_name())
