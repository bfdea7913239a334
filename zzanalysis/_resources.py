"""Reading the data files shipped in ``zzanalysis/resources/`` (lexicons, rules, taxonomies)."""
from __future__ import annotations

from importlib import resources


def resource_text(*parts: str) -> str:
    """Return the text of a shipped resource file, read as UTF-8.

    Args:
        *parts: the path below ``zzanalysis/resources/``, one part per folder.

    Returns:
        The file's text.

    Raises:
        FileNotFoundError: if the package ships no such file.

    Example:
        >>> "min_year" in resource_text("indicators", "rules.toml")
        True
    """
    return resources.files("zzanalysis").joinpath("resources", *parts).read_text(encoding="utf-8")
