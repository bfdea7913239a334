"""The on-disk Parquet cache: keys, round trips, atomic writes, damaged files."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import zzanalysis as zz
from zzanalysis.cache import ParquetCache, cache_dir, digest, max_bytes


@pytest.fixture
def cache(tmp_path):
    return ParquetCache("things", root=tmp_path, version="1.0")


FRAME = pd.DataFrame(
    {
        "article_id": pd.Categorical(["a1", "a1", "a2"]),
        "token": pd.Categorical(["株洲", "制造名城", "株洲"]),
        "start": [0, 2, 0],
        "text": ["株洲", "制造名城", "株洲"],
        "reporters": [["温琳"], [], ["高晓燕", "刘芳"]],
    }
)


def test_round_trip_keeps_values_and_categoricals(cache):
    key = cache.key("settings", "content")
    assert cache.get(key) is None
    path = cache.put(key, FRAME)
    assert path == cache.path(key) and path.parent == cache.folder
    back = cache.get(key)
    assert isinstance(back["token"].dtype, pd.CategoricalDtype)
    assert back["token"].tolist() == ["株洲", "制造名城", "株洲"]
    assert back["start"].tolist() == [0, 2, 0]
    assert [list(x) for x in back["reporters"]] == [["温琳"], [], ["高晓燕", "刘芳"]]


@pytest.mark.parametrize(
    "a, b, same",
    [
        (("x", "y"), ("x", "y"), True),
        (("ab", "c"), ("a", "bc"), False),
        (({"hmm": True, "n": 1},), ({"n": 1, "hmm": True},), True),
        (({"hmm": True},), ({"hmm": False},), False),
        (("株洲",), ("株洲".encode(),), False),
        ((1,), ("1",), False),
    ],
)
def test_digest(a, b, same):
    assert (digest(*a) == digest(*b)) is same
    assert len(digest(*a)) == 64


def test_key_depends_on_namespace_and_version(tmp_path):
    base = ParquetCache("tokens", root=tmp_path, version="1.0").key("c")
    assert ParquetCache("tokens", root=tmp_path, version="1.0").key("c") == base
    assert ParquetCache("tokens", root=tmp_path, version="1.1").key("c") != base
    assert ParquetCache("pages", root=tmp_path, version="1.0").key("c") != base


def test_default_version_is_the_package_version(tmp_path):
    import zzanalysis as zz

    assert ParquetCache("tokens", root=tmp_path).version == zz.__version__


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_file_is_a_miss_and_is_deleted(cache, damage):
    key = cache.key("k")
    path = cache.put(key, FRAME)
    data = path.read_bytes()
    path.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"not parquet", "empty": b""}[damage])
    assert cache.get(key) is None
    assert not path.exists()


def test_file_written_for_another_key_is_a_miss(cache):
    key, other = cache.key("k"), cache.key("other")
    cache.put(key, FRAME)
    cache.path(key).rename(cache.path(other))
    assert cache.get(other) is None
    assert not cache.path(other).exists()


def test_writes_are_atomic(cache, monkeypatch):
    import pyarrow.parquet as pq

    key = cache.key("k")
    cache.put(key, FRAME)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        cache.put(cache.key("k2"), FRAME)
    # The failed write left neither a half file nor a temporary one; the old entry is intact.
    assert sorted(p.name for p in cache.folder.iterdir()) == [f"{key}.parquet"]
    assert cache.get(key)["start"].tolist() == [0, 2, 0]


def test_clear(cache):
    for k in ("a", "b"):
        cache.put(cache.key(k), FRAME)
    assert cache.clear() == 2
    assert cache.get(cache.key("a")) is None


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert ParquetCache("tokens").folder == tmp_path / "c" / "tokens"
    monkeypatch.delenv("ZZ_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == Path(tmp_path / "home" / ".cache" / "zzanalysis")


@pytest.mark.parametrize("namespace", ["", "a/b", ".hidden"])
def test_namespace_must_be_a_folder_name(namespace):
    with pytest.raises(ValueError):
        ParquetCache(namespace)


def test_module_clear_empties_every_namespace_or_one(tmp_path, monkeypatch):
    monkeypatch.setenv("ZZ_CACHE_DIR", str(tmp_path))
    tokens, pages = ParquetCache("tokens"), ParquetCache("pages")
    for k in ("a", "b"):
        tokens.put(tokens.key(k), FRAME)
    pages.put(pages.key("a"), FRAME)
    (tmp_path / "jieba").mkdir()
    (tmp_path / "jieba" / "jieba-0.42.1.cache").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not ours")  # files outside the namespaces stay
    assert zz.cache.clear("tokens") == 2
    assert pages.get(pages.key("a")) is not None
    assert zz.cache.clear() == 2  # pages/a and jieba's prefix dictionary
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["notes.txt"]


def _put_at(cache, name, mtime):
    path = cache.put(cache.key(name), FRAME)
    os.utime(path, ns=(mtime, mtime))
    return path


def test_cache_is_bounded_least_recently_used_first(tmp_path, monkeypatch):
    cache = ParquetCache("things", root=tmp_path, version="1.0")
    size = cache.put(cache.key("probe"), FRAME).stat().st_size
    cache.clear()
    monkeypatch.setenv("ZZ_CACHE_MAX_MB", str(3.5 * size / 1e6))  # room for three files
    for i, name in enumerate("abc"):
        _put_at(cache, name, 10**18 + i * 10**9)
    assert cache.get(cache.key("a")) is not None  # reading "a" makes it the most recent
    cache.put(cache.key("d"), FRAME)
    present = {n for n in "abcd" if cache.path(cache.key(n)).exists()}
    assert present == {"a", "c", "d"}  # "b" was the least recently used


def test_a_file_larger_than_the_cap_is_still_written(tmp_path, monkeypatch):
    monkeypatch.setenv("ZZ_CACHE_MAX_MB", "0")
    cache = ParquetCache("things", root=tmp_path, version="1.0")
    cache.put(cache.key("old"), FRAME)
    path = cache.put(cache.key("new"), FRAME)
    assert [p.name for p in cache.folder.glob("*.parquet")] == [path.name]


@pytest.mark.parametrize("value, expected", [(None, 2000 * 10**6), ("", 2000 * 10**6), ("1.5", 1_500_000), ("0", 0)])
def test_max_bytes(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("ZZ_CACHE_MAX_MB", raising=False)
    else:
        monkeypatch.setenv("ZZ_CACHE_MAX_MB", value)
    assert max_bytes() == expected


@pytest.mark.parametrize("value", ["lots", "-1", "nan"])
def test_max_bytes_refuses_nonsense(monkeypatch, value):
    monkeypatch.setenv("ZZ_CACHE_MAX_MB", value)
    with pytest.raises(ValueError, match="ZZ_CACHE_MAX_MB"):
        max_bytes()
