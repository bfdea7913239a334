"""Extraction speed: ``zz.extract_indicators`` and ``zz.industry_mentions``, each beside its floor.

The text is the first ``--mb`` MB of paragraphs of the synthetic archive (``make_archive.py``:
the sample page's articles recombined, numbers changed; written to ``benchmarks/out/`` when
missing). Every contender runs ``--repeat`` times on the same paragraphs, after one warm-up
call (dictionaries, the tagger and cn2an loaded); the table gives MB/s per core from CPU time
(``time.process_time``: the machine is shared, so wall time measures the neighbours too) as
the best and the median run, and the best wall-clock figure. MB = 10⁶ bytes of UTF-8 input.

Floors — the least any such extractor must do:
  * indicators: a plain regex scan for numbers (Arabic digits or a Chinese numeral run), and
    ``rjieba.tag`` of every paragraph holding a figure (the owner and subject tagging);
  * industry mentions: the Aho–Corasick scan alone (``ahocorasick_rs``, the automaton
    ``industry_mentions`` uses, over the same terms: every match, the paragraphs' UTF-8).

    python benchmarks/bench_extract.py              # prints the table
    python benchmarks/bench_extract.py --write      # … and writes RESULTS_extract.md
    python benchmarks/bench_extract.py --mb 0.5     # a quicker run
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import zzanalysis as zz  # noqa: E402
from _machine import machine  # noqa: E402  (benchmarks/ is the script's folder)

ARCHIVE = ROOT / "benchmarks" / "out" / "archive-0.1y"
# The floor's idea of a number: a run of digits or Chinese numerals (linear, no look-around).
NUMBER_RUN_RE = re.compile(r"[0-9０-９〇零一二两三四五六七八九十百千万亿]+")


def paragraphs(archive: Path, mb: float) -> pd.DataFrame:
    """The first paragraphs of ``archive`` (written by make_archive.py if missing), ≥ ``mb`` MB."""
    if not archive.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_archive.py"), "--years", "0.1",
                        "--out", str(archive), "--seed", "0"], check=True)
    frame = zz.read_corpus(archive).paragraphs
    sizes = frame["text"].map(lambda t: len(t.encode("utf-8"))).cumsum()
    n = int((sizes < mb * 1e6).sum()) + 1
    if n > len(frame):
        raise SystemExit(f"{archive} holds only {sizes.iloc[-1] / 1e6:.2f} MB of paragraphs; ask for less --mb")
    return frame.iloc[:n].reset_index(drop=True)


def runs(fn, repeat: int) -> tuple[list[float], list[float]]:
    """CPU and wall seconds of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return cpu, wall



def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=2.0, help="size of the text (default 2)")
    ap.add_argument("--archive", type=Path, default=ARCHIVE, help=f"synthetic archive (default {ARCHIVE})")
    ap.add_argument("--repeat", type=int, default=3, help="runs per contender (default 3)")
    ap.add_argument("--write", action="store_true", help="write benchmarks/RESULTS_extract.md")
    args = ap.parse_args(argv)

    import ahocorasick_rs
    import rjieba

    frame = paragraphs(args.archive, args.mb)
    texts = frame["text"].tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"text: {len(texts)} paragraphs, {mb:.2f} MB", flush=True)

    # Warm-up: dictionaries, the tagger, cn2an and the compiled rules are loaded once per process.
    figures = zz.extract_indicators(frame)
    zz.industry_mentions(frame.iloc[:200])
    # The tagging floor tags what extract_indicators must tag: the paragraphs holding a figure.
    holding = set(zip(figures["article_id"], figures["para_no"]))
    tagged = [t for a, n, t in zip(frame["article_id"], frame["para_no"], texts) if (a, n) in holding]
    tagger = rjieba.Jieba()
    tagger.tag(texts[0])
    automaton = ahocorasick_rs.BytesAhoCorasick([t.encode() for t in dict.fromkeys(zz.get_taxonomy()["term"])],
                                                matchkind=ahocorasick_rs.MatchKind.Standard)

    contenders = [
        ("zz.extract_indicators", lambda: zz.extract_indicators(frame)),
        ("floor: regex scan for numbers", lambda: [NUMBER_RUN_RE.findall(t) for t in texts]),
        ("floor: rjieba.tag of the paragraphs holding a figure",
         lambda: [tagger.tag(t) for t in tagged]),
        ("zz.industry_mentions", lambda: zz.industry_mentions(frame)),
        ("floor: Aho–Corasick scan alone", lambda: automaton.find_matches_as_indexes("\n".join(texts).encode(), overlapping=True)),
    ]
    counts = {
        "zz.extract_indicators": f"{len(figures)} figures",
        "zz.industry_mentions": f"{len(zz.industry_mentions(frame))} mentions",
    }
    lines = [
        f"Text: {len(texts)} paragraphs, {mb:.2f} MB UTF-8, the first of the synthetic archive "
        + ("(`make_archive.py --years 0.1 --seed 0`)." if args.archive == ARCHIVE else f"`{args.archive}`."),
        f"Machine: {machine('rjieba', 'cn2an', 'ahocorasick-rs', 'pandas')}; load average {load:.1f} at the start (other users' jobs).",
        "Command: `python benchmarks/bench_extract.py --write"
        + (f" --mb {args.mb:g}" if args.mb != 2.0 else "") + "`."
        + f" {args.repeat} runs each; MB/s per core from CPU time, and from wall time (best run).",
        "",
        "| contender | output | MB/s per core, best | median | MB/s wall, best |",
        "|---|---|---:|---:|---:|",
    ]
    for label, fn in contenders:
        cpu, wall = runs(fn, args.repeat)
        row = (f"| {label} | {counts.get(label, '–')} | {mb / min(cpu):.1f} | "
               f"{mb / statistics.median(cpu):.1f} | {mb / min(wall):.1f} |")
        print(row, flush=True)
        lines.append(row)
    table = "\n".join(lines)
    print("\n" + table)
    if args.write:
        out = Path(__file__).with_name("RESULTS_extract.md")
        out.write_text(out.read_text("utf-8").split("<!-- table -->")[0] + "<!-- table -->\n\n" + table + "\n"
                       if out.exists() else table + "\n", "utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
