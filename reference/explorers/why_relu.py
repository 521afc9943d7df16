"""Explorer of notebook 02: the gradient reaching each layer, by depth and activation."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reference.data import moons
from reference.explorers.common import Explorer, axes, interactive_figure, plain_log_ticks
from reference.network import MLP, layer_gradient_norms


GRADIENT_DATA = moons(128, rng=0)
GOOD_INIT = {"relu": "he", "leaky_relu": "he", "sigmoid": "xavier", "tanh": "xavier"}


@lru_cache(maxsize=256)
def hidden_gradient_norms(activation: str, depth: int, width: int = 32) -> np.ndarray:
    """‖dL/dW‖ of each hidden layer of a fresh network (seed 0, its activation's usual init)."""
    net = MLP((2,) + (width,) * depth + (1,), activation=activation, init=GOOD_INIT[activation], rng=0)
    return layer_gradient_norms(net, *GRADIENT_DATA)[:-1]


def draw_gradient_norms(depth: int = 20, activation: str = "sigmoid", width: int = 32) -> Figure:
    """Per-layer weight-gradient norms of a fresh depth-layer network, on a log scale."""
    fig, ax = axes()
    for name in ("sigmoid", "tanh", "relu"):
        norms = hidden_gradient_norms(name, depth, width)
        chosen = name == activation
        ax.semilogy(np.arange(1, depth + 1), norms, "o-" if chosen else "-", ms=3,
                    lw=2.2 if chosen else 0.8, alpha=1.0 if chosen else 0.35, label=name)
    plain_log_ticks(ax)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
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


EXPLORERS = (
    Explorer("gradient norm per layer (02)", draw_gradient_norms, gradient_explorer,
             ({"depth": 5, "activation": "sigmoid"}, {"depth": 30, "activation": "relu"})),
)
