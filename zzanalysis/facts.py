"""Facts about the paper that several steps rely on, each read from the one resource file that states it.

**Years.** The years a page of the Zhuzhou Daily can be dated in, and a number before 年 can be a
year of: 1900–2199, the ``[dates]`` table of ``resources/indicators/rules.toml``
(``min_year``/``max_year``, see that folder's README). The reader rejects a masthead dated outside
it; indicators read 2023年 as a year, not a duration, inside it. Change the range there and both
follow.
"""
from __future__ import annotations

import functools
import tomllib

from ._resources import resource_text

__all__ = ["get_year_range"]

_RULES = "resources/indicators/rules.toml"


@functools.cache
def get_year_range() -> range:
    """Return the years a date in the paper can have, as a ``range`` (last year + 1 as its stop).

    Returns:
        ``range(min_year, max_year + 1)`` from ``[dates]`` in ``resources/indicators/rules.toml``;
        today ``range(1900, 2200)``.

    Raises:
        ValueError: if ``[dates]`` lacks ``min_year`` or ``max_year``, holds a value that is not a
            whole number, or ``min_year`` is after ``max_year``; the message names the file.

    Example:
        >>> corpus.issues["date"].dt.year.isin(zz.get_year_range()).all()  # the reader made sure
        True
        >>> 2023 in zz.get_year_range(), 2200 in zz.get_year_range()
        (True, False)
    """
    dates = tomllib.loads(resource_text("indicators", "rules.toml")).get("dates", {})
    try:
        first, last = dates["min_year"], dates["max_year"]
    except KeyError as exc:
        raise ValueError(f"{_RULES}: [dates] has no {exc.args[0]}") from None
    if not (type(first) is int and type(last) is int and first <= last):
        raise ValueError(f"{_RULES}: [dates] min_year and max_year must be whole years, the first not after "
                         f"the last; got {first!r} and {last!r}")
    return range(first, last + 1)
