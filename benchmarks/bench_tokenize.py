"""Tokenizer speed: ``zz.tokenize`` against plain ``jieba.lcut``, ``jieba.posseg.lcut`` and the floor.

All contenders segment the same paragraphs, ≥ 5 MB of UTF-8 text made from the sample page:
its paragraphs repeated in a shuffled order, with every number changed and a rotating
Zhuzhou name swapped in, so no two copies are alike. Dictionaries are loaded before the clock
starts (each contender is warmed up on one paragraph). Each contender runs ``--repeat`` times
(default 3, in rounds: every contender once per round; jieba.posseg only in the first) and
the table gives the minimum and the median. MB = 10⁶ bytes of UTF-8 input.

The floor is what the segmenter alone costs: ``rjieba.tag`` (words and POS tags, no offsets),
one call per paragraph, on the tokenizer's own dictionary (jieba's plus the Zhuzhou lexicon).
Every row prints its time as a multiple of the floor measured in the same run, so the ratios
hold on a busy machine even when the seconds do not.

``zz.tokenize`` does more than the jieba calls: POS tags, character offsets, number+unit
merging, stopword and punctuation filtering and a DataFrame with categorical columns.

    python benchmarks/bench_tokenize.py              # prints the table
    python benchmarks/bench_tokenize.py --write      # … and writes RESULTS_tokenize.md
    python benchmarks/bench_tokenize.py --mb 1       # a quicker run
    python benchmarks/bench_tokenize.py --year benchmarks/out/archive-1y   # memory of one call on a year
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import zzanalysis as zz  # noqa: E402
from _machine import machine  # noqa: E402  (benchmarks/ is the script's folder)

SAMPLE = ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md"
PARITY_NOTE = """## Backend parity

The rjieba backend (jieba-rs) runs jieba's algorithm on jieba's `dict.txt`, but departs from
Python jieba 0.42.1 in five places; `zzanalysis/jieba_parity.py` corrects each to jieba's result, and
`tests/test_tokens.py` (`test_backend_parity_*`, `test_plain_backends_equal_jieba_lcut`,
`test_a_frame_gives_each_paragraphs_own_tokens`, `test_sample_token_table_is_frozen`) checks
identical tokens, POS tags and offsets on every paragraph of the sample page with and without the
lexicon and the HMM, plus tricky strings:

1. HMM path, non-Chinese runs: jieba-rs keeps `43-0005`, `1.2.3`, `A+1` whole; jieba splits them
   with `finalseg.re_skip` (`43` `-` `0005`). Found on the sample's masthead (`CN 43-0005`).
2. Rare ideographs (CJK extension A/B…, U+9FD6–9FFF, compatibility ideographs such as 䶮 𠀀):
   jieba-rs reads them as Chinese and may join them to a neighbour; jieba treats each as a symbol.
3. `add_word` on a word already in the dictionary: jieba-rs keeps the dictionary's POS tag and
   replaces the old frequency in the total; jieba takes the new tag and adds to the total. Both
   backends here use the new tag and replace the frequency.
4. POS of words only the HMM found: jieba-rs tags them with jieba's POS-HMM (the tag of the
   longest span; `x` when no possible path ends in a word-final state); the jieba backend does
   the same in Python. (`jieba.posseg` is not the reference: it re-segments unknown stretches
   with its POS-HMM, so its tokens differ from `jieba.lcut`'s, in 44 of the sample's 95 lines.)
5. Lone surrogates (bytes decoded with `surrogateescape`) cannot enter a Rust string; each is cut
   as a one-character symbol, as jieba does.

One difference remains, in runs of a repeated unit such as 课课课 (课课+课 and 课+课课 have exactly
the same probability): each library's floating-point rounding breaks that tie, and which way it
falls changes with the dictionary total, so the backends can disagree there (pinned in
`test_backend_tie_breaking`). No such tie occurs in the sample page or in this benchmark text.

Checked beyond the sample: identical tokens, tags and offsets on all 19 484 sentences
(1.84 M characters) of the People's Daily 1998-01 corpus, plain, with the lexicon and with
number merging (`benchmarks/eval_segmentation.py --parity`), on the 5 MB benchmark text
(above), and on 16 000 random strings of the sample's characters, digits, Latin, symbols, rare
ideographs and arbitrary Unicode; a Hypothesis test (`test_backend_parity_property`) keeps
checking such strings.

The lexicon's effect on general segmentation (word F1 against the same corpus: 0.8247 plain,
0.8247 with the lexicon) is in `zzanalysis/resources/lexicon/README.md`.
"""
NOTES = """## Where the time goes

`zz.tokenize` asks the segmenter only for words: the paragraphs of a chunk (~0.75 MB) are joined
with NUL, which jieba and jieba-rs always cut as a symbol of its own, and cut in one
`rjieba.cut` call; the few paragraphs with rare ideographs or lone surrogates are cut on their own
(`zzanalysis/jieba_parity.py`). Everything after is numpy over the chunk's flat arrays: words are
factorized into category codes, POS tags are looked up once per distinct word (a word's tag does
not depend on its context in jieba-rs), offsets are cumulative sums of word lengths, number
merging finds its matches in the joined text and joins token runs by index, filters are decided
once per distinct token. That is why it can beat the floor, which builds a (word, tag) tuple per
token in Rust-to-Python conversion and one list per paragraph.

`n_jobs=2` cuts the first chunk (~0.75 MB) in the calling process, then forks one worker, which
inherits the loaded dictionary, jieba's tag table and the texts (nothing is sent to it). The
caller takes chunks from the start and filters every chunk; the worker takes them from the end
and writes each result to a file (a pipe would stall it until the caller reads); they stop where
they meet, so the work balances itself on a busy machine. Segmenting is ~80 % of one process's
CPU; reading the paragraphs, joining the chunks and the carried columns stay serial, so two free
cores give at most ~1.7×. The line above gives the CPU a 2-process run spends against one (its
overhead: the fork, pickling the results, tags looked up in both processes). Linux groups a
session's processes for the scheduler (autogroup): while other sessions keep both cores busy,
the two processes of one call share the CPU one would get, and n_jobs=2 cannot be faster in
wall time than n_jobs=1; compare the wall times of a run on an idle machine.

"""
NAMES = ["株洲", "醴陵", "攸县", "茶陵", "炎陵", "渌口", "天元", "芦淞", "荷塘", "石峰"]


def corpus(mb: float, seed: int = 0) -> pd.DataFrame:
    """A paragraphs frame of at least ``mb`` MB built from the sample page."""
    paragraphs = zz.read_issue(SAMPLE).paragraphs
    texts = paragraphs["text"].tolist()
    rng = random.Random(seed)
    rows, size, copy = [], 0, 0
    while size < mb * 1e6:
        order = list(range(len(texts)))
        rng.shuffle(order)
        name = NAMES[copy % len(NAMES)]
        for k in order:
            text = re.sub(r"\d+", lambda m: str(rng.randint(1, 9999)), texts[k])
            text = text.replace("株洲", name) if copy % 3 else text
            rows.append((f"bench-{copy:04d}-{k:03d}", 1, text))
            size += len(text.encode("utf-8"))
        copy += 1
    return pd.DataFrame(rows, columns=["article_id", "para_no", "text"])


def year_memory(folder: Path) -> str:
    """Peak memory of one ``zz.tokenize`` call on a whole archive (Linux: VmHWM), in this process."""
    import numpy as np

    corpus = zz.read_corpus(folder)
    paragraphs = corpus.paragraphs
    del corpus
    status = Path(f"/proc/{os.getpid()}/status")

    def vm(field):
        line = next(ln for ln in status.read_text().splitlines() if ln.startswith(field))
        return int(line.split()[1]) * 1024

    Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")  # start VmHWM afresh
    before = vm("VmRSS")
    lines, columns = [], {}
    for carry, n_jobs in (([], 1), ([], 2), (["date"], 1), (None, 1)):
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        tokens = zz.tokenize(paragraphs, cache=False, carry=carry, n_jobs=n_jobs)
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        peak = vm("VmHWM")  # this process only: a worker's own peak is not in it
        sizes = tokens.memory_usage(deep=True, index=False)
        label = ("all columns" if carry is None else f"carry={carry}") + (f", n_jobs={n_jobs}" if n_jobs > 1 else "")
        lines.append(f"| {label} | {len(tokens)} | {sizes.sum() / 1e6:.0f} | {peak / 1e9:.2f} | "
                     f"{(peak - before) / 1e9:.2f} | {seconds:.1f} | {cpu:.1f} |")
        columns.update((c, f"{c} {sizes[c] / 1e6:.1f} ({tokens[c].dtype})") for c in tokens.columns)
        del tokens
    text_mb = float(np.sum(paragraphs["text"].str.len().fillna(0).to_numpy() * 3)) / 1e6
    return "\n".join([
        f"Archive: {folder} ({len(paragraphs)} paragraphs, ~{text_mb:.0f} MB of text); one "
        f"`zz.tokenize(paragraphs, cache=False, carry=…)` call each. Peak = the process's VmHWM "
        f"during the call, which includes the paragraphs frame read before it ({before / 1e9:.2f} GB).",
        "",
        "| call | tokens | table MB | peak GB (process) | peak − before GB | seconds | CPU s (with workers) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *lines,
        "",
        "MB per column (`memory_usage(deep=True)`): " + ", ".join(columns.values()) + ".",
    ])


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def two_process_ceiling(n: int = 20_000_000) -> float:
    """What this machine gives two processes now: a pure-Python loop run once in one process,
    then split between this process and a forked one (wall time, one ÷ two). Near 2 on two
    idle cores; near 1 when other sessions keep the cores busy (Linux autogroup shares the CPU
    between sessions, not processes)."""
    import multiprocessing

    t0 = time.perf_counter()
    _burn(n)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    worker = multiprocessing.get_context("fork").Process(target=_burn, args=(n // 2,))
    worker.start()
    _burn(n // 2)
    worker.join()
    return one / (time.perf_counter() - t0)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the workers of n_jobs > 1)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime



def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="size of the text (default 5)")
    ap.add_argument("--write", action="store_true", help="write benchmarks/RESULTS_tokenize.md")
    ap.add_argument("--skip-posseg", action="store_true", help="leave out jieba.posseg (slow)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per contender (posseg: 1)")
    ap.add_argument("--year", type=Path, help="an archive folder (make_archive.py): measure the memory "
                    "of tokenizing it in one call instead")
    args = ap.parse_args(argv)

    if args.year is not None:
        print(year_memory(args.year))
        return 0

    import jieba
    import jieba.posseg

    # The global jieba is only the yardstick here; the package never touches it.
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(zz.cache.cache_dir() / "jieba")
    os.makedirs(jieba.dt.tmp_dir, exist_ok=True)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    frame = corpus(args.mb)
    texts = frame["text"].tolist()
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    mb = nbytes / 1e6
    print(f"text: {len(texts)} paragraphs, {sum(map(len, texts))} characters, {mb:.2f} MB", flush=True)

    fast, ref = zz.Tokenizer(), zz.Tokenizer(backend="jieba")
    jieba.lcut(texts[0]), jieba.posseg.lcut(texts[0]), fast.cut(texts[0]), ref.cut(texts[0])
    segmenter = fast._backend()._jieba  # the rjieba.Jieba holding the tokenizer's dictionary
    floor_label = "floor: rjieba.tag, one call per paragraph (no offsets, no table)"
    with tempfile.TemporaryDirectory() as tmp:
        fresh = iter(range(1000))

        def cache_miss():
            # A new, empty cache folder for every run, so each one really segments and writes.
            os.environ["ZZ_CACHE_DIR"] = os.path.join(tmp, str(next(fresh)))
            return zz.tokenize(frame, fast, cache=True)

        contenders = [
            (floor_label, lambda: [segmenter.tag(t, True) for t in texts]),
            ("rjieba.cut, one call per paragraph (no POS)", lambda: [segmenter.cut(t, True) for t in texts]),
            ("jieba.lcut (no POS, no offsets)", lambda: [jieba.lcut(t) for t in texts]),
            ("jieba.posseg.lcut (POS)", lambda: [jieba.posseg.lcut(t) for t in texts]),
            ("zz.tokenize, rjieba backend (POS, offsets, filters)", lambda: zz.tokenize(frame, fast, cache=False)),
            ("zz.tokenize, jieba backend (reference)", lambda: zz.tokenize(frame, ref, cache=False)),
            ("zz.tokenize, rjieba, n_jobs=2 (incl. worker start-up)",
             lambda: zz.tokenize(frame, fast, cache=False, n_jobs=2)),
            ("zz.tokenize, cache miss (segment + write Parquet)", cache_miss),
            ("zz.tokenize, cache hit (read Parquet + filter)", lambda: zz.tokenize(frame, fast, cache=True)),
        ]
        if args.skip_posseg:
            contenders = [c for c in contenders if "posseg" not in c[0]]
        # Rounds: every contender once per round, so a change in the machine's load between
        # rounds touches all of them alike and the ratios within a round stay fair.
        times: dict[str, list[float]] = {label: [] for label, _ in contenders}
        cpus: dict[str, list[float]] = {label: [] for label, _ in contenders}
        values = {}
        for round_no in range(args.repeat):
            for label, fn in contenders:
                if "posseg" in label and round_no:
                    continue  # jieba.posseg alone takes most of a minute: one run ranks it
                cpu0, t0 = cpu_seconds(), time.perf_counter()
                values[label] = fn()
                times[label].append(time.perf_counter() - t0)
                cpus[label].append(cpu_seconds() - cpu0)
            print(f"  round {round_no + 1}: " + ", ".join(f"{t[-1]:.2f}" for t in times.values()), flush=True)
        results = [(label, min(t), statistics.median(t)) for label, t in times.items()]
    ceiling = two_process_ceiling()

    fast_rows = values["zz.tokenize, rjieba backend (POS, offsets, filters)"]
    ref_rows = values["zz.tokenize, jieba backend (reference)"]
    same = fast_rows.equals(ref_rows)
    n_diff = 0 if same else int((fast_rows.astype(str) != ref_rows.astype(str)).any(axis=1).sum()) if len(
        fast_rows) == len(ref_rows) else abs(len(fast_rows) - len(ref_rows))
    parity = ("Backend parity on this text: rjieba and jieba backends give "
              + (f"identical tables ({len(fast_rows)} tokens: token, pos, start, end, token_no)." if same
                 else f"{n_diff} differing rows of {len(ref_rows)}."))

    by_label = {label: (best, median) for label, best, median in results}
    tok = "zz.tokenize, rjieba backend (POS, offsets, filters)"
    tok2 = "zz.tokenize, rjieba, n_jobs=2 (incl. worker start-up)"

    def per_round(slow, fast):
        return statistics.median(a / b for a, b in zip(times[slow], times[fast]))

    base = by_label["jieba.lcut (no POS, no offsets)"][0]
    floor = by_label[floor_label][0]
    one, two = (by_label["zz.tokenize, rjieba backend (POS, offsets, filters)"][0],
                by_label["zz.tokenize, rjieba, n_jobs=2 (incl. worker start-up)"][0])
    lines = [
        f"Text: {len(texts)} paragraphs, {mb:.2f} MB UTF-8 (the sample page repeated with variation).",
        f"Machine: {machine('jieba', 'rjieba', 'pandas', extra='zzanalysis ' + zz.__version__)}; load average {load:.1f} at the start (other users' jobs).",
        "Command: `python benchmarks/bench_tokenize.py --write"
        + (f" --mb {args.mb:g}" if args.mb != 5.0 else "") + "`.",
        parity,
        f"zz.tokenize with POS and offsets: {base / one:.1f}× plain jieba.lcut (target ≥ 8×; "
        f"median of the rounds' own ratios {per_round('jieba.lcut (no POS, no offsets)', tok):.1f}×), "
        f"{one / floor:.2f}× the floor's time; n_jobs=2 {one / two:.2f}× as fast as n_jobs=1 "
        f"(rounds: {per_round(tok, tok2):.2f}×), spending {min(cpus[tok2]) / min(cpus[tok]):.2f}× its CPU "
        f"(min CPU s with the workers': {min(cpus[tok2]):.2f} against {min(cpus[tok]):.2f}; the machine's "
        f"load average was {load:.1f} on {os.cpu_count()} cores; a pure-Python loop split in two "
        f"processes ran {ceiling:.2f}× as fast as in one, just after).",
        "",
        f"| contender | min s | median s | MB/s (min) | × jieba.lcut | time ÷ floor (floor {floor:.2f} s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, best, median in results:
        lines.append(f"| {label} | {best:.2f} | {median:.2f} | {mb / best:.2f} | {base / best:.1f} | "
                     f"{best / floor:.2f} |")
    table = "\n".join(lines)
    print("\n" + table)
    if args.write:
        out = Path(__file__).with_name("RESULTS_tokenize.md")
        out.write_text(
            "# Tokenizer benchmark\n\n"
            "Written by `benchmarks/bench_tokenize.py --write`; `× jieba.lcut` is a speed-up (higher "
            "is faster), `time ÷ floor` a cost (lower is closer to the segmenter alone). "
            f"{args.repeat} rounds, each running every contender once (jieba.posseg: the first "
            "only), minimum and median per contender, on a shared machine: compare the ratios, "
            "which are measured in one run.\n\n"
            + table + "\n\n" + NOTES + "\n" + PARITY_NOTE,
            encoding="utf-8",
        )
        print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
