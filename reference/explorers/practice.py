"""Explorer of notebook 06 (the inactive fraction of each layer during training, seed by seed)
and the capstone's workbench (one configuration trained, its curves drawn)."""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from reference import capstone
from reference.explorers.common import Explorer, axes, interactive_figure
from reference.figures import log_ticks
from reference.practice import ALARM, MONITOR_RATES, SEEDS, monitor_runs


def draw_monitor(lr: float = 2.0, seed: int = 0) -> Figure:
    """Per-layer inactive fraction of one ReLU run over the epochs, with its test accuracy."""
    runs = monitor_runs()
    row = runs.at(lr)
    per_layer = runs.inactive[row, SEEDS.index(seed)]
    fig, ax = axes()
    for layer in range(per_layer.shape[1]):
        ax.plot(per_layer[:, layer], lw=2, ls=("-", "--", "-.")[layer % 3],
                label=f"hidden layer {layer + 1}")
    ax.axhline(ALARM, color="0.4", ls=":", lw=1, label="10 % alarm")
    ax.set(xlabel="epoch", ylabel="inactive units (fraction of layer)", ylim=(-0.02, 1.02),
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


def workbench(activation: str = "relu", alpha: float = 0.0, init: str = "he", lr: float = 0.1,
              functions: tuple[Callable, Callable] | None = None) -> capstone.CapstoneResult:
    """The capstone's workbench: train its network with one configuration (with the activation
    functions ``(f, f_prime)`` given, else the reference's; cached then), print what the check
    reports for it, and draw the training loss, the test accuracy per epoch and the inactive
    fraction of each hidden layer after training (rectifiers only). Returns the result."""
    config = {"activation": activation, "alpha": float(alpha), "init": init, "lr": float(lr)}
    result = (capstone.train_configuration(**config) if functions is None
              else capstone.train_runs(**config, functions=functions)[0])
    verdict = "passes" if result.passed else "does not pass"
    print(f"{config}: {capstone.summary(config, result)}\n  -> {verdict} (test accuracy >= "
          f"{capstone.TARGET_ACCURACY:.0%}, at most {capstone.MAX_INACTIVE:.0%} inactive, no NaN)")
    fig, (ax_loss, ax_acc, ax_layers) = plt.subplots(1, 3, figsize=(12, 3.2))
    epochs = np.arange(len(result.loss))
    loss = np.asarray(result.loss)
    finite = np.isfinite(loss)
    ax_loss.plot(epochs[finite], loss[finite], color="C0", marker="o", ms=3)
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="training loss (log scale)", title="training loss")
    log_ticks(ax_loss)
    ax_acc.plot(epochs, 100 * np.asarray(result.test_accuracy_curve), color="C1", marker="s", ms=3,
                label="test")
    ax_acc.plot(epochs, 100 * np.asarray(result.train_accuracy), color="C2", ls="--", label="training")
    ax_acc.axhline(100 * capstone.TARGET_ACCURACY, color="0.4", ls=":", label="target")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(40, 102), title="accuracy")
    ax_acc.legend(fontsize=8, loc="upper left")
    layers = np.arange(1, capstone.DEPTH + 1)
    ax_layers.bar(layers, 100 * np.asarray(result.inactive_per_layer), color="C3")
    ax_layers.set(xlabel="hidden layer", ylabel="inactive units (% of layer)", ylim=(0, 102),
                  title=f"after training: {result.inactive_fraction:.1%} of all units"
                  if result.rectifier else "not a rectifier: none counted")
    fig.subplots_adjust(wspace=0.35)
    return result
