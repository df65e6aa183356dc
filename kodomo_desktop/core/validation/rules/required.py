"""What every printed program must have."""

from collections.abc import Iterator

from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, program_rule


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


@program_rule("results.empty", Severity.ERROR, "公開時に実績が空")
def empty_results(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    # a draft waits for the departments' returns; a published booklet cannot have gaps
    if ctx.publishing and not p.results.strip():
        yield Hit("実績が空です（公開する年度版では必須です）。", "results")


@program_rule("summary.empty", Severity.WARNING, "概要が空")
def empty_summary(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    if not p.summary.strip():
        yield Hit("概要が空です。", "summary")
