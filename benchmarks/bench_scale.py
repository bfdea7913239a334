"""Scale benchmarks of issue 7, printed as Markdown tables.

    python benchmarks/make_archive.py --years 1 --out benchmarks/out/archive-1y
    python benchmarks/bench_scale.py --archive benchmarks/out/archive-1y [--only parse,cache,e2e]

* parse  — parse throughput (MB/s of page files) with 1 and 2 processes, against merely
           reading the files (and decoding them), which is the limit.
* cache  — cold load (parse and write the cache) against a reload of the unchanged archive from
           the Parquet cache, and a reload after one file changed.
* e2e    — the archive end to end: read, tokenize, term frequency, industry mentions,
           indicators; wall time per step and peak memory (RSS of the process and its workers,
           sampled every 20 ms) with 1 and 2 processes. Each run is a fresh interpreter.

The tokenizer's own benchmark against jieba is benchmarks/bench_tokenize.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) / 2**20 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), float("nan"))
    load = Path("/proc/loadavg").read_text().split()[:3]
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, Python {platform.python_version()}, "
            f"load average at start {' '.join(load)}")


def _table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (pool workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _best(f, repeat: int) -> tuple[float, float]:
    """Best wall time of ``repeat`` runs, and the CPU seconds (all processes) of that run."""
    runs = []
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        f()
        runs.append((time.perf_counter() - t, _cpu() - c))
    return min(runs)


def bench_parse(archive: Path, repeat: int) -> str:
    import zzanalysis as zz
    from zzanalysis.reader import decode_page, page_files

    files = page_files(archive)
    mb = sum(p.stat().st_size for p in files) / 1e6
    rows = []
    for name, f in [("read the files (bytes)", lambda: [p.read_bytes() for p in files]),
                    ("read + decode (decode_page)", lambda: [decode_page(p.read_bytes()) for p in files])]:
        t, c = _best(f, repeat)
        rows.append([name, f"{t:.2f}", f"{c:.2f}", f"{mb / t:.0f}", f"{mb / c:.0f}"])
    for n in (1, 2):
        t, c = _best(lambda: zz.read_corpus(archive, cache=False, n_jobs=n, progress=False), repeat)
        rows.append([f"read_corpus, n_jobs={n}, no cache", f"{t:.2f}", f"{c:.2f}", f"{mb / t:.1f}", f"{mb / c:.1f}"])
    return (f"**Parse throughput** — {len(files)} page files, {mb:.1f} MB (best of {repeat}; CPU = seconds "
            f"of CPU used by the process and its workers)\n\n"
            + _table(["step", "wall s", "CPU s", "MB/s (wall)", "MB/s per CPU-second"], rows))


def bench_cache(archive: Path, repeat: int) -> str:
    import zzanalysis as zz
    from zzanalysis.reader import page_files

    rows = []
    with tempfile.TemporaryDirectory(prefix="zz-bench-cache-") as cache:
        os.environ["ZZ_CACHE_DIR"] = cache
        work = Path(cache) / "archive"
        # a private copy: the changed-file run must not touch the archive
        subprocess.run(["cp", "-r", str(archive), str(work)], check=True)
        files = page_files(work)
        colds = []
        for n in (1, 2):
            def cold_load():
                for f in Path(cache).glob("corpus/*"):
                    f.unlink()
                zz.read_corpus(work, n_jobs=n, progress=False)

            cold, _ = _best(cold_load, repeat)
            rows.append([f"cold: parse + write cache, n_jobs={n}", f"{cold:.2f}", ""])
            colds.append(cold)
        cold = min(colds)
        warm, _ = _best(lambda: zz.read_corpus(work, progress=False), repeat)
        rows.append(["reload, unchanged archive (cache hit)", f"{warm:.3f}", f"{cold / warm:.0f}×"])
        page = files[len(files) // 2]
        page.write_text(page.read_text(encoding="utf-8").replace("株洲", "株州", 1), encoding="utf-8")
        t = time.perf_counter()
        zz.read_corpus(work, progress=False)
        one = time.perf_counter() - t
        rows.append(["reload, one file changed (parsed alone)", f"{one:.3f}", f"{cold / one:.0f}×"])
        n_cached = len(zz.read_corpus(work, progress=False).issues)
        assert n_cached == len(files), (n_cached, len(files))
        size = sum(f.stat().st_size for f in Path(cache).glob("corpus/*.parquet")) / 1e6
    return (f"**Cached reload vs cold load** — {len(files)} files; cache {size:.0f} MB of Parquet; "
            f"best of {repeat}; speed-up against the faster cold load\n\n"
            + _table(["load", "seconds", "speed-up"], rows))


def _e2e_child(archive: str, n_jobs: int) -> dict:
    """One end-to-end run (in a fresh interpreter); returns wall and CPU seconds and peak RSS per step."""
    import psutil

    import zzanalysis as zz
    from zzanalysis.frequency import term_shares

    steps, cpu, peak = {}, {}, {}
    t0, c0 = time.perf_counter(), _cpu()
    # Sampled, not ru_maxrss: Linux carries the parent's high-water mark across fork+exec.
    me, high, stop = psutil.Process(), [0], threading.Event()

    def sample():
        while not stop.is_set():
            high[0] = max(high[0], me.memory_info().rss)
            stop.wait(0.01)

    threading.Thread(target=sample, daemon=True).start()

    def step(name, f):
        t, c = time.perf_counter(), _cpu()
        high[0] = me.memory_info().rss
        out = f()
        steps[name], cpu[name] = time.perf_counter() - t, _cpu() - c
        peak[name] = max(high[0], me.memory_info().rss) / 1e9
        return out

    corpus = step("read_corpus", lambda: zz.read_corpus(archive, cache=False, n_jobs=n_jobs, progress=False))
    counts, mentions, indicators, inner = step("tokenize, term counts, industry_mentions, extract_indicators, by month",
                                               lambda: _by_month(corpus, n_jobs))
    tf = step("term_frequency (month counts summed, shares)", lambda: term_shares(
        counts.groupby("token", sort=False)["count"].sum().reset_index()))
    steps["total"], cpu["total"] = time.perf_counter() - t0, _cpu() - c0
    peak["total"] = max(peak.values())
    stop.set()
    sizes = dict(pages=len(corpus.issues), problems=len(corpus.problems), paragraphs=len(corpus.paragraphs),
                 tokens=int(tf["count"].sum()), terms=len(tf),
                 mentions=len(mentions), indicators=len(indicators))
    return dict(steps=steps, cpu=cpu, peak=peak, sizes=sizes, inner=inner)


def _month(args):
    """One month of the corpus through the pandas functions; returns the month's term counts
    (``term_frequency``), the mentions, the indicators and the CPU seconds of each function."""
    import zzanalysis as zz

    articles, paragraphs = args
    spent = {}

    def timed(name, f):
        c = time.process_time()
        out = f()
        spent[name] = time.process_time() - c
        return out

    tokens = timed("tokenize", lambda: zz.tokenize(paragraphs, cache=False, carry=[]))
    counts = timed("term_frequency", lambda: zz.term_frequency(tokens)[["token", "count"]])
    del tokens
    mentions = timed("industry_mentions", lambda: zz.industry_mentions(articles))
    indicators = timed("extract_indicators", lambda: zz.extract_indicators(paragraphs))
    return counts, mentions, indicators, spent


def _by_month(corpus, n_jobs: int):
    """Month by month, so a year of tokens never exists at once: in this process (n_jobs=1) or in
    a pool of n_jobs processes. Mentions and indicators are concatenated in month order (the rows
    of one call on the whole corpus); term counts are summed over months afterwards, which gives
    exactly ``term_frequency`` of all tokens (the same code as ``zzanalysis.dask.term_frequency``)."""
    import pandas as pd

    months = corpus.articles["date"].dt.to_period("M")
    pmonths = corpus.paragraphs["date"].dt.to_period("M")
    jobs = [(corpus.articles[months == m], corpus.paragraphs[pmonths == m]) for m in sorted(months.unique())]
    if n_jobs == 1:
        parts = [_month(job) for job in jobs]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(n_jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_month, jobs))
    inner = {k: sum(p[3][k] for p in parts) for k in parts[0][3]}
    return (pd.concat([p[0] for p in parts], ignore_index=True), pd.concat([p[1] for p in parts], ignore_index=True),
            pd.concat([p[2] for p in parts], ignore_index=True), inner)


def _run_measured(cmd: list[str]) -> tuple[dict, float]:
    """Run ``cmd``; returns its JSON output and the peak RSS (GB) of it and all its children."""
    import psutil

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    ps = psutil.Process(proc.pid)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            try:
                total = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
                peak = max(peak, total)
            except psutil.Error:
                pass
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"benchmark child failed: {cmd}")
    return json.loads(out.strip().splitlines()[-1]), peak / 1e9


def bench_e2e(archive: Path) -> str:
    from zzanalysis.reader import page_files

    mb = sum(p.stat().st_size for p in page_files(archive)) / 1e6
    runs = {}
    for n in (1, 2):
        runs[n] = _run_measured([sys.executable, __file__, "--archive", str(archive), "--e2e-child", str(n)])
    steps = list(runs[1][0]["steps"])
    rows = [[s, *(f"{runs[n][0]['steps'][s]:.1f}" for n in (1, 2)),
             f"{runs[1][0]['steps'][s] / runs[2][0]['steps'][s]:.2f}×",
             *(f"{runs[n][0]['cpu'][s]:.1f}" for n in (1, 2)),
             *(f"{runs[n][0]['peak'][s]:.2f}" for n in (1, 2))] for s in steps]
    rows.append(["peak memory, all processes (GB)", *(f"{runs[n][1]:.2f}" for n in (1, 2)), "", "", "", "", ""])
    sizes = runs[1][0]["sizes"]
    assert sizes == runs[2][0]["sizes"], (sizes, runs[2][0]["sizes"])
    inner = " · ".join(f"{k} {v:.1f} s" for k, v in runs[1][0]["inner"].items())
    return (f"**End to end** — {mb:.0f} MB: {sizes['pages']} pages ({sizes['problems']} problems), "
            f"{sizes['paragraphs']} paragraphs → "
            f"{sizes['tokens']} tokens, {sizes['terms']} distinct terms, {sizes['mentions']} industry mentions, "
            f"{sizes['indicators']} indicators (no caches; CPU inside the by-month step with 1 process: "
            f"{inner})\n\n"
            + _table(["step", "wall s, 1 proc", "wall s, 2 procs", "speed-up", "CPU s, 1 proc",
                      "CPU s, 2 procs", "peak GB in step (main process), 1 proc", "… 2 procs"], rows)
            + f"\n\nLoad average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, required=True, help="folder of page files (make_archive.py)")
    ap.add_argument("--only", default="parse,cache,e2e", help="comma-separated: parse, cache, e2e")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--e2e-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.e2e_child:
        print(json.dumps(_e2e_child(str(args.archive), args.e2e_child)))
        return 0
    print(f"Machine: {_machine()}\n")
    print(f"Command: python benchmarks/bench_scale.py {' '.join(sys.argv[1:] if argv is None else argv)}\n")
    benches = dict(parse=lambda: bench_parse(args.archive, args.repeat),
                   cache=lambda: bench_cache(args.archive, args.repeat), e2e=lambda: bench_e2e(args.archive))
    for name in args.only.split(","):
        print(benches[name.strip()](), end="\n\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
