"""Saving the Entwicklungstrends figures: the PNG has the pixels of matplotlib's own drawing of the tight box.

``Report.save_figure`` lets the PNG be drawn by the renderer that measured the tight box
(so that no text is measured twice) and writes an opaque figure as RGB (the alpha channel
is 255 throughout). These tests pin that no pixel changes, that transparency is kept where
there is some, and that a second save of the same figure writes the same bytes.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import RendererAgg  # noqa: E402
from PIL import Image  # noqa: E402

from regiopole import report as reporting  # noqa: E402
from regiopole.data import load_region  # noqa: E402
from regiopole.data.broadband_table import load_broadband  # noqa: E402
from regiopole.example import default_dir  # noqa: E402
from regiopole.trends import analysis, figures, presentation  # noqa: E402


@pytest.fixture(scope="module")
def trends():
    return analysis.analyse(load_region(), table=load_broadband())


def drawings(trends):
    """Each figure of the report, drawn anew on every call (legend outside, long labels, a map)."""
    return {
        "municipalities": lambda: figures.municipal_figure(trends.municipalities, trends.reference),
        "lagging_map": lambda: figures.lagging_map(presentation.map_points(trends, load_region()), trends.threshold),
        "mobile_5g": lambda: figures.mobile_figure(trends.mobile, "5G"),
        "regiopolen": lambda: figures.regiopolen_figure(trends.regiopolen),
    }


def matplotlib_png(fig: plt.Figure) -> np.ndarray:
    """The pixels matplotlib writes for the tight box with a renderer of its own."""
    dpi = plt.rcParams["savefig.dpi"]
    fig.set_dpi(dpi)
    bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(plt.rcParams["savefig.pad_inches"])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches=bbox)
    with Image.open(buffer) as image:
        return np.asarray(image)


@pytest.mark.parametrize("name", ["municipalities", "lagging_map", "mobile_5g", "regiopolen"])
def test_saved_png_has_the_pixels_of_matplotlibs_own_drawing_and_reruns_give_the_same_bytes(tmp_path, trends, name):
    draw = drawings(trends)[name]
    report = reporting.start(default_dir(), tmp_path, show_banner=False)
    expected = matplotlib_png(draw())
    png, svg = report.save_figure(draw(), name, "Bildunterschrift", public_data=True)
    assert (expected[..., 3] == 255).all()  # an opaque figure: its PNG needs no alpha channel
    with Image.open(png) as image:
        assert image.mode == "RGB" and np.array_equal(np.asarray(image), expected[..., :3])
        assert image.info["Title"] == "Bildunterschrift"
        assert image.info["Description"] == " ".join(draw().alt_text.split())
        assert image.info["dpi"] == pytest.approx((plt.rcParams["savefig.dpi"],) * 2, rel=1e-3)  # pixels per metre
    first = png.read_bytes(), svg.read_bytes()
    report.save_figure(draw(), name, "Bildunterschrift", public_data=True)
    assert (png.read_bytes(), svg.read_bytes()) == first


def test_the_png_measures_no_text_a_second_time(tmp_path, trends, monkeypatch):
    """The tight box and the PNG share one renderer: each text is measured once at the PNG's resolution."""
    measured = []
    original = RendererAgg.get_text_width_height_descent

    def counting(self, s, prop, ismath):
        measured.append((s, prop.get_size_in_points(), prop.get_weight(), ismath))
        return original(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counting)
    report = reporting.start(default_dir(), tmp_path, show_banner=False)
    report.save_figure(drawings(trends)["municipalities"](), "municipalities", "Bildunterschrift", public_data=True)
    assert len(measured) > 30  # the Kommune labels, ticks, legend, title
    assert len(measured) == len(set(measured))


def test_a_transparent_figure_keeps_its_alpha_channel(tmp_path, trends):
    def draw():
        fig = figures.regiopolen_figure(trends.regiopolen)
        fig.patch.set_alpha(0.0)
        return fig

    expected = matplotlib_png(draw())
    assert (expected[..., 3] < 255).any()
    report = reporting.start(default_dir(), tmp_path, show_banner=False)
    png, _ = report.save_figure(draw(), "transparent", "Bildunterschrift", public_data=True)
    with Image.open(png) as image:
        assert image.mode == "RGBA" and np.array_equal(np.asarray(image), expected)
