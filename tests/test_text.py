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
