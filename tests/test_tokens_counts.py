"""Term counts made without the token table (run_pipeline's terms), and the number scan."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import tokens as T


def _paragraphs(*texts) -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["A"] * len(texts), "para_no": range(1, len(texts) + 1),
                         "text": pd.Series(texts, dtype=object)})


@pytest.mark.parametrize(
    "texts, expected",
    [
        # 株洲 ×3, 风电 ×2; 的 (a stopword) and the punctuation are dropped; 469亿元 is one token;
        # rows without text have none
        (("株洲风电的产业。", None, "", "株洲风电达469亿元，株洲。"),
         [("株洲", 3), ("风电", 2), ("469亿元", 1), ("产业", 1), ("达", 1)]),
        ((None,), []),
        ((), []),
    ],
)
def test_term_counts_by_hand(texts, expected):
    out = T._term_counts(_paragraphs(*texts))
    assert list(zip(out["token"], out["count"])) == expected
    assert out.dtypes.astype(str).tolist() == ["str", "int64"]


@pytest.mark.parametrize("size", [10, T._CHUNK_CHARS])
def test_term_counts_are_term_frequency_of_tokenize(sample_paragraphs, monkeypatch, size):
    # chunks of a few paragraphs each count their own tokens: the sums are the whole's counts
    monkeypatch.setattr(T, "_CHUNK_CHARS", size)
    expected = zz.term_frequency(zz.tokenize(sample_paragraphs, cache=False, carry=[]))[["token", "count"]]
    assert expected["count"].sum() > 1000
    pd.testing.assert_frame_equal(T._term_counts(sample_paragraphs), expected, check_exact=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("装机35千瓦", ["35千瓦"]),
        ("35千瓦", ["35千瓦"]),
        ("\x0035台", ["35台"]),
        # no letter, digit or point right before the number: A35 and .5 are not numbers here
        ("A35千瓦", []),
        ("x.5台，6台", ["6台"]),
        ("第1,500吨与2.25倍", ["1,500吨", "2.25倍"]),
    ],
)
def test_number_scan(text, expected):
    assert [m.group() for m in T._number_re().finditer(text)] == expected
