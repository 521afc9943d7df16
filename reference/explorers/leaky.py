"""Explorer of notebook 04: Leaky ReLU's slope alpha, from the formula to a network that dies.

Left: f(z) and f'(z) for the chosen alpha. Right: what 20 epochs of the dying set-up (learning
rate 3, ten seeds, ``reference.leaky.dying_runs``) left behind for every alpha of the grid: dead
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

    fig, (left, right) = plt.subplots(1, 2, figsize=(9.3, 3.4))
    fig.subplots_adjust(left=0.065, right=0.765, bottom=0.16, top=0.82, wspace=0.3)
    left.axhline(0, color="k", lw=0.5)
    left.axvline(0, color="k", lw=0.5)
    left.plot(Z, leaky_relu(Z, alpha), color="C0", lw=2.2, label="f(z)")
    left.plot(Z, leaky_relu_grad(Z, alpha), color="C3", ls="--", lw=1.6, label="f′(z): 1 or α")
    left.set(xlim=(-3, 3), ylim=(-1.0, 3.1), xlabel="pre-activation z", ylabel="f(z) and f′(z)",
             xticks=[-2, 0, 2], yticks=[0, 1, 2, 3])
    left.legend(loc="upper left", fontsize=8)
    # a title at a fixed height skips matplotlib's automatic placement, a costly layout step
    left.set_title(f"Leaky ReLU, α = {alpha:g}" + (" (that is ReLU)" if alpha == 0 else ""),
                   y=1.01, fontsize=10.5)

    x = np.arange(len(grid))
    right.axvspan(k - 0.4, k + 0.4, color="C1", alpha=0.15)
    inactive = 100 * summary["inactive"]
    right.plot(x, inactive.mean(axis=1), "o-", color="C0", lw=1.8, ms=4,
               label="inactive units\n(z ≤ 0 on every input)")
    right.plot(np.repeat(x, inactive.shape[1]), inactive.ravel(), ".", color="C0", alpha=0.35, ms=4,
               label="inactive, each seed")
    right.plot(x[grid.index(0.0)], 100 * summary["dead"][grid.index(0.0)].mean(), "s", color="C3", ms=7,
               mfc="none", mew=1.8, label="dead units (ReLU only:\nfor α > 0, 0 by definition)")
    right.plot(x, 100 * summary["zero_fraction"].mean(axis=1), "o-", color="C2", lw=1.8, ms=4,
               label="hidden outputs\nexactly 0")
    right.set_xticks(x, [f"{a:g}" for a in grid])
    right.set(xlim=(-0.5, len(grid) - 0.5), ylim=(-3, 103), yticks=[0, 50, 100], xlabel="α (0 = ReLU)",
              ylabel=f"% (lines: mean of {inactive.shape[1]} seeds)")
    what = (f"{100 * summary['dead'][k].mean():.0f} % dead" if grid[k] == 0
            else f"{100 * summary['inactive'][k].mean():.0f} % inactive")
    right.set_title(f"After the dying set-up, α = {alpha:g}:\n{what}", y=1.01, fontsize=9.5)
    right.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7.5, labelspacing=0.9)
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
