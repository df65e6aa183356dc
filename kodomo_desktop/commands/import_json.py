from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kodomo_desktop.cli import Context

HELP = "kodomo-edition/1 形式の JSON から年度版を取り込む（不正な文書は何も変えずに拒否）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--replace", action="store_true", help="同じ年度の版（作成中）があれば置き換える")
    parser.add_argument(
        "--add-divisions",
        action="store_true",
        help="所管の一覧にない部・課を一覧に追加して取り込む（指定しないときは、候補を示して取り込まない）",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from kodomo_desktop.core.divisions import format_divisions, load_master
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.interchange import edition_versions, import_document, load_document, unknown_divisions

    doc = load_document(args.file)
    db = ctx.db
    ctx.notice_if_open_in_window()
    # the edition replaced is the one as it is now: an edit made while the backup is written refuses the import
    versions = edition_versions(db, doc["fiscal_year"]) if args.replace else None
    added = unknown_divisions(load_master(db), doc) if args.add_divisions else {}
    if args.replace:
        backup = db.backup("before-import-json")
        if backup:
            ctx.err.write(f"バックアップ: {backup}\n")
    import_document(
        db,
        doc,
        replace=args.replace,
        add_divisions=args.add_divisions,
        source=f"import:{Path(args.file).name}",
        name=args.file,
        validated=True,
        expected_versions=versions,
    )
    ctx.out.write(f"{era_label(doc['fiscal_year'])}版を取り込みました（事業 {len(doc['programs'])}件）。\n")
    if added:
        ctx.out.write(f"所管の一覧に{len(added)}件を追加しました:\n")
        for pair, uids in added.items():
            ctx.out.write(f"  {format_divisions([pair])}（{'、'.join(uids)}）\n")
    return 0
