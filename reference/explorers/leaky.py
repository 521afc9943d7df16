"""Explorer of notebook 04: Leaky ReLU's slope alpha in a network that dies.

For the chosen alpha and seed, ``reference.leaky.dying_course`` trains the dying set-up of
section 5 (2-32-32-1 on the spirals, 20 epochs at learning rate 3): a ReLU network and a Leaky
ReLU network of that slope, from the same random draws, side by side. The figure shows, epoch by
epoch, the fraction of hidden units inactive (z <= 0 on every training input: dead, for ReLU)
and the training accuracy; a run that diverges (at alpha >= 0.2 some seeds do, at this rate) is
drawn up to its last finite epoch, and its title says when its loss became NaN. Alpha = 0, ReLU
itself, is not offered: both lines would be the same. Each (alpha, seed) trains once, on first
use (a few tens of ms), then is cached; nothing is computed at import.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from reference import leaky
from reference.explorers.common import Explorer, interactive_figure

ALPHAS = (0.001, 0.003, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3)      # alpha = 0 is ReLU: both lines alike
SEEDS = tuple(range(10)) + tuple(range(100, 110))
STYLES = ({"color": "C0", "ls": "-"}, {"color": "C1", "ls": (0, (4, 2))})     # ReLU, Leaky ReLU


def draw_alpha(alpha: float = 0.01, seed: int = 0) -> Figure:
    """The dying set-up trained for ``alpha`` and ``seed``: inactive units and training accuracy
    per epoch, for ReLU and for Leaky ReLU of slope ``alpha`` from the same initial draws. A run
    that diverged (its loss NaN or inf from epoch k) is drawn up to epoch k - 1, ending in an x,
    and its title says so: after that its records mean nothing."""
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be above 0 (alpha = 0 is ReLU itself) and at most 1, got {alpha}")
    course = leaky.dying_course(float(alpha), int(seed))
    epochs = np.arange(course["inactive"].shape[1])
    ends = [k if k >= 0 else len(epochs) for k in course["diverged_at"]]      # epochs drawn, per run

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.2))
    fig.subplots_adjust(left=0.075, right=0.98, bottom=0.15, top=0.83, wspace=0.22)
    for row, (style, end) in enumerate(zip(STYLES, ends)):
        marker = {"marker": "x", "markevery": [end - 1], "ms": 7, "mew": 1.6} if end < len(epochs) else {}
        left.plot(epochs[:end], 100 * course["inactive"][row, :end], lw=2, **style, **marker)
        right.plot(epochs[:end], 100 * course["accuracy"][row, :end], lw=2, **style, **marker)
    right.axhline(50, color="0.5", ls=":", lw=1)                  # chance
    left.set(xlim=(0, epochs[-1]), xticks=epochs[::10], ylim=(-3, 103), yticks=[0, 50, 100], xlabel="epoch",
             ylabel="inactive units (% of hidden units)")
    right.set(xlim=(0, epochs[-1]), xticks=epochs[::10], ylim=(-3, 103), yticks=[0, 50, 100], xlabel="epoch",
              ylabel="training accuracy (%; 50 = chance)")

    def ending(row: int, value: np.ndarray, what: str) -> str:
        """A run's last value, or the epoch it diverged at."""
        k = course["diverged_at"][row]
        return f"diverged (NaN) at epoch {k}" if k >= 0 else f"{100 * value[row, -1]:.0f} %{what}"
    # titles at a fixed height skip matplotlib's automatic placement, a costly layout step
    # no legend (its drawing costs as much as a panel's ticks): the titles name the lines
    left.set_title(f"Seed {seed}, learning rate 3, after {epochs[-1]} epochs: ReLU (solid)\n"
                   f"{ending(0, course['inactive'], ' dead')}, Leaky ReLU α = {alpha:g} (dashed) "
                   f"{ending(1, course['inactive'], ' inactive')}", y=1.01, fontsize=9.5)
    right.set_title(f"Training accuracy: ReLU (solid) {ending(0, course['accuracy'], '')},\n"
                    f"Leaky ReLU (dashed) {ending(1, course['accuracy'], '')}", y=1.01, fontsize=9.5)
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
