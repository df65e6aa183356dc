"""Words that tie a program's text to a target group: data for the target suggestions.

Kept conservative on purpose, and tuned on the FY2024 list: a phrase belongs here only
if, in this list's texts, it almost always means the group is served. 保護者 alone is
not enough (「保護者の就労状況にかかわらず」「保護者や教育関係者の意見を参考に」 serve
children), nor is 家庭 (「ひとり親家庭の児童」「学校と家庭が連携」), nor an age word
(「乳児又は幼児の保護者に対して」 serves parents). A suggestion usually wrong is noise.
"""

# group -> phrases in 名称・通称・概要・実績 saying the program serves the group
IMPLIED_BY: dict[str, tuple[str, ...]] = {
    "妊婦等": ("妊婦", "妊産婦"),
    "親等": (
        "及び保護者",
        "と保護者",
        "保護者を対象",
        "保護者向け",
        "保護者への",
        "保護者に対",
        "保護者同士",
        "保護者からの",
        "家庭教育",
        "子育て家庭",
    ),
}

# group -> words of which the text of a program serving the group names at least one
MENTIONED_BY: dict[str, tuple[str, ...]] = {
    "妊婦等": (
        "妊",
        "出産",
        "産前",
        "産後",
        "母子健康手帳",
        "母子手帳",
        "不育",
        "助産",
        "プレコンセプション",
        "プレママ",
    ),
}

# A program for everyone ticks most groups without naming each of them in its text;
# only a program aimed at a few groups is expected to name the ones it ticks.
MENTION_EXPECTED_UP_TO = 3
