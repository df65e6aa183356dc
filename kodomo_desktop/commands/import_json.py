from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "kodomo-edition/1 形式の JSON から年度版を取り込む（不正な文書は何も変えずに拒否）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--replace", action="store_true", help="同じ年度の版（作成中）があれば置き換える")


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.interchange import import_document, load_document

    doc = load_document(args.file)
    db = ctx.db
    if args.replace:
        backup = db.backup("before-import-json")
        if backup:
            ctx.err.write(f"バックアップ: {backup}\n")
    import_document(db, doc, replace=args.replace, source=f"import:{Path(args.file).name}", name=args.file)
    ctx.out.write(f"{era_label(doc['fiscal_year'])}版を取り込みました（事業 {len(doc['programs'])}件）。\n")
    return 0
