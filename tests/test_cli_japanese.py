"""argparse's own texts in Japanese: help, usage errors, for the command and every subcommand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kodomo_desktop.cli import COMMANDS, main

# argparse's English boilerplate, none of which a user may see
ENGLISH = (
    "usage:",
    "show this help",
    "options:",
    "positional arguments",
    "error:",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
    "show program's version",
    "subcommands",
    "expected one argument",
)


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def test_help_of_the_installed_command_is_japanese():
    done = subprocess.run(
        [sys.executable, "-m", "kodomo_desktop", "--help"], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, done.stderr
    assert "使い方: kodomo-desktop" in done.stdout
    assert "このヘルプを表示して終了" in done.stdout and "バージョンを表示して終了" in done.stdout
    assert english_in(done.stdout) == []


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommands_help_is_japanese(command, capsys):
    assert main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"使い方: kodomo-desktop {command}")
    assert "このヘルプを表示して終了" in text and "オプション:" in text
    assert english_in(text) == []


def test_missing_required_argument_is_a_japanese_error_with_exit_2(capsys):
    assert main(["export-csv"]) == 2
    err = capsys.readouterr().err
    assert "kodomo-desktop export-csv: エラー: 次の引数が必要です: -o/--output" in err
    assert "使い方: kodomo-desktop export-csv" in err
    assert english_in(err) == []


def test_positional_arguments_heading_and_missing_positional(capsys):
    assert main(["import-json", "--help"]) == 0
    assert "位置引数:" in capsys.readouterr().out
    assert main(["import-json"]) == 2
    assert "次の引数が必要です: FILE" in capsys.readouterr().err


def test_invalid_choice_and_unknown_argument_are_japanese(capsys):
    assert main(["templates", "-o", "x", "--by", "課"]) == 2
    err = capsys.readouterr().err
    assert "引数 --by: '課' は選べません（選べる値: 'division', 'department'）" in err
    assert main(["no-such-command"]) == 2
    assert "'no-such-command' は選べません" in capsys.readouterr().err
    assert main(["editions", "--zz"]) == 2
    err = capsys.readouterr().err
    assert "認識できない引数です: --zz" in err and english_in(err) == []
    assert main(["export-json", "--year"]) == 2
    assert "引数 --year: 値を1つ指定してください" in capsys.readouterr().err
