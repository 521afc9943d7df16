"""What every figure of the course shares: its colours and readable log-axis ticks.

The colours live in ``course.mplstyle`` (Okabe & Ito's colour-blind-safe palette), applied by
each notebook's first cell with ``plt.style.use("reference.course")``; ``PALETTE`` names them
for code that needs a colour by meaning.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter, NullLocator

PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
           "purple": "#CC79A7", "sky": "#56B4E9", "yellow": "#F0E442", "black": "#000000"}


def tick_label(value: float, small_as_powers: bool = False) -> str:
    """A tick label as a person writes it: 0.5, 2, 300, 1e-06, 2e+08. ``small_as_powers`` writes
    every value below 1 as a power of ten (1e-02, not 0.01): for an axis whose smallest ticks need
    that form, so that its labels below 1 read alike."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e4 and not (small_as_powers and abs(value) < 1):
        return f"{value:g}"
    return f"{value:.0e}"


def log_ticks(ax: plt.Axes, axis: str = "y", max_ticks: int = 7) -> None:
    """Readable ticks on a log axis, whatever its range: every decade when the axis spans many,
    1-2-5 steps (0.5, 1, 2, 5) when it spans about one, evenly spaced values (0.9, 1, 1.1) when
    it spans less: never a single lonely label. Labels are plain text (``tick_label``), which
    draws about 5x faster than typeset powers of ten.

    Call it after the data are plotted and the limits set.
    """
    scale_axis = ax.yaxis if axis == "y" else ax.xaxis
    low, high = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    low, high = max(low, 1e-300), max(high, 1e-300)
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    decades = [e for e in range(first, last + 1) if low <= 10.0 ** e <= high]
    step = max(1, math.ceil(len(decades) / max_ticks))
    ticks = [10.0 ** e for e in decades if e % step == 0]     # 1e-40, 1e-32, ..., 1: aligned on 1
    for mantissas in ((1, 2, 5), (1, 2, 3, 5, 7)):
        if len(ticks) >= 3:
            break
        ticks = [m * 10.0 ** e for e in range(first, last + 1) for m in mantissas
                 if low <= m * 10.0 ** e <= high]
    if len(ticks) < 3:                  # less than a factor of about 2: evenly spaced values
        ticks = [t for t in MaxNLocator(nbins=4, steps=[1, 2, 5, 10]).tick_values(low, high)
                 if low <= t <= high]
    small_as_powers = any("e-" in tick_label(t) for t in ticks)    # 1e-06, 1e-03, not 1e-06, 0.001
    scale_axis.set_major_locator(FixedLocator(ticks))
    scale_axis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, small_as_powers)))
    scale_axis.set_minor_locator(NullLocator())
    scale_axis.set_minor_formatter(NullFormatter())
