"""Explorer of notebook 06: the inactive fraction of each layer during training."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from reference import capstone
from reference.explorers.common import Explorer, axes, interactive_figure
from reference.practice import inactive_per_layer, monitored_run

LEARNING_RATES = (0.1, 0.3, 1.0, 2.0)
ACTIVATIONS = ("relu", "leaky_relu")


def draw_monitor(activation: str = "relu", lr: float = 2.0) -> Figure:
    """Per-layer inactive fraction over the epochs, with test accuracy in the title."""
    history = monitored_run(activation, lr)
    per_layer = inactive_per_layer(history, capstone.SIZES[1:-1])
    fig, ax = axes()
    for layer in range(per_layer.shape[1]):
        ax.plot(per_layer[:, layer], lw=2, label=f"hidden layer {layer + 1}")
    ax.axhline(capstone.MAX_INACTIVE, color="0.4", ls=":", lw=1, label="10 % alarm")
    ax.set(xlabel="epoch", ylabel="fraction of units inactive", ylim=(-0.02, 1.0),
           title=f"{activation}, lr {lr}: test accuracy {history.test_accuracy[-1]:.0%}")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def monitor_explorer() -> widgets.interactive:
    """An activation selector and a learning-rate slider over the precomputed runs."""
    for activation in ACTIVATIONS:           # train every setting now: moving a control only draws
        for lr in LEARNING_RATES:
            monitored_run(activation, lr)
    return interactive_figure(
        draw_monitor,
        activation=widgets.ToggleButtons(options=ACTIVATIONS, value="relu", description="activation"),
        lr=widgets.SelectionSlider(options=LEARNING_RATES, value=2.0, description="learning rate"))


EXPLORERS = (
    Explorer("dead-unit monitor (06)", draw_monitor, monitor_explorer,
             ({"activation": "relu", "lr": 2.0}, {"activation": "leaky_relu", "lr": 0.3})),
)
