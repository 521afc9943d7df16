"""The course's figure style and log-axis ticks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from reference.figures import PALETTE, log_ticks, tick_label  # noqa: E402


def labels_of(low: float, high: float, axis: str = "y") -> list[str]:
    fig, ax = plt.subplots()
    if axis == "y":
        ax.semilogy([0, 1], [low, high])
    else:
        ax.semilogx([low, high], [0, 1])
    log_ticks(ax, axis)
    fig.canvas.draw()
    labels = [t.get_text() for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]
    plt.close(fig)
    return labels


@pytest.mark.parametrize("axis", ["x", "y"])
@pytest.mark.parametrize("low, high, expected", [
    (1e-3, 1e2, ["0.001", "0.01", "0.1", "1", "10", "100"]),
    (0.2, 3, ["0.2", "0.5", "1", "2"]),
    (0.9, 1.1, ["0.9", "1", "1.1"]),                  # less than one decade: never one lonely "1e+00"
    (1e-48, 10, ["1e-48", "1e-40", "1e-32", "1e-24", "1e-16", "1e-08", "1"]),
    (1e-18, 2, ["1e-18", "1e-15", "1e-12", "1e-09", "1e-06", "1e-03", "1"]),   # below 1: one form, not 0.001
    (1e-8, 2, ["1e-08", "1e-06", "1e-04", "1e-02", "1"]),
])
def test_log_axes_get_at_least_three_readable_ticks(axis, low, high, expected):
    assert labels_of(low, high, axis) == expected


def test_tick_labels_are_written_as_a_person_writes_them():
    assert [tick_label(v) for v in (0, 0.5, 2, 300, 1e-6, 2e8)] == ["0", "0.5", "2", "300", "1e-06", "2e+08"]
    assert [tick_label(v, small_as_powers=True) for v in (1e-6, 0.01, 0.5, 1, 300)] == \
        ["1e-06", "1e-02", "5e-01", "1", "300"]


def test_the_course_style_sets_the_colour_blind_safe_palette():
    with plt.style.context("reference.course"):
        cycle = [c.upper() for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [c.upper() for c in PALETTE.values()]
