"""The command line, run as users run it: a subprocess, real files."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "zzanalysis", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_info(sample_path):
    r = run("info", sample_path)
    assert r.returncode == 0, r.stderr
    assert "zzrb-2023-04-27-p01" in r.stdout and "23288" in r.stdout and "article:8 teaser:1" in r.stdout


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "table", "parquet"])
def test_articles_formats(tmp_path, sample_path, fmt):
    out = tmp_path / f"articles.{fmt}"
    r = run("articles", sample_path, "--format", fmt, "-o", out)
    assert r.returncode == 0, r.stderr
    if fmt == "csv":
        df = pd.read_csv(out)
        assert df.loc[0, "reporters"] == "温琳" and df.loc[0, "correspondents"] == "彭玲、赵小茵"
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(rows) == 9 and rows[1]["reporters"] == ["余建斌", "吴齐强", "邱超奕"]
    elif fmt == "parquet":
        df = pd.read_parquet(out)
        assert df["headline"].iloc[8] == "北交所株洲服务基地揭牌"
    else:
        assert "制造业名城展新颜" in out.read_text(encoding="utf-8")


def test_bad_file_gets_one_line_and_nonzero_exit(tmp_path, sample_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01")
    r = run("articles", sample_path, bad, "--format", "jsonl")
    assert r.returncode == 1
    assert r.stderr.strip() == f"{bad}:1: error: binary data (NUL byte), not a text page"
    assert "Traceback" not in r.stderr
    assert len(r.stdout.splitlines()) == 9  # the good file is still written


def test_missing_path(tmp_path):
    r = run("info", tmp_path / "nope-*.md")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "no page files" in r.stderr
