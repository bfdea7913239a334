"""resolve_path: relative parameters are read from notebooks/, whatever the working directory."""
from __future__ import annotations

import os

import pytest

import zzanalysis as zz
from zzanalysis.paths import NOTEBOOKS, ROOT


@pytest.mark.parametrize("given, expected", [
    ("../data/raw", ROOT / "data" / "raw"),
    ("../data/raw/zzrb-2023-04-27-p01.md", ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md"),
    (".", NOTEBOOKS),
])
def test_relative_paths_are_read_from_the_notebooks_folder(given, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # another working directory changes nothing
    assert zz.resolve_path(given) == expected


def test_absolute_path_is_kept(tmp_path):
    assert zz.resolve_path(tmp_path, must="dir") == tmp_path


@pytest.mark.parametrize("must, message", [
    ("exist", "no such file or folder"),
    ("dir", "no such folder"),
    ("file", "no such file"),
])
def test_missing_path_names_the_absolute_path(must, message):
    with pytest.raises(FileNotFoundError) as info:
        zz.resolve_path("../no-such-folder/pages", must=must)
    text = str(info.value)
    assert text.startswith(f"{message}: {ROOT / 'no-such-folder' / 'pages'} (given as '../no-such-folder/pages'")


def test_a_file_is_not_a_folder():
    with pytest.raises(FileNotFoundError, match="no such folder: .*zzrb-2023-04-27-p01.md"):
        zz.resolve_path("../data/raw/zzrb-2023-04-27-p01.md", must="dir")


def test_create_dir_makes_the_folder_and_its_parents(tmp_path):
    target = tmp_path / "a" / "b"
    assert zz.resolve_path(target, must="create_dir") == target
    assert target.is_dir()


def test_create_dir_on_a_file_is_an_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError, match=f"not a folder: {tmp_path / 'f'}"):
        zz.resolve_path(tmp_path / "f", must="create_dir")


def test_home_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert zz.resolve_path("~", must="dir") == tmp_path
    assert os.path.isabs(zz.resolve_path("~", must="dir"))
