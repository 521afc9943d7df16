"""Every explorer's callback draws without error, reacts to its controls, and has a widget."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reference.explorers import all_explorers  # noqa: E402

EXPLORERS = all_explorers()


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("explorer", EXPLORERS, ids=[e.name for e in EXPLORERS])
def test_moving_a_control_changes_the_picture(explorer):
    first, second = (pixels(explorer.draw(**values)) for values in explorer.settings)
    assert first.shape == second.shape and not np.array_equal(first, second)
    plt.close("all")


@pytest.mark.parametrize("explorer", EXPLORERS, ids=[e.name for e in EXPLORERS])
def test_the_widget_builds_with_controls_and_an_output(explorer):
    widget = explorer.widget()
    assert len(widget.children) >= 2
    plt.close("all")


def test_every_notebook_from_01_has_an_explorer():
    names = " ".join(e.name for e in EXPLORERS)
    assert "(01)" in names and "(02)" in names
