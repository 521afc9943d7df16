"""Explorers of notebook 01: one ReLU neuron, and sums of ReLUs fitted to a curve."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reference import piecewise
from reference.activations import relu
from reference.explorers.common import Explorer, axes, interactive_figure


def few_ticks(ax) -> None:
    """At most about five ticks per axis: each tick label is text to lay out and draw, most of an
    update's time."""
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))


def draw_neuron(w: float = 1.0, b: float = 0.0) -> Figure:
    """relu(w x + b) for one input x: a hinge whose kink sits at x = -b / w."""
    x = np.linspace(-3, 3, 301)
    fig, ax = axes()
    ax.plot(x, w * x + b, "--", color="0.6", label="z = w x + b")
    ax.plot(x, relu(w * x + b), lw=2.5, label="relu(w x + b)")
    if w != 0 and abs(b / w) <= 3:
        ax.axvline(-b / w, color="C3", lw=0.8, ls=":", label=f"kink at x = {-b / w:.2f}")
    ax.set(xlim=(-3, 3), ylim=(-3, 6), xlabel="input x", ylabel="neuron output",
           title=f"One ReLU neuron, w = {w:.2f}, b = {b:.2f}")
    ax.axhline(0, color="k", lw=0.5)
    few_ticks(ax)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def neuron_explorer() -> widgets.interactive:
    """Sliders for the weight w and the bias b of relu(w x + b)."""
    return interactive_figure(
        draw_neuron,
        w=widgets.FloatSlider(value=1.0, min=-3, max=3, step=0.1, description="weight w"),
        b=widgets.FloatSlider(value=0.0, min=-3, max=3, step=0.1, description="bias b"))


# ----------------------------------------------------------------------------- 01: sums of ReLUs

CURVE_X = np.linspace(-3, 3, 200)
CURVE_Y = np.sin(2 * CURVE_X) + 0.5 * CURVE_X


@lru_cache(maxsize=64)
def relu_sum_fit(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(knots, coefficients, fitted values) of the best fit of the curve by a line plus k ReLUs."""
    knots, coefficients = piecewise.fit_relu_sum(CURVE_X, CURVE_Y, k)
    return knots, coefficients, piecewise.relu_features(CURVE_X, knots) @ coefficients


def relu_sum_error(k: int) -> float:
    """Root-mean-square error of the best fit of the curve by a line plus k ReLUs."""
    return float(np.sqrt(np.mean((relu_sum_fit(k)[2] - CURVE_Y) ** 2)))


def draw_relu_sum(k: int = 4) -> Figure:
    """The curve sin(2x) + x/2 and its least-squares fit by a line plus k ReLUs."""
    knots, coefficients, fit = relu_sum_fit(k)
    fig, ax = axes()
    ax.plot(CURVE_X, CURVE_Y, color="0.5", lw=3, alpha=0.6, label="target sin(2x) + x/2")
    ax.plot(CURVE_X, fit, color="C1", lw=1.8, label=f"line + {k} ReLUs")
    ax.plot(knots, piecewise.relu_features(knots, knots) @ coefficients, "o", color="C1", ms=4)
    ax.set(xlabel="input x", ylabel="output y", ylim=(-3, 3),
           title=f"k = {k} kinks: RMS error {relu_sum_error(k):.3f}")
    few_ticks(ax)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def relu_sum_explorer() -> widgets.interactive:
    """A slider for the number of ReLUs in the fit."""
    return interactive_figure(
        draw_relu_sum, k=widgets.IntSlider(value=2, min=1, max=24, description="ReLUs k"))


EXPLORERS = (
    Explorer("one ReLU neuron (01)", draw_neuron, neuron_explorer,
             ({"w": 1.0, "b": 0.0}, {"w": -2.0, "b": 1.5})),
    Explorer("sum of k ReLUs (01)", draw_relu_sum, relu_sum_explorer, ({"k": 2}, {"k": 12})),
)
