"""Explorer of notebook 03: which units die during training, by learning rate and initial bias."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from reference.dying import BIASES, EPOCHS, LEARNING_RATES, dying_run
from reference.explorers.common import Explorer, axes, interactive_figure

ALIVE_DEAD = ListedColormap(["#d6e4f0", "#1b2a41"])      # light = alive, dark = dead


def death_order(dead: np.ndarray) -> np.ndarray:
    """Units sorted by the epoch they died (never-dead units last), for a readable picture."""
    first = np.where(dead.any(axis=0), dead.argmax(axis=0), dead.shape[0])
    return np.argsort(first, kind="stable")


def draw_dying(lr: float = 5.0, bias: float = 0.0) -> Figure:
    """Which hidden units are dead (dark) or alive (light) after each epoch, units sorted by
    when they died, so that the dark area's edge is the dead-fraction curve (red, left axis, in
    % of units); the training accuracy (orange) has its own axis on the right. One cached run
    per (lr, bias)."""
    history = dying_run(lr, bias)
    dead = history.dead_matrix                              # (epochs + 1, units)
    fig, ax = axes()
    fig.subplots_adjust(right=0.88)                         # room for the accuracy axis
    ax.imshow(dead[:, death_order(dead)].T, aspect="auto", cmap=ALIVE_DEAD, vmin=0, vmax=1,
              interpolation="nearest", origin="lower", extent=(-0.5, EPOCHS + 0.5, 0, 100))
    epochs = np.arange(EPOCHS + 1)
    dead_percent, accuracy = 100 * history.dead_fraction, 100 * np.array(history.accuracy)
    ax.step(epochs, dead_percent, where="mid", color="C3", lw=2)
    ax.set(xlabel="epoch (0 = before training)", ylim=(0, 100))
    ax.set_ylabel("dead units (red), % of the layer", color="C3")
    right = ax.twinx()
    right.plot(epochs, accuracy, color="C1", lw=2)
    right.set_ylim(0, 100)
    right.set_ylabel("training accuracy (%)", color="C1")
    right.tick_params(axis="y", colors="C1")
    ax.set_title(f"lr {lr:g}, bias {bias:g}: at the end {dead_percent[-1]:.0f} % dead (red), "
                 f"accuracy {accuracy[-1]:.0f} % (orange)", fontsize=10)
    return fig


def dying_explorer() -> widgets.interactive:
    """Sliders over the precomputed grid of learning rates and initial biases."""
    return interactive_figure(
        draw_dying,
        lr=widgets.SelectionSlider(options=list(LEARNING_RATES), value=5.0, description="learning rate"),
        bias=widgets.SelectionSlider(options=list(BIASES), value=0.0, description="initial bias"))


EXPLORERS = (
    Explorer("dead units during training (03)", draw_dying, dying_explorer,
             ({"lr": 1.0, "bias": 0.0}, {"lr": 10.0, "bias": -1.0})),
)
