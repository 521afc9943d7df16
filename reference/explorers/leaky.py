"""Explorer of notebook 04: Leaky ReLU's slope alpha in a network that dies.

For the chosen alpha and seed, ``reference.leaky.dying_course`` trains the dying set-up of
section 5 (2-32-32-1 on the spirals, 20 epochs at learning rate 3): a ReLU network and a Leaky
ReLU network of that slope, from the same random draws, side by side. The figure shows, epoch by
epoch, the fraction of hidden units inactive (z <= 0 on every training input: dead, for ReLU)
and the training accuracy. Each (alpha, seed) trains once, on first use (a few tens of ms), then
is cached; nothing is computed at import.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from reference import leaky
from reference.explorers.common import Explorer, interactive_figure

ALPHAS = (0.0, 0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3)
SEEDS = tuple(range(10)) + tuple(range(100, 110))
STYLES = ({"color": "C0", "ls": "-"}, {"color": "C1", "ls": (0, (4, 2))})     # ReLU, Leaky ReLU


def draw_alpha(alpha: float = 0.01, seed: int = 0) -> Figure:
    """The dying set-up trained for ``alpha`` and ``seed``: inactive units and training accuracy
    per epoch, for ReLU and for Leaky ReLU of slope ``alpha`` from the same initial draws."""
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}")
    course = leaky.dying_course(float(alpha), int(seed))
    epochs = np.arange(course["inactive"].shape[1])

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.2))
    fig.subplots_adjust(left=0.075, right=0.98, bottom=0.15, top=0.83, wspace=0.22)
    for row, style in enumerate(STYLES):
        left.plot(epochs, 100 * course["inactive"][row], lw=2, **style)
        right.plot(epochs, 100 * course["accuracy"][row], lw=2, **style)
    right.axhline(50, color="0.5", ls=":", lw=1)                  # chance
    left.set(xlim=(0, epochs[-1]), xticks=epochs[::10], ylim=(-3, 103), yticks=[0, 50, 100], xlabel="epoch",
             ylabel="inactive units (% of hidden units)")
    right.set(xlim=(0, epochs[-1]), xticks=epochs[::10], ylim=(-3, 103), yticks=[0, 50, 100], xlabel="epoch",
              ylabel="training accuracy (%; 50 = chance)")
    relu_dead, leaky_inactive = 100 * course["inactive"][:, -1]
    relu_acc, leaky_acc = 100 * np.nan_to_num(course["accuracy"][:, -1])
    # titles at a fixed height skip matplotlib's automatic placement, a costly layout step
    # no legend (its drawing costs as much as a panel's ticks): the titles name the lines
    left.set_title(f"Seed {seed}, learning rate 3, after {epochs[-1]} epochs: ReLU (solid)\n{relu_dead:.0f} % "
                   f"dead, Leaky ReLU α = {alpha:g} (dashed) {leaky_inactive:.0f} % inactive", y=1.01, fontsize=9.5)
    right.set_title(f"Training accuracy: ReLU (solid) {relu_acc:.0f} %,\nLeaky ReLU (dashed) {leaky_acc:.0f} %",
                    y=1.01, fontsize=9.5)
    return fig


def alpha_explorer() -> widgets.interactive:
    """Sliders for alpha and the seed; each new setting trains its two networks (then cached)."""
    return interactive_figure(
        draw_alpha,
        alpha=widgets.SelectionSlider(options=list(ALPHAS), value=0.01, description="α"),
        seed=widgets.SelectionSlider(options=list(SEEDS), value=2, description="seed"))


EXPLORERS = (
    Explorer("Leaky ReLU's alpha in the dying set-up (04)", draw_alpha, alpha_explorer,
             ({"alpha": 0.01, "seed": 2}, {"alpha": 0.1, "seed": 105})),
)
