"""The growth check every linear-time test relies on must tell linear from quadratic work."""

import pytest


def _linear(items: range) -> int:
    total = 0
    for x in items:
        total += x
    return total


def _quadratic(items: list[int]) -> int:
    # One list search per item: n searches of up to n steps each.
    return sum(items.index(x) for x in items)


def test_linear_work_passes(assert_linear):
    assert_linear(_linear, range, 1000)


def test_quadratic_work_fails(assert_linear):
    with pytest.raises(AssertionError, match=r"_quadratic at n=\d+ and 2n: median time ratios"):
        assert_linear(_quadratic, lambda n: list(range(n)), 100)
