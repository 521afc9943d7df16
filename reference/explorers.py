"""The notebooks' interactive explorers.

Each explorer is a plain drawing function, ``draw_*(**values) -> Figure``, that tests and
benchmarks call directly, and a ``*_explorer()`` that wires it to ipywidgets controls. Figures
are small and drawn from scratch on each update, which keeps an update well under 100 ms.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from reference import piecewise
from reference.activations import relu
from reference.data import moons
from reference.network import MLP, layer_gradient_norms

FIGSIZE = (6.0, 3.2)


def _axes() -> tuple[Figure, plt.Axes]:
    """A small figure with fixed margins (automatic layout would double the drawing time)."""
    fig, ax = plt.subplots(figsize=FIGSIZE)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.16, top=0.89)
    return fig, ax


def plain_log_ticks(ax: plt.Axes) -> None:
    """Label a log y-axis as 1e-06 rather than with typeset powers of ten (5x faster to draw)."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0e}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def interactive_figure(draw: Callable[..., Figure], **controls: Any) -> widgets.interactive:
    """Controls that redraw ``draw(**values)`` whenever one of them moves."""
    def show(**values: Any) -> None:
        draw(**values)
        plt.show()
    return widgets.interactive(show, **controls)


# ----------------------------------------------------------------------------- 01: one neuron

def draw_neuron(w: float = 1.0, b: float = 0.0) -> Figure:
    """relu(w x + b) for one input x: a hinge whose kink sits at x = -b / w."""
    x = np.linspace(-3, 3, 301)
    fig, ax = _axes()
    ax.plot(x, w * x + b, "--", color="0.6", label="z = w x + b")
    ax.plot(x, relu(w * x + b), lw=2.5, label="relu(w x + b)")
    if w != 0 and abs(b / w) <= 3:
        ax.axvline(-b / w, color="C3", lw=0.8, ls=":", label=f"kink at x = {-b / w:.2f}")
    ax.set(xlim=(-3, 3), ylim=(-3, 6), xlabel="input x", ylabel="output",
           title=f"One ReLU neuron, w = {w:.2f}, b = {b:.2f}")
    ax.axhline(0, color="k", lw=0.5)
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


def relu_sum_error(k: int) -> float:
    """Root-mean-square error of the best fit of the curve by a line plus k ReLUs."""
    knots, coefficients = piecewise.fit_relu_sum(CURVE_X, CURVE_Y, k)
    fit = piecewise.relu_features(CURVE_X, knots) @ coefficients
    return float(np.sqrt(np.mean((fit - CURVE_Y) ** 2)))


def draw_relu_sum(k: int = 4) -> Figure:
    """The curve sin(2x) + x/2 and its least-squares fit by a line plus k ReLUs."""
    knots, coefficients = piecewise.fit_relu_sum(CURVE_X, CURVE_Y, k)
    fit = piecewise.relu_features(CURVE_X, knots) @ coefficients
    fig, ax = _axes()
    ax.plot(CURVE_X, CURVE_Y, color="0.5", lw=3, alpha=0.6, label="target sin(2x) + x/2")
    ax.plot(CURVE_X, fit, color="C1", lw=1.8, label=f"line + {k} ReLUs")
    ax.plot(knots, piecewise.relu_features(knots, knots) @ coefficients, "o", color="C1", ms=4)
    ax.set(xlabel="x", ylabel="y", ylim=(-3, 3),
           title=f"k = {k} kinks: RMS error {relu_sum_error(k):.3f}")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def relu_sum_explorer() -> widgets.interactive:
    """A slider for the number of ReLUs in the fit."""
    return interactive_figure(
        draw_relu_sum, k=widgets.IntSlider(value=2, min=1, max=24, description="ReLUs k"))


# ----------------------------------------------------------------------------- 02: gradients

GRADIENT_DATA = moons(128, rng=0)
GOOD_INIT = {"relu": "he", "leaky_relu": "he", "sigmoid": "xavier", "tanh": "xavier"}


@lru_cache(maxsize=256)
def hidden_gradient_norms(activation: str, depth: int, width: int = 32) -> np.ndarray:
    """‖dL/dW‖ of each hidden layer of a fresh network (seed 0, its activation's usual init)."""
    net = MLP((2,) + (width,) * depth + (1,), activation=activation, init=GOOD_INIT[activation], rng=0)
    return layer_gradient_norms(net, *GRADIENT_DATA)[:-1]


def draw_gradient_norms(depth: int = 20, activation: str = "sigmoid", width: int = 32) -> Figure:
    """Per-layer weight-gradient norms of a fresh depth-layer network, on a log scale."""
    fig, ax = _axes()
    for name in ("sigmoid", "tanh", "relu"):
        norms = hidden_gradient_norms(name, depth, width)
        chosen = name == activation
        ax.semilogy(np.arange(1, depth + 1), norms, "o-" if chosen else "-", ms=3,
                    lw=2.2 if chosen else 0.8, alpha=1.0 if chosen else 0.35, label=name)
    plain_log_ticks(ax)
    ax.set(xlabel="hidden layer (1 = next to the input)", ylabel="‖dL/dW‖",
           title=f"Gradient reaching each layer of a {depth}-layer {activation} network")
    ax.legend(fontsize=8)
    return fig


def gradient_explorer() -> widgets.interactive:
    """A depth slider and an activation selector for the per-layer gradient norms."""
    return interactive_figure(
        draw_gradient_norms,
        depth=widgets.IntSlider(value=20, min=2, max=40, description="depth"),
        activation=widgets.Dropdown(options=["sigmoid", "tanh", "relu"], value="sigmoid",
                                    description="highlight"),
        width=widgets.fixed(32))
