"""The 8 target groups, in the booklet's column order.

Stored on a program as a bit mask (bit i = TARGETS[i]) so a set of targets is one
integer column: cheap to compare, to toggle and to log.
"""

from collections.abc import Iterable

TARGETS: tuple[str, ...] = ("妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等")


def mask_from_labels(labels: Iterable[str]) -> int:
    mask = 0
    for label in labels:
        try:
            mask |= 1 << TARGETS.index(label)
        except ValueError:
            raise ValueError(f"対象「{label}」は対象区分ではありません（{'・'.join(TARGETS)}）") from None
    return mask


def labels_from_mask(mask: int) -> list[str]:
    return [label for i, label in enumerate(TARGETS) if mask >> i & 1]
