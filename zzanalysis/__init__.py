"""zzanalysis: the Zhuzhou Daily (株洲日报) as tidy pandas DataFrames.

Page files → issues / articles / paragraphs → tokens → frequencies, industry mentions and
economic indicators → charts that render Chinese. Importing the package does no work: jieba's
dictionary, fonts and caches are loaded when a function first needs them.

    import zzanalysis as zz
    corpus = zz.read_corpus("data/raw")
    corpus.articles[["article_id", "headline", "reporters"]]
"""
from __future__ import annotations

from ._version import __version__

import importlib

from . import cache
from .errors import ColumnError, ParseError
from .article_file import read_article
from .corpus import Corpus, Issue, read_parquet
from .loader import read_corpus
from .facts import get_year_range
from .page import get_compound_surnames
from .reader import read_issue
from .text import normalize_text
from .tokens import Tokenizer, get_lexicon, get_stopwords, tokenize
from .frequency import collocations, document_frequency, keyness, keywords, kwic, ngrams, term_frequency, tfidf, trend
from .industries import co_mentions, get_taxonomy, industry_mentions, industry_summary, term_mentions
from .indicators import extract_indicators, get_indicator_units
from .people import get_officials, people, people_summary, person_organizations
from .organizations import get_aliases, organizations
from .explore import explore
from .paths import resolve_path
from .select import filter_corpus, filter_frame
from .storage import iter_years
from .pipeline import PipelineResult, run_pipeline
from .yearly import industry_summary_by_year, term_frequency_by_year

__all__ = [
    "ColumnError",
    "Corpus",
    "PipelineResult",
    "Issue",
    "ParseError",
    "Tokenizer",
    "__version__",
    "cache",
    "co_mentions",
    "collocations",
    "document_frequency",
    "explore",
    "extract_indicators",
    "filter_corpus",
    "filter_frame",
    "get_aliases",
    "get_compound_surnames",
    "get_indicator_units",
    "get_lexicon",
    "get_officials",
    "get_stopwords",
    "get_taxonomy",
    "get_year_range",
    "industry_mentions",
    "industry_summary",
    "industry_summary_by_year",
    "iter_years",
    "keyness",
    "keywords",
    "kwic",
    "ngrams",
    "normalize_text",
    "organizations",
    "people",
    "people_summary",
    "person_organizations",
    "plot",
    "read_article",
    "read_corpus",
    "read_issue",
    "read_parquet",
    "resolve_path",
    "run_pipeline",
    "term_frequency",
    "term_frequency_by_year",
    "term_mentions",
    "tfidf",
    "tokenize",
    "trend",
]


def __getattr__(name: str):
    # zz.plot imports matplotlib, which takes a second: load it only when a chart is asked for.
    if name == "plot":
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
