"""The policy tree and the placements: what the booklet's order and 【再掲】 marks rest on."""

from collections import Counter, defaultdict
from collections.abc import Iterator

from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.read_model import ProgramView
from kodomo_desktop.core.validation.registry import Context, edition_rule, program_rule
from kodomo_desktop.core.vocabulary import NODE_KIND_LABELS


@program_rule("placements.primary", Severity.ERROR, "主な掲載先が一つでない")
def primary_placement(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    placements = ctx.view.placements.get(p.uid, [])
    primaries = [node.label for node, relisted in placements if not relisted]
    if not placements:
        yield Hit("どの個別施策にも掲載されていません。", "placements")
    elif not primaries:
        yield Hit(
            "主な掲載先がありません（すべて【再掲】です）。【再掲】でない掲載がちょうど一つ必要です。", "placements"
        )
    elif len(primaries) > 1:
        yield Hit(
            f"主な掲載先が{len(primaries)}か所あります（{'、'.join(primaries)}）。一つを残して【再掲】にしてください。",
            "placements",
        )


@program_rule("placements.twice", Severity.ERROR, "同じ個別施策に二度掲載")
def listed_twice(p: ProgramView, ctx: Context) -> Iterator[Hit]:
    counts = Counter(node.label for node, _relisted in ctx.view.placements.get(p.uid, []))
    twice = [f"{label}（{n}回）" for label, n in counts.items() if n > 1]
    if twice:
        yield Hit(f"同じ個別施策に重ねて掲載されています: {'、'.join(twice)}。", "placements")


@edition_rule("policy.number", Severity.ERROR, "施策の番号がない・重複")
def node_numbers(ctx: Context) -> Iterator[Hit]:
    groups = defaultdict(list)
    for node in ctx.view.nodes:
        groups[node.kind, node.group].append(node)
    for (kind, _group), nodes in groups.items():
        kind_label = NODE_KIND_LABELS[kind]
        for node in nodes:
            if node.number is None:
                yield Hit(f"{kind_label}「{node.title}」（{node.label}）に番号がありません。")
        numbers = Counter(node.number for node in nodes if node.number is not None)
        for number, n in numbers.items():
            if n > 1:
                same = [node for node in nodes if node.number == number]
                titles = "」「".join(node.title for node in same)
                yield Hit(f"{same[0].label}が{n}つあります（「{titles}」）。番号を振り直してください。")
