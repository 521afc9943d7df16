"""Explorer of notebook 04: Leaky ReLU's slope alpha, from the formula to a network that dies.

Left: f(z) and f'(z) for the chosen alpha. Right: what 20 epochs of the dying set-up (learning
rate 3, six seeds, ``reference.leaky.dying_runs``) left behind for every alpha of the grid: dead
units, inactive units and exact zeros. The training runs once, on first use, then is cached.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from reference import leaky
from reference.activations import leaky_relu, leaky_relu_grad
from reference.explorers.common import Explorer, interactive_figure

Z = np.linspace(-3, 3, 241)


@lru_cache(maxsize=1)
def alpha_grid_summary() -> dict[str, np.ndarray]:
    """``leaky.dying_summary()`` over ALPHA_GRID and DYING_SEEDS, computed once."""
    return leaky.dying_summary()


def draw_alpha(alpha: float = 0.01) -> Figure:
    """Leaky ReLU and its derivative at ``alpha``, and the dying set-up's outcome for each alpha."""
    grid = leaky.ALPHA_GRID
    if alpha not in grid:
        raise ValueError(f"alpha must be one of the precomputed {grid}")
    summary = alpha_grid_summary()
    k = grid.index(alpha)

    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.2))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.87, wspace=0.28)
    left.axhline(0, color="k", lw=0.5)
    left.axvline(0, color="k", lw=0.5)
    left.plot(Z, leaky_relu(Z, alpha), lw=2.2)
    left.plot(Z, leaky_relu_grad(Z, alpha), "--", lw=1.6)
    left.text(-2.9, 2.75, "solid: f(z)\ndashed: f′(z), 1 or α", fontsize=8, va="top")
    left.set(xlim=(-3, 3), ylim=(-1.0, 3.1), xlabel="pre-activation z",
             xticks=[-2, 0, 2], yticks=[0, 1, 2, 3])
    # a title at a fixed height skips matplotlib's automatic placement, a costly layout step
    left.set_title(f"Leaky ReLU, α = {alpha:g}" + (" (that is ReLU)" if alpha == 0 else ""), y=1.01)

    x = np.arange(len(grid))
    right.axvspan(k - 0.4, k + 0.4, color="C1", alpha=0.15)
    for name, key, colour in (("inactive units (z ≤ 0 on every input; dots: seeds)", "inactive", "C0"),
                              ("dead units (inactive, and no gradient)", "dead", "C3"),
                              ("hidden outputs exactly 0", "zero_fraction", "C2")):
        values = 100 * summary[key]
        right.plot(x, values.mean(axis=1), "o-", color=colour, lw=1.8, ms=4, label=name)
        if key == "inactive":
            right.plot(np.repeat(x, values.shape[1]), values.ravel(), ".", color=colour,
                       alpha=0.35, ms=4)
    right.set_xticks(x, [f"{a:g}" for a in grid])
    right.set(xlim=(-0.5, len(grid) - 0.5), ylim=(-3, 103), yticks=[0, 50, 100], xlabel="α (0 = ReLU)",
              ylabel="% (line: mean of 6 seeds)")
    right.set_title(f"α = {alpha:g} after the dying set-up: "
                    f"{100 * summary['dead'][k].mean():.0f} % dead, "
                    f"{100 * summary['inactive'][k].mean():.0f} % inactive", y=1.01, fontsize=9.5)
    right.legend(loc="upper right", fontsize=7.5)
    return fig


def alpha_explorer() -> widgets.interactive:
    """A slider over the precomputed alphas."""
    return interactive_figure(
        draw_alpha, alpha=widgets.SelectionSlider(options=list(leaky.ALPHA_GRID), value=0.01,
                                                  description="α"))


EXPLORERS = (
    Explorer("Leaky ReLU's alpha in the dying set-up (04)", draw_alpha, alpha_explorer,
             ({"alpha": 0.0}, {"alpha": 0.1})),
)
