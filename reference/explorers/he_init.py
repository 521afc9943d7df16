"""Explorer of notebook 05: the size of z at every layer of a deep stack, by init, activation and seed.

Every setting of (init, width, activation, seed) draws its own DEPTH-layer stack (BATCH = 128
standard normal inputs, then the weights, from ``default_rng(seed)``) and measures std(z) at every
layer, exactly as ``reference.he_init.normal_stack`` (or ``torch_default_stack``) does for that seed
with its default batch: seed s of the explorer is seed s of the notebook's sections 4 and 12. The
result is cached per setting. The depth control reads the first ``depth`` layers: a stack of that depth
drawn from the same seed is exactly those layers (the same draws, in the same order).
"""

from __future__ import annotations

import math
from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reference.explorers.common import Explorer, interactive_figure
from reference.figures import log_ticks
from reference.he_init import DEPTH, normal_stack, theory_z_std, torch_default_stack
from reference.init import he_std

WIDTHS = (8, 16, 64, 256)             # 8: a few seeds are born dead (seed 52 from layer 12 on)
SEEDS = 100                          # the seed control offers 0 .. SEEDS - 1
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
def stack_curves(init: str, width: int, activation: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Draw the DEPTH-layer stack of this init, width, activation and seed and measure it:
    std(z) per layer ("measured"), its input-dependent part ("signal"), He et al.'s prediction
    ("theory"), whether every z of the layer is exactly 0 ("all_zero": a stack born dead) and
    log10|z| of 8 inputs per layer ("sizes", float32, for the histograms)."""
    alpha = ACTIVATIONS[activation]
    std = weight_std(init, width, alpha)
    if init == "PyTorch nn.Linear default":
        run = torch_default_stack(DEPTH, width, with_bias=True, seed=seed, alpha=alpha)
    else:                            # uncached draws: a learner trying many seeds keeps no matrices
        run = normal_stack(std, (width,) * (DEPTH + 1), alpha=alpha, seed=seed, cached=False)
    with np.errstate(divide="ignore"):
        sizes = np.log10(np.abs(np.array(run.samples))).astype(np.float32)
    return {"measured": run.z_std, "signal": run.signal_std, "sizes": sizes, "all_zero": run.all_zero,
            "theory": theory_z_std(std, DEPTH, width, alpha)}


def log_limits(low: float, high: float) -> tuple[float, float]:
    """Axis limits around values from ``low`` to ``high``: a small margin, and at least a factor
    10 in all, so that a flat curve looks flat (and gets 1-2-5 ticks) rather than zoomed-in noise."""
    pad = max((high / low) ** 0.06, math.sqrt(10 * low / high))
    return low / pad, high * pad


def draw_init_stack(depth: int = 50, width: int = 256, init: str = "He",
                    activation: str = "ReLU", seed: int = 0) -> Figure:
    """Left: std(z) per layer, measured and predicted, log scale. Right: histograms of log10|z|
    at the first, middle and last layer (a shift to the left means the signal is shrinking; a layer
    whose every z is 0 has no log10|z| and is only named in the legend)."""
    curves = stack_curves(init, width, activation, seed)
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
    left.set_ylim(*log_limits(shown_values.min(), shown_values.max()))
    log_ticks(left)
    if curves["all_zero"][:depth].any():               # nothing to draw on a log axis: say why
        dead_from = int(np.argmax(curves["all_zero"])) + 1
        left.text(0.97, 0.05, f"born dead: every z is 0\nfrom layer {dead_from} on", transform=left.transAxes,
                  ha="right", va="bottom", fontsize=7)
    for axis in (left.xaxis, right.xaxis):
        axis.set_major_locator(MaxNLocator(5, integer=True))
    right.set_yticks([])                               # the shapes matter here, not the counts
    left.set(xlabel="layer", ylabel="std of z (log scale)",
             title=f"{init}, {activation}, width {width}, seed {seed}")
    left.title.set_fontsize(9)
    growing = curves["measured"][depth - 1] > curves["measured"][0]
    left.legend(fontsize=7, loc="upper left" if growing else "lower left")   # away from the points
    shown = sorted({1, max(1, depth // 2), depth})
    finite = np.concatenate([curves["sizes"][l - 1][np.isfinite(curves["sizes"][l - 1])] for l in shown])
    if finite.size:                                    # a stack born dead has no |z| > 0 to show
        edges = np.linspace(np.floor(finite.min()), np.ceil(finite.max()) + 1e-6, 61)
        for i, (layer, style) in enumerate(zip(shown, ("-", "--", ":"))):
            if curves["all_zero"][layer - 1]:      # nothing to draw: say so in the legend
                right.plot([], [], color=f"C{i}", ls=style, lw=1.5, label=f"layer {layer}: every z = 0")
                continue
            counts, _ = np.histogram(curves["sizes"][layer - 1], bins=edges)
            right.stairs(counts / max(counts.sum(), 1), edges, color=f"C{i}", ls=style, lw=1.5, label=f"layer {layer}")
        right.legend(fontsize=7)
    right.set(xlabel="log10 |z|", ylabel="share of the layer's z values", title="How large z is at three layers")
    right.title.set_fontsize(9)
    return fig


def init_stack_explorer() -> widgets.interactive:
    """Depth, width, init, activation and seed selectors for a deep stack at initialization."""
    return interactive_figure(
        draw_init_stack,
        depth=widgets.IntSlider(value=50, min=2, max=DEPTH, description="depth", continuous_update=False),
        width=widgets.Dropdown(options=list(WIDTHS), value=256, description="width"),
        init=widgets.Dropdown(options=list(INITS), value="He", description="init"),
        activation=widgets.Dropdown(options=list(ACTIVATIONS), value="ReLU", description="activation"),
        seed=widgets.IntSlider(value=0, min=0, max=SEEDS - 1, description="seed", continuous_update=False))


EXPLORERS = (
    Explorer("std of z per layer by init (05)", draw_init_stack, init_stack_explorer,
             ({"depth": 50, "width": 256, "init": "He", "activation": "ReLU", "seed": 0},
              {"depth": 50, "width": 256, "init": "√(1/n) (LeCun)", "activation": "ReLU", "seed": 1})),
)
