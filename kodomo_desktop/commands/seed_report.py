HELP = "埋め込みの令和6年度版を原資料から作ったときの照合レポートを表示する"


def add_arguments(parser):
    pass


def run(args, ctx) -> int:
    from kodomo_desktop.core.seed.report import load_report

    ctx.out.write(load_report())
    return 0
