"""Write a synthetic archive of page files for benchmarks: N years, 8 pages a day.

Every page is made by recombining and varying the articles of ``data/raw`` (paragraphs
shuffled and borrowed between articles, numbers changed, datelines moved to the day before the
issue). Dates, weekdays and issue numbers are real: the paper's 第23288期 is 2023-04-27 and it
comes out every day. Pages are ~19 KB, ~150 KB an issue, like the printed paper.

The text is NOT the newspaper: each page carries the line ``【合成数据，仅供测试】`` (it lands in
the issue's ``extras``) and the output folder gets a ``README`` saying so. Never write it into
``data/raw``; use the git-ignored ``benchmarks/out/`` or /tmp.

    python benchmarks/make_archive.py --years 1 --out benchmarks/out/archive-1y --seed 0

Output: ``DIR/YYYY/MM/zzrb-YYYY-MM-DD-pNN.md``. The same seed gives the same bytes, and the
first year of a 2-year archive is the 1-year archive.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SYNTHETIC_MARK = "【合成数据，仅供测试】"
ANCHOR = (dt.date(2023, 4, 27), 23288)  # 第23288期 is the issue of 2023-04-27
PAGES = 8
PAGE_BYTES = 150_000 // PAGES
PAGE_NAMES = ["要闻", "要闻", "综合", "经济", "民生", "县域", "文化", "副刊"]
WEEKDAYS = "一二三四五六日"
FOOTER = "扫一扫关注株洲日报社新媒体"
# Numbers to vary: not years, dates, issue or page numbers ("2023年", "4月26日", "第23288期").
NUMBER_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]|年|月|日|期|版|号|届|次|\s*版)")
DATELINE_RE = re.compile(r"\d{1,2}月\d{1,2}日")
README = f"""Synthetic archive of the Zhuzhou Daily (株洲日报) — FOR BENCHMARKS AND TESTS ONLY.

Written by benchmarks/make_archive.py by recombining and varying the paragraphs of data/raw.
Dates, weekdays and issue numbers are real; the articles, numbers and their combinations are
not. Every page says so in the line {SYNTHETIC_MARK}. Do not analyse, publish or copy into data/raw.
"""


def source_articles(raw: Path = RAW) -> list[dict]:
    """The articles of the sample pages, as the parts a page is written from."""
    sys.path.insert(0, str(ROOT))
    import zzanalysis as zz

    corpus = zz.read_corpus(raw, cache=False)
    paras = corpus.paragraphs.groupby("article_id", sort=False)
    arts = []
    for a in corpus.articles.itertuples():
        if a.kind != "article" or a.article_id not in paras.groups or not isinstance(a.byline, str):
            continue
        p = paras.get_group(a.article_id)
        arts.append(dict(
            column=a.column if isinstance(a.column, str) else None,
            kicker=a.kicker if isinstance(a.kicker, str) else None,
            headline=a.headline,
            subtitle=a.subtitle if isinstance(a.subtitle, str) else None,
            byline=a.byline,
            inline=a.byline.endswith(("，", "）")) or "（" in a.byline,
            paras=list(zip(p["role"], p["text"])),
        ))
    return arts


def _vary_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(1)
        if "." in s:
            whole, frac = s.split(".")
            v = float(s) * rng.uniform(0.6, 1.6)
            return f"{v:.{len(frac)}f}"
        v = int(s)
        if v < 10:
            return str(max(1, min(9, v + rng.randint(-2, 2))))
        return str(max(10, round(v * rng.uniform(0.6, 1.6))))

    return NUMBER_RE.sub(repl, text)


def _body(art: dict, pool: list[dict], rng: random.Random) -> list[tuple[str, str]]:
    """The article's paragraphs shuffled (lead kept first), a few borrowed from others."""
    lead, rest = art["paras"][0], list(art["paras"][1:])
    for _ in range(rng.randint(0, 3)):
        other = rng.choice(pool)
        rest.append(rng.choice(other["paras"]))
    rng.shuffle(rest)
    body = [lead] + rest
    # A subhead as the last line would read as the next article's column (### before ##), and a
    # last paragraph that does not end a sentence could read as its kicker: end on a full stop.
    while body and (body[-1][0] == "subhead" or not body[-1][1].endswith(("。", "！", "？", "”"))):
        body.pop()
    return body or [lead]


def _article(art: dict, pool: list[dict], day: dt.date, rng: random.Random) -> list[str]:
    prev = day - dt.timedelta(days=1)
    dateline = f"{prev.month}月{prev.day}日"
    lines = []
    if art["column"]:
        lines.append(f"### {art['column']}")
    if art["kicker"]:
        lines.append(art["kicker"])
    lines.append(f"## {_vary_numbers(art['headline'], rng)}")
    if art["subtitle"]:
        lines.append(f"### {art['subtitle']}")
    body = _body(art, pool, rng)
    texts = []
    for role, text in body:
        text = _vary_numbers(text, rng)
        texts.append(f"### {text}" if role == "subhead" else text)
    byline = DATELINE_RE.sub(dateline, art["byline"])
    if art["inline"] and not texts[0].startswith("###"):
        texts[0] = byline + texts[0]
    else:
        lines.append(byline)
    lines += texts
    return lines


def page_text(day: dt.date, page: int, articles: list[dict], rng: random.Random) -> str:
    """One page: masthead (front page) or page header, the synthetic mark, articles, footer."""
    weekday = f"星期{WEEKDAYS[day.weekday()]}"
    date_line = f"{day.year}年{day.month}月{day.day}日 {weekday}"
    if page == 1:
        issue_no = ANCHOR[1] + (day - ANCHOR[0]).days
        head = ["# 株洲日报", SYNTHETIC_MARK, date_line, f"第{issue_no}期 今日{PAGES}版",
                "中共株洲市委主管、主办 国内统一连续出版物号CN 43-0005"]
    else:
        head = [SYNTHETIC_MARK, f"{date_line} {page:02d}版 {PAGE_NAMES[page - 1]}"]
    lines = list(head)
    size = 0
    target = PAGE_BYTES * rng.uniform(0.9, 1.1)
    while size < target:
        block = _article(rng.choice(articles), articles, day, rng)
        lines += block
        size += sum(len(line.encode("utf-8")) + 2 for line in block)
    lines.append(FOOTER)
    return "\n\n".join(lines) + "\n"


def make_archive(out: Path, *, days: int, seed: int = 0, start: dt.date = dt.date(2023, 1, 1),
                 pages: int = PAGES) -> list[Path]:
    """Write ``days`` × ``pages`` page files under ``out``; returns their paths."""
    out = Path(out).resolve()
    if RAW.resolve() in (out, *out.parents):
        raise SystemExit(f"refusing to write synthetic pages into {RAW}")
    articles = source_articles()
    out.mkdir(parents=True, exist_ok=True)
    (out / "README").write_text(README, encoding="utf-8")
    paths = []
    for k in range(days):
        day = start + dt.timedelta(days=k)
        folder = out / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        for page in range(1, pages + 1):
            # One generator per page, seeded by (seed, date, page): any page can be rebuilt alone,
            # and a longer archive starts with the shorter one.
            rng = random.Random(f"{seed}-{day.isoformat()}-{page}")
            path = folder / f"zzrb-{day:%Y-%m-%d}-p{page:02d}.md"
            path.write_text(page_text(day, page, articles, rng), encoding="utf-8")
            paths.append(path)
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--years", type=float, required=True, help="years of pages (365 days each; 0.1 = 36 days)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (not data/raw)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2023, 1, 1))
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    paths = make_archive(args.out, days=max(1, round(365 * args.years)), seed=args.seed, start=args.start)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} pages, {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
