"""The shared plot style: one look for every figure, German number formats, fixed colours.

``use()`` also fixes what makes SVG output differ between runs (hash salt, dates).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported where it is used: the number formats here need none of it
    import matplotlib as mpl
    from matplotlib.figure import Figure

#: Categorical colours: Okabe & Ito (2008), "Color Universal Design", chosen so that every
#: pair stays apart under deuteranopia and protanopia (tests/test_style_palettes.py checks
#: each palette here with a simulation; seaborn's "colorblind" fails it: pink vs sky blue).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Highlight of the Oberzentrum against the other municipalities.
HIGHLIGHT = "#b2182b"
MUTED = "#8c8c8c"
#: OZG maturity levels 0-4, light to dark, plus a light orange for "unknown"
#: (apart from every class of the maturity and population scales, also under colour blindness).
MATURITY_COLORS = ["#f0f0f0", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
UNKNOWN_COLOR = "#fdae6b"
#: Diverging scale for 5-point agreement items (disagree ... agree), neutral in the middle.
LIKERT_COLORS = ["#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0"]
#: Survey participation: "ja" filled dark blue, "nein" light grey and hatched on the maps,
#: so the two differ in lightness and pattern, not only in hue.
PARTICIPATION_COLORS = {"ja": "#0072B2", "nein": "#d9d9d9"}
#: Colour pairs drawn side by side in figures (Oberzentrum and the rest, region and nation).
HIGHLIGHT_PAIRS = [[HIGHLIGHT, PALETTE[0]], [HIGHLIGHT, MUTED]]
SVG_HASH_SALT = "regiopole"


def use() -> None:
    """Apply the project style to matplotlib and seaborn."""
    import matplotlib as mpl
    import seaborn as sns  # 1.5 s of imports (scipy.stats): only for reports that draw

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font="DejaVu Sans")
    mpl.rcParams.update({
        "figure.dpi": 100,
        "savefig.dpi": 150,
        "savefig.bbox": "tight",
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        # A fixed title position: automatic placement measures every tick label on each
        # draw to dodge labels on top, and no figure here puts labels on top.
        "axes.titley": 1.0,
        "svg.hashsalt": SVG_HASH_SALT,
        "svg.fonttype": "path",
        "axes.formatter.use_locale": False,
    })


MINUS = "\u2212"


def german_number(value: float, decimals: int = 0) -> str:
    """Format a number the German way: ``151633`` -> ``'151.633'``, ``12.5`` -> ``'12,5'``.

    Rounds half up as readers expect (``62.5`` -> ``'63'``, not Python's half-to-even
    ``'62'``), from the number as written (``2.675`` -> ``'2,68'``), and writes the
    typographic minus (``-3`` -> ``'−3'``); a value that rounds to zero has no sign.
    Missing values (NaN) read "–".
    """
    if value != value:  # NaN
        return "\u2013"
    if value in (float("inf"), float("-inf")):
        return ("" if value > 0 else MINUS) + "\u221e"
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return MINUS + text if rounded < 0 else text


def german_percent(share: float, decimals: int = 0) -> str:
    """Format a share 0-1 as German percent: ``0.425`` -> ``'42,5 %'`` (with decimals=1).

    The share is scaled by 100 in decimal arithmetic, so a half stays a half and rounds up
    (``0.145`` -> ``'15 %'``; in floating point ``100 * 0.145`` is ``14.4999…``).
    """
    if share != share or share in (float("inf"), float("-inf")):
        return f"{german_number(share, decimals)}\u00a0%"
    return f"{german_number(float(Decimal(repr(float(share))).scaleb(2)), decimals)}\u00a0%"


def thousands_axis(axis: mpl.axis.Axis) -> None:
    """Label an axis with German thousands separators."""
    import matplotlib.ticker as mticker

    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _pos: german_number(x)))


def percent_axis(axis: mpl.axis.Axis, decimals: int = 0) -> None:
    """Label an axis holding shares 0-1 as German percentages."""
    import matplotlib.ticker as mticker

    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _pos: german_percent(x, decimals)))


def wrap_to_width(text: str, fig: Figure, width_inches: float, fontsize: float) -> str:
    """Break ``text`` into lines no wider than ``width_inches`` in the figure's font.

    Does once what ``Text(wrap=True)`` redoes on every draw: matplotlib re-measures each
    candidate line, longest first, for each layout pass and each saved file.
    """
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=fontsize)
    limit = width_inches * fig.dpi

    def width(line: str) -> float:
        return renderer.get_text_width_height_descent(line, font, ismath=False)[0]

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and width(candidate) > limit:
                lines.append(line)
                candidate = word
            line = candidate
        lines.append(line)
    return "\n".join(lines)


def german_list(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b und c"`` (for alt texts and sentences)."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} und {items[-1]}" if items else ""
