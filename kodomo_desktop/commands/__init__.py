"""The CLI's subcommands, one module each (see cli.COMMANDS)."""

import argparse

from kodomo_desktop.core.era import year_problem


def year_argument(text: str) -> int:
    """type= of every --year/--from/--to: a year in the era table's range, else a usage error (exit 2)."""
    value = stored_year_argument(text)
    if (problem := year_problem(value)) is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def stored_year_argument(text: str) -> int:
    """Any integer year: for removing an out-of-range edition an older version let in."""
    try:
        # more digits than any year: int() would refuse the longest with a ValueError of its own
        value = int(text) if len(text.strip()) <= 10 else None
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"年度「{text[:20]}」は西暦の整数で指定してください（例: 2024）")
    return value
