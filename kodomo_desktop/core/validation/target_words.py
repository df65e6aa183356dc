"""Words that tie a program's text to a target group: data for the target suggestions.

Kept conservative on purpose: a word belongs here only if, in this list's texts, it
almost always means the group. A suggestion that is usually wrong is noise.
"""

# group -> words in 名称・通称・概要 that say the program serves the group
IMPLIED_BY: dict[str, tuple[str, ...]] = {
    "妊婦等": ("妊婦", "妊産婦", "妊娠"),
    "親等": ("保護者",),
}

# group -> words of which the text names at least one when the group is ticked
MENTIONED_BY: dict[str, tuple[str, ...]] = {
    "妊婦等": ("妊", "出産", "産前", "産後", "母子健康手帳"),
}
