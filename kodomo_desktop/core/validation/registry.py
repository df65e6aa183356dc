"""The rules registry. Adding a rule is one small function under a decorator, and its tests.

A program rule judges one program: `check(program, ctx) -> Iterable[Hit]`; it runs for
the programs an edit touched. An edition rule judges what spans programs or is not a
program (duplicate names, a measure's number): `check(ctx) -> Iterable[Hit]`; it is
cheap and always runs over the whole edition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from kodomo_desktop.core.validation.findings import Finding, Hit, Severity, fingerprint
from kodomo_desktop.core.validation.read_model import EditionView, ProgramView
from kodomo_desktop.core.validation.typesetting import Typesetting


@dataclass(frozen=True)
class Context:
    """What a rule may look at besides the program it judges."""

    view: EditionView
    typesetting: Typesetting
    # the edition is being published (or is): what may still be missing in a draft is an error now
    publishing: bool = False


ProgramCheck = Callable[[ProgramView, Context], Iterable[Hit]]
EditionCheck = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # short Japanese name, for the panel's tooltips and the docs
    program_check: ProgramCheck | None = None  # a program rule
    edition_check: EditionCheck | None = None  # an edition rule

    @property
    def per_program(self) -> bool:
        return self.program_check is not None


RULES: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} registered twice")
    RULES[rule.code] = rule


def program_rule(code: str, severity: Severity, title: str) -> Callable[[ProgramCheck], ProgramCheck]:
    def decorate(check: ProgramCheck) -> ProgramCheck:
        _register(Rule(code, severity, title, program_check=check))
        return check

    return decorate


def edition_rule(code: str, severity: Severity, title: str) -> Callable[[EditionCheck], EditionCheck]:
    def decorate(check: EditionCheck) -> EditionCheck:
        _register(Rule(code, severity, title, edition_check=check))
        return check

    return decorate


def run_rules(rules: Mapping[str, Rule], ctx: Context) -> list[Finding]:
    """Every program rule over the printed programs of ctx.view, every edition rule once; worst first,
    in booklet order. An ended program is not judged: it stays in the edition's history only."""
    findings: list[Finding] = []
    printed = [p for p in ctx.view.programs.values() if p.printed]
    for rule in rules.values():
        if rule.program_check is not None:
            for program in printed:
                for hit in rule.program_check(program, ctx):
                    judged = hit.judged if hit.judged is not None else program.value(hit.field)
                    findings.append(_finding(ctx, rule, hit, program.uid, judged))
        if rule.edition_check is not None:
            for hit in rule.edition_check(ctx):
                judged = hit.judged if hit.judged is not None else hit.message
                findings.append(_finding(ctx, rule, hit, hit.program, judged))
    findings.sort(key=sort_key(ctx.view.order))
    return findings


def sort_key(order: Mapping[str, int]) -> Callable[[Finding], tuple[int, bool, int, str]]:
    """Worst first; then the edition's own findings, then programs in booklet order."""
    return lambda f: (f.severity.rank, f.program is not None, order.get(f.program or "", len(order)), f.code)


def _finding(ctx: Context, rule: Rule, hit: Hit, program: str | None, judged: str) -> Finding:
    name = ctx.view.names.get(program, "") if program else ""
    return Finding(rule.code, rule.severity, hit.message, program, hit.field, fingerprint(judged), name)
