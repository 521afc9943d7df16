"""Explorer of notebook 05: the size of z at every layer of a deep stack, by init and activation."""

from __future__ import annotations

import math
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from reference.figures import log_ticks
from reference.explorers.common import Explorer, interactive_figure
from reference.he_init import DEPTH, normal_stack, theory_z_std, torch_default_stack
from reference.init import he_std

EXPLORER_BATCH = 64
INITS = ("He", "He without the α correction", "√(1/n) (LeCun)", "0.01", "variance 2/n used as std",
         "PyTorch nn.Linear default")
ACTIVATIONS = {"ReLU": 0.0, "Leaky ReLU α = 0.1": 0.1, "Leaky ReLU α = 0.5": 0.5}


def weight_std(init: str, width: int, alpha: float) -> float:
    """The weights' std of each named init for a layer with fan_in = width."""
    return {"He": he_std(width, alpha), "He without the α correction": he_std(width),
            "√(1/n) (LeCun)": math.sqrt(1 / width), "0.01": 0.01,
            "variance 2/n used as std": 2 / width,
            "PyTorch nn.Linear default": 1 / math.sqrt(3 * width)}[init]


@lru_cache(maxsize=64)
def stack_curves(init: str, width: int, activation: str) -> dict[str, np.ndarray]:
    """Measured and predicted std(z) for all DEPTH layers, and log10|z| samples per layer."""
    alpha = ACTIVATIONS[activation]
    std = weight_std(init, width, alpha)
    if init == "PyTorch nn.Linear default":
        run = torch_default_stack(DEPTH, width, with_bias=True, n=EXPLORER_BATCH, alpha=alpha)
    else:
        run = normal_stack(std, (width,) * (DEPTH + 1), alpha=alpha, n=EXPLORER_BATCH)
    with np.errstate(divide="ignore"):
        sizes = np.log10(np.abs(np.array(run.samples)))
    return {"measured": run.z_std, "signal": run.signal_std, "sizes": sizes,
            "theory": theory_z_std(std, DEPTH, width, alpha)}


def draw_init_stack(depth: int = 50, width: int = 256, init: str = "He",
                    activation: str = "ReLU") -> Figure:
    """Left: std(z) per layer, measured and predicted, log scale. Right: histograms of log10|z|
    at the first, middle and last layer (a shift to the left means the signal is shrinking)."""
    curves = stack_curves(init, width, activation)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.4, 3.2))
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.16, top=0.9, wspace=0.16)
    layers = np.arange(1, depth + 1)
    pytorch = init == "PyTorch nn.Linear default"
    left.semilogy(layers, curves["theory"][:depth], "--", color="0.4", lw=1.2,
                  label="theory (weights only)" if pytorch else "theory")
    left.semilogy(layers, curves["measured"][:depth], "o", ms=3, color="C0", label="measured std(z)")
    if pytorch:
        left.semilogy(layers, curves["signal"][:depth], "x", ms=3, color="C3",
                      label="input-dependent part")
    shown_values = np.concatenate([curves[key][:depth] for key in ("theory", "measured", "signal" if pytorch else "measured")])
    shown_values = shown_values[shown_values > 0]
    if shown_values.max() / shown_values.min() < 10:    # under a decade a log axis has one label: go linear
        left.set_yscale("linear")
        left.set_ylim(0, 1.15 * shown_values.max())
        left.yaxis.set_major_locator(MaxNLocator(5))
    else:
        log_ticks(left)
        left.yaxis.set_major_locator(LogLocator(numticks=6))
        left.yaxis.set_minor_locator(NullLocator())    # few ticks: each costs drawing time
    for axis in (left.xaxis, right.xaxis):
        axis.set_major_locator(MaxNLocator(5))
    right.set_yticks([])                               # the shapes matter here, not the counts
    left.set(xlabel="layer", ylabel="std of pre-activations z", title=f"{init}, {activation}, width {width}")
    left.title.set_fontsize(9)
    growing = curves["measured"][depth - 1] > curves["measured"][0]
    left.legend(fontsize=7, loc="upper left" if growing else "lower left")   # away from the points
    shown = sorted({1, max(1, depth // 2), depth})
    finite = np.concatenate([curves["sizes"][l - 1][np.isfinite(curves["sizes"][l - 1])] for l in shown])
    edges = np.linspace(np.floor(finite.min()), np.ceil(finite.max()) + 1e-9, 61)
    for i, layer in enumerate(shown):
        counts, _ = np.histogram(curves["sizes"][layer - 1], bins=edges)
        right.stairs(counts / counts.sum(), edges, color=f"C{i}", lw=1.5, label=f"layer {layer}")
    right.set(xlabel="log10 |z|", ylabel="share of values", title="How large z is at three layers")
    right.title.set_fontsize(9)
    right.legend(fontsize=7)
    return fig


def init_stack_explorer() -> widgets.interactive:
    """Depth, width, init and activation selectors for a deep stack at initialization."""
    return interactive_figure(
        draw_init_stack,
        depth=widgets.IntSlider(value=50, min=2, max=DEPTH, description="depth"),
        width=widgets.Dropdown(options=[16, 64, 256], value=256, description="width"),
        init=widgets.Dropdown(options=list(INITS), value="He", description="init"),
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="ReLU", description="activation"))


EXPLORERS = (
    Explorer("std of z per layer by init (05)", draw_init_stack, init_stack_explorer,
             ({"depth": 50, "width": 256, "init": "He", "activation": "ReLU"},
              {"depth": 20, "width": 64, "init": "0.01", "activation": "Leaky ReLU α = 0.1"})),
)
