"""Command line: ``zzanalysis info|articles|export|run|report`` and ``zzanalysis --version``.

``info`` and ``articles`` print or write tables; ``export DATA --tables … --format csv|xlsx|parquet
-o DIR`` writes the corpus's tables for spreadsheets and scripts; ``run DATA -o OUT`` executes the
notebooks on a folder of pages; ``report DATA -o report.html`` makes one self-contained HTML file.

A bad file never produces a traceback: each gets one line ``path:line: error: reason`` on stderr,
the good files are still processed, and the exit status is 1. Oddities in files that were read
(a duplicate dropped, a masthead date that disagrees with the file name) get a ``warning`` line
and leave the status 0. Nothing to read at all (no such path, a folder without page files) and
an output that cannot be written are status 2.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from .loader import read_corpus

FORMATS = ("table", "csv", "jsonl", "parquet")


def _load(paths: list[str]):
    corpus = read_corpus(paths, errors="skip")
    # info rows (a jump to a page not given) say nothing wrong about a file: stderr stays for trouble
    for p in corpus.problems[corpus.problems["severity"] != "info"].itertuples():
        where = p.path if pd.isna(p.line) else f"{p.path}:{p.line}"
        reason = " ".join(str(p.reason).split())  # one line per problem, whatever the reason holds
        print(f"{where}: {p.severity}: {reason}", file=sys.stderr)
    bad = int((corpus.problems["severity"] == "error").sum())
    return corpus, bad


def _info(corpus) -> str:
    rows = []
    for issue in corpus.issues.itertuples():
        arts = corpus.articles[(corpus.articles["issue_id"] == issue.issue_id) & (corpus.articles["page"] == issue.page)]
        kinds = arts["kind"].value_counts().sort_index()
        rows.append(dict(
            page_id=issue.page_id, paper=issue.paper, date=f"{issue.date:%Y-%m-%d}", weekday=issue.weekday,
            lunar_date=issue.lunar_date, issue_no=issue.issue_no, page=issue.page,
            pages_total=issue.pages_total, articles=" ".join(f"{k}:{n}" for k, n in kinds.items()),
            paragraphs=int(corpus.paragraphs["article_id"].isin(arts["article_id"]).sum()),
            chars=issue.n_chars, path=issue.source_path,
        ))
    if not rows:
        return "no readable pages"
    return pd.DataFrame(rows).to_string(index=False)


def _write_articles(articles: pd.DataFrame, fmt: str, out: str | None) -> None:
    if fmt == "parquet":
        if out is None:
            raise SystemExit("zzanalysis: --format parquet needs -o OUT")
        articles.to_parquet(out, index=False)
        return
    if fmt == "table":
        cols = ["article_id", "kind", "headline", "source", "reporters", "n_paragraphs", "n_chars"]
        text = articles[cols].to_string(index=False) + "\n"
    elif fmt == "csv":
        flat = articles.assign(**{c: articles[c].map("、".join) for c in ("reporters", "correspondents")})
        text = flat.to_csv(index=False, date_format="%Y-%m-%d")
    else:
        text = articles.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")


def _export(corpus, args) -> int:
    from .export import TABLES, export_tables

    tables = [t.strip() for t in args.tables.split(",") if t.strip()]
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        print(f"zzanalysis: unknown table(s) {', '.join(unknown)}; known: {', '.join(TABLES)}", file=sys.stderr)
        return 2
    written, missing = export_tables(corpus, args.output, tables=tables, format=args.format)
    for path in written:
        print(path)
    for name, reason in missing.items():
        print(f"zzanalysis: {name} not written: {reason}", file=sys.stderr)
    return 1 if missing else 0


def _notebooks(args) -> int:
    """``run`` and ``report``: the notebooks executed on DATA (papermill), the report built from them."""
    # On the command line a relative path is from the working directory, as in every shell tool.
    data = os.path.abspath(args.data)
    try:
        if args.command == "run":
            from .runner import run_notebooks

            run_notebooks(data, args.output)
        else:
            from .report import build_report

            path = build_report(data, args.output)
            print(f"wrote {path}", file=sys.stderr)
    except (FileNotFoundError, NotADirectoryError) as e:
        print(f"zzanalysis: {e}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``zzanalysis`` command; returns the exit status."""
    from ._version import __version__

    parser = argparse.ArgumentParser(prog="zzanalysis", description="Zhuzhou Daily pages as tables.")
    parser.add_argument("--version", action="version", version=f"zzanalysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="issue meta and counts per page file")
    info.add_argument("paths", nargs="+", metavar="PATH", help="page files, folders or globs")
    arts = sub.add_parser("articles", help="the articles table")
    arts.add_argument("paths", nargs="+", metavar="PATH", help="page files, folders or globs")
    arts.add_argument("--format", choices=FORMATS, default="table")
    arts.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output")
    exp = sub.add_parser("export", help="write tables as csv, xlsx or parquet files")
    exp.add_argument("paths", nargs="+", metavar="DATA", help="page files, folders or globs")
    exp.add_argument("--tables", default="articles,paragraphs,tokens,mentions,indicators",
                     help="comma-separated: articles,paragraphs,stories,tokens,mentions,indicators")
    exp.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv")
    exp.add_argument("-o", "--output", metavar="DIR", required=True, help="folder for NAME.FORMAT files")
    run = sub.add_parser("run", help="execute the notebooks on a folder of pages")
    run.add_argument("data", metavar="DATA", help="folder of page files")
    run.add_argument("-o", "--output", metavar="OUT", required=True, help="folder for executed notebooks and figures")
    rep = sub.add_parser("report", help="one self-contained HTML report of the notebooks on a folder of pages")
    rep.add_argument("data", metavar="DATA", help="folder of page files")
    rep.add_argument("-o", "--output", metavar="HTML", default="report.html")
    args = parser.parse_args(argv)
    if args.command in ("run", "report"):
        return _notebooks(args)
    try:
        corpus, bad = _load(args.paths)
    except FileNotFoundError as e:
        print(f"zzanalysis: {e}", file=sys.stderr)
        return 2
    if not len(corpus.issues) and not len(corpus.problems):
        print(f"zzanalysis: no page files (.md, .markdown, .txt) in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    try:
        if args.command == "info":
            print(_info(corpus))
        elif args.command == "export":
            return max(_export(corpus, args), 1 if bad else 0)
        else:
            _write_articles(corpus.articles, args.format, args.output)
        sys.stdout.flush()
    except BrokenPipeError:
        # "zzanalysis articles … | head": the reader has gone; say nothing more, like cat does.
        # (Point stdout at devnull so the interpreter's final flush does not complain either.)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1 if bad else 0
    except OSError as e:
        print(f"zzanalysis: cannot write {args.output or 'output'}: {e.strerror or e}", file=sys.stderr)
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
