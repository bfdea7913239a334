"""``zz.explore(corpus)``: an ipywidgets app to explore a corpus in JupyterLab.

Three tabs, each a small form whose callback recomputes plain DataFrames (kept as attributes, so
a script or a test can read exactly what the app shows) and redraws its output:

- 词语 (term): a word or a regular expression → matches per month, per page and per section,
  and a KWIC table whose rows name the article (``article_id``, ``headline``);
- 产业 (industry): an industry of the taxonomy → its mentions with their sentences, the top
  terms of the articles that mention it, and the industries mentioned with it;
- 数字 (indicators): kind, category, unit and subject text → the matching figures and a chart.

ipywidgets is part of the ``notebooks`` extra and is imported when an explorer is made.
"""
from __future__ import annotations

import html
import re

import pandas as pd

ALL = "（全部）"
TABLE_ROWS = 20


class Explorer:
    """The explorer's state, widgets and callbacks; display it (or ``.app``) in a notebook.

    Attributes (recomputed by the callbacks):
        term_kwic: ``article_id, headline, date, page, para_no, left, match, right`` for the term.
        term_trend: ``month, matches, chars, per_10k_chars``: matches per month, relative to the
            text of that month (every month from the first to the last issue listed).
        term_by_page: ``page, matches``; term_by_section: ``section, matches`` (when the issues
            carry a section).
        industry_rows: the mentions of the chosen industry (``article_id, para_no, start, end,
            term, sentence``); industry_terms: ``token, count`` in the articles mentioning it;
            industry_co: ``label_zh, articles`` — industries mentioned in the same articles.
        indicator_rows: the figures passing the indicator filter.
    """

    def __init__(self, corpus, *, tokens: pd.DataFrame | None = None, mentions: pd.DataFrame | None = None,
                 indicators: pd.DataFrame | None = None):
        import ipywidgets as w

        from .indicators import extract_indicators
        from .industries import industry_mentions
        from .tokens import tokenize

        self.corpus = corpus
        self.articles = corpus.articles
        self.tokens = tokenize(corpus.articles) if tokens is None else tokens
        self.mentions = industry_mentions(corpus.articles) if mentions is None else mentions
        self.indicators = extract_indicators(corpus.articles) if indicators is None else indicators
        self._meta = self._article_meta()

        self.term = w.Text(description="词语", placeholder="株洲 或 正则 制造(业|名城)", continuous_update=False)
        self.regex = w.Checkbox(description="正则 regex", value=False)
        self.term_message = w.HTML()
        self.term_out = w.Output()
        labels = self.mentions.drop_duplicates("label").sort_values("label")
        self.industry = w.Dropdown(description="产业", options=[(r.label_zh, r.label) for r in labels.itertuples()], value=None)
        self.industry_out = w.Output()
        ind = self.indicators
        self.kind = w.Dropdown(description="kind", options=[ALL, *sorted(ind["kind"].dropna().unique())], value=ALL)
        self.category = w.Dropdown(description="category", options=[ALL, *sorted(ind["category"].dropna().unique())], value=ALL)
        self.unit = w.Dropdown(description="unit", options=[ALL, *sorted(ind["unit"].dropna().unique())], value=ALL)
        self.subject = w.Text(description="subject", placeholder="企业", continuous_update=False)
        self.indicator_out = w.Output()

        self._drawn: dict[int, tuple] = {}
        self.term_kwic = self.term_trend = self.term_by_page = self.term_by_section = pd.DataFrame()
        self.industry_rows = self.industry_terms = self.industry_co = pd.DataFrame()
        self.indicator_rows = self.indicators

        self.term.observe(self._on_term, names="value")
        self.regex.observe(self._on_term, names="value")
        self.industry.observe(self._on_industry, names="value")
        for widget in (self.kind, self.category, self.unit, self.subject):
            widget.observe(self._on_indicator, names="value")

        tabs = w.Tab(children=[
            w.VBox([w.HBox([self.term, self.regex]), self.term_message, self.term_out]),
            w.VBox([self.industry, self.industry_out]),
            w.VBox([w.HBox([self.kind, self.category]), w.HBox([self.unit, self.subject]), self.indicator_out]),
        ])
        for i, title in enumerate(["词语 term", "产业 industry", "数字 indicators"]):
            tabs.set_title(i, title)
        self.app = tabs
        # Outputs are drawn once the app is shown: from code (a script, a test, a notebook run
        # headless) the callbacks only recompute the tables.
        self._shown = False
        self._on_indicator()

    def _article_meta(self) -> pd.DataFrame:
        meta = self.articles[["article_id", "issue_id", "date", "page", "headline"]]
        if "section" in self.corpus.issues.columns:
            meta = meta.merge(self.corpus.issues[["issue_id", "page", "section"]], on=["issue_id", "page"], how="left")
        return meta

    # term ---------------------------------------------------------------------------------
    def _on_term(self, change=None) -> None:
        from .frequency import kwic

        pattern = self.term.value.strip()
        self.term_message.value = ""
        if not pattern:
            self.term_kwic = self.term_trend = self.term_by_page = self.term_by_section = pd.DataFrame()
            self._show(self.term_out, [])
            return
        if self.regex.value:
            try:
                re.compile(pattern)
            except re.error as e:
                self.term_message.value = f"<b>not a valid regular expression</b>: {html.escape(str(e))}"
                return
        hits = kwic(self.corpus.paragraphs, pattern, window=15, regex=self.regex.value)
        hits = hits[["article_id", "para_no", "left", "match", "right"]].merge(self._meta, on="article_id", how="left")
        self.term_kwic = hits[["article_id", "headline", "date", "page", "para_no", "left", "match", "right"]]
        self.term_trend = self._monthly(hits)
        self.term_by_page = hits.groupby("page").size().rename("matches").reset_index()
        if "section" in hits.columns:
            self.term_by_section = hits.groupby("section").size().rename("matches").reset_index()
        parts = [("每月 per month", self.term_trend, self._trend_chart), ("按版 per page", self.term_by_page, None)]
        if "section" in hits.columns:
            parts.append(("按版名 per section", self.term_by_section, None))
        parts.append((f"KWIC ({len(hits)} matches)", self.term_kwic.head(TABLE_ROWS), None))
        self._show(self.term_out, parts)

    def _monthly(self, hits: pd.DataFrame) -> pd.DataFrame:
        text = self.articles[["date", "text"]].dropna(subset=["date"])
        if text.empty:
            return pd.DataFrame(columns=["month", "matches", "chars", "per_10k_chars"])
        months = pd.period_range(text["date"].min(), text["date"].max(), freq="M")
        chars = text["text"].str.len().groupby(text["date"].dt.to_period("M")).sum().reindex(months, fill_value=0)
        matches = hits.dropna(subset=["date"]).groupby(hits["date"].dt.to_period("M")).size().reindex(months, fill_value=0)
        out = pd.DataFrame({"month": months.astype(str), "matches": matches.to_numpy(), "chars": chars.to_numpy()})
        out["per_10k_chars"] = (out["matches"] / out["chars"].where(out["chars"] > 0) * 10_000).round(2)
        return out

    def _trend_chart(self, trend: pd.DataFrame):
        import matplotlib.pyplot as plt

        from .plot._fonts import font_properties

        fig, ax = plt.subplots(figsize=(6, 2.5))
        ax.plot(trend["month"], trend["per_10k_chars"], marker="o")
        ax.set_ylabel("每万字", fontproperties=font_properties())
        ax.set_title(f"{self.term.value.strip()}：每月", fontproperties=font_properties())
        return fig

    # industry -----------------------------------------------------------------------------
    def _on_industry(self, change=None) -> None:
        from .frequency import term_frequency
        from .industries import co_mentions

        label = self.industry.value
        if label is None:
            self._show(self.industry_out, [])
            return
        rows = self.mentions[self.mentions["label"] == label]
        self.industry_rows = rows[["article_id", "para_no", "start", "end", "term", "sentence"]]
        ids = rows["article_id"].unique()
        freq = term_frequency(self.tokens[self.tokens["article_id"].isin(ids) & (self.tokens["pos"] != "m")])
        self.industry_terms = freq[["token", "count"]].head(10).reset_index(drop=True)
        co = co_mentions(self.mentions)
        co = co[(co["label_1"] == label) & (co["label_2"] != label) & (co["units"] > 0)]
        co = co.sort_values(["units", "label_2"], ascending=[False, True], kind="stable")
        self.industry_co = co.rename(columns={"label_zh_2": "label_zh", "units": "articles"})[["label_zh", "articles"]].reset_index(drop=True)
        self._show(self.industry_out, [
            (f"{len(rows)} mentions in {len(ids)} articles", self.industry_rows.head(TABLE_ROWS), None),
            ("top terms of those articles", self.industry_terms, None),
            ("mentioned in the same articles", self.industry_co, None),
        ])

    # indicators ---------------------------------------------------------------------------
    def _on_indicator(self, change=None) -> None:
        ind = self.indicators
        keep = pd.Series(True, index=ind.index)
        for column, widget in (("kind", self.kind), ("category", self.category), ("unit", self.unit)):
            if widget.value != ALL:
                keep &= ind[column] == widget.value
        if self.subject.value.strip():
            keep &= ind["subject"].fillna("").str.contains(self.subject.value.strip(), regex=False)
        self.indicator_rows = ind.loc[keep, ["article_id", "para_no", "text", "value", "unit", "kind", "category", "subject", "sentence"]]
        self._show(self.indicator_out, [
            (f"{keep.sum()} figures", self.indicator_rows.head(TABLE_ROWS), self._indicator_chart),
        ])

    def _indicator_chart(self, rows: pd.DataFrame):
        from .plot import indicator_counts

        if rows.empty:
            return None
        return indicator_counts(self.indicators.loc[rows.index]).figure

    # output -------------------------------------------------------------------------------
    def _show(self, out, parts) -> None:
        import matplotlib.pyplot as plt
        from IPython.display import HTML, display

        self._drawn[id(out)] = (out, parts)
        if not self._shown:
            return
        out.clear_output()
        with out:
            for title, table, chart in parts:
                display(HTML(f"<h4>{html.escape(title)}</h4>"))
                fig = chart(table) if chart is not None and len(table) else None
                if fig is not None:
                    display(fig)
                    plt.close(fig)
                display(table)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        self._shown = True
        for out, parts in list(self._drawn.values()):
            self._show(out, parts)
        display(self.app)


def explore(corpus, **precomputed) -> Explorer:
    """An interactive explorer of ``corpus`` for JupyterLab (ipywidgets 8).

    Args:
        corpus: a Corpus from :func:`zzanalysis.read_corpus`.
        **precomputed: ``tokens=``, ``mentions=``, ``indicators=`` already computed, to skip
            computing them again.

    Returns:
        An :class:`Explorer`; shown as the app when it is a cell's last value. Its widgets
        (``term``, ``regex``, ``industry``, ``kind``, ``category``, ``unit``, ``subject``) can be
        set from code, and its tables (``term_kwic``, ``term_trend`` …) read.

    Example:
        >>> ex = zz.explore(zz.read_corpus("data/raw"))  # doctest: +SKIP
        >>> ex.term.value = "株洲"; ex.term_kwic.head()   # doctest: +SKIP
    """
    return Explorer(corpus, **precomputed)
