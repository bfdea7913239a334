"""Normalisation of page text to one documented form.

Chinese sources print the same punctuation in two forms: the sample page uses ASCII ``,()?:;!``
inside Chinese text, most others the full-width ``，（）？：；！``. We normalise to the national
standard form (GB/T 15834): full-width punctuation wherever it touches Chinese text, ASCII
where it sits between Latin letters or digits (``1,500``, ``10:30``, ``CN 43-0005``), and
ASCII letters and digits (full-width ``２０２３`` → ``2023``). The mapping is a pure function of
the text and idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
"""
from __future__ import annotations

import re
import unicodedata

# CJK ideographs (BMP and the supplementary planes), CJK punctuation, full-width forms.
CJK_CHAR = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{CJK_CHAR}“”‘’《》〈〉…—·]")

_ASCII_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARKS = ",;:?!()，；：？！（）"
# A run of punctuation marks (either form, spaces between) and the nearest other character on
# each side; the run is Chinese when either neighbour is. Deciding per run, not per mark, keeps
# the mapping idempotent ("::。" would otherwise change on a second pass).
# Example: "株洲日报(全媒体记者/温琳" — the run "(" has 报 on its left, so it becomes "（".
_PUNCT_RUN_RE = re.compile(rf"(?<=([^\s{_MARKS}]))?([\s{_MARKS}]*[,;:?!()][\s{_MARKS}]*)(?=([^\s{_MARKS}]))?")
_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_ALNUM.update({"\u3000": " ", "．": "."})
_ALNUM_TABLE = str.maketrans(_FULLWIDTH_ALNUM)
_TO_FULL_TABLE = str.maketrans(_ASCII_TO_FULL)


def is_cjk(ch: str) -> bool:
    """True for a Chinese character or Chinese punctuation mark."""
    return bool(ch) and _CJK_RE.match(ch) is not None


def _punct_form(match: re.Match) -> str:
    left, run, right = match.groups()
    if not (is_cjk(left or "") or is_cjk(right or "")):
        return run  # between Latin letters or digits: "1,500", "10:30"
    return run.translate(_TO_FULL_TABLE)


def normalize_text(text: str) -> str:
    """Return ``text`` in the package's normal form (see module docstring).

    Args:
        text: any string.

    Returns:
        The string with Unicode NFC composition, full-width letters and digits made ASCII,
        and ASCII punctuation that touches Chinese made full-width.

    Example:
        >>> normalize_text("株洲日报(全媒体记者/温琳) 4月26日,活动启动。价格1,500元?")
        '株洲日报（全媒体记者/温琳） 4月26日，活动启动。价格1,500元？'
    """
    text = unicodedata.normalize("NFC", text).translate(_ALNUM_TABLE)
    return _PUNCT_RUN_RE.sub(_punct_form, text)
