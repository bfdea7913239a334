"""Fuzz the reader and the three extractors for a few minutes (hypothesis; not part of ``pytest``).

    .venv/bin/python benchmarks/fuzz.py --minutes 6

Targets, each given an equal share of the time, run in rounds until it is spent:

- ``bytes``: random bytes and mutations of the sample page (bit flips, cuts, inserted NUL,
  BOM, CR, HTML, re-encodings) through ``decode_page`` + ``parse_text``: an ``Issue`` or a
  ``ParseError`` naming a line, nothing else;
- ``text``: random strings built from the grammar's pieces (``#``, bylines, jump markers,
  masthead fields, punctuation in both forms) through ``parse_text``: same, plus stable ids;
- ``pages``: pages generated from the grammar (``tests/test_properties.py``): the parser gets
  back what was printed and nothing is lost;
- ``extractors``: ``tokenize``, ``industry_mentions``, ``extract_indicators`` on random and
  number-dense strings: well-formed tables with offsets into the text.

Prints the number of inputs each target tried and every failure with its shrunk example; exits
1 if anything failed. Memory is capped (``--max-gb``) so a runaway input cannot take the machine.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("ZZ_CACHE_DIR", tempfile.mkdtemp(prefix="zz_fuzz_cache_"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import zzanalysis as zz  # noqa: E402
from zzanalysis.errors import PageWarning  # noqa: E402
from zzanalysis.reader import decode_page, parse_text  # noqa: E402

import test_hostile as hostile  # noqa: E402
import test_properties as props  # noqa: E402

SAMPLE = (ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md").read_bytes()
PATH = "zzrb-2023-04-27-p01.md"
COUNTS: dict[str, int] = {}
ID_RE = re.compile(r"^[a-z]+-\d{4}-\d{2}-\d{2}-p\d{2}-a\d{2,}$")


def _count(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


def _read(data: bytes) -> None:
    try:
        issue = parse_text(decode_page(data, path=PATH), path=PATH)
    except zz.ParseError as e:
        assert e.path == PATH and (e.line is None or e.line >= 1), repr(e)
        assert "\n" not in str(e)
        return
    ids = issue.articles["article_id"].tolist()
    assert all(ID_RE.match(i) for i in ids) and len(set(ids)) == len(ids), ids
    for t in issue.paragraphs["text"]:
        assert t and "\n" not in t and t == t.strip()


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "nul", "insert", "delete", "encode", "bom", "cr"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            data = data[:pos]
        elif op == "nul":
            data[pos:pos] = b"\x00"
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b"<br>", b"&amp;", b"## ", b"### ", b"\n\n", b"\xe2\x96\xb6\xe4\xb8\x8b\xe8\xbd\xac02\xe7\x89\x88\xe2\x91\xa0", b"\xff", b"\xef\xbb\xbf", b"\r"]))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 200))]
        elif op == "encode":
            try:
                text = bytes(data).decode("utf-8")
                data = bytearray(text.encode(draw(st.sampled_from(["gb18030", "utf-16", "utf-16-le", "utf-16-be"]))))
            except UnicodeError:
                pass
        elif op == "bom":
            data[0:0] = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]))
        elif op == "cr":
            data = bytearray(bytes(data).replace(b"\n", draw(st.sampled_from([b"\r", b"\r\n", b"\n\r"]))))
    return bytes(data)


@given(st.one_of(st.binary(max_size=2000), mutated()))
def fuzz_bytes(data: bytes) -> None:
    _count("bytes")
    _read(data)


PIECES = st.sampled_from([
    "# ", "## ", "### ", "#", "\n", "\n\n", "\r\n", " ", "　", "株洲日报", "2023年4月27日", "星期四", "2023年2月30日",
    "癸卯年三月初八", "第23288期", "今日8版", "02版", "中共株洲市委主管、主办", "CN 43-0005", "(", ")", "（", "）",
    "全媒体记者/", "记者", "通讯员/", "温琳", "彭玲 赵小茵", "4月26日", ",", "，", "。", "？", "?", ";", "——", "…",
    "▶下转02版①", "下转", "（上接01版①）", "上接", "封二版", "详见3版", "图为", "摄", "扫一扫", "编辑：", "本报讯",
    "新华社北京4月26日电", "<br>", "<p>", "&amp;", "&nbsp;", "&#10;", "𠀀", "😀", "\u200b", "\ufeff", "\x0c", "e\u0301",
    "轨道交通装备", "469亿元", "增长12.3%", "Ａ", "１", "“", "”", "《", "》",
])


@given(st.one_of(st.lists(PIECES, max_size=80).map("".join), st.text(max_size=500)))
def fuzz_text(text: str) -> None:
    _count("text")
    try:
        one = parse_text(text, path=PATH)
    except zz.ParseError as e:
        assert e.line is None or e.line >= 1
        return
    two = parse_text(text, path=PATH)
    assert one.articles["article_id"].tolist() == two.articles["article_id"].tolist()
    assert one.paragraphs.equals(two.paragraphs)


@given(props.pages())
def fuzz_pages(page) -> None:
    _count("pages")
    props.test_the_parser_gets_back_what_was_printed.hypothesis.inner_test(page)
    props.test_nothing_lost.hypothesis.inner_test(page)


@given(hostile.TEXTS)
def fuzz_extractors(text: str) -> None:
    _count("extractors")
    for check in hostile.CHECKS:
        check(text)


TARGETS = {"bytes": fuzz_bytes, "text": fuzz_text, "pages": fuzz_pages, "extractors": fuzz_extractors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=6.0)
    parser.add_argument("--round", type=int, default=200, help="examples per hypothesis run")
    parser.add_argument("--max-gb", type=float, default=3.0)
    parser.add_argument("--only", choices=sorted(TARGETS), action="append")
    args = parser.parse_args()
    limit = int(args.max_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    warnings.simplefilter("ignore", PageWarning)
    targets = {k: v for k, v in TARGETS.items() if not args.only or k in args.only}
    share = args.minutes * 60 / len(targets)
    failures: dict[str, str] = {}
    start = time.time()
    for name, fn in targets.items():
        until = time.time() + share
        rounds = 0
        # no database, not derandomised: every round draws fresh inputs
        run = settings(max_examples=args.round, deadline=None, database=None, derandomize=False,
                       suppress_health_check=list(HealthCheck))(fn)
        while time.time() < until and name not in failures:
            try:
                run()
            except Exception:
                failures[name] = traceback.format_exc(limit=-6)
            rounds += 1
        print(f"{name:12s} {COUNTS.get(name, 0):8d} inputs  {rounds:4d} rounds  {'FAILED' if name in failures else 'ok'}",
              flush=True)
    print(f"total        {sum(COUNTS.values()):8d} inputs  in {(time.time() - start) / 60:.1f} min")
    for name, tb in failures.items():
        print(f"\n--- {name} ---\n{tb}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
