"""Old keyword names kept working, with a DeprecationWarning, after a parameter is renamed."""
from __future__ import annotations

import functools
import warnings


def renamed(**names: str):
    """Decorator: accept ``old=`` keywords as the new names given, warning once per call.

    Example:
        >>> @renamed(top="n")
        ... def most_common(tokens, *, n=10): ...
    """

    def wrap(func):
        @functools.wraps(func)
        def inner(*args, **kwargs):
            for old, new in names.items():
                if old not in kwargs:
                    continue
                if new in kwargs:
                    raise TypeError(f"{func.__name__}() got both {old}= (deprecated) and {new}=")
                warnings.warn(
                    f"{func.__name__}(): the keyword {old}= is now {new}=",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        return inner

    return wrap
