"""Explorer of notebook 02: the gradient reaching each layer, by depth and activation."""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
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


LEFT_MARGIN = 0.15


def few_ticks(ax) -> None:
    """Whole layer numbers on x, at most five readable powers on the log y axis: each tick label
    is text to lay out and draw, most of an update's time."""
    log_ticks(ax, max_ticks=5)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))


LINE_STYLES = {"sigmoid": ("C0", "o", "-"), "tanh": ("C1", "s", "--"), "relu": ("C2", "^", "-.")}


def draw_gradient_norms(depth: int = 20, activation: str = "sigmoid", width: int = 32) -> Figure:
    """Per-layer gradient norms ‖dL/dz_l‖ of a fresh depth-layer network, on a log scale."""
    fig, ax = axes()
    fig.subplots_adjust(left=LEFT_MARGIN)                  # room for tick labels such as 1e-12
    for name, (color, marker, dashes) in LINE_STYLES.items():
        norms = hidden_gradient_norms(name, depth, width)
        chosen = name == activation
        ax.semilogy(np.arange(1, depth + 1), norms, color=color, marker=marker if chosen else None,
                    ls=dashes, ms=3, lw=2.2 if chosen else 1.0, alpha=1.0 if chosen else 0.5, label=name)
    few_ticks(ax)
    ax.set(xlabel="hidden layer l (1 = next to the input)", ylabel="‖dL/dz_l‖ (log scale)",
           title=f"Gradient reaching each layer of three fresh {depth}-layer networks")
    ax.legend(fontsize=8)
    return fig


# The quiz figure of notebook 02 (quiz_02's q7): three fresh networks of a depth and seed the
# notebook does not show, drawn as curves A, B, C without their names.
MYSTERY_DEPTH, MYSTERY_SEED = 16, 7
MYSTERY_CURVES = {"A": "relu", "B": "tanh", "C": "sigmoid"}


def mystery_curves() -> dict[str, np.ndarray]:
    """‖dL/dz_l‖ / ‖dL/dz_L‖ at each hidden layer l of the quiz's three 16-layer networks, by letter."""
    return {letter: (norms := hidden_gradient_norms(name, MYSTERY_DEPTH, 32, MYSTERY_SEED)) / norms[-1]
            for letter, name in MYSTERY_CURVES.items()}


# The quiz's curves share no style with any activation's in LINE_STYLES (nor with notebook 02's
# other figures): black, dotted, and markers no activation uses, so a style names no activation.
MYSTERY_STYLE = {"color": "k", "ls": ":"}
MYSTERY_MARKERS = ("D", "v", "x")
MYSTERY_ZOOM = (0.1, 30.0)                  # the right panel: the two curves that do not vanish


def draw_mystery_curves() -> Figure:
    """The quiz figure: the three curves of ``mystery_curves``, named only A, B and C, over their
    whole range (left) and zoomed on 0.1 to 30 (right)."""
    fig, (whole, zoom) = plt.subplots(1, 2, figsize=(10.0, 3.4))
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.84, wspace=0.22)
    layers = np.arange(1, MYSTERY_DEPTH + 1)
    for ax in (whole, zoom):
        ax.axhline(1.0, color="0.6", lw=0.8)                 # the size at the last hidden layer
        for (letter, ratios), marker in zip(mystery_curves().items(), MYSTERY_MARKERS):
            ax.semilogy(layers, ratios, marker=marker, ms=5, lw=1.2, label=f"curve {letter}",
                        **MYSTERY_STYLE)
        ax.set(xlabel="hidden layer l (1 = next to the input)")
    zoom.set_ylim(*MYSTERY_ZOOM)
    for ax in (whole, zoom):
        few_ticks(ax)
    whole.set(ylabel=f"‖dL/dz_l‖ / ‖dL/dz_{MYSTERY_DEPTH}‖ (log scale)", title="whole range")
    zoom.set(ylabel="the same, zoomed (log scale)", title=f"zoomed on {MYSTERY_ZOOM[0]:g} to {MYSTERY_ZOOM[1]:g}")
    whole.legend(fontsize=8)
    fig.suptitle(f"Quiz: three fresh {MYSTERY_DEPTH}-layer networks, which is which?")
    return fig


def gradient_explorer() -> widgets.interactive:
    """A depth slider and an activation selector for the per-layer gradient norms."""
    return interactive_figure(
        draw_gradient_norms,
        depth=widgets.IntSlider(value=20, min=2, max=40, description="depth", continuous_update=False),
        activation=widgets.Dropdown(options=["sigmoid", "tanh", "relu"], value="sigmoid",
                                    description="highlight"),
        width=widgets.fixed(32))


EXPLORERS = (
    Explorer("gradient norm per layer (02)", draw_gradient_norms, gradient_explorer,
             ({"depth": 5, "activation": "sigmoid"}, {"depth": 30, "activation": "relu"})),
)
