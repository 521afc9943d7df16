"""Activation functions and their derivatives, written as model solutions.

Conventions (the same as PyTorch's):

* ``relu_grad(0) == 0`` and ``leaky_relu_grad(0, alpha) == alpha``: at the kink we use the
  left-hand slope as the subgradient.
* Leaky ReLU is computed piecewise, so it is right for every ``alpha >= 0``; the shortcut
  ``max(alpha * z, z)`` is the same function only for ``0 <= alpha <= 1``.
* The input is never modified; its shape and floating dtype are kept (float32 in, float32 out);
  Python scalars and 0-d arrays work; NaN propagates through the activations.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def relu(z: ArrayLike) -> np.ndarray:
    """ReLU: f(z) = max(0, z), element-wise.

    f(z) = z for z > 0 and 0 otherwise.
    """
    return np.maximum(z, 0)


def relu_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of ReLU: f'(z) = 1 for z > 0, 0 for z <= 0.

    At z = 0 ReLU has no derivative; we return the subgradient 0, as PyTorch does.
    The result has z's floating dtype (float64 for integer input).
    """
    z = np.asarray(z)
    dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
    return (z > 0).astype(dtype)


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: f(z) = z for z > 0, alpha * z otherwise.

    Computed piece by piece, as the positive part plus alpha times the negative part:
    f(z) = max(z, 0) + alpha * min(z, 0). The shortcut max(alpha * z, z) is the same function
    exactly when alpha <= 1. (np.where(z > 0, z, alpha * z) is right too, but 2x slower.)
    """
    z = np.asarray(z)
    return np.maximum(z, 0) + alpha * np.minimum(z, 0)


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Derivative of Leaky ReLU: f'(z) = 1 for z > 0, alpha for z <= 0 (alpha at z = 0)."""
    z = np.asarray(z)
    dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
    positive = (z > 0).astype(dtype)                 # 1 on the positive side, 0 elsewhere
    return positive + alpha * (1 - positive)


def prelu(z: ArrayLike, alpha: float) -> np.ndarray:
    """Parametric ReLU (He et al. 2015): Leaky ReLU whose slope alpha is learned.

    f(z) = z for z > 0, alpha * z otherwise.
    """
    return leaky_relu(z, alpha)


def prelu_backward(upstream: ArrayLike, z: ArrayLike, alpha: float) -> tuple[np.ndarray, float]:
    """Backward pass of PReLU with one scalar alpha shared by every element of z.

    Given dL/df (``upstream``) at the inputs z, returns

        dL/dz     = upstream * f'(z)              (1 for z > 0, alpha otherwise)
        dL/dalpha = sum(upstream * min(z, 0))     (df/dalpha is z where z <= 0, else 0)
    """
    upstream, z = np.asarray(upstream), np.asarray(z)
    dz = upstream * leaky_relu_grad(z, alpha)
    dalpha = float(np.sum(upstream * np.minimum(z, 0)))
    return dz, dalpha


def sigmoid(z: ArrayLike) -> np.ndarray:
    """Logistic sigmoid: s(z) = 1 / (1 + exp(-z)).

    Computed as (1 + tanh(z / 2)) / 2, the same function, which never overflows.
    """
    return 0.5 * (1.0 + np.tanh(np.asarray(z) / 2))


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of the sigmoid: s'(z) = s(z) * (1 - s(z)), at most 1/4 (at z = 0).

    s(z) is computed as (1 + tanh(z / 2)) / 2, equal to 1 / (1 + exp(-z)) but never overflowing.
    """
    s = 0.5 * (1.0 + np.tanh(np.asarray(z) / 2))
    return s * (1 - s)


def tanh(z: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent: tanh(z) = (e^z - e^-z) / (e^z + e^-z)."""
    return np.tanh(z)


def tanh_grad(z: ArrayLike) -> np.ndarray:
    """Derivative of tanh: 1 - tanh(z)^2, at most 1 (at z = 0)."""
    return 1 - np.tanh(z) ** 2
