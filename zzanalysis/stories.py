"""Article fragments → stories: a fragment ending ``▶下转02版①`` and the fragment on page 2 of
the same issue marked ``▶上接01版①`` are one story.

A story's id is the ``article_id`` of its first fragment, so a one-fragment article is its own
story and ids stay stable when pages are added to a corpus (unless the added page holds the
start of a story that so far began on a later page). Jumps are matched on their printed
markers only: the target page, and the circled number where the paper prints one
(``02版①`` ↔ ``01版①``, ``第2版`` ↔ ``第1版``). A jump whose other end is not in the corpus,
or has no matching marker, or matches more than one fragment, links nothing and is reported.
"""
from __future__ import annotations

import re

import pandas as pd

# "02版①", "第2版", "2版" (page.py keeps the marker as printed, without 下转/上接)
_MARKER_RE = re.compile(r"^第?0{0,2}(?P<page>[1-9]\d{0,2})版(?P<slot>[①-⑳]?)$")

STORY_COLUMNS = ["story_id", "issue_id", "date", "headline", "pages", "article_ids", "text", "n_chars",
                 "n_paragraphs", "n_fragments"]
# Taken from the story's first fragment; continued_to is the last fragment's (the story's open end).
_NOT_METADATA = {"article_id", "page", "text", "n_chars", "n_paragraphs", "story_id", *STORY_COLUMNS}


def _marker(value) -> tuple[int, str] | None:
    if not isinstance(value, str):
        return None
    m = _MARKER_RE.match(value.strip())
    return (int(m["page"]), m["slot"]) if m else None


def link_fragments(articles: pd.DataFrame) -> tuple[pd.Series, list[dict]]:
    """Match the jumps of ``articles`` and name each fragment's story.

    Args:
        articles: the ``articles`` table (``article_id, issue_id, page, kind, continued_to,
            continued_from`` are used), in reading order (date, page, position).

    Returns:
        ``(story_id, unmatched)``: a Series aligned with ``articles`` holding each fragment's
        story id, and one dict per jump that links nothing: ``article_id``, ``marker`` (``下转02版①``
        or ``上接01版①``) and ``reason``, in the order of the articles.
    """
    ids = articles["article_id"].tolist()
    nxt, unmatched = _match(articles)
    story = dict(zip(ids, ids))
    for head, chain in _chains(nxt).items():
        for aid in chain:
            story[aid] = head
    order = {aid: k for k, aid in enumerate(ids)}
    unmatched.sort(key=lambda u: (order[u["article_id"]], u["marker"]))
    return pd.Series([story[aid] for aid in ids], index=articles.index, name="story_id", dtype="str"), unmatched


def _match(articles: pd.DataFrame) -> tuple[dict[str, str], list[dict]]:
    """``{article_id: the article_id it continues on}`` for every jump matched one to one, and the
    jumps left unmatched (see :func:`link_fragments`)."""
    # Only fragments with a jump take part; the rest (nearly all) are their own story.
    # The mask picks from the six columns read, not the whole table: taking rows of the text
    # columns (a year's text, in Arrow) was most of linking's time.
    jumps = articles[["article_id", "issue_id", "page", "kind", "continued_to", "continued_from"]]
    jumps = jumps[(jumps["continued_to"].notna() | jumps["continued_from"].notna()).to_numpy()]
    outgoing: dict[tuple, list[str]] = {}
    incoming: dict[tuple, list[str]] = {}
    unmatched: list[dict] = []
    for row in jumps.itertuples(index=False):
        if isinstance(row.continued_to, str) and row.kind != "teaser":  # a teaser points, it does not jump
            if (to := _marker(row.continued_to)) is None:
                unmatched.append(dict(article_id=row.article_id, marker=f"下转{row.continued_to}",
                                      reason="cannot read the target page of the jump"))
            else:
                outgoing.setdefault((row.issue_id, row.page, *to), []).append(row.article_id)
        if isinstance(row.continued_from, str):
            if (frm := _marker(row.continued_from)) is None:
                unmatched.append(dict(article_id=row.article_id, marker=f"上接{row.continued_from}",
                                      reason="cannot read the source page of the jump"))
            else:
                incoming.setdefault((row.issue_id, frm[0], row.page, frm[1]), []).append(row.article_id)
    pages = set(zip(articles["issue_id"], articles["page"]))
    nxt: dict[str, str] = {}
    for key in outgoing.keys() | incoming.keys():
        issue_id, page, to_page, slot = key
        sources, targets = outgoing.get(key, []), incoming.get(key, [])
        if len(sources) == 1 and len(targets) == 1:
            nxt[sources[0]] = targets[0]
            continue
        if sources and targets:
            reason = (f"{len(sources)} fragments on page {page} jump to {to_page:02d}版{slot} and "
                      f"{len(targets)} on page {to_page} continue from {page:02d}版{slot}: not joined")
            reasons = (reason, reason)
        else:
            reasons = (
                f"no fragment on page {to_page} of {issue_id} is marked 上接{page:02d}版{slot}"
                if (issue_id, to_page) in pages else f"page {to_page} of {issue_id} is not in the corpus",
                f"no fragment on page {page} of {issue_id} ends with 下转{to_page:02d}版{slot}"
                if (issue_id, page) in pages else f"page {page} of {issue_id} is not in the corpus",
            )
        unmatched += [dict(article_id=aid, marker=f"下转{to_page:02d}版{slot}", reason=reasons[0]) for aid in sources]
        unmatched += [dict(article_id=aid, marker=f"上接{page:02d}版{slot}", reason=reasons[1]) for aid in targets]
    return nxt, unmatched


def _chains(nxt: dict[str, str]) -> dict[str, list[str]]:
    """``{first fragment: all fragments of its story in reading order}`` for the joined stories.
    Fragments that jump in a circle (a damaged page) have no first fragment and stay alone."""
    chains = {}
    for head in nxt.keys() - set(nxt.values()):
        chain, aid = [head], head
        while (aid := nxt.get(aid)) is not None and aid not in chain:
            chain.append(aid)
        chains[head] = chain
    return chains


def build_stories(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per story from an ``articles`` table that has ``story_id``.

    Args:
        articles: the ``articles`` table with ``story_id`` (as :func:`zzanalysis.read_corpus`
            gives it), in reading order.

    Returns:
        A new DataFrame, one row per story in the order of the first fragments: ``story_id,
        issue_id, date, headline`` (the first fragment's), ``pages`` (list of page numbers in
        reading order), ``article_ids`` (list), ``text`` (the fragments' texts joined with
        ``\\n`` in reading order, so ``text.split('\\n')[k-1]`` is paragraph k of the story),
        ``n_chars``, ``n_paragraphs``, ``n_fragments``, then the first fragment's other columns
        (``position, kind, column, source, reporters`` …) and ``continued_to`` of the last one.

    Example:
        >>> corpus = zz.read_corpus(["data/raw", "archive/2023-04-27"])  # doctest: +SKIP
        >>> corpus.stories.loc[0, ["headline", "pages"]]  # doctest: +SKIP
    """
    meta = [c for c in articles.columns if c not in _NOT_METADATA]
    order = pd.RangeIndex(len(articles))  # a story sits where its first fragment sits
    joined = articles["story_id"].duplicated(keep=False).to_numpy()
    single = articles.loc[~joined]
    frame = pd.DataFrame({
        "story_id": single["story_id"].to_numpy(), "issue_id": single["issue_id"].to_numpy(),
        "date": single["date"].to_numpy(), "headline": single["headline"].to_numpy(),
        "pages": [[p] for p in single["page"].tolist()], "article_ids": [[a] for a in single["article_id"].tolist()],
        "text": single["text"].to_numpy(), "n_chars": single["n_chars"].to_numpy(),
        "n_paragraphs": single["n_paragraphs"].to_numpy(), "n_fragments": 1,
        **{col: single[col].to_numpy() for col in meta},
        "_order": order[~joined],
    })
    if joined.any():
        many = articles.loc[joined].assign(_order=order[joined])
        # reading order is the order of the jumps, which need not be the order of the pages
        chains = _chains(_match(many)[0])
        rows = many.set_index("article_id")
        stories = []
        for sid, ids in many.groupby("story_id", sort=False)["article_id"]:
            # a story_id given by the caller rather than by the markers: its fragments in table order
            part = rows.loc[chains[sid] if sid in chains and len(chains[sid]) == len(ids) else ids.tolist()]
            head = part.iloc[0]
            texts = [t for t in part["text"].tolist() if isinstance(t, str) and t]
            stories.append(dict(
                story_id=sid, issue_id=head["issue_id"], date=head["date"], headline=head["headline"],
                pages=part["page"].tolist(), article_ids=part.index.tolist(), text="\n".join(texts),
                n_chars=int(part["n_chars"].sum()), n_paragraphs=int(part["n_paragraphs"].sum()),
                n_fragments=len(part), **{col: head[col] for col in meta}, _order=head["_order"],
            ))
            if "continued_to" in meta:
                stories[-1]["continued_to"] = part["continued_to"].iloc[-1]
        frame = pd.concat([frame, pd.DataFrame(stories, columns=frame.columns)], ignore_index=True)
    frame = frame.sort_values("_order", kind="stable", ignore_index=True).drop(columns="_order")
    return frame.astype({"date": articles["date"].dtype, "n_chars": "int64", "n_paragraphs": "int64",
                         "n_fragments": "int64"})
