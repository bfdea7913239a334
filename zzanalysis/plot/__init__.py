"""Charts that render Chinese: each function takes a long-form DataFrame, accepts ``ax=`` and
returns the matplotlib ``Axes`` it drew on. The CJK font is applied to what each function draws;
call :func:`setup` once to make your own matplotlib charts render Chinese too.
"""
from ._fonts import apply_font, cjk_font_index, cjk_font_name, cjk_font_path, font_properties, rc, setup
from ._save import savefig
from .overview import article_lengths, articles_per_page, value_counts
from .frequency import keyness, term_heatmap, term_trend, top_terms, wordcloud
from .industries import co_mentions, industries, industry_heatmap, share_of_voice
from .indicators import format_amount, indicator_counts, money_amounts, ranks

__all__ = [
    "apply_font",
    "article_lengths",
    "articles_per_page",
    "cjk_font_index",
    "cjk_font_name",
    "cjk_font_path",
    "co_mentions",
    "font_properties",
    "format_amount",
    "indicator_counts",
    "industries",
    "industry_heatmap",
    "keyness",
    "money_amounts",
    "ranks",
    "rc",
    "savefig",
    "setup",
    "share_of_voice",
    "term_heatmap",
    "term_trend",
    "top_terms",
    "value_counts",
    "wordcloud",
]
