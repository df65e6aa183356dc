"""One program is stored once; two printed programs with one name are usually a copy that
was not merged (the source spells copies differently: こども/子ども, 「心と身体のチェック」)."""

from collections import defaultdict
from collections.abc import Iterator

from kodomo_desktop.core.text import name_key
from kodomo_desktop.core.validation.findings import Hit, Severity
from kodomo_desktop.core.validation.registry import Context, edition_rule


@edition_rule("name.duplicate", Severity.WARNING, "同じ名称の事業")
def duplicate_names(ctx: Context) -> Iterator[Hit]:
    view = ctx.view
    groups = defaultdict(list)
    for uid, name in view.names.items():
        if uid not in view.ended:
            groups[name_key(name)].append(uid)
    for key, uids in groups.items():
        if key and len(uids) > 1:
            for uid in uids:
                others = "、".join(f"{o}「{view.names[o]}」" for o in uids if o != uid)
                yield Hit(
                    f"名称が同じ事業がほかにもあります: {others}。同じ事業なら一つにまとめて再掲にし、"
                    "別の事業なら名称で区別してください。",
                    "name",
                    program=uid,
                    judged=view.names[uid],
                )
