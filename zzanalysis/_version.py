"""The package version, in one place: read by zzanalysis/__init__.py and by pyproject.toml."""

__version__ = "0.1.0"
