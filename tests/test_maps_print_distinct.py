"""Print maps on a greyscale printer and for readers with red-green colour blindness: every
legend class differs from every other by pattern, or by lightness and by colour as seen with
deuteranopia and protanopia; the Oberzentrum (and the region's own city on the network map)
is told by a thick cased ring and its label, not by red alone."""

from __future__ import annotations

import itertools

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from test_style_palettes import MIN_DELTA_E, ciede2000, seen_lab

from regiopole import style
from regiopole.maps import build_layer, print_map
from regiopole.maps.indicators import NO_DATA
from regiopole.maps.static import OBERZENTRUM_KEY

#: Lightness difference (CIELAB L*) two patches need to be told apart in greyscale print.
MIN_DELTA_L = 8.0


def layer_with_gaps(region):
    """Every class of every indicator present, and three municipalities without a value."""
    ags, names = list(region.ags), list(region.municipalities["name"])
    shown = ags[3:]  # the first three have no value: "keine Angabe"
    spread = [5 + (i * 95 / (len(shown) - 1)) for i in range(len(shown))]
    inventory = pd.DataFrame({"ags": shown, "name": names[3:], "maturity_index": spread,
                              "index_low": spread, "index_high": spread})
    participation = pd.DataFrame({"ags": shown, "name": names[3:],
                                  "participated": ["nein" if i % 3 == 0 else "ja" for i in range(len(shown))]})
    broadband = pd.DataFrame({"ags": shown, "name": names[3:], "vintage": pd.Timestamp("2021-06-30"),
                              "hh_1000": spread})
    return build_layer(region.municipalities, region.oberzentrum, inventory=inventory,
                       participation=participation, broadband=broadband)


def legend_classes(fig: plt.Figure) -> dict[str, tuple[str, str | None]]:
    """Legend label -> (fill colour, hatch) of the class entries (not the Oberzentrum's)."""
    legends = [a for a in fig.axes[0].artists if isinstance(a, Legend)] + [fig.axes[0].get_legend()]
    found = {}
    for legend in legends:
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            if isinstance(handle, Patch) and not text.get_text().startswith("Oberzentrum"):
                found[text.get_text()] = (handle.get_facecolor(), handle.get_hatch() or None)
    return found


def apart(first: tuple, second: tuple) -> bool:
    (colour1, hatch1), (colour2, hatch2) = first, second
    if hatch1 != hatch2:
        return True
    c1, c2 = (mcolors.to_hex(c) if not isinstance(c, str) else c for c in (colour1, colour2))
    light = abs(seen_lab(c1, "normal")[0] - seen_lab(c2, "normal")[0]) >= MIN_DELTA_L
    return light and all(ciede2000(seen_lab(c1, v), seen_lab(c2, v)) >= MIN_DELTA_E
                         for v in ("normal", "deuteranopia", "protanopia"))


@pytest.mark.parametrize("name", ["maturity_index", "population", "hh_1000", "participated"])
def test_every_legend_class_is_told_apart_without_colour_vision(region, name: str) -> None:
    fig = print_map(layer_with_gaps(region), name)
    classes = legend_classes(fig)
    assert len(classes) >= 2, classes
    if name != "population":
        assert any(label.startswith(NO_DATA) for label in classes), classes
    close = [(a, b) for a, b in itertools.combinations(classes, 2) if not apart(classes[a], classes[b])]
    assert not close, f"{name}: classes that only colour vision tells apart: {close}"
    plt.close(fig)


def test_no_data_has_its_own_pattern_next_to_a_hatched_category(region) -> None:
    fig = print_map(layer_with_gaps(region), "participated")
    classes = legend_classes(fig)
    hatches = {label.split(" (")[0]: hatch for label, (_, hatch) in classes.items()}
    assert hatches["ja"] is None and hatches["nein"] and hatches[NO_DATA] and hatches["nein"] != hatches[NO_DATA]
    assert f"{NO_DATA}: 3 (gepunktet)" in fig.alt_text and "(schraffiert)" in fig.alt_text
    plt.close(fig)


def test_the_oberzentrum_is_marked_by_ring_width_casing_and_bold_name(region) -> None:
    fig = print_map(layer_with_gaps(region), "maturity_index")
    ax = fig.axes[0]
    ringed = [c for c in ax.collections if c.get_linewidths().size and max(c.get_linewidths()) >= 2]
    assert len(ringed) == 1 and ringed[0].get_path_effects(), "one thick, white-cased ring"
    thin = max(max(c.get_linewidths()) for c in ax.collections if c not in ringed)
    assert max(ringed[0].get_linewidths()) >= 3 * thin
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold" and t.get_text() != "N"]  # N: north arrow
    assert bold == [region.oberzentrum_name]
    legend = " ".join(t.get_text() for a in ax.artists if isinstance(a, Legend) for t in a.get_texts())
    assert f"Oberzentrum ({region.oberzentrum_name}): {OBERZENTRUM_KEY}" in " ".join(legend.split())
    plt.close(fig)


def test_the_network_map_names_the_regions_own_city_in_its_label(region) -> None:
    from regiopole.data import load_regiopolen
    from regiopole.maps import network_print_map

    regiopolen = load_regiopolen()
    fig = network_print_map(regiopolen, region.oberzentrum)
    labels = [t.get_text() for t in fig.axes[0].texts]
    own = regiopolen.loc[regiopolen["ags"].eq(region.oberzentrum), "name"].iloc[0]
    assert f"{own} (diese Region)" in labels
    assert all(any(t.startswith(n) for t in labels) for n in regiopolen["name"])  # every lead area by its city's name
    plt.close(fig)
