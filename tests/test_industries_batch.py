"""Industry and term mentions found for many paragraphs at once: the hits, their offsets and their
sentences are those of each paragraph on its own (the definitions of zzanalysis.spans)."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzanalysis as zz
from zzanalysis import industries
from zzanalysis.spans import SENTENCE_CONTEXT, Sentences

TERMS = ["风电", "风电叶片", "叶片", "轨道交通", "交通", "5G", "G", "IGBT"]


def _rows(data, terms=TERMS):
    m = zz.term_mentions(data, terms)
    return list(zip(m["term"], m["para_no"], m["start"], m["end"], m["sentence"]))


@pytest.mark.parametrize(
    "text, expected",
    [
        # closing quotes stay with the sentence they end
        ("他说：“风电好。”轨道交通！", [("风电", 1, 4, 6, "他说：“风电好。”"), ("轨道交通", 1, 9, 13, "轨道交通！")]),
        # a lone … does not end a sentence, two do
        ("风电…交通。", [("风电", 1, 0, 2, "风电…交通。"), ("交通", 1, 3, 5, "风电…交通。")]),
        ("风电……交通。", [("风电", 1, 0, 2, "风电……"), ("交通", 1, 4, 6, "交通。")]),
        ("风电…”交通", [("风电", 1, 0, 2, "风电…”交通"), ("交通", 1, 4, 6, "风电…”交通")]),
        # ASCII marks, and a run of marks and closers ends once
        ("风电!?)交通;", [("风电", 1, 0, 2, "风电!?)"), ("交通", 1, 5, 7, "交通;")]),
        # white space around a sentence is not part of it (full-width space too)
        ("  风电。\u3000 交通  ", [("风电", 1, 2, 4, "风电。"), ("交通", 1, 7, 9, "交通")]),
        # lines are paragraphs: offsets and sentences start again, empty lines count
        ("风电\n\n 交通。\n", [("风电", 1, 0, 2, "风电"), ("交通", 3, 1, 3, "交通。")]),
        # longest first, nested terms inside a hit do not count, overlaps go to the leftmost
        ("风电叶片交通", [("风电叶片", 1, 0, 4, "风电叶片交通"), ("交通", 1, 4, 6, "风电叶片交通")]),
        ("风电轨道交通", [("风电", 1, 0, 2, "风电轨道交通"), ("轨道交通", 1, 2, 6, "风电轨道交通")]),
        # Latin terms only as whole words: neither 5G nor G in 15G
        ("15G与5G。", [("5G", 1, 4, 6, "15G与5G。")]),
        ("IGBTs和IGBT。G", [("IGBT", 1, 6, 10, "IGBTs和IGBT。"), ("G", 1, 11, 12, "G")]),
        # a character beyond U+FFFF (4 bytes of UTF-8) is one character, as in Python
        ("\U00020000。风电\U00020001。", [("风电", 1, 2, 4, "风电\U00020001。")]),
        ("", []),
        ("。。\n\n", []),
    ],
)
def test_hits_and_sentences_of_a_text(text, expected):
    assert _rows(text) == expected


def test_lone_surrogate_is_one_character():
    # bytes decoded with surrogateescape; a text column of Python objects can hold them
    paragraphs = pd.DataFrame({"article_id": ["A"], "para_no": [1],
                               "text": pd.Series(["\udc80。风电。"], dtype=object)})
    assert _rows(paragraphs) == [("风电", 1, 2, 4, "风电。")]


def test_overlong_sentence_is_cut_around_the_hit():
    text = "很" * 400 + "风电" + "好" * 400 + "。"
    (term, para_no, start, end, sentence), = _rows(text)
    assert (start, end) == (400, 402)
    assert sentence == "很" * SENTENCE_CONTEXT + "风电" + "好" * SENTENCE_CONTEXT


def test_line_breaks_in_headings_and_terms():
    articles = pd.DataFrame({"article_id": ["A"], "headline": ["风电\n叶片"], "text": ["风电\n叶片"]})
    # a heading is one paragraph, line break or not; a term holding one matches there only
    m = zz.term_mentions(articles, ["电\n叶"])
    assert m[["field", "para_no", "start", "end", "sentence"]].values.tolist() == [
        ["headline", 0, 1, 4, "风电\n叶片"]]
    paragraphs = pd.DataFrame({"article_id": ["A"], "para_no": [7], "text": ["风电。\n叶片"]})
    m = zz.term_mentions(paragraphs, ["电。\n叶"])
    assert m[["para_no", "start", "end", "sentence"]].values.tolist() == [[7, 1, 5, "风电。"]]


@pytest.mark.parametrize("size", [1, 7, 500])
def test_same_table_in_batches_of_any_size(sample_articles, monkeypatch, size):
    whole = zz.industry_mentions(sample_articles)
    assert len(whole) > 50
    monkeypatch.setattr(industries, "_BATCH_CHARS", size)
    pd.testing.assert_frame_equal(zz.industry_mentions(sample_articles), whole, check_exact=True)


def test_character_classes_below_u_ffff():
    # the class table covers code points up to U+FFFF; white space ends at U+3000
    assert [hex(c) for c in range(0x3001, 0x110000) if chr(c).isspace()] == []
    assert max(map(ord, industries._MARKS + industries._CLOSERS)) < 0xFFFF


# ------------------------------------------------------------------ against one paragraph at a time


def _one_by_one(text: str, terms: list[str]) -> list[tuple]:
    """Forward maximum matching and the spans.Sentences sentence, paragraph by paragraph."""
    latin = re.compile(r"[A-Za-z0-9]")
    rows = []
    for para_no, para in enumerate(text.split("\n"), start=1):
        candidates = []
        for term in terms:
            at = para.find(term)
            while at >= 0:
                end = at + len(term)
                if not ((latin.match(term[0]) and at > 0 and latin.match(para[at - 1]))
                        or (latin.match(term[-1]) and end < len(para) and latin.match(para[end]))):
                    candidates.append((at, -len(term), term))
                at = para.find(term, at + 1)
        cursor = 0
        for start, neg, term in sorted(candidates):
            if start >= cursor:
                cursor = start - neg
                rows.append((term, para_no, start, cursor, Sentences(para).text(start, cursor)))
    return rows


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="风电叶片轨道交通5GIBTs1 \u3000\n。！…”）;?", max_size=60))
def test_same_hits_as_one_paragraph_at_a_time(text):
    assert _rows(text) == _one_by_one(text, TERMS)
