"""Find a font that has Chinese glyphs and apply it to charts, without touching global state.

A fresh Linux machine usually has no CJK font, and matplotlib then draws every Chinese
character as a box. We prefer a CJK font the system already has (it matches the user's other
documents), else Noto Sans CJK from the ``noto-cjk-sans-otc`` dependency: Google's OpenType
collection (one .ttc holding the SC, TC, HK, JP and KR faces) under the SIL Open Font License,
and nothing else, 19 MB installed. Charts use its simplified-Chinese face, Noto Sans CJK SC.
Word clouds (``wordcloud`` opens a font file at face 0) get the collection's first face, JP,
which has every Chinese character, a few drawn in their Japanese form; a system CJK font, where
there is one, avoids that.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

# Families that cover simplified Chinese, most preferred first.
_SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "SimHei",
)
_BUNDLED_PACKAGE = "noto_cjk_sans_otc"
_BUNDLED_FONT = "NotoSansCJK-Regular.ttc"


def _bundled_font_path() -> Path | None:
    # find_spec locates the package without importing it: nothing runs until a chart needs a font.
    spec = importlib.util.find_spec(_BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / _BUNDLED_FONT
    return path if path.is_file() else None


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the CJK font that charts and word clouds use.

    A system font from a known CJK family wins; otherwise the Noto Sans CJK collection shipped by
    the ``noto-cjk-sans-otc`` package. The answer is computed once per process.

    Returns:
        Path to a .ttf/.otf/.ttc file.

    Raises:
        RuntimeError: if neither a system CJK font nor the bundled one can be found.

    Example:
        >>> zz.plot.cjk_font_path().name  # doctest: +SKIP
        'NotoSansCJK-Regular.ttc'
    """
    from matplotlib import font_manager

    by_family = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in _SYSTEM_FAMILIES:
        if family in by_family and not by_family[family].endswith(_BUNDLED_FONT):
            return Path(by_family[family])
    bundled = _bundled_font_path()
    if bundled is None:
        raise RuntimeError(
            "no CJK font found: install a system font (e.g. fonts-noto-cjk) or the noto-cjk-sans-otc package"
        )
    return bundled


@functools.cache
def cjk_font_name() -> str:
    """Family name of :func:`cjk_font_path`, registered with matplotlib's font manager.

    In a collection (.ttc) the face of the most preferred CJK family wins, so the bundled Noto
    collection gives ``Noto Sans CJK SC`` (matplotlib registers every face of a .ttc); a
    matplotlib that reads only a collection's first face gets that one's name.
    """
    from matplotlib import font_manager

    path = str(cjk_font_path())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    faces = {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    for family in _SYSTEM_FAMILIES:
        if family in faces:
            return family
    return font_manager.FontProperties(fname=path).get_name()


def cjk_font_index() -> int:
    """Index of :func:`cjk_font_name`'s face in :func:`cjk_font_path` (0 unless it is a .ttc).

    For tools that open the file themselves, e.g. ``fontTools.ttLib.TTFont(path, fontNumber=i)``
    or ``PIL.ImageFont.truetype(path, size, index=i)``.

    Example:
        >>> zz.plot.cjk_font_index()  # doctest: +SKIP
        2
    """
    from matplotlib import font_manager

    name, path = cjk_font_name(), str(cjk_font_path())
    return next((getattr(f, "index", 0) for f in font_manager.fontManager.ttflist
                 if f.fname == path and f.name == name), 0)


def font_properties(**kwargs) -> "matplotlib.font_manager.FontProperties":  # noqa: F821
    """A ``FontProperties`` for the CJK font, e.g. ``ax.set_title("株洲", fontproperties=fp)``."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=cjk_font_name(), **kwargs)


def rc() -> dict:
    """rcParams that make the CJK font the default, for ``matplotlib.rc_context(zz.plot.rc())``."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_font_name(), "DejaVu Sans"],
        # The CJK font's minus sign is fine, but U+2212 is missing from some CJK fonts.
        "axes.unicode_minus": False,
    }


def setup() -> str:
    """Make every later matplotlib chart in this process render Chinese; return the font's name.

    This is the one function that changes matplotlib's global ``rcParams``, and only when you call
    it (typically once at the top of a notebook). The package's own plot functions do not need it:
    they apply the font to what they draw.

    Returns:
        The family name of the CJK font now first in ``font.sans-serif``.

    Example:
        >>> zz.plot.setup()  # doctest: +SKIP
        'Noto Sans CJK SC'
    """
    import matplotlib

    matplotlib.rcParams.update(rc())
    return cjk_font_name()


def apply_font(ax) -> None:
    """Set the CJK font on every text an Axes (and its figure's legends) already holds.

    Tick labels that matplotlib creates later copy their properties from the first tick, so
    setting it once here is enough for the life of the chart.
    """
    from matplotlib.text import Text

    name = cjk_font_name()
    texts = [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            texts += [tick.label1, tick.label2]
    texts += [t for t in ax.findobj(Text)]
    legend = ax.get_legend()
    if legend is not None:
        texts += list(legend.get_texts()) + [legend.get_title()]
    for text in texts:
        text.set_fontfamily([name, "DejaVu Sans"])
