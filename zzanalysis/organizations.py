"""Organisations in the news: companies, government bodies and institutions, with normalised names.

Two ways to find one, both data-driven:

- the alias file ``resources/organizations/aliases.csv`` maps every form the paper prints to one
  normalised name and a kind: 中车株洲所, 中车株洲电力机车研究所 → 中车株洲电力机车研究所有限公司
  (company); 省工信厅 → 湖南省工业和信息化厅 (government); 北交所 → 北京证券交易所有限责任公司;
- a registered-name pattern from ``resources/organizations/rules.toml``: a name ending in
  有限公司, 股份有限公司 … (company) or 大学, 学院, 医院 … (institution) that the alias file does
  not know is kept as printed.

At each position the longest alias wins and hits never overlap, so 市委宣传部 is one hit, not also
市委. 市委 and 市政府 are this paper's own city: they normalise to 中共株洲市委 and 株洲市人民政府,
unless another place's name comes right before them (长沙市委 is not counted; see ``[relative]``
in the rules file).
"""
from __future__ import annotations

import functools
import io
import re
import tomllib
from dataclasses import dataclass

import pandas as pd

from ._resources import resource_text
from .spans import HAN, Sentences, documents
from .jieba_parity import jieba_dict_tags as _jieba_dict_tags

_KINDS = ("company", "government", "institution", "media")
# What a registered name is made of: 株洲B保中心, 608所; anything else ends it on the left.
_NAME_CHAR = re.compile(f"[{HAN}A-Za-z0-9]")


@dataclass(frozen=True)
class _Rules:
    aliases: dict[str, tuple[str, str]]  # alias → (name, kind)
    alias_re: re.Pattern
    ending_re: re.Pattern
    ending_kind: dict[str, str]
    starts_after: tuple[str, ...]
    not_starts: tuple[str, ...]
    min_chars: int
    max_chars: int
    home: dict[str, tuple[str, ...]]  # 市 → (株洲,): where a relative form like 市委 belongs


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def get_aliases() -> pd.DataFrame:
    """The shipped alias table: every printed form of an organisation and its normalised name.

    Returns:
        DataFrame with ``name`` (normalised, usually the full registered name), ``alias`` (a
        form the paper prints, the full name included) and ``kind`` (company / government /
        institution / media), in file order.

    Raises:
        ValueError: naming the file and line: an alias listed for two names, an empty name or
            alias, or a kind outside the four above.

    Example:
        >>> zz.get_aliases().query("alias == '中车株洲所'")["name"].item()
        '中车株洲电力机车研究所有限公司'
    """
    origin = "zzanalysis/resources/organizations/aliases.csv"
    return _check_aliases(pd.read_csv(io.StringIO(resource_text("organizations", "aliases.csv")), dtype=str,
                                      keep_default_na=False), origin)


def _check_aliases(table: pd.DataFrame, origin: str) -> pd.DataFrame:
    if list(table.columns) != ["name", "alias", "kind"]:
        raise ValueError(f"{origin}:1: the header must be name,alias,kind, not {','.join(table.columns)}")
    owner: dict[str, str] = {}
    for line, (name, alias, kind) in enumerate(zip(table["name"], table["alias"], table["kind"]), start=2):
        if not name.strip() or not alias.strip():
            raise ValueError(f"{origin}:{line}: empty name or alias")
        if kind not in _KINDS:
            raise ValueError(f"{origin}:{line}: kind {kind!r} is not one of {_KINDS}")
        if owner.setdefault(alias, name) != name:
            raise ValueError(f"{origin}:{line}: alias {alias} is listed for {owner[alias]} and {name}")
    return table.drop_duplicates("alias", ignore_index=True)


@functools.cache
def _rules() -> _Rules:
    toml = tomllib.loads(resource_text("organizations", "rules.toml"))
    rules = toml["pattern"]
    aliases = get_aliases()
    endings = {e: kind for kind in ("company", "government", "institution") for e in rules[kind]}
    return _Rules(
        aliases={a: (n, k) for a, n, k in zip(aliases["alias"], aliases["name"], aliases["kind"])},
        # Literal alternations, longest first, so the longest alias wins at each position.
        alias_re=re.compile("|".join(map(re.escape, _longest_first(aliases["alias"])))),
        ending_re=re.compile("|".join(map(re.escape, _longest_first(endings)))),
        ending_kind=endings,
        starts_after=_longest_first(rules["starts_after"]),
        not_starts=tuple(rules["not_starts"]),
        min_chars=int(rules["min_chars"]),
        max_chars=int(rules["max_chars"]),
        home={k: tuple(v) for k, v in toml["relative"].items()},
    )


def _other_place(text: str, start: int, alias: str, rules: _Rules) -> bool:
    """True if a relative form (市委, 省工信厅) follows the name of a place other than home."""
    home = rules.home.get(alias[0])
    if home is None:
        return False
    tags = _jieba_dict_tags()
    for k in (2, 3, 4):
        place = text[max(0, start - k):start]
        if len(place) == k and tags.get(place) == "ns":
            return place not in home
    return False


def _registered(text: str, rules: _Rules, taken: bytearray) -> list[tuple[int, int, str]]:
    """Names found by their ending (有限公司, 大学 …) on characters no alias has taken."""
    found = []
    for m in rules.ending_re.finditer(text):
        start = m.start()
        while start > 0 and m.end() - start < rules.max_chars and _NAME_CHAR.match(text[start - 1]):
            start -= 1
        for i in range(start, m.start()):
            word = next((w for w in rules.starts_after if text.startswith(w, i)), None)
            if word:
                start = i + len(word)
        name = text[start:m.end()]
        if len(name) < rules.min_chars or name == m.group() or name.startswith(rules.not_starts):
            continue
        if any(taken[start:m.end()]):
            continue
        found.append((start, m.end(), rules.ending_kind[m.group()]))
    return found


def organizations(data) -> pd.DataFrame:
    """Find the companies, government bodies and institutions named in the text.

    Args:
        data: an articles frame (kicker, headline, subtitle and body are read), a paragraphs or
            stories frame, a Corpus (its articles) or a plain string.

    Returns:
        DataFrame, one row per mention in reading order: ``article_id``, ``para_no`` (0 for
        kicker/headline/subtitle), ``field``, ``start``, ``end`` (offsets into that paragraph or
        heading), ``text`` (as printed, e.g. ``中车株洲所``), ``name`` (normalised through the
        alias file, e.g. ``中车株洲电力机车研究所有限公司``; a registered name it does not know
        stays as printed), ``kind`` (company / government / institution / media), ``sentence``,
        then every other column of the input except its ``text`` (a clashing input column is
        carried with a prefix, e.g. an article's ``kind`` as ``article_kind``; see
        :mod:`zzanalysis.spans`). For a stories table the key is ``story_id``.

    Raises:
        TypeError: an input that is none of the above.
        ColumnError: a table without ``text`` or its key column.

    Example:
        >>> orgs = zz.read_corpus("data/raw").articles.pipe(zz.organizations)
        >>> orgs.groupby(["kind", "name"]).size()
    """
    rules = _rules()
    docs = documents(data, fields=None, func="organizations")
    rows = []
    for pos, field, para_no, text in docs:
        hits = []
        for m in rules.alias_re.finditer(text):
            if not _other_place(text, m.start(), m.group(), rules):
                hits.append((m.start(), m.end(), *rules.aliases[m.group()]))
        taken = bytearray(len(text))
        for s, e, _, _ in hits:
            taken[s:e] = b"\x01" * (e - s)
        hits += [(s, e, text[s:e], kind) for s, e, kind in _registered(text, rules, taken)]
        sentences = Sentences(text) if hits else None
        for s, e, name, kind in sorted(hits):
            rows.append((pos, para_no, field, s, e, text[s:e], name, kind, sentences.text(s, e)))

    positions = [r[0] for r in rows]
    out = pd.DataFrame({
        docs.key: docs.ids(positions).astype(object),
        "para_no": pd.Series([r[1] for r in rows], dtype="int64"),
        "field": pd.Series([r[2] for r in rows], dtype="str"),
        "start": pd.Series([r[3] for r in rows], dtype="int64"),
        "end": pd.Series([r[4] for r in rows], dtype="int64"),
        "text": pd.Series([r[5] for r in rows], dtype="str"),
        "name": pd.Series([r[6] for r in rows], dtype="str"),
        "kind": pd.Series([r[7] for r in rows], dtype="str"),
        "sentence": pd.Series([r[8] for r in rows], dtype="str"),
    })
    return pd.concat([out, docs.meta(positions, list(out.columns))], axis=1)
