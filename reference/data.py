"""Toy data sets generated in code with a seed; nothing is downloaded.

Classification sets return X of shape (n, 2) (float64) and labels y of shape (n,) in {0, 1},
with the two classes the same size.
"""

from __future__ import annotations

import numpy as np

from reference.init import RngLike, _generator


def circles(n: int = 300, noise: float = 0.08, factor: float = 0.5,
            rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor``, plus noise."""
    rng = _generator(rng)
    angles = rng.uniform(0, 2 * np.pi, n)
    y = np.arange(n) % 2
    radius = np.where(y == 1, factor, 1.0)
    X = radius[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    return X + rng.normal(0, noise, X.shape), y


def moons(n: int = 300, noise: float = 0.1, rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (class 0 upper, class 1 lower), plus noise."""
    rng = _generator(rng)
    t = rng.uniform(0, np.pi, n)
    y = np.arange(n) % 2
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    return X + rng.normal(0, noise, X.shape), y


def spirals(n: int = 300, turns: float = 1.5, noise: float = 0.05,
            rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, the second the first turned by 180 degrees."""
    rng = _generator(rng)
    y = np.arange(n) % 2
    t = np.sqrt(rng.uniform(0.02, 1, n))                 # denser towards the outside
    angle = 2 * np.pi * turns * t + np.pi * y
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + rng.normal(0, noise, X.shape), y


def regression_1d(n: int = 200, noise: float = 0.05,
                  rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray]:
    """A smooth 1-D target y = sin(2x) + x/2 on x in [-3, 3], plus noise; X of shape (n, 1)."""
    rng = _generator(rng)
    x = np.sort(rng.uniform(-3, 3, n))
    y = np.sin(2 * x) + x / 2 + rng.normal(0, noise, n)
    return x[:, None], y


def train_test_split(X: np.ndarray, y: np.ndarray, test_fraction: float = 0.3,
                     rng: RngLike = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle, then split into (X_train, X_test, y_train, y_test)."""
    order = _generator(rng).permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
