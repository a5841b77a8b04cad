"""Trend charts for the quarterly summary: one line chart per contest, score by month per unit.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global figure state), in the
first CJK font matplotlib knows (Noto Sans CJK SC from Debian's fonts-noto-cjk on our servers).
Without one the chart is still drawn, its Chinese as empty boxes, rather than failing the summary.
"""

from __future__ import annotations

import base64
import logging
import math
import warnings
from collections.abc import Sequence
from functools import lru_cache
from io import BytesIO

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from org.text import clean_text

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "Noto Sans CJK JP",
)
COLOURS = (
    "#c0392b",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
)
STYLES = ("-", "--", ":")
MARKERS = ("o", "s", "^", "D", "v")

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first CJK font family matplotlib can use here, or None."""
    try:
        known = {entry.name for entry in font_manager.fontManager.ttflist}
    except Exception:  # a broken font cache must not take the summary down with it
        logger.warning("matplotlib's font list could not be read", exc_info=True)
        return None
    for family in CJK_FAMILIES:
        if family in known:
            return family
    logger.warning("no CJK font for charts; install fonts-noto-cjk")
    return None


def _font(size: float) -> FontProperties:
    family = cjk_family()
    return FontProperties(family=family, size=size) if family else FontProperties(size=size)


def _plain(text: str) -> str:
    """A label as written: no character a document cannot hold, and no "$" read as mathtext
    (a unit named "$\\frac$" would make matplotlib raise)."""
    return clean_text(str(text)).replace("$", r"\$")


def trend_chart(
    title: str, months: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]
) -> bytes:
    """A PNG: one line per unit, its score (0-100) in each month; gaps where it has none."""
    rows = max(1, math.ceil(len(series) / 5))
    figure = Figure(figsize=(6.2, 3.3 + 0.25 * rows), dpi=150, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    for index, (name, values) in enumerate(series):
        axes.plot(
            positions,
            [math.nan if value is None else value for value in values],
            label=_plain(name),
            color=COLOURS[index % len(COLOURS)],
            linestyle=STYLES[(index // len(COLOURS)) % len(STYLES)],
            marker=MARKERS[index % len(MARKERS)],
            linewidth=1.6,
            markersize=4,
        )
    axes.set_xticks(positions, [_plain(m) for m in months])
    axes.set_xlim(-0.3, max(len(months) - 1, 1) + 0.3)
    axes.set_ylim(0, 105)
    axes.set_ylabel("得分", fontproperties=_font(9))
    axes.set_title(_plain(title), fontproperties=_font(11))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    for label in axes.get_xticklabels():
        label.set_fontproperties(_font(9))
    if series:
        figure.legend(
            loc="outside lower center",
            ncols=min(len(series), 5),
            prop=_font(8),
            frameon=False,
        )
    buffer = BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()
