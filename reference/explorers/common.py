"""The notebooks' interactive explorers, one module per notebook.

Each explorer is a plain drawing function, ``draw_*(**values) -> Figure``, that tests and
benchmarks call directly, and a ``*_explorer()`` that wires it to ipywidgets controls. Figures
are small, with fixed margins, and drawn from scratch on each update, which keeps an update
under about 100 ms. Shared pieces live here; ``EXPLORERS`` lists every explorer with its
callback and two sets of control values, for the tests and the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

FIGSIZE = (6.0, 3.2)


@dataclass(frozen=True)
class Explorer:
    """An explorer as the tests and benchmarks see it: its drawing callback, its widget, and
    two settings of its controls that must draw different pictures."""

    name: str
    draw: Callable[..., Figure]
    widget: Callable[[], widgets.Widget]
    settings: tuple[dict[str, Any], dict[str, Any]]


def axes() -> tuple[Figure, plt.Axes]:
    """A small figure with fixed margins (automatic layout would double the drawing time)."""
    fig, ax = plt.subplots(figsize=FIGSIZE)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.16, top=0.89)
    return fig, ax


def interactive_figure(draw: Callable[..., Figure], **controls: Any) -> widgets.interactive:
    """Controls that redraw ``draw(**values)`` whenever one of them moves."""
    def show(**values: Any) -> None:
        draw(**values)
        plt.show()
    return widgets.interactive(show, **controls)


