"""People and organisations take every input kind the other analyses take (spans.documents): a
string, an articles, paragraphs or stories table, or a Corpus, and find the same spans in each."""
from __future__ import annotations

import pandas as pd
import pytest

import zzanalysis as zz

BODY = "副市长林晓东来到省工信厅调研。\n林晓东说，株洲肯特硬质合金股份有限公司要加快转型。"
ARTICLE, STORY = "zzrb-2023-05-08-p02-a01", "zzrb-2023-05-08-s01"
DATE = pd.Timestamp("2023-05-08")


def _articles() -> pd.DataFrame:
    return pd.DataFrame({"article_id": [ARTICLE], "date": [DATE], "headline": ["省工信厅调研"], "text": [BODY]})


def _paragraphs() -> pd.DataFrame:
    return pd.DataFrame({"article_id": [ARTICLE] * 2, "para_no": [1, 2], "role": ["body"] * 2,
                         "text": BODY.split("\n")})


def _stories() -> pd.DataFrame:
    return pd.DataFrame({"story_id": [STORY], "date": [DATE], "headline": ["省工信厅调研"],
                         "article_ids": [[ARTICLE]], "text": [BODY]})


def _corpus() -> zz.Corpus:
    issues = pd.DataFrame({"issue_id": ["zzrb-2023-05-08"], "date": [DATE]})
    return zz.Corpus(issues=issues, articles=_articles(), paragraphs=_paragraphs())


# kind → (input, key column, key value, input columns carried after the result's own)
INPUTS = {
    "str": (lambda: BODY, "article_id", None, []),
    "articles": (_articles, "article_id", ARTICLE, ["date", "headline"]),
    "paragraphs": (_paragraphs, "article_id", ARTICLE, ["role"]),
    "stories": (_stories, "story_id", STORY, ["date", "headline", "article_ids"]),
    "corpus": (_corpus, "article_id", ARTICLE, ["date", "headline"]),
}
PEOPLE_COLUMNS = ["para_no", "field", "start", "end", "name", "title", "evidence", "sentence"]
ORG_COLUMNS = ["para_no", "field", "start", "end", "text", "name", "kind"]


@pytest.mark.parametrize("kind", list(INPUTS))
def test_people_every_input_kind(kind):
    make, key, id_, carried = INPUTS[kind]
    out = zz.people(make())
    assert out[[key, *PEOPLE_COLUMNS]].values.tolist() == [
        [id_, 1, "text", 3, 6, "林晓东", "副市长", "title", "副市长林晓东来到省工信厅调研。"],
        [id_, 2, "text", 0, 3, "林晓东", "副市长", "quote", "林晓东说，株洲肯特硬质合金股份有限公司要加快转型。"],
    ]
    assert list(out.columns[len(out.columns) - len(carried):]) == carried


@pytest.mark.parametrize("kind", list(INPUTS))
def test_organizations_every_input_kind(kind):
    make, key, id_, carried = INPUTS[kind]
    out = zz.organizations(make())
    # the headline is scanned where the input has one (paragraph 0 of its own field)
    headline = [[id_, 0, "headline", 0, 4, "省工信厅", "湖南省工业和信息化厅", "government"]]
    assert out[[key, *ORG_COLUMNS]].values.tolist() == (headline if "headline" in carried else []) + [
        [id_, 1, "text", 8, 12, "省工信厅", "湖南省工业和信息化厅", "government"],
        [id_, 2, "text", 5, 19, "株洲肯特硬质合金股份有限公司", "株洲肯特硬质合金股份有限公司", "company"],
    ]
    assert list(out.columns[len(out.columns) - len(carried):]) == carried
