"""One source per fact: the year range the reader and the indicators both use."""
import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis import facts
from zzanalysis.reader import parse_text


def test_year_range_is_the_rules_file_range():
    assert zz.get_year_range() == range(1900, 2200)


@pytest.mark.parametrize("year, inside", [(1899, False), (1900, True), (2023, True), (2199, True), (2200, False)])
def test_reader_and_indicators_agree_with_the_year_range(year, inside):
    assert (year in zz.get_year_range()) is inside
    # The reader: a masthead dated inside the range is a page; outside it, a parse error.
    page = f"{year}年4月27日\n## 标题\n正文。"
    if inside:
        assert parse_text(page, path=f"zzrb-{year}-04-27-p01.md").meta["date"] == pd.Timestamp(year, 4, 27)
    else:
        with pytest.raises(zz.ParseError, match=f"implausible masthead year {year}年"):
            parse_text(page, path=f"zzrb-{year}-04-27-p01.md")
    # Indicators: "{year}年" inside the range is a year, not a duration of {year} years.
    found = zz.extract_indicators(f"该项目已运营{year}年。")
    expected = [] if inside else [(f"{year}年", float(year), "duration")]
    assert list(found[["text", "value", "kind"]].itertuples(index=False, name=None)) == expected


@pytest.mark.parametrize("toml, message", [
    ("[dates]\nmin_year = 1900\n", r"rules.toml: \[dates\] has no max_year"),
    ("[dates]\nmin_year = 2200\nmax_year = 1900\n", r"rules.toml: \[dates\] min_year and max_year must be"),
    ("[dates]\nmin_year = '1900'\nmax_year = 2199\n", r"got '1900' and 2199"),
])
def test_a_broken_dates_table_names_the_file(monkeypatch, toml, message):
    monkeypatch.setattr(facts, "resource_text", lambda *parts: toml)
    facts.get_year_range.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            facts.get_year_range()
    finally:
        facts.get_year_range.cache_clear()
