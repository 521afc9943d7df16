"""Explorer of notebook 03: which units die during training, by learning rate, initial bias and
seed. Each choice trains its own network (``dying_run``, about 30 ms, cached per setting)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from reference.dying import BIASES, EPOCHS, LEARNING_RATES, SEEDS, dying_run
from reference.explorers.common import Explorer, axes, interactive_figure

# light = alive, dark = dead: told apart by lightness alone, so by every reader (colour-blind or not)
ALIVE_DEAD = ListedColormap(["#d6e4f0", "#1b2a41"])


def death_order(dead: np.ndarray) -> np.ndarray:
    """Units sorted by the epoch they died (never-dead units last), for a readable picture."""
    first = np.where(dead.any(axis=0), dead.argmax(axis=0), dead.shape[0])
    return np.argsort(first, kind="stable")


def draw_dying(lr: float = 5.0, bias: float = 0.0, seed: int = 0) -> Figure:
    """Train a 2-64-1 ReLU network on the moons at learning rate ``lr``, every hidden bias
    starting at ``bias``, from seed ``seed`` (``dying_run``, cached per setting), and draw which
    hidden units are dead (dark) or alive (light) after each epoch, units sorted by when they
    died: the dark area's edge is the dead-fraction curve (vermillion, solid), in % of the 64
    units; the training accuracy (orange, dashed), in % of the 200 inputs, shares the axis."""
    history = dying_run(lr, bias, seed)
    dead = history.dead_matrix                              # (epochs + 1, units)
    fig, ax = axes()
    ax.imshow(dead[:, death_order(dead)].T, aspect="auto", cmap=ALIVE_DEAD, vmin=0, vmax=1,
              interpolation="nearest", origin="lower", extent=(-0.5, EPOCHS + 0.5, 0, 100))
    epochs = np.arange(EPOCHS + 1)
    dead_percent, accuracy = 100 * history.dead_fraction, 100 * np.array(history.accuracy)
    ax.step(epochs, dead_percent, where="mid", color="C3", lw=2.5, label="dead units (% of the 64)")
    ax.plot(epochs, accuracy, "--", color="C1", lw=2, label="training accuracy (%)")
    ax.set(xlabel="epoch (0 = before training)", ylabel="% of the units, or of the inputs",
           ylim=(-2, 102))                                  # a line at 0 % or 100 % clears the spine
    fig.subplots_adjust(top=0.8)                            # room for the key above the plot
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    fig.suptitle(f"lr {lr:g}, bias {bias:g}, seed {seed}: at the end {dead_percent[-1]:.0f} % of the "
                 f"units dead, accuracy {accuracy[-1]:.0f} %", fontsize=10, y=0.97)
    return fig


def dying_explorer() -> widgets.interactive:
    """Sliders for the learning rate, the initial bias (the notebook's grids) and the seed: each
    setting trains its own network the first time it is chosen."""
    return interactive_figure(
        draw_dying,
        lr=widgets.SelectionSlider(options=list(LEARNING_RATES), value=5.0, description="learning rate"),
        bias=widgets.SelectionSlider(options=list(BIASES), value=0.0, description="initial bias"),
        seed=widgets.IntSlider(value=0, min=min(SEEDS), max=max(SEEDS), description="seed",
                               continuous_update=False))


EXPLORERS = (                       # the first setting is the widget's opening one: what a learner sees
    Explorer("dead units during training (03)", draw_dying, dying_explorer,
             ({"lr": 5.0, "bias": 0.0, "seed": 0}, {"lr": 10.0, "bias": -1.0, "seed": 3})),
)
