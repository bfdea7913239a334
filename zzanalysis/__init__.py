"""zzanalysis: the Zhuzhou Daily (株洲日报) as tidy pandas DataFrames.

Page files → issues / articles / paragraphs → tokens → frequencies, industry mentions and
economic indicators → charts that render Chinese. Importing the package does no work: jieba's
dictionary, fonts and caches are loaded when a function first needs them.

    import zzanalysis as zz
    corpus = zz.read_corpus("data/raw")
    corpus.articles[["article_id", "headline", "reporters"]]
"""
from __future__ import annotations

import importlib

from .errors import ParseError
from .reader import Corpus, Issue, read_corpus, read_issue
from .text import normalize_text

# tokens (issue 3)
# frequency (issue 4)
# indicators (issue 6)
# storage (issue 7)

__version__ = "0.1.0"


def __getattr__(name: str):
    # zz.plot imports matplotlib, which takes a second: load it only when a chart is asked for.
    if name == "plot":
        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
