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


def workbench(activation: str = "relu", alpha: float = 0.0, init: str = "he", lr: float = 0.3,
              functions: tuple[Callable, Callable] | None = None) -> capstone.Trial:
    """The capstone's workbench: train its network with one configuration from each of the seeds
    the check uses (with the activation functions ``(f, f_prime)`` given, else the reference's,
    cached then), print what the check reports for it, and draw each seed's training loss and
    test accuracy per epoch, and the inactive fraction of each hidden layer before and after
    training for the seed that lost the most units (rectifiers only). Returns the trial."""
    config = capstone.normalized(activation, alpha, init, lr)
    trial = (capstone.train_configuration(**config) if functions is None
             else capstone.Trial(capstone.train_runs(**config, functions=functions)))
    verdict = "passes" if trial.passed else "does not pass"
    print(f"{config}: {capstone.summary(config, trial)}\n  -> {verdict} (on every seed: test "
          f"accuracy >= {capstone.TARGET_ACCURACY:.0%}, at most {capstone.MAX_LOST:.0%} of the units "
          "lost, no NaN)")
    fig, (ax_loss, ax_acc, ax_layers) = plt.subplots(1, 3, figsize=(12, 3.2))
    epochs = np.arange(capstone.EPOCHS + 1)
    for k, run in enumerate(trial.runs):
        style = dict(ls=("-", "--", ":")[k % 3], marker="os^"[k % 3], ms=3, color=f"C{k}")
        loss = np.asarray(run.loss)
        finite = np.isfinite(loss)
        ax_loss.plot(epochs[finite], loss[finite], label=f"seed {run.seed}", **style)
        ax_acc.plot(epochs, 100 * np.asarray(run.test_accuracy_curve), label=f"seed {run.seed}", **style)
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="training loss (log scale)", title="training loss")
    log_ticks(ax_loss)
    ax_loss.legend(fontsize=8)
    ax_acc.axhline(100 * capstone.TARGET_ACCURACY, color="0.4", ls="-.", lw=1, label="target")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)", ylim=(0, 102), title="test accuracy")
    ax_acc.legend(fontsize=8, loc="lower right")
    layers = np.arange(1, capstone.DEPTH + 1)
    most = trial.most_lost
    ax_layers.bar(layers - 0.2, 100 * np.asarray(most.inactive_per_layer_before), width=0.4,
                  color="0.75", hatch="//", edgecolor="0.4", label="before training")
    ax_layers.bar(layers + 0.2, 100 * np.asarray(most.inactive_per_layer), width=0.4, color="C3",
                  label="after training")
    ax_layers.set(xlabel="hidden layer", ylabel="inactive units (% of layer)", ylim=(0, 102),
                  xticks=layers,
                  title=(f"seed {most.seed}: {100 * most.inactive_before:.1f}% -> "
                         f"{100 * most.inactive_fraction:.1f}%") if trial.rectifier
                  else "not a rectifier: none counted")
    if trial.rectifier:
        ax_layers.legend(fontsize=8, loc="upper left")
    fig.subplots_adjust(wspace=0.35, left=0.06, right=0.98, bottom=0.16, top=0.88)
    return trial


def workbench_explorer() -> widgets.interactive:
    """The workbench behind controls and a "train" button: a training takes a fraction of a
    second, too long to follow a slider, so nothing trains until the button is pressed (each
    configuration once, then remembered). Not in EXPLORERS: an update is a training."""
    def show(activation: str, lr: float, alpha: float, init: str) -> None:   # the controls' order
        workbench(activation, alpha, init, lr)
        plt.show()
    return widgets.interactive(
        show, {"manual": True, "manual_name": "train"},
        activation=widgets.Dropdown(options=("relu", "leaky_relu", "prelu", "tanh", "sigmoid"),
                                    value="relu", description="activation"),
        lr=widgets.SelectionSlider(options=LEARNING_RATES, value=capstone.BASELINE["lr"],
                                   description="learning rate", continuous_update=False),
        alpha=widgets.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.01, description="alpha",
                                  continuous_update=False),
        init=widgets.Dropdown(options=("he", "he_uniform", "xavier", "lecun"), value="he",
                              description="init"))


LEARNING_RATES = (0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.0)
