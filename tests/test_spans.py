"""Text primitives: Han characters, the sentence definition, paragraphs and input kinds."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import spans
from zzanalysis.errors import ColumnError

# --------------------------------------------------------------------------- Han characters


@pytest.mark.parametrize(
    "ch, expected",
    [
        ("株", True),
        ("〇", True),  # U+3007, the zero of 二〇二三年
        ("䶮", True),  # U+4DAE, extension A
        ("﨑", True),  # U+FA11, a compatibility ideograph
        ("𠀀", True),  # U+20000, first of extension B
        ("\U00031350", True),  # first of extension H
        ("，", False),
        ("。", False),
        ("１", False),  # full-width digit
        ("a", False),
        ("", False),
        ("株洲", False),  # one character only
    ],
)
def test_is_han(ch, expected):
    assert spans.is_han(ch) is expected
    assert (spans.HAN_RE.fullmatch(ch) is not None) is expected


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   ", []),
        ("没有句号", ["没有句号"]),
        # The semicolon ends a sentence: this pair is what a mention and an indicator share.
        ("规模达469亿元；风电增长12%。", ["规模达469亿元；", "风电增长12%。"]),
        ("好！真的？是。", ["好！", "真的？", "是。"]),
        ("他说：“很惊喜。”随后离开。", ["他说：“很惊喜。”", "随后离开。"]),  # the closing quote stays
        ("（见图。）下文", ["（见图。）", "下文"]),
        ("等等……然后", ["等等……", "然后"]),
        ("半…句", ["半…句"]),  # a lone … does not end a sentence
        ("真的？！对", ["真的？！", "对"]),  # a run of marks ends once
        ("一。  二。 ", ["一。", "二。"]),  # white space around a sentence is not part of it
        ("ok!yes;no", ["ok!", "yes;", "no"]),  # ASCII marks in text the reader did not normalise
        ("小数9.57%与逗号，不断句", ["小数9.57%与逗号，不断句"]),
    ],
)
def test_sentence_bounds(text, expected):
    bounds = spans.sentence_bounds(text)
    assert [text[s:e] for s, e in bounds] == expected


@pytest.mark.parametrize(
    "text, start, end, expected",
    [
        ("规模达469亿元；风电增长12%。", 3, 8, "规模达469亿元；"),
        ("规模达469亿元；风电增长12%。", 8, 9, "规模达469亿元；"),  # on the mark itself
        ("规模达469亿元；风电增长12%。", 9, 11, "风电增长12%。"),
        ("一。 二", 3, 4, "二"),
    ],
)
def test_sentences_at(text, start, end, expected):
    assert spans.Sentences(text).text(start, end) == expected


def test_sentences_overlong_text_keeps_300_characters_each_side():
    text = "数" * 1000
    assert spans.Sentences(text).at(500, 502) == (200, 802)
    assert spans.Sentences(text).at(10, 12) == (0, 312)
    assert spans.Sentences(text).at(990) == (690, 1000)


def test_mention_and_indicator_get_the_same_sentence():
    text = "株洲风电产业规模达469亿元；风电产业增长12%。"
    mentions = zz.industry_mentions(text)
    assert mentions[["term", "start", "sentence"]].values.tolist() == [
        ["风电", 2, "株洲风电产业规模达469亿元；"],
        ["风电", 15, "风电产业增长12%。"],
    ]
    # 12% sits at 21-24 (增长 at 19); its sentence, by the one definition, is the second mention's.
    assert text[21:24] == "12%"
    assert spans.Sentences(text).text(21, 24) == mentions["sentence"].iloc[1]


def test_paragraphs_numbered_from_one():
    assert list(spans.paragraphs("甲。\n\n乙。")) == [(1, "甲。"), (2, ""), (3, "乙。")]


# --------------------------------------------------------------------------- input kinds

BODY = "株洲风电产业规模达469亿元；风电产业增长12%。\n轨道交通装备继续领先。"
DATE = pd.Timestamp("2023-04-27")


def _articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["zzrb-2023-04-27-p01-a01"], "date": [DATE], "page": [1],
        "headline": ["风电新篇"], "text": [BODY],
    })


def _paragraphs() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["zzrb-2023-04-27-p01-a01"] * 2, "para_no": [1, 2],
        "role": ["body", "body"], "text": BODY.split("\n"),
    })


def _stories() -> pd.DataFrame:
    return pd.DataFrame({
        "story_id": ["zzrb-2023-04-27-s01"], "date": [DATE], "headline": ["风电新篇"],
        "article_ids": [["zzrb-2023-04-27-p01-a01"]], "text": [BODY],
    })


def _corpus():
    issues = pd.DataFrame({"issue_id": ["zzrb-2023-04-27"], "date": [DATE]})
    return zz.Corpus(issues=issues, articles=_articles(), paragraphs=_paragraphs())


INPUTS = {
    "str": (lambda: BODY, "article_id", None, []),
    "articles": (_articles, "article_id", "zzrb-2023-04-27-p01-a01", ["date", "page", "headline"]),
    "paragraphs": (_paragraphs, "article_id", "zzrb-2023-04-27-p01-a01", ["role"]),
    "stories": (_stories, "story_id", "zzrb-2023-04-27-s01", ["date", "headline", "article_ids"]),
    "corpus": (_corpus, "article_id", "zzrb-2023-04-27-p01-a01", ["date", "page", "headline"]),
}


@pytest.mark.parametrize("kind", list(INPUTS))
def test_documents_every_input_kind(kind):
    make, key, id_, carried = INPUTS[kind]
    docs = spans.documents(make())
    assert docs.key == key
    assert [tuple(p) for p in docs] == [
        (p - 1 if kind == "paragraphs" else 0, "text", p, para) for p, para in enumerate(BODY.split("\n"), 1)
    ]
    assert docs.ids([0]).tolist() == [id_]
    assert list(docs.meta([0], ["article_id", "para_no"]).columns) == carried


@pytest.mark.parametrize("kind", list(INPUTS))
def test_kwic_every_input_kind(kind):
    make, key, id_, carried = INPUTS[kind]
    out = zz.kwic(make(), "风电", window=2)
    assert list(out.columns) == [key, "para_no", "left", "match", "right", "start", "end", *carried]
    assert out[[key, "para_no", "left", "match", "right", "start", "end"]].values.tolist() == [
        [id_, 1, "株洲", "风电", "产业", 2, 4],
        [id_, 1, "元；", "风电", "产业", 15, 17],
    ]


@pytest.mark.parametrize("kind", list(INPUTS))
@pytest.mark.parametrize("func", ["industry_mentions", "term_mentions"])
def test_mentions_every_input_kind(kind, func):
    make, key, id_, carried = INPUTS[kind]
    if func == "industry_mentions":
        out = zz.industry_mentions(make())
    else:
        out = zz.term_mentions(make(), {"风电": "wind_power", "轨道交通装备": "rail_transit"})
    headline = kind in ("articles", "stories", "corpus")
    expected = [[id_, 0, "headline", 0, 2, "风电", "风电新篇"]] if headline else []
    expected += [
        [id_, 1, "text", 2, 4, "风电", "株洲风电产业规模达469亿元；"],
        [id_, 1, "text", 15, 17, "风电", "风电产业增长12%。"],
        [id_, 2, "text", 0, 6, "轨道交通装备", "轨道交通装备继续领先。"],
    ]
    assert out[[key, "para_no", "field", "start", "end", "term", "sentence"]].values.tolist() == expected
    assert list(out.columns[-len(carried):] if carried else []) == carried


def test_sample_corpus_same_rows_as_its_articles(sample_issue):
    by_issue = zz.industry_mentions(sample_issue)
    by_articles = zz.industry_mentions(sample_issue.articles)
    pd.testing.assert_frame_equal(by_issue, by_articles)
    # paragraph k of an article's text is row (article_id, k) of the paragraphs table
    paras = sample_issue.paragraphs.set_index(["article_id", "para_no"])["text"]
    body = by_issue[by_issue["field"] == "text"]
    assert len(body) > 0
    for row in body.itertuples():
        assert paras[(row.article_id, row.para_no)][row.start:row.end] == row.term


# --------------------------------------------------------------------------- clashing columns


@pytest.mark.parametrize(
    "make, prefixed",
    [
        (_articles, "article_category"),
        (_paragraphs, "paragraph_category"),
        (_stories, "story_category"),
    ],
)
def test_clashing_input_column_is_carried_with_the_table_prefix(make, prefixed):
    data = make().assign(category="要闻")
    out = zz.term_mentions(data, ["风电"], category="company")
    assert out["category"].unique().tolist() == ["company"]
    assert out[prefixed].unique().tolist() == ["要闻"]
    assert data.columns.tolist() == make().assign(category="要闻").columns.tolist()  # caller's frame untouched


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "data, kwargs, error, message",
    [
        (pd.DataFrame({"article_id": ["a"]}), {}, ColumnError, r"f\(\) needs column\(s\) \['text'\]"),
        (pd.DataFrame({"text": ["a"]}), {}, ColumnError, r"f\(\) needs column\(s\) \['article_id'\]"),
        (pd.DataFrame({"story_id": ["s"]}), {}, ColumnError, r"\['text'\]"),
        (_articles(), {"fields": ["kicker"]}, ColumnError, r"f\(\) needs column\(s\) \['kicker'\]"),
        (_articles(), {"fields": ["body"]}, ValueError, "fields must be among"),
        (_paragraphs(), {"fields": ["headline"]}, ValueError, "only the 'text' field"),
        (42, {}, TypeError, "got int"),
        (object(), {}, TypeError, "got object"),
    ],
)
def test_documents_bad_input(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        spans.documents(data, func="f", **kwargs)


def test_column_error_is_a_value_error_and_a_key_error():
    err = ColumnError("kwic", ["text"], ["article_id"])
    assert isinstance(err, ValueError) and isinstance(err, KeyError)
    assert str(err) == "kwic() needs column(s) ['text']; the table has ['article_id']"
    assert (err.func, err.missing, err.available) == ("kwic", ["text"], ["article_id"])


@pytest.mark.parametrize(
    "call, old",
    [
        (lambda: zz.kwic(paragraphs_or_corpus=BODY, pattern="风电"), "paragraphs_or_corpus"),
        (lambda: zz.industry_mentions(source=BODY), "source"),
        (lambda: zz.term_mentions(source=BODY, terms=["风电"]), "source"),
    ],
)
def test_old_first_parameter_names_still_work(call, old):
    with pytest.warns(DeprecationWarning, match=f"{old}= is now data="):
        out = call()
    assert out["start"].tolist()[:2] == [2, 15]
