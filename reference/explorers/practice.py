"""Explorer of notebook 06: the inactive fraction of each layer during training, seed by seed."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure

from reference import capstone
from reference.explorers.common import Explorer, axes, interactive_figure
from reference.practice import MONITOR_RATES, SEEDS, monitor_runs


def draw_monitor(lr: float = 2.0, seed: int = 0) -> Figure:
    """Per-layer inactive fraction of one ReLU run over the epochs, with its test accuracy."""
    runs = monitor_runs()
    row = runs.at(lr)
    per_layer = runs.inactive[row, SEEDS.index(seed)]
    fig, ax = axes()
    for layer in range(per_layer.shape[1]):
        ax.plot(per_layer[:, layer], lw=2, label=f"hidden layer {layer + 1}")
    ax.axhline(capstone.MAX_INACTIVE, color="0.4", ls=":", lw=1, label="10 % alarm")
    ax.set(xlabel="epoch", ylabel="fraction of units inactive", ylim=(-0.02, 1.02),
           title=f"ReLU, lr {lr}, seed {seed}: test accuracy {runs.test_accuracy[row, seed]:.0%}")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def monitor_explorer() -> widgets.interactive:
    """A learning-rate slider and a seed slider over the precomputed runs (moving one only draws)."""
    monitor_runs()
    return interactive_figure(
        draw_monitor,
        lr=widgets.SelectionSlider(options=MONITOR_RATES, value=2.0, description="learning rate"),
        seed=widgets.SelectionSlider(options=SEEDS, value=0, description="seed"))


EXPLORERS = (
    Explorer("dead-unit monitor (06)", draw_monitor, monitor_explorer,
             ({"lr": 2.0, "seed": 0}, {"lr": 0.1, "seed": 5})),
)
