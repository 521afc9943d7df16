"""The explorers' callbacks draw without error and react to their controls."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from reference import explorers  # noqa: E402


@pytest.mark.parametrize("draw, a, b", [
    (explorers.draw_neuron, {"w": 1.0, "b": 0.0}, {"w": -2.0, "b": 1.5}),
    (explorers.draw_relu_sum, {"k": 2}, {"k": 12}),
    (explorers.draw_gradient_norms, {"depth": 5}, {"depth": 30, "activation": "relu"}),
])
def test_a_control_changes_the_picture(draw, a, b):
    first, second = draw(**a), draw(**b)
    first.canvas.draw(), second.canvas.draw()
    assert first.axes[0].get_title() != second.axes[0].get_title() or \
        [l.get_ydata().tolist() for l in first.axes[0].lines] != [l.get_ydata().tolist() for l in second.axes[0].lines]
    plt.close("all")


@pytest.mark.parametrize("make", [explorers.neuron_explorer, explorers.relu_sum_explorer,
                                  explorers.gradient_explorer])
def test_explorer_widgets_build(make):
    widget = make()
    assert len(widget.children) >= 2
    plt.close("all")
