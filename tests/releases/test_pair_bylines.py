"""A release and its Chinese twin: the two bylines' credits paired by role and place."""

from forum import models
from forum.core import languages
from forum.releases.parser import parse_release
from forum.releases.services import release_import
from tests.releases.importing import editor, seed_text, seed_zh_text

EN, ZH = languages.DEFAULT, languages.HAN_SCRIPT
ENGLISH_BYLINE = "(China Development Press Authors: Liu Changjie; Reviewer: Cui Keliang)"
CHINESE_BYLINE = "（中国发展出版社 作者：Liu Changjie 审校：Cui Keliang）"


def pair(english_byline, chinese_byline):
    english = parse_release(seed_text().replace(ENGLISH_BYLINE, english_byline))
    chinese = parse_release(seed_zh_text().replace(CHINESE_BYLINE, chinese_byline))
    assert english["report"]["credits"] and chinese["report"]["credits"]
    return english, chinese


def name_in(person, code):
    """The person's name in that language's columns only (no fallback to the other)."""
    family = getattr(person, languages.column("family_name", code)) or ""
    given = getattr(person, languages.column("given_name", code)) or ""
    return f"{family}{given}" if code == ZH else f"{family} {given}".strip()


def credits():
    return [
        (name_in(credit.person, EN), name_in(credit.person, ZH), credit.role)
        for credit in models.Credit.objects.order_by("order", "pk")
    ]


def test_credits_in_both_scripts_are_paired_by_role_and_place(db):
    english, chinese = pair(
        "(China Development Press Authors: Liu Xugou, Zhao Shili; Reviewer: Qian Shifan)",
        "（中国发展出版社 作者：刘虚构、赵示例 审校：钱示范）",
    )

    release_import(draft=chinese, twin=english, user=editor())

    assert credits() == [
        ("Liu Xugou", "刘虚构", "author"),
        ("Zhao Shili", "赵示例", "author"),
        ("Qian Shifan", "钱示范", "reviewer"),
    ]
    # Zhang Junkuo, Li Wenhai and the three credited: one record each.
    assert models.Person.objects.count() == 5


def test_credits_are_not_paired_when_the_bylines_list_different_numbers(db):
    english, chinese = pair(
        "(China Development Press Authors: Liu Xugou; Reviewer: Cui Keliang)",
        "（中国发展出版社 作者：刘虚构、赵示例 审校：Cui Keliang）",
    )

    release_import(draft=english, twin=chinese, user=editor())

    # No characters are guessed for Liu Xugou, nor pinyin for 刘虚构 and 赵示例.
    assert credits() == [
        ("Liu Xugou", "", "author"),
        ("Cui Keliang", "", "reviewer"),
        ("", "刘虚构", "author"),
        ("", "赵示例", "author"),
    ]


def test_a_name_in_latin_letters_in_both_bylines_is_one_person(db):
    english, chinese = pair(
        "(China Development Press Authors: Liu Changjie, Liu Xugou; Reviewer: Cui Keliang)",
        "（中国发展出版社 作者：Liu Changjie、刘虚构 审校：Cui Keliang）",
    )

    release_import(draft=english, twin=chinese, user=editor())

    assert credits() == [
        ("Liu Changjie", "", "author"),
        ("Liu Xugou", "刘虚构", "author"),
        ("Cui Keliang", "", "reviewer"),
    ]
