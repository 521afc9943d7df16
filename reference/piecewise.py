"""Functions built from ReLUs: |x|, a hat, and least-squares fits by sums of ReLUs.

A line plus shifted ReLUs, a + m x + sum_k c_k max(0, x - t_k), is a continuous piecewise linear
function with a kink at each t_k. With enough kinks it follows any continuous curve on an interval.
It is what a one-hidden-layer ReLU network computes for one input: a unit v relu(w x + beta) with
w > 0 is v w relu(x - t), t = -beta / w; with w < 0, relu(-u) = relu(u) - u makes it
v |w| relu(x - t) - v |w| (x - t), a kink plus a line, and the lines add up to a + m x (slope m; b stays a bias).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reference.activations import relu


def abs_from_relus(x: ArrayLike) -> np.ndarray:
    """|x| = relu(x) + relu(-x)."""
    x = np.asarray(x)
    return relu(x) + relu(-x)


def hat(x: ArrayLike) -> np.ndarray:
    """The hat (triangle) function: 1 - |x| on [-1, 1], 0 outside; built from three ReLUs.

        hat(x) = relu(x + 1) - 2 relu(x) + relu(x - 1)
    """
    x = np.asarray(x)
    return np.maximum(x + 1, 0) - 2 * np.maximum(x, 0) + np.maximum(x - 1, 0)


def relu_features(x: ArrayLike, knots: ArrayLike) -> np.ndarray:
    """The design matrix [1, x, relu(x - t_1), ..., relu(x - t_k)] of shape (len(x), k + 2)."""
    x = np.asarray(x, dtype=float).ravel()
    kinks = relu(x[:, None] - np.asarray(knots, dtype=float)[None, :])
    return np.column_stack([np.ones_like(x), x, kinks])


def fit_relu_sum(x: ArrayLike, y: ArrayLike, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares fit of y by a line plus k ReLUs with kinks spread evenly over x's range.

    Returns (knots, coefficients); predict with relu_features(x_new, knots) @ coefficients.
    """
    x = np.asarray(x, dtype=float).ravel()
    knots = np.linspace(x.min(), x.max(), k + 2)[1:-1]
    coefficients, *_ = np.linalg.lstsq(relu_features(x, knots), np.asarray(y, dtype=float), rcond=None)
    return knots, coefficients
