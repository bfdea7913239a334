"""Normalisation of page text to one documented form.

Chinese sources print the same punctuation in two forms: the sample page uses ASCII ``,()?:;!``
inside Chinese text, most others the full-width ``，（）？：；！``. We normalise to the national
standard form (GB/T 15834): full-width punctuation wherever it touches Chinese text, ASCII
where it sits between Latin letters or digits (``1,500``, ``10:30``, ``CN 43-0005``), and
ASCII letters and digits (full-width ``２０２３`` → ``2023``). The mapping is a pure function of
the text and idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.

Pages saved from web archives carry HTML remnants; they are markup, not text, so they go:
entities are unescaped (``&amp;`` → ``&``, ``&nbsp;`` → a space), tags of HTML's own vocabulary
are removed — block tags (``<br>``, ``<p>``, ``</div>``) become a space, so two paragraphs glued
by ``<br>`` split like any glued pair, inline ones (``<b>``, ``<span …>``) vanish — and so do
comments. A ``<`` that starts no known tag (``a<b``, ``<5%``) is text and stays. Unescaping runs to a
fixed point (``&amp;lt;br&amp;gt;`` → nothing), which is what keeps the whole mapping idempotent.
Other spaces (no-break, en, ideographic) become ``" "``; invisible format characters (zero-width
space, soft hyphen, a byte-order mark inside the text) are dropped. A line break produced by an
entity (``&#10;``) becomes a space: normalising never adds lines.
Characters are otherwise kept as printed: traditional characters stay traditional, characters
outside the BMP (``𠀀``, emoji) stay.
"""
from __future__ import annotations

import html
import re
import unicodedata

from .spans import HAN

# Han characters (spans.HAN), CJK punctuation (U+3000–U+303F) and full-width forms (U+FF00–U+FFEF).
CJK_CHAR = rf"{HAN}\u3000-\u303f\uff00-\uffef"
# A character that makes a neighbouring ASCII mark Chinese: the above and the quotes, title marks,
# ellipsis, dash and middle dot Chinese text shares with other scripts.
_CHINESE = f"[{CJK_CHAR}“”‘’《》〈〉…—·]"
_CJK_RE = re.compile(_CHINESE)

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = ",;:?!()，；：？！（）"
# A run of punctuation marks (either form, spaces between) and the nearest other character on
# each side; the run is Chinese when either neighbour is. Deciding per run, not per mark, keeps
# the mapping idempotent ("::。" would otherwise change on a second pass).
# Example: "株洲日报(全媒体记者/温琳" — the run "(" has 报 on its left, so it becomes "（".
# Runs stop at a line end (after folding, " " \t \x0b are the only other spaces), so a whole page
# normalised at once equals it normalised line by line. One greedy class, no backtracking: linear
# even on a line of a million spaces; runs without an ASCII mark are left as they are.
_PUNCT_RUN_RE = re.compile(rf"(?<=([^\s{_MARKS}]))?([ \t\x0b{_MARKS}]+)(?=([^\s{_MARKS}]))?")
_ASCII_MARKS = frozenset(",;:?!()")
_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ALNUM.update({"\u3000": " ", "．": "."})
# Spaces that are not " " (form feed: pdftotext's page break; no-break, en/em/thin, narrow
# no-break, line/paragraph separators)…
_FULLWIDTH_ALNUM.update({ch: " " for ch in "\x0c\xa0\x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                         "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f"})
# …and invisible format characters: zero-width space, soft hyphen, word joiner, direction marks,
# a byte-order mark inside the text. ZWJ (U+200D) stays: it holds emoji sequences together.
_FULLWIDTH_ALNUM.update({ch: None for ch in "\u200b\u00ad\u2060\u200e\u200f\ufeff"})
_ALNUM_TABLE = str.maketrans(_FULLWIDTH_ALNUM)
# str.translate looks up every character; most pages hold none of these, so look first.
_FOLDABLE_RE = re.compile("[" + re.escape("".join(_FULLWIDTH_ALNUM)) + "]")

# An HTML character reference: "&amp;", "&nbsp;", "&#12288;", "&#x4e2d;", and the five that
# exports print without ";" ("&nbsp"); other names need their ";" ("&notice" is not "¬ice").
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{1,31};"
                        r"|(?:nbsp|amp|lt|gt|quot)(?![A-Za-z0-9;]))")
# "&amp;amp;amp;lt;" — escaped many times over: collapsed in one step, not one pass per layer.
_AMP_CHAIN_RE = re.compile(r"&(?:amp;)+")
# Markup nested deeper than this ("<<<br>br>br>") is left partly resolved: a bound on the passes
# keeps a pathological line linear; nothing a real export prints comes near it.
_HTML_PASSES = 20
_BLOCK_TAGS = ("br|p|div|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6]|hr|section|article|blockquote"
               "|center|header|footer|pre|dd|dt|dl|figure|figcaption")
_INLINE_TAGS = "span|font|b|i|u|em|strong|sup|sub|small|big|a|img|strike|s|mark|ins|del|wbr|nobr|o:p"
# "<br>", "<br/>", "</p>", "<p class=\"x\">", "<H1>" — a tag of HTML's own vocabulary; "a<b" is text.
# Bounded repeats keep a line of "<" and a million spaces linear.
_BLOCK_TAG_RE = re.compile(rf"<\s?/?\s?(?:{_BLOCK_TAGS})(?:\s[^<>]{{0,300}})?/?>", re.I)
# "<span style=\"…\">", "</b>", "<img src=\"…\"/>", "<!-- 注释 -->"
_INLINE_TAG_RE = re.compile(rf"<\s?/?\s?(?:{_INLINE_TAGS})(?:\s[^<>]{{0,300}})?/?>|<!--[^<>]{{0,1000}}?-->", re.I)
_TO_FULL_TABLE = str.maketrans(_ASCII_TO_FULL)
# A Chinese character beside a mark, other than a full-width mark (marks belong to the run).
_NOT_MARK = "[，；：？！（）]"
_NEXT_TO_CHINESE = [
    # The mark comes first so the engine can scan for it; the left neighbour is then checked
    # by a two-character look-behind ending at the mark.
    (mark, re.compile(rf"{re.escape(mark)}(?:(?<={_CHINESE}{re.escape(mark)})(?<!{_NOT_MARK}{re.escape(mark)})"
                rf"|(?={_CHINESE})(?!{_NOT_MARK}))"), full)
    for mark, full in _ASCII_TO_FULL.items()
]
_ASCII_MARK_RE = re.compile(r"[,;:?!()]")


def is_cjk(ch: str) -> bool:
    """True for a Chinese character or Chinese punctuation mark."""
    return bool(ch) and _CJK_RE.match(ch) is not None


def _punct_form(match: re.Match) -> str:
    left, run, right = match.groups()
    if _ASCII_MARKS.isdisjoint(run) or not (is_cjk(left or "") or is_cjk(right or "")):
        return run  # between Latin letters or digits: "1,500", "10:30"
    return run.translate(_TO_FULL_TABLE)


def normalize_text(text: str) -> str:
    """Return ``text`` in the package's normal form (see module docstring).

    Args:
        text: any string.

    Returns:
        The string with Unicode NFC composition, full-width letters and digits made ASCII,
        HTML tags and entities resolved, odd spaces made ``" "``, and ASCII punctuation that
        touches Chinese made full-width.

    Example:
        >>> normalize_text("株洲日报(全媒体记者/温琳) 4月26日,活动启动。价格1,500元?")
        '株洲日报（全媒体记者/温琳） 4月26日，活动启动。价格1,500元？'
    """
    text = _fold(text)
    if "<" in text or "&" in text:
        # Each pass can uncover more markup ("&amp;lt;br&amp;gt;"); stop at the fixed point.
        for _ in range(_HTML_PASSES):
            if (again := _fold(_strip_html(text))) == text:
                break
            text = again
    return normalize_punctuation(text)


def normalize_punctuation(text: str) -> str:
    """Only the punctuation step of :func:`normalize_text`, for text that is otherwise normal.

    The page grammar uses it on a paragraph rejoined across a PDF line break: each line was
    normalised alone, and a mark at the end of one (``"1,"``) only learns at the join that the
    next line starts with Chinese (``"1,株"`` → ``"1，株"``).
    """
    # Fast path, same result: a mark right next to a Chinese character is in a Chinese run, so
    # it is converted by plain substitutions; the run-by-run pass (a Python call per run) is
    # only needed where ASCII marks remain ("1,500", "a, 株"), which most pages have none of.
    # A substring test is far cheaper than a substitution's scan, and most pages print few of
    # the seven marks in ASCII, or none.
    present = [(mark_re, full) for mark, mark_re, full in _NEXT_TO_CHINESE if mark in text]
    if not present:
        return text
    for mark_re, full in present:
        text = mark_re.sub(full, text)
    if _ASCII_MARK_RE.search(text) is None:
        return text
    return _PUNCT_RUN_RE.sub(_punct_form, text)


def _fold(text: str) -> str:
    # Width before composition: "Ａ" + combining acute only composes once it is "A".
    if _FOLDABLE_RE.search(text) is not None:
        text = text.translate(_ALNUM_TABLE)
    return unicodedata.normalize("NFC", text)


def _entity(match: re.Match) -> str:
    ch = html.unescape(match.group())
    # "&#10;" must not split a line, "&#9;" is a space like any other.
    return " " if any(c.isspace() or unicodedata.category(c) == "Cc" for c in ch) else ch


def _strip_html(text: str) -> str:
    text = _AMP_CHAIN_RE.sub("&", text)
    text = _BLOCK_TAG_RE.sub(" ", text)
    text = _INLINE_TAG_RE.sub("", text)
    return _ENTITY_RE.sub(_entity, text)
