"""Charts that render Chinese: each function takes a long-form DataFrame, accepts ``ax=`` and
returns the matplotlib ``Axes`` it drew on. The CJK font is applied to what each function draws;
call :func:`setup` once to make your own matplotlib charts render Chinese too.
"""
from ._fonts import apply_font, cjk_font_name, cjk_font_path, font_properties, rc, setup
from ._save import savefig

from .overview import article_lengths, articles_per_page, value_counts
# frequency (issue 4)
# indicators (issue 6)
