"""zzanalysis export: CSV with BOM and joined lists, xlsx, parquet; a table the corpus lacks is reported."""
from __future__ import annotations

import pandas as pd
import pytest

from zzanalysis.cli import main
from zzanalysis.export import corpus_table, export_tables, flatten_lists


def test_flatten_lists_joins_with_the_chinese_list_comma():
    frame = pd.DataFrame({"reporters": [["温琳", "刘芳"], [], None], "n": [1, 2, 3], "pages": [[1, 2], [3], [4]]})
    out = flatten_lists(frame)
    assert list(out["reporters"]) == ["温琳、刘芳", "", ""]
    assert list(out["pages"]) == ["1、2", "3", "4"]
    assert list(out["n"]) == [1, 2, 3]
    assert frame["reporters"][0] == ["温琳", "刘芳"]  # input untouched


def test_csv_has_bom_and_readable_lists(tmp_path, sample_path):
    assert main(["export", str(sample_path), "--tables", "articles,indicators", "-o", str(tmp_path)]) == 0
    raw = (tmp_path / "articles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfarticle_id,")
    back = pd.read_csv(tmp_path / "articles.csv", encoding="utf-8-sig")
    assert len(back) == 9  # the sample page: 8 articles and 1 teaser
    # a02 is the 人民日报 report by three reporters; a01 has two correspondents
    by_id = back.set_index("article_id")
    assert by_id.loc["zzrb-2023-04-27-p01-a02", "headline"] == "制造业名城展新颜"
    assert by_id.loc["zzrb-2023-04-27-p01-a02", "reporters"] == "余建斌、吴齐强、邱超奕"
    assert by_id.loc["zzrb-2023-04-27-p01-a01", "correspondents"] == "彭玲、赵小茵"
    ind = pd.read_csv(tmp_path / "indicators.csv", encoding="utf-8-sig")
    assert len(ind) == 43
    assert ind.loc[ind["text"] == "469亿元", "value"].tolist() == [46900000000.0]


def test_xlsx_and_parquet_round_trip(tmp_path, sample_path):
    assert main(["export", str(sample_path), "--tables", "paragraphs", "--format", "xlsx", "-o", str(tmp_path / "x")]) == 0
    assert main(["export", str(sample_path), "--tables", "articles", "--format", "parquet", "-o", str(tmp_path / "p")]) == 0
    paras = pd.read_excel(tmp_path / "x" / "paragraphs.xlsx", engine="openpyxl")
    assert len(paras) == 72
    arts = pd.read_parquet(tmp_path / "p" / "articles.parquet")
    assert list(arts.set_index("article_id").loc["zzrb-2023-04-27-p01-a02", "reporters"]) == ["余建斌", "吴齐强", "邱超奕"]  # lists kept


def test_missing_table_is_reported_and_the_others_written(tmp_path, sample_path, capsys):
    class NoStories:  # a corpus as the reader makes it before stories exist
        articles = pd.DataFrame({"article_id": ["x"]})

    with pytest.raises(LookupError, match="this corpus has no stories table"):
        corpus_table(NoStories(), "stories")
    written, missing = export_tables(NoStories(), tmp_path, tables=["articles", "stories"], format="csv")
    assert [p.name for p in written] == ["articles.csv"]
    assert list(missing) == ["stories"]


def test_cli_reports_missing_tables_with_status_1(tmp_path, sample_path, capsys):
    from zzanalysis import read_corpus

    has_stories = isinstance(getattr(read_corpus(sample_path), "stories", None), pd.DataFrame)
    status = main(["export", str(sample_path), "--tables", "articles,stories", "-o", str(tmp_path)])
    err = capsys.readouterr().err
    if has_stories:
        assert status == 0 and (tmp_path / "stories.csv").is_file()
    else:
        assert status == 1
        assert "zzanalysis: stories not written: this corpus has no stories table" in err
        assert (tmp_path / "articles.csv").is_file()


def test_unknown_table_is_status_2(tmp_path, sample_path, capsys):
    assert main(["export", str(sample_path), "--tables", "articles,people", "-o", str(tmp_path)]) == 2
    assert "unknown table(s) people; known: articles, paragraphs, stories, tokens, mentions, indicators" in capsys.readouterr().err


def test_version(capsys):
    import zzanalysis

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"zzanalysis {zzanalysis.__version__}\n"
