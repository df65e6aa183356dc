from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "埋め込みの令和6年度版を原資料から作ったときの照合レポートを表示する"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, ctx: Context) -> int:
    from kodomo_desktop.core.seed.report import load_report

    ctx.out.write(load_report())
    return 0
