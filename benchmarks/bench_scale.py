"""Scale benchmarks of issue 7, printed as Markdown tables.

    python benchmarks/make_archive.py --years 1 --out benchmarks/out/archive-1y
    python benchmarks/bench_scale.py --archive benchmarks/out/archive-1y [--only parse,cache,e2e,pipeline]

Every figure is measured --repeat times (default 3; min / median printed) beside its floor,
measured in the same run:

* parse  — parse throughput (MB/s of page files) with 1 and 2 processes; floors: reading and
           decoding the files (decode_page) for one process, twice one process for two.
* cache  — cold load (parse and write the cache) against a reload of the unchanged archive from
           the Parquet cache (floor: reading the cache's three Parquet tables into pandas alone,
           interleaved with the reloads), and a reload after one file changed.
* e2e    — the archive end to end: read, tokenize, term frequency, industry mentions,
           indicators; wall time per step and peak memory (RSS of the process and its workers,
           sampled every 20 ms) with 1 and 2 processes (floor: twice one process). Each run
           is a fresh interpreter.
* pipeline — the same analyses through ``zz.run_pipeline``: one pool for reading and the steps,
           dictionaries loaded once per worker, compact results; 1 and 2 processes interleaved,
           wall, CPU and peak memory summed over all processes (floor: twice one process).

The tokenizer's own benchmark against jieba is benchmarks/bench_tokenize.py.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
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
    """CPU seconds of this process, of its finished children (spawned pool workers) and of the
    multiprocessing fork server with its finished children (read_corpus's parse workers)."""
    t = os.times()  # its own CPU from process_time: os.times counts in 10 ms ticks
    return time.process_time() + t.children_user + t.children_system + _forkserver_cpu()


def _forkserver_cpu() -> float:
    from multiprocessing import forkserver

    import psutil

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)  # private: no public way to it
    if pid is None:
        return 0.0
    try:
        c = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return c.user + c.system + c.children_user + c.children_system


def _runs(f, repeat: int) -> list[tuple[float, float]]:
    """``(wall seconds, CPU seconds of all processes)`` of each of ``repeat`` runs of ``f``."""
    runs = []
    for _ in range(repeat):
        t, c = time.perf_counter(), _cpu()
        f()
        runs.append((time.perf_counter() - t, _cpu() - c))
    return runs


def _min_med(values: list[float], fmt: str = "{:.2f}") -> str:
    """``min / median`` of ``values``, as the tables print them."""
    return f"{fmt.format(min(values))} / {fmt.format(statistics.median(values))}"


def bench_parse(archive: Path, repeat: int) -> str:
    """Parse throughput of ``read_corpus`` (no cache) beside its floors: reading and decoding the
    same files for one process, twice the one-process speed for two."""
    import zzanalysis as zz
    from zzanalysis.decode import decode_page
    from zzanalysis.loader import page_files

    files = page_files(archive)
    mb = sum(p.stat().st_size for p in files) / 1e6
    floor = _runs(lambda: [decode_page(p.read_bytes()) for p in files], repeat)
    floor_rate = mb / min(c for _, c in floor)
    rows = []
    raw = _runs(lambda: [p.read_bytes() for p in files], repeat)
    for name, runs in (("read the files (bytes)", raw), ("**floor**: read + decode (decode_page)", floor)):
        rows.append([name, _min_med([w for w, _ in runs]), _min_med([c for _, c in runs]),
                     f"{mb / min(c for _, c in runs):.0f}", "", ""])
    walls = {}
    for n in (1, 2):
        runs = _runs(lambda: zz.read_corpus(archive, cache=False, n_jobs=n, progress=False), repeat)
        walls[n] = [w for w, _ in runs]
        per_cpu = mb / min(c for _, c in runs)
        if n == 1:
            floor_txt = f"read + decode: {floor_rate:.0f} MB/s per CPU-s"
            against = f"{per_cpu / floor_rate:.1%} of the floor"
        else:
            floor_txt = f"2 × one process: {2 * mb / min(walls[1]):.1f} MB/s (2.00×)"
            against = (f"{min(walls[1]) / min(walls[2]):.2f}× one process "
                       f"(median {statistics.median(walls[1]) / statistics.median(walls[2]):.2f}×)")
        rows.append([f"read_corpus, n_jobs={n}, no cache", _min_med(walls[n]), _min_med([c for _, c in runs]),
                     f"{per_cpu:.1f} (wall: {mb / min(walls[n]):.1f})", floor_txt, against])
    return (f"**Parse throughput** — {len(files)} page files, {mb:.1f} MB; {repeat} runs each, min / median; "
            f"CPU = seconds of CPU used by the process and its workers; MB/s from the fastest run\n\n"
            + _table(["step", "wall s", "CPU s", "MB/s per CPU-second", "floor", "figure against the floor"], rows))


def bench_cache(archive: Path, repeat: int) -> str:
    """Cold load, cached reload and reload after one change; the reload beside its floor, reading
    the cache's Parquet files into pandas alone, measured in the same runs."""
    import pyarrow.parquet as pq

    import zzanalysis as zz
    from zzanalysis.loader import page_files

    rows = []
    with tempfile.TemporaryDirectory(prefix="zz-bench-cache-") as cache:
        os.environ["ZZ_CACHE_DIR"] = cache
        work = Path(cache) / "archive"
        # a private copy: the changed-file run must not touch the archive
        subprocess.run(["cp", "-r", str(archive), str(work)], check=True)
        files = page_files(work)
        colds = {}
        for n in (1, 2):
            def cold_load():
                for f in Path(cache).glob("corpus/*"):
                    f.unlink()
                zz.read_corpus(work, n_jobs=n, progress=False)

            colds[n] = [w for w, _ in _runs(cold_load, repeat)]
        cold = min(min(v) for v in colds.values())
        rows.append(["cold: parse + write cache, n_jobs=1", _min_med(colds[1]), "", "", ""])
        rows.append(["cold: parse + write cache, n_jobs=2", _min_med(colds[2]), "",
                     f"2 × one process: {min(colds[1]) / 2:.2f} s",
                     f"{min(colds[1]) / min(colds[2]):.2f}× one process"])
        from zzanalysis.loader import _SNAPSHOT_TABLES, _corpus_cache, _latest_key

        store = _corpus_cache(work, files)
        snapshot = str(store.get(_latest_key(store, work, None))["snapshot"].iloc[0])
        tables = [store.path(f"{snapshot}-{name}") for name in _SNAPSHOT_TABLES]
        warm, floor, warm_cpu, floor_cpu = [], [], [], []
        for _ in range(repeat):  # interleaved, so both see the same machine
            t, c = time.perf_counter(), time.process_time()
            for f in tables:
                pq.read_table(f).to_pandas()
            floor.append(time.perf_counter() - t)
            floor_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            zz.read_corpus(work, progress=False)
            warm.append(time.perf_counter() - t)
            warm_cpu.append(time.process_time() - c)
        size = sum(f.stat().st_size for f in tables) / 1e6
        rows.append(["reload, unchanged archive (cache hit)", _min_med(warm, "{:.3f}"), f"{cold / min(warm):.0f}×",
                     f"read the cached Parquet alone: {_min_med(floor, '{:.3f}')} s "
                     f"(CPU {_min_med(floor_cpu, '{:.3f}')} s; reload CPU {_min_med(warm_cpu, '{:.3f}')} s)",
                     f"{min(warm) / min(floor):.2f}× the floor (min / min), "
                     f"{statistics.median(warm) / statistics.median(floor):.2f}× (median / median); "
                     f"CPU {min(warm_cpu) / min(floor_cpu):.2f}× (min / min)"])
        page = files[len(files) // 2]
        page.write_text(page.read_text(encoding="utf-8").replace("株洲", "株州", 1), encoding="utf-8")
        t = time.perf_counter()
        zz.read_corpus(work, progress=False)
        one = time.perf_counter() - t
        rows.append(["reload, one file changed (parsed alone)", f"{one:.3f}", f"{cold / one:.0f}×", "", ""])
        n_cached = len(zz.read_corpus(work, progress=False).issues)
        assert n_cached == len(files), (n_cached, len(files))
    return (f"**Cached reload vs cold load** — {len(files)} files; cache {size:.0f} MB of Parquet (3 tables); "
            f"{repeat} runs each, min / median; speed-up against the fastest cold load\n\n"
            + _table(["load", "seconds", "speed-up", "floor", "figure against the floor"], rows))


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


def _pipeline_child(archive: str, n_jobs: int) -> dict:
    """One ``run_pipeline`` (in a fresh interpreter): wall and CPU seconds and the result's sizes."""
    import zzanalysis as zz

    t, c = time.perf_counter(), _cpu()
    run = zz.run_pipeline(archive, n_jobs=n_jobs, cache=False, progress=False)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    sizes = dict(pages=len(run.corpus.issues), problems=len(run.corpus.problems),
                 paragraphs=len(run.corpus.paragraphs), tokens=int(run.terms["count"].sum()), terms=len(run.terms),
                 mentions=len(run.mentions), indicators=len(run.indicators))
    return dict(wall=wall, cpu=cpu, sizes=sizes)


def bench_pipeline(archive: Path, repeat: int) -> str:
    """``zz.run_pipeline`` (one pool for reading and the steps) with 1 and 2 processes, ``repeat``
    fresh interpreters each, interleaved; floor of 2 processes: twice the speed of one."""
    from zzanalysis.loader import page_files

    mb = sum(p.stat().st_size for p in page_files(archive)) / 1e6
    runs: dict[int, list] = {1: [], 2: []}
    for _ in range(repeat):  # interleaved, so both see the same machine
        for n in (1, 2):
            runs[n].append(_run_measured([sys.executable, __file__, "--archive", str(archive),
                                          "--pipeline-child", str(n)]))
    wall = {n: [r[0]["wall"] for r in rs] for n, rs in runs.items()}
    cpu = {n: [r[0]["cpu"] for r in rs] for n, rs in runs.items()}
    peak = {n: [r[1] for r in rs] for n, rs in runs.items()}
    sizes = runs[1][0][0]["sizes"]
    assert all(r[0]["sizes"] == sizes for rs in runs.values() for r in rs), "results differ between runs"
    rows = [["run_pipeline, n_jobs=1", _min_med(wall[1], "{:.1f}"), _min_med(cpu[1], "{:.1f}"),
             _min_med(peak[1]), "", ""],
            ["run_pipeline, n_jobs=2", _min_med(wall[2], "{:.1f}"), _min_med(cpu[2], "{:.1f}"), _min_med(peak[2]),
             f"2 × one process: {min(wall[1]) / 2:.1f} s (2.00×)",
             f"{min(wall[1]) / min(wall[2]):.2f}× one process (median "
             f"{statistics.median(wall[1]) / statistics.median(wall[2]):.2f}×)"]]
    return (f"**End to end in one pool** (`zz.run_pipeline(archive, n_jobs=n, cache=False)`) — {mb:.0f} MB: "
            f"{sizes['pages']} pages ({sizes['problems']} problems), {sizes['paragraphs']} paragraphs → "
            f"{sizes['tokens']} tokens, {sizes['terms']} distinct terms, {sizes['mentions']} industry mentions, "
            f"{sizes['indicators']} indicators; {repeat} fresh interpreters each, 1 and 2 processes interleaved, "
            f"min / median; CPU and memory of the process, its fork server and workers\n\n"
            + _table(["run", "wall s", "CPU s", "peak GB, all processes", "floor", "figure against the floor"], rows)
            + f"\n\nLoad average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


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


def bench_e2e(archive: Path, repeat: int) -> str:
    """The by-month pipeline with 1 and 2 processes, ``repeat`` fresh interpreters each; the table
    shows the fastest run of each, the floor of 2 processes is twice the speed of one."""
    from zzanalysis.loader import page_files

    mb = sum(p.stat().st_size for p in page_files(archive)) / 1e6
    all_runs = {n: [_run_measured([sys.executable, __file__, "--archive", str(archive), "--e2e-child", str(n)])
                    for _ in range(repeat)] for n in (1, 2)}
    runs = {n: min(r, key=lambda run: run[0]["steps"]["total"]) for n, r in all_runs.items()}
    totals = {n: [run[0]["steps"]["total"] for run in r] for n, r in all_runs.items()}
    steps = list(runs[1][0]["steps"])
    rows = [[s, *(f"{runs[n][0]['steps'][s]:.1f}" for n in (1, 2)),
             f"{runs[1][0]['steps'][s] / runs[2][0]['steps'][s]:.2f}×", "2.00×",
             *(f"{runs[n][0]['cpu'][s]:.1f}" for n in (1, 2)),
             *(f"{runs[n][0]['peak'][s]:.2f}" for n in (1, 2))] for s in steps]
    rows.append(["total, min / median of the runs", *(_min_med(totals[n], "{:.1f}") for n in (1, 2)),
                 f"{min(totals[1]) / min(totals[2]):.2f}× / "
                 f"{statistics.median(totals[1]) / statistics.median(totals[2]):.2f}×", "2.00×", "", "", "", ""])
    rows.append(["peak memory, all processes (GB)", *(f"{runs[n][1]:.2f}" for n in (1, 2)), "", "", "", "", "", ""])
    sizes = runs[1][0]["sizes"]
    assert sizes == runs[2][0]["sizes"], (sizes, runs[2][0]["sizes"])
    inner = " · ".join(f"{k} {v:.1f} s" for k, v in runs[1][0]["inner"].items())
    return (f"**End to end** — {mb:.0f} MB: {sizes['pages']} pages ({sizes['problems']} problems), "
            f"{sizes['paragraphs']} paragraphs → "
            f"{sizes['tokens']} tokens, {sizes['terms']} distinct terms, {sizes['mentions']} industry mentions, "
            f"{sizes['indicators']} indicators (no caches; fastest of {repeat} runs per column; CPU inside the "
            f"by-month step with 1 process: {inner})\n\n"
            + _table(["step", "wall s, 1 proc", "wall s, 2 procs", "speed-up", "floor (2 × one process)",
                      "CPU s, 1 proc", "CPU s, 2 procs", "peak GB in step (main process), 1 proc", "… 2 procs"], rows)
            + f"\n\nLoad average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, required=True, help="folder of page files (make_archive.py)")
    ap.add_argument("--only", default="parse,cache,e2e,pipeline", help="comma-separated: parse, cache, e2e, pipeline")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (min and median are printed)")
    ap.add_argument("--e2e-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--pipeline-child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.e2e_child:
        print(json.dumps(_e2e_child(str(args.archive), args.e2e_child)))
        return 0
    if args.pipeline_child:
        print(json.dumps(_pipeline_child(str(args.archive), args.pipeline_child)))
        return 0
    print(f"Machine: {_machine()}\n")
    print(f"Command: python benchmarks/bench_scale.py {' '.join(sys.argv[1:] if argv is None else argv)}\n")
    benches = dict(parse=lambda: bench_parse(args.archive, args.repeat),
                   cache=lambda: bench_cache(args.archive, args.repeat), e2e=lambda: bench_e2e(args.archive, args.repeat),
                   pipeline=lambda: bench_pipeline(args.archive, args.repeat))
    for name in args.only.split(","):
        print(benches[name.strip()](), end="\n\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
