"""Normalisation: one documented punctuation form, idempotent."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zzanalysis import normalize_text


@pytest.mark.parametrize("text_in, expected", [
    ("株洲日报(全媒体记者/温琳) 4月26日,活动", "株洲日报（全媒体记者/温琳） 4月26日，活动"),
    ("为什么选择株洲? 康宁", "为什么选择株洲？ 康宁"),
    ("人均GDP居全省第二;", "人均GDP居全省第二；"),
    ("《株洲市“引客入株”促进消费激励办法(暂行)》", "《株洲市“引客入株”促进消费激励办法（暂行）》"),
    ("价格1,500元", "价格1,500元"),
    ("CN 43-0005", "CN 43-0005"),
    ("10:30开幕", "10:30开幕"),
    ("ＧＤＰ增长５．２％", "GDP增长5.2％"),
    ("全角　空格", "全角 空格"),
    ("", ""),
])
def test_normalize(text_in, expected):
    assert normalize_text(text_in) == expected


@given(st.text(alphabet=st.sampled_from(list("株洲 ,;:?!()（），。ab12１２\u3000"))))
def test_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@pytest.mark.parametrize("text_in, expected", [
    # HTML remnants: block tags are a space, inline tags and comments vanish, entities resolve
    ("标题&amp;副标<br>", "标题&副标 "),
    ("<p>正文&nbsp;第一段。</p>", " 正文 第一段。 "),
    ("<span style=\"color:red\">以上</span>", "以上"),
    ("<!-- 注释 -->正文", "正文"),
    ("&amp;lt;br&amp;gt;", " "),  # escaped twice: resolved to the fixed point
    ("x&#10;y", "x y"),  # an entity never adds a line
    ("&amp;amp;amp;lt;", "<"),  # escaped many times over
    ("&notice R&D &copy2023", "&notice R&D &copy2023"),  # names without ";" are text, but for five
    ("&nbsp株洲", " 株洲"),
    ("a<b", "a<b"), ("<5%", "<5%"), ("x<b且y>z", "x<b且y>z"),  # not tags
    # odd spaces and invisible characters
    ("株\u00a0洲", "株 洲"), ("株\u200b洲", "株洲"), ("株\ufeff洲", "株洲"), ("株\u00ad洲", "株洲"),
    # width before composition: full-width A + combining acute
    ("Ａ\u0301", "Á"),
    # kept as printed
    ("株洲日報𠀀😀", "株洲日報𠀀😀"),
])
def test_normalize_robustness(text_in, expected):
    assert normalize_text(text_in) == expected
    assert normalize_text(expected) == expected


HOSTILE = {  # size n → a line built to make a careless regex backtrack
    "spaces": lambda n: " " * n,
    "full_width_commas": lambda n: "，" * n,
    "open_bracket_then_spaces": lambda n: "<" + " " * n,
    "comment_openers": lambda n: "<!--" * n,
    "escaped_many_times": lambda n: "&" + "amp;" * n,
    "nested_tags": lambda n: "<" * n + "br>" * n,
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_normalize_is_linear(make, assert_linear):
    assert_linear(normalize_text, make, 10_000)


def test_normalize_punctuation_only():
    from zzanalysis.text import normalize_punctuation

    assert normalize_punctuation("价格1,株洲") == "价格1，株洲"
    assert normalize_punctuation("&amp;1,500") == "&amp;1,500"


@given(st.text(alphabet=st.sampled_from(list("株洲 ,;:?!()（），。ab12１２\u3000\t\n\xa0"))))
def test_whole_page_equals_line_by_line(text):
    # parse_text normalises a page in one call; line numbers and results must not depend on that
    assert normalize_text(text).split("\n") == [normalize_text(line) for line in text.split("\n")]


@given(st.text(alphabet=st.sampled_from(list("株洲 ,;:?!()（），；。ab12“”《\t"))))
def test_fast_path_equals_run_by_run_rule(text):
    from zzanalysis import text as module

    assert module.normalize_punctuation(text) == module._PUNCT_RUN_RE.sub(module._punct_form, text)


@pytest.mark.parametrize("char, expected", [
    # the ends of the ranges of spans.HAN (U+FA0E: a compatibility ideograph NFC keeps) make an
    # ASCII comma after them Chinese
    ("〇", "〇，1"), ("\u3400", "\u3400，1"), ("\u4dbf", "\u4dbf，1"), ("一", "一，1"), ("\u9fff", "\u9fff，1"),
    ("\ufa0e", "\ufa0e，1"), ("\U00020000", "\U00020000，1"), ("\U000323af", "\U000323af，1"),
    # CJK punctuation counts too; past the last Han block and Latin letters do not
    ("、", "、，1"), ("\U000323b0", "\U000323b0,1"), ("a", "a,1"),
])
def test_a_comma_after_a_han_character_is_chinese(char, expected):
    assert normalize_text(char + ",1") == expected


# Each ASCII mark on its own: a text holding only that mark converts it beside Chinese and keeps
# it between digits or letters.
@pytest.mark.parametrize("text, expected", [
    ("株洲,醴陵", "株洲，醴陵"), ("株洲;醴陵", "株洲；醴陵"), ("株洲:醴陵", "株洲：醴陵"),
    ("株洲?醴陵", "株洲？醴陵"), ("株洲!醴陵", "株洲！醴陵"), ("株洲(醴陵", "株洲（醴陵"),
    ("株洲)醴陵", "株洲）醴陵"), ("1,500吨", "1,500吨"), ("10:30开幕", "10:30开幕"),
    ("株洲（醴陵）", "株洲（醴陵）"), ("", ""),
])
def test_normalize_punctuation_one_mark(text, expected):
    from zzanalysis.text import normalize_punctuation

    assert normalize_punctuation(text) == expected
    assert normalize_text(text) == expected
