"""zzanalysis.frequency on tiny inline token frames, every expected number worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import zzanalysis as zz
from zzanalysis import frequency as fq

LN = math.log


def _tokens(docs: dict[str, list], **meta) -> pd.DataFrame:
    """A tokens frame: docs maps article_id → paragraphs (lists of tokens) or one flat list."""
    rows = []
    for article_id, paragraphs in docs.items():
        if paragraphs and isinstance(paragraphs[0], str):
            paragraphs = [paragraphs]
        for para_no, paragraph in enumerate(paragraphs, start=1):
            offset = 0
            for token_no, token in enumerate(paragraph):
                rows.append(dict(article_id=article_id, para_no=para_no, token_no=token_no,
                                 token=token, pos="n", start=offset, end=offset + len(token)))
                offset += len(token)
    frame = pd.DataFrame(rows)
    for column, per_article in meta.items():
        frame[column] = frame["article_id"].map(per_article)
    return frame


# The three-document toy corpus (9 tokens) used throughout.
TOY = {"A": ["株洲", "制造", "株洲"], "B": ["株洲", "发展"], "C": ["制造", "发展", "发展", "创新"]}


@pytest.fixture
def toy():
    return _tokens(TOY, date={"A": pd.Timestamp("2023-01-05"), "B": pd.Timestamp("2023-01-20"),
                              "C": pd.Timestamp("2023-03-01")})


def _rows(frame, columns):
    return [tuple(r) for r in frame[columns].itertuples(index=False, name=None)]


# ---------------------------------------------------------------------------------------------
# term_frequency


@pytest.mark.parametrize(
    "by, expected",
    [
        # 9 tokens: 发展 3, 株洲 3, 制造 2, 创新 1; ties in count go by code point (发 U+53D1 < 株 U+682A).
        (None, [("发展", 3, 3 / 9), ("株洲", 3, 3 / 9), ("制造", 2, 2 / 9), ("创新", 1, 1 / 9)]),
        ("article_id", [
            ("A", "株洲", 2, 2 / 3), ("A", "制造", 1, 1 / 3),
            ("B", "发展", 1, 1 / 2), ("B", "株洲", 1, 1 / 2),
            ("C", "发展", 2, 2 / 4), ("C", "创新", 1, 1 / 4), ("C", "制造", 1, 1 / 4),
        ]),
    ],
)
def test_term_frequency_counts_shares_rates(toy, by, expected):
    out = fq.term_frequency(toy, by=by)
    keys = [] if by is None else [by]
    assert list(out.columns) == [*keys, "token", "count", "share", "per_10k"]
    got = _rows(out, [*keys, "token", "count", "share"])
    assert [g[:-1] for g in got] == [e[:-1] for e in expected]
    assert [g[-1] for g in got] == pytest.approx([e[-1] for e in expected], abs=1e-15)
    assert out["per_10k"].tolist() == pytest.approx([e[-1] * 10_000 for e in expected])
    assert out["count"].dtype == "int64"


def test_term_frequency_min_count_keeps_shares_of_the_whole(toy):
    out = fq.term_frequency(toy, min_count=2)
    # 创新 (1) goes; 制造 is still 2 of all 9 tokens = 2222.2 per 10k.
    assert out["token"].tolist() == ["发展", "株洲", "制造"]
    assert out["per_10k"].iloc[-1] == pytest.approx(2 / 9 * 10_000)


def test_term_frequency_categorical_and_missing_group(toy):
    cat = toy.astype({"token": "category", "article_id": "category"})
    cat["column"] = cat["article_id"].map({"A": "央媒看株洲"}).astype("str")  # B, C: no 栏目
    out = fq.term_frequency(cat, by="column")
    # Rows without a column label are their own group (6 tokens), not dropped.
    assert out["count"].sum() == 9
    assert _rows(out, ["column", "token", "count"])[:2] == [("央媒看株洲", "株洲", 2), ("央媒看株洲", "制造", 1)]
    assert out["token"].dtype == "str"
    assert _rows(fq.term_frequency(cat), ["token", "count"]) == _rows(
        fq.term_frequency(toy), ["token", "count"])


@pytest.mark.parametrize(
    "tokens, categories, expected",
    [
        # categories unused (东) or in no order of their own, missing tokens dropped, ties by code point
        (["制造", None, "株洲", "制造", "株洲", "创新"], ["东", "株洲", "制造", "创新"],
         [("制造", 2, 2 / 5), ("株洲", 2, 2 / 5), ("创新", 1, 1 / 5)]),
        ([None, None], ["株洲"], []),
        ([], ["株洲"], []),
    ],
)
def test_term_frequency_counts_categorical_tokens_by_code(tokens, categories, expected):
    frame = pd.DataFrame({"token": pd.Categorical(tokens, categories=categories)})
    out = fq.term_frequency(frame)
    assert _rows(out, ["token", "count", "share"]) == expected
    assert out.index.tolist() == list(range(len(expected)))
    assert out.dtypes.astype(str).tolist() == ["str", "int64", "float64", "float64"]
    # the same table as counting the tokens as strings
    pd.testing.assert_frame_equal(out, fq.term_frequency(frame.astype({"token": "str"})), check_exact=True)


def test_functions_do_not_mutate_input(toy):
    before = toy.copy()
    fq.term_frequency(toy, by="article_id")
    fq.tfidf(toy)
    fq.keywords(toy, method="textrank")
    fq.keyness(toy, by="article_id")
    fq.ngrams(toy)
    fq.collocations(toy, min_count=1)
    fq.trend(toy, ["株洲"])
    pd.testing.assert_frame_equal(toy, before)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda t: fq.term_frequency(t, by="page"), r"term_frequency\(\) needs column\(s\) \['page'\]"),
        (lambda t: fq.trend(t, "株洲", over="page"), r"trend\(\) needs column\(s\) \['page'\]"),
        (lambda t: fq.kwic(t, "株洲"), r"kwic\(\) needs column\(s\) \['text'\]"),
    ],
)
def test_missing_column_is_a_column_error(toy, call, message):
    with pytest.raises(zz.ColumnError, match=message):
        call(toy)


def test_trend_by_is_still_accepted_as_over(toy):
    toy = toy.assign(page=toy["article_id"].map({"A": 1, "B": 2, "C": 2}))
    with pytest.warns(DeprecationWarning, match="by= is now over="):
        old = fq.trend(toy, "株洲", by="page")
    pd.testing.assert_frame_equal(old, fq.trend(toy, "株洲", over="page"))


# ---------------------------------------------------------------------------------------------
# document frequency, TF-IDF, keywords


def test_document_frequency(toy):
    out = fq.document_frequency(toy)
    # N = 3 articles; 创新 only in C: idf = ln(3/1); the others in two: ln(3/2).
    assert _rows(out, ["token", "doc_count", "n_docs"]) == [
        ("制造", 2, 3), ("发展", 2, 3), ("株洲", 2, 3), ("创新", 1, 3)]
    assert out["idf"].tolist() == pytest.approx([LN(3 / 2)] * 3 + [LN(3)])


@pytest.mark.parametrize(
    "idf, expected",
    [
        # tf × ln(N/df), N = 3:
        #   A 株洲 2/3·ln(3/2) = 0.270310,  A 制造 1/3·ln(3/2) = 0.135155
        #   B 发展, 株洲 1/2·ln(3/2) = 0.202733
        #   C 创新 1/4·ln 3 = 0.274653,  C 发展 2/4·ln(3/2) = 0.202733,  C 制造 1/4·ln(3/2) = 0.101366
        ("plain", [("A", "株洲", 2 / 3 * LN(1.5)), ("A", "制造", 1 / 3 * LN(1.5)),
                   ("B", "发展", 1 / 2 * LN(1.5)), ("B", "株洲", 1 / 2 * LN(1.5)),
                   ("C", "创新", 1 / 4 * LN(3)), ("C", "发展", 2 / 4 * LN(1.5)),
                   ("C", "制造", 1 / 4 * LN(1.5))]),
        # tf × (ln((1+N)/(1+df)) + 1): df 2 → ln(4/3) + 1 = 1.287682, df 1 → ln 2 + 1 = 1.693147.
        # C: 发展 0.5·1.287682 = 0.643841 > 创新 0.25·1.693147 = 0.423287 > 制造 0.321921.
        ("smooth", [("A", "株洲", 2 / 3 * (LN(4 / 3) + 1)), ("A", "制造", 1 / 3 * (LN(4 / 3) + 1)),
                    ("B", "发展", 1 / 2 * (LN(4 / 3) + 1)), ("B", "株洲", 1 / 2 * (LN(4 / 3) + 1)),
                    ("C", "发展", 2 / 4 * (LN(4 / 3) + 1)), ("C", "创新", 1 / 4 * (LN(2) + 1)),
                    ("C", "制造", 1 / 4 * (LN(4 / 3) + 1))]),
    ],
)
def test_tfidf_three_document_toy_corpus(toy, idf, expected):
    out = fq.tfidf(toy, idf=idf)
    assert list(out.columns) == ["article_id", "token", "count", "tf", "idf", "tf_idf"]
    assert _rows(out, ["article_id", "token"]) == [e[:2] for e in expected]
    assert out["tf_idf"].tolist() == pytest.approx([e[2] for e in expected], rel=1e-12)


def test_keywords_tfidf_with_corpus_idf(toy):
    corpus_idf = fq.document_frequency(toy)
    one = _tokens({"X": ["株洲", "株洲", "创新", "新词"]})
    out = fq.keywords(one, idf=corpus_idf, n=2)
    # tf 株洲 2/4·ln(3/2) = 0.2027; 创新 1/4·ln 3 = 0.2747; 新词 is unseen → the largest idf (ln 3).
    assert _rows(out, ["article_id", "rank", "token"]) == [("X", 1, "创新"), ("X", 2, "新词")]
    assert out["score"].tolist() == pytest.approx([LN(3) / 4, LN(3) / 4])


def test_keywords_textrank_path_graph():
    # 甲 乙 丙 with window 2 is the path 甲–乙–丙. PageRank with d = 0.85, V = 3:
    #   x = s(甲) = s(丙) = 0.05 + 0.85·y/2,  y = s(乙) = 0.05 + 0.85·2x
    #   ⇒ x = 0.05 + 0.425·(0.05 + 1.7x) ⇒ 0.2775x = 0.07125 ⇒ x = 19/74, y = 18/37.
    tokens = _tokens({"P": ["甲", "乙", "丙"]})
    # The path is bipartite, so the power iteration oscillates and closes in by 0.85 a round:
    # 100 rounds leave an error of ~1e-8, hence max_iter=300 to compare with the exact fixed point.
    out = fq.keywords(tokens, method="textrank", window=2, max_iter=300)
    assert _rows(out, ["rank", "token"]) == [(1, "乙"), (2, "丙"), (3, "甲")]
    assert out["score"].tolist() == pytest.approx([18 / 37, 19 / 74, 19 / 74], abs=1e-9)


def test_keywords_textrank_window_respects_gaps_and_paragraphs():
    tokens = _tokens({"P": [["甲", "乙"], ["丙", "丁"]]})
    # Drop 乙's neighbour-to-be: 丙 moves to token_no 2 in paragraph 2 → no 丙–丁 edge at window 2.
    tokens.loc[tokens["token"] == "丁", "token_no"] = 2
    out = fq.keywords(tokens, method="textrank", window=2)
    # Only 甲–乙 is an edge; 丙 and 丁 are isolated (dangling): they keep (1−d)/4 + d·(their
    # share of the dangling mass). The 2-cycle 甲⇄乙 scores equal and higher.
    assert out["token"].tolist()[:2] == ["乙", "甲"]
    assert out["score"].sum() == pytest.approx(1.0)
    assert out["score"].iloc[0] == pytest.approx(out["score"].iloc[1])


def test_keywords_pos_filter(toy):
    toy = toy.assign(pos=np.where(toy["token"] == "株洲", "ns", "v"))
    out = fq.keywords(toy, pos=["ns"], n=5)
    assert out["token"].unique().tolist() == ["株洲"]


# ---------------------------------------------------------------------------------------------
# keyness


def _repeat(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"token": [t for t, k in counts.items() for _ in range(k)]})


def test_keyness_g2_against_hand_computed_table():
    # 株洲: 10 of 100 target tokens, 20 of 400 reference tokens.  2×2 table, N = 500:
    #            target  reference | row
    #   株洲       10        20     |  30
    #   other      90       380     | 470
    #   column    100       400     | 500
    # E = row·column/N: 6, 24, 94, 376.
    # G² = 2·[10 ln(10/6) + 20 ln(20/24) + 90 ln(90/94) + 380 ln(380/376)]
    #    = 2·[5.108256 − 3.646431 − 3.913660 + 4.021202] = 3.138733
    # p = erfc(√(3.138733/2)) = 0.076453;  log ratio = log2((10/100)/(20/400)) = log2 2 = 1.
    target = _repeat({"株洲": 10, "其他": 90})
    reference = _repeat({"株洲": 20, "其他": 380})
    out = fq.keyness(target, reference)
    assert list(out.columns) == ["token", "target_count", "reference_count", "target_per_10k",
                                 "reference_per_10k", "g2", "log_ratio", "p_value"]
    row = out.set_index("token").loc["株洲"]
    assert (row["target_count"], row["reference_count"]) == (10, 20)
    assert (row["target_per_10k"], row["reference_per_10k"]) == (1000.0, 500.0)
    assert row["g2"] == pytest.approx(3.1387331456, rel=1e-9)
    assert row["p_value"] == pytest.approx(0.0764531701, rel=1e-8)
    assert row["log_ratio"] == pytest.approx(1.0)
    # 其他 has the same table with the rows swapped: same |G²|, under-used, so negative and last.
    assert out["token"].tolist() == ["株洲", "其他"]
    assert out["g2"].iloc[1] == pytest.approx(-3.1387331456, rel=1e-9)

    swapped = fq.keyness(reference, target).set_index("token").loc["株洲"]
    assert swapped["g2"] == pytest.approx(-3.1387331456, rel=1e-9)
    assert swapped["log_ratio"] == pytest.approx(-1.0)


def test_keyness_zero_cell():
    # 新: 2 of 4 target tokens, 0 of 4 reference.  Table [[2, 0], [2, 4]], N = 8,
    # E = [1, 1, 3, 3]: G² = 2·[2 ln 2 + 0 + 2 ln(2/3) + 4 ln(4/3)] = 3.452185;
    # log ratio uses 0.5 for the zero: log2((2/4)/(0.5/4)) = 2.
    out = fq.keyness(_repeat({"新": 2, "旧": 2}), _repeat({"旧": 4})).set_index("token")
    assert out.loc["新", "g2"] == pytest.approx(2 * (2 * LN(2) + 2 * LN(2 / 3) + 4 * LN(4 / 3)))
    assert out.loc["新", "log_ratio"] == pytest.approx(2.0)


def test_keyness_by_group_is_each_group_against_the_rest(toy):
    by_group = fq.keyness(toy, by="article_id")
    direct = fq.keyness(toy[toy["article_id"] == "A"], toy[toy["article_id"] != "A"])
    got = by_group[by_group["article_id"] == "A"].drop(columns="article_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, direct)
    # A × all four tokens, B × four, C × four.
    assert len(by_group) == 12


def test_keyness_min_count_only_drops_rows(toy):
    full = fq.keyness(toy, by="article_id")
    # 创新 occurs once in the corpus; the totals (and so every other number) stay the same.
    expected = full[full["target_count"] + full["reference_count"] >= 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(fq.keyness(toy, by="article_id", min_count=2), expected)
    assert "创新" not in set(expected["token"])


def test_keyness_needs_reference_or_by(toy):
    with pytest.raises(ValueError, match="either"):
        fq.keyness(toy)


# ---------------------------------------------------------------------------------------------
# n-grams and collocations


def test_ngrams_stay_inside_paragraphs_and_runs():
    tokens = _tokens({"A": [["株洲", "制造", "名城"], ["发展"]]})
    tokens = tokens[tokens["token"] != "制造"]  # a dropped token breaks the run
    assert fq.ngrams(tokens).empty
    full = _tokens({"A": [["株洲", "制造", "名城"], ["发展", "理念"]]})
    out = fq.ngrams(full, n=2)
    assert _rows(out, ["para_no", "token_no", "token", "start", "end", "n"]) == [
        (1, 0, "株洲 制造", 0, 4, 2), (1, 1, "制造 名城", 2, 6, 2), (2, 0, "发展 理念", 0, 4, 2)]
    tri = fq.ngrams(full, n=3, sep="")
    assert tri["token"].tolist() == ["株洲制造名城"]
    assert tri["pos"].tolist() == ["nnn"]


def test_collocations_pmi_and_g2():
    # 株洲 制造 株洲 制造 发展 → bigrams (株洲,制造)×2, (制造,株洲), (制造,发展); N = 4.
    # (株洲,制造): count 2, count_1 2, count_2 2 → PMI log2(2·4/(2·2)) = 1;
    #   table [[2, 0], [0, 2]], E all 1 → G² = 2·(2 ln 2 + 2 ln 2) = 8 ln 2 = 5.545177.
    # (制造,株洲) and (制造,发展): count 1, count_1 2, count_2 1 → PMI log2(1·4/2) = 1;
    #   table [[1, 1], [0, 2]], E = [0.5, 1.5, 0.5, 1.5]
    #   → G² = 2·(ln 2 + ln(1/1.5) + 2 ln(2/1.5)) = 1.726092.
    tokens = _tokens({"A": ["株洲", "制造", "株洲", "制造", "发展"]})
    out = fq.collocations(tokens, min_count=1)
    assert list(out.columns) == ["token_1", "token_2", "count", "count_1", "count_2", "pmi", "g2"]
    assert _rows(out, ["token_1", "token_2", "count", "count_1", "count_2"]) == [
        ("株洲", "制造", 2, 2, 2), ("制造", "发展", 1, 2, 1), ("制造", "株洲", 1, 2, 1)]
    assert out["pmi"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    g2_small = 2 * (LN(2) + LN(1 / 1.5) + 2 * LN(2 / 1.5))
    assert out["g2"].tolist() == pytest.approx([8 * LN(2), g2_small, g2_small])
    assert fq.collocations(tokens, min_count=2)["token_1"].tolist() == ["株洲"]


# ---------------------------------------------------------------------------------------------
# KWIC


@pytest.mark.parametrize(
    "pattern, regex, window, expected",
    [
        # "株洲制造在株洲": one match at the very start, one at the very end.
        ("株洲", False, 2, [("", "株洲", "制造", 0, 2), ("造在", "株洲", "", 5, 7)]),
        # A window wider than the text is cut at both edges.
        ("在", False, 15, [("株洲制造", "在", "株洲", 4, 5)]),
        ("株洲", False, 0, [("", "株洲", "", 0, 2), ("", "株洲", "", 5, 7)]),
        (r"制造|在株", True, 1, [("洲", "制造", "在", 2, 4), ("造", "在株", "洲", 4, 6)]),
        ("长沙", False, 5, []),
    ],
)
def test_kwic_windows_at_text_edges(pattern, regex, window, expected):
    paragraphs = pd.DataFrame({"article_id": ["a1"], "para_no": [1], "text": ["株洲制造在株洲"]})
    out = fq.kwic(paragraphs, pattern, window=window, regex=regex)
    assert list(out.columns) == ["article_id", "para_no", "left", "match", "right", "start", "end"]
    assert _rows(out, ["left", "match", "right", "start", "end"]) == expected
    for row in out.itertuples():
        assert "株洲制造在株洲"[row.start:row.end] == row.match


def test_kwic_on_articles_splits_paragraphs_and_carries_metadata():
    articles = pd.DataFrame({
        "article_id": ["a1", "a2"], "date": pd.to_datetime(["2023-04-27"] * 2),
        "headline": ["制造业名城展新颜", "无关"], "text": ["制造名城\n株洲制造（暂行）", "长沙"],
    })
    out = fq.kwic(articles, "制造(暂行)", window=3)  # ASCII brackets, as a user would type them
    assert _rows(out, ["article_id", "para_no", "left", "match", "right", "date", "headline"]) == [
        ("a1", 2, "株洲", "制造（暂行）", "", pd.Timestamp("2023-04-27"), "制造业名城展新颜")]
    assert fq.kwic(articles, "制造", window=1)["para_no"].tolist() == [1, 2]


def test_kwic_rejects_empty_pattern():
    with pytest.raises(ValueError):
        fq.kwic(pd.DataFrame({"article_id": [], "para_no": [], "text": []}), "")


# ---------------------------------------------------------------------------------------------
# trend


def test_trend_zero_filled_by_month(toy):
    # Jan: A + B = 5 tokens (株洲 3); Feb: no issue; Mar: C = 4 tokens (创新 1).
    out = fq.trend(toy, ["株洲", "创新", "没有"], freq="M")
    assert list(out.columns) == ["date", "token", "count", "total", "share", "per_10k"]
    jan, feb, mar = (pd.Timestamp(f"2023-{m:02d}-01") for m in (1, 2, 3))
    assert _rows(out, ["date", "token", "count", "total"]) == [
        (jan, "株洲", 3, 5), (jan, "创新", 0, 5), (jan, "没有", 0, 5),
        (feb, "株洲", 0, 0), (feb, "创新", 0, 0), (feb, "没有", 0, 0),
        (mar, "株洲", 0, 4), (mar, "创新", 1, 4), (mar, "没有", 0, 4)]
    share = out["share"].tolist()
    assert share[:3] == [3 / 5, 0.0, 0.0] and share[6:] == [0.0, 1 / 4, 0.0]
    assert all(math.isnan(s) for s in share[3:6])  # no tokens that month: unknown, not zero
    assert out["per_10k"].iloc[0] == pytest.approx(6000.0)


@pytest.mark.parametrize(
    "freq, dates",
    [("D", None), (None, ["2023-01-05", "2023-01-20", "2023-03-01"]), ("Q", ["2023-01-01"])],
)
def test_trend_periods(toy, freq, dates):
    out = fq.trend(toy, "发展", freq=freq)
    if dates is None:  # every day from 5 Jan to 1 Mar: 56 rows, 53 of them with no tokens
        assert len(out) == 56 and out["total"].eq(0).sum() == 53
    else:
        assert out["date"].tolist() == [pd.Timestamp(d) for d in dates]
    assert out["count"].sum() == 3


def test_trend_by_a_non_date_column(toy):
    toy = toy.assign(page=toy["article_id"].map({"A": 1, "B": 2, "C": 2}))
    out = fq.trend(toy, "株洲", over="page")
    assert _rows(out, ["page", "count", "total"]) == [(1, 2, 3), (2, 1, 6)]


@given(
    text=st.text(alphabet="株洲制造业名城在，。ab", max_size=40),
    pattern=st.sampled_from(["株洲", "制造", "在", "a"]),
    window=st.integers(min_value=0, max_value=8),
)
def test_kwic_rows_rebuild_the_text_around_each_match(text, pattern, window):
    paragraphs = pd.DataFrame({"article_id": ["a1"], "para_no": [1], "text": [text]})
    out = fq.kwic(paragraphs, pattern, window=window)
    assert len(out) == text.count(pattern)  # non-overlapping, like str.count
    for row in out.itertuples():
        assert row.left + row.match + row.right == text[max(0, row.start - window):row.end + window]
        assert text[row.start:row.end] == pattern
