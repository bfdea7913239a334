"""extract_indicators gives, column for column, the table it gave before its speed work.

``tests/data/indicators_frozen.jsonl`` holds every row (the columns of ``INDICATOR_COLUMNS``) for
the sample page's articles and for the passages of ``indicators_gold.toml`` (each passage one
article, ``gold-000`` …), as the extractor of issue 13 produced them before it was made faster.
A deliberate change of behaviour rewrites the file (``python tests/test_indicators_frozen.py``)
and shows up, row by row, in its diff.
"""
from __future__ import annotations

import json
import math
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.indicators import INDICATOR_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md"
GOLD = Path(__file__).parent / "data" / "indicators_gold.toml"
FROZEN = Path(__file__).parent / "data" / "indicators_frozen.jsonl"


def _records() -> list[dict]:
    articles = zz.read_issue(SAMPLE).articles
    passages = [p["text"] for p in tomllib.loads(GOLD.read_text("utf-8"))["passage"]]
    gold = pd.DataFrame({"article_id": [f"gold-{i:03d}" for i in range(len(passages))],
                         "para_no": 1, "text": passages})
    out = pd.concat([zz.extract_indicators(articles)[INDICATOR_COLUMNS],
                     zz.extract_indicators(gold)[INDICATOR_COLUMNS]])
    return [{k: None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
             for k, v in rec.items()} for rec in out.to_dict("records")]


def _frozen() -> list[dict]:
    return [json.loads(line) for line in FROZEN.read_text("utf-8").splitlines()]


def test_same_table_as_before_the_speed_work():
    got, frozen = _records(), _frozen()
    # Row by row, so a failure names the first figure that changed.
    for i, (g, f) in enumerate(zip(got, frozen)):
        assert g == f, f"row {i}: {g} != {f}"
    assert len(got) == len(frozen)


# A company named in a paragraph without figures is what a later 该公司 means; another company
# named in between, or a new article, changes that. (article_id, paragraphs) → organization of
# the figure in the last paragraph.
ANAPHORS = [
    ("named before, no figures there",
     [("a", "株洲恒远精工有限公司是一家老牌企业。"), ("a", "该公司去年产值3亿元。")],
     "株洲恒远精工有限公司"),
    ("a later company in a paragraph with figures wins",
     [("a", "株洲恒远精工有限公司是一家老牌企业。"), ("a", "湖南青竹电气有限公司今年新增订单20个。"),
      ("a", "车间里一片忙碌。"), ("a", "该公司员工达到600人。")],
     "湖南青竹电气有限公司"),
    ("a paragraph with figures and no company keeps the earlier one",
     [("a", "株洲恒远精工有限公司是一家老牌企业。"), ("a", "全市新增就业岗位1.2万个。"),
      ("a", "该公司员工达到600人。")],
     "株洲恒远精工有限公司"),
    ("a new article starts afresh",
     [("a", "株洲恒远精工有限公司是一家老牌企业。"), ("b", "该公司员工达到600人。")],
     None),
]


@pytest.mark.parametrize("name, paragraphs, organization", ANAPHORS, ids=[a[0] for a in ANAPHORS])
def test_anaphor_reaches_back_over_paragraphs_without_figures(name, paragraphs, organization):
    frame = pd.DataFrame({"article_id": [a for a, _ in paragraphs],
                          "para_no": range(1, len(paragraphs) + 1),
                          "text": [t for _, t in paragraphs]})
    out = zz.extract_indicators(frame)
    last = out[out["para_no"] == len(paragraphs)]
    assert len(last) == 1
    got = last["organization"].iloc[0]
    assert (None if pd.isna(got) else got) == organization


if __name__ == "__main__":
    FROZEN.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _records()), "utf-8")
    print(f"wrote {FROZEN}", file=sys.stderr)
