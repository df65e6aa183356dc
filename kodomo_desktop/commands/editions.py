HELP = "年度版の一覧を表示する"


def add_arguments(parser):
    pass


def print_editions(db, out) -> None:
    from kodomo_desktop.core.era import era_label
    from kodomo_desktop.core.queries import list_editions
    from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS as status

    for e in list_editions(db):
        out.write(
            f"{e.fiscal_year}\t{era_label(e.fiscal_year)}\t{status[e.status]}\t事業 {e.programs}件\t掲載 {e.placements}件\t{e.title}\n"
        )


def run(args, ctx) -> int:
    print_editions(ctx.db, ctx.out)
    return 0
