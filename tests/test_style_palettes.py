"""Every categorical palette stays distinguishable under deuteranopia and protanopia.

Colour vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes
(2009, severity 1.0) applied to linear sRGB; distinguishability is CIEDE2000 in CIELAB
(D65). Both are a few lines of arithmetic, written out here rather than adding a colour
library for one test (colorspacious, which has them, has not been released since 2018).
A pair counts as distinct at ΔE00 >= MIN_DELTA_E under normal vision and both simulations.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import seaborn as sns

from regiopole import style
from regiopole.maps.classify import ramp
from regiopole.maps.indicators import INDICATORS

#: About where two small map or chart patches are told apart at a glance.
MIN_DELTA_E = 10.0
MACHADO = {
    "normal": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def seen_lab(hex_colour: str, vision: str) -> np.ndarray:
    """CIELAB of the colour as seen with ``vision`` (simulated in linear RGB, clipped to the gamut)."""
    xyz = SRGB_TO_XYZ @ np.clip(MACHADO[vision] @ linear(hex_colour), 0, 1) / D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    r_c = 2 * math.sqrt(c_bar_p ** 7 / (c_bar_p ** 7 + 25 ** 7))
    r_t = -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2)))) * r_c
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar_p, 1 + 0.015 * c_bar_p * t
    dl, dc, dhh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_h / s_h
    return math.sqrt(dl ** 2 + dc ** 2 + dhh ** 2 + r_t * dc * dhh)


def closest_pair(colours: list[str]) -> tuple[float, str, str, str]:
    """(ΔE00, vision, colour, colour) of the least distinct pair under any of the visions."""
    return min((ciede2000(seen_lab(a, v), seen_lab(b, v)), v, a, b)
               for v in MACHADO for a, b in itertools.combinations(colours, 2))


def style_palettes() -> dict[str, list[str]]:
    """Every colour list or mapping defined in regiopole.style, found by looking (new ones are checked too)."""
    found = {}
    for name, value in vars(style).items():
        values = list(value.values()) if isinstance(value, dict) else value
        if name.isupper() and isinstance(values, list | tuple) and values and all(
                isinstance(v, str) and v.startswith("#") for v in values):
            found[name] = list(values)
        elif name.isupper() and isinstance(values, list) and values and all(isinstance(v, list) for v in values):
            found.update({f"{name}[{i}]": v for i, v in enumerate(values)})
    return found


def map_palettes() -> dict[str, list[str]]:
    """The classes each map indicator can show, each with the "keine Angabe" colour."""
    out = {}
    for name, ind in INDICATORS.items():
        if ind.kind == "category":
            out[name] = [*ind.categories.values(), style.UNKNOWN_COLOR]
        elif ind.colors:
            out[name] = [*ind.colors, style.UNKNOWN_COLOR]
        else:
            out.update({f"{name} ({k} Klassen)": [*ramp(ind.cmap, k), style.UNKNOWN_COLOR] for k in range(1, ind.k + 1)})
    return out


PALETTES = {**style_palettes(), "MATURITY_COLORS+UNKNOWN": [*style.MATURITY_COLORS, style.UNKNOWN_COLOR], **map_palettes()}


def test_the_palettes_are_found():
    assert {"PALETTE", "LIKERT_COLORS", "MATURITY_COLORS", "PARTICIPATION_COLORS", "participated"} <= set(PALETTES)


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palette_is_distinct_under_colour_blindness(name):
    delta, vision, a, b = closest_pair(PALETTES[name])
    assert delta >= MIN_DELTA_E, f"{name}: {a} and {b} differ by only ΔE00 = {delta:.1f} under {vision}"


def test_ciede2000_matches_published_pairs():
    # Sharma, Wu & Dalal (2005), table 1, pairs 1, 7 and 17
    assert ciede2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)


def test_simulation_merges_red_and_green_for_the_colour_blind():
    red, green = "#c2410c", "#4d7c0f"  # a brick red and an olive green of similar lightness
    assert ciede2000(seen_lab(red, "normal"), seen_lab(green, "normal")) > 5 * MIN_DELTA_E
    for vision in ("deuteranopia", "protanopia"):
        assert ciede2000(seen_lab(red, vision), seen_lab(green, vision)) < MIN_DELTA_E
    # seaborn's "colorblind" palette, which the project used before, has a pair this check rejects
    assert closest_pair(sns.color_palette("colorblind", 10).as_hex())[0] < MIN_DELTA_E
