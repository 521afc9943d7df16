"""Explorer of notebook 02: the gradient reaching each layer, by depth and activation."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reference.data import moons
from reference.figures import log_ticks
from reference.explorers.common import Explorer, axes, interactive_figure
from reference.why_relu import backward_factors, fan_in_mlp


GRADIENT_DATA = moons(128, rng=0)


@lru_cache(maxsize=256)
def hidden_gradient_norms(activation: str, depth: int, width: int = 32, seed: int = 0) -> np.ndarray:
    """‖dL/dz_l‖ at each hidden layer l = 1..depth of a fresh network on the moons, with the
    activation's fan-in init (``reference.why_relu.FAN_IN_GAIN``)."""
    net = fan_in_mlp((2,) + (width,) * depth + (1,), activation, seed)
    return backward_factors(net, *GRADIENT_DATA).delta_norms


def draw_gradient_norms(depth: int = 20, activation: str = "sigmoid", width: int = 32) -> Figure:
    """Per-layer gradient norms ‖dL/dz_l‖ of a fresh depth-layer network, on a log scale."""
    fig, ax = axes()
    for name in ("sigmoid", "tanh", "relu"):
        norms = hidden_gradient_norms(name, depth, width)
        chosen = name == activation
        ax.semilogy(np.arange(1, depth + 1), norms, "o-" if chosen else "-", ms=3,
                    lw=2.2 if chosen else 0.8, alpha=1.0 if chosen else 0.35, label=name)
    log_ticks(ax)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="hidden layer (1 = next to the input)", ylabel="‖dL/dz‖",
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
