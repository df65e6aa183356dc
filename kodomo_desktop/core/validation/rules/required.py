"""What every printed program must have."""

from collections.abc import Iterator

from kodomo_desktop.core.validation.empty_results import EMPTY_RESULTS_SHARE, count_empty_results, is_empty
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, edition_rule, program_rule


@program_rule("name.empty", Severity.ERROR, "名称が空")
def empty_name(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.name.strip():
        yield Hit("事業・取組名称が空です。", "name")


@program_rule("targets.none", Severity.ERROR, "対象なし")
def no_target(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.targets:
        yield Hit("対象が一つも選ばれていません。", "targets")


@program_rule("divisions.none", Severity.ERROR, "所管なし")
def no_division(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.divisions:
        yield Hit("所管がありません。", "divisions")


@program_rule("results.empty", Severity.WARNING, "実績が空")
def empty_results(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    # the booklet prints 「―」; whether that is right is the department's answer to give
    if is_empty(p.results):
        yield Hit("実績が空です（冊子には「―」と印刷されます）。", "results")


@edition_rule("results.mostly_empty", Severity.WARNING, "実績が空の事業が多い")
def mostly_empty_results(ctx: Context) -> Iterator[Hit]:
    # a draft after a rollover is empty until the returns come in: only publishing is judged
    empty = count_empty_results(ctx.view.programs.values())
    if ctx.publishing and empty.too_many:
        yield Hit(
            f"{empty.describe()}（公開の目安は{EMPTY_RESULTS_SHARE:.0%}まで）。"
            "各課の回答を取り込んでから公開してください。"
        )


@program_rule("summary.empty", Severity.WARNING, "概要が空")
def empty_summary(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.summary.strip():
        yield Hit("概要が空です。", "summary")
