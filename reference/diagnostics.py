"""Measuring what a layer of units does on a data set: dead units and activation statistics."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def dead_fraction(Z: ArrayLike) -> float:
    """Fraction of dead units among the columns of Z.

    Z holds pre-activations of shape (n_samples, n_units). A ReLU unit is dead on this data
    when z <= 0 for every sample: it outputs 0 everywhere and receives no gradient.

        dead_fraction = mean over units of [ z_ij <= 0 for all samples i ]
    """
    Z = np.asarray(Z)
    return float(np.mean(np.all(Z <= 0, axis=0)))


def dead_units(Z: ArrayLike) -> np.ndarray:
    """Boolean mask of shape (n_units,): True where the unit's z <= 0 on every sample."""
    return np.all(np.asarray(Z) <= 0, axis=0)


def zero_fraction(A: ArrayLike) -> float:
    """Fraction of activations that are exactly zero (sparsity): mean of [a == 0]."""
    return float(np.mean(np.asarray(A) == 0))


def activation_stats(A: ArrayLike) -> dict[str, float]:
    """Summary of one layer's activations: mean, std, fraction of exact zeros, largest |a|."""
    A = np.asarray(A, dtype=float)
    return {
        "mean": float(A.mean()),
        "std": float(A.std()),
        "zero_fraction": zero_fraction(A),
        "max_abs": float(np.abs(A).max()),
    }
