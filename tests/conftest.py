"""Shared fixtures: the sample front page, parsed once per session, and figure clean-up."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a submission's result does not
# depend on luck; locally they explore new examples each run (benchmarks/fuzz.py explores longer).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    # Missing data fails, never skips: the sample is part of the repository.
    assert SAMPLE.is_file(), f"sample page missing: {SAMPLE}"
    return SAMPLE


@pytest.fixture(scope="session")
def sample_issue(sample_path):
    import zzanalysis as zz

    return zz.read_issue(sample_path)


@pytest.fixture(scope="session")
def sample_articles(sample_issue):
    return sample_issue.articles


@pytest.fixture(scope="session")
def sample_paragraphs(sample_issue):
    return sample_issue.paragraphs


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
