"""Weight initializers for a layer z = W x + b, with W of shape (fan_out, fan_in).

The shape is PyTorch's ``Linear.weight``: one row per output unit, so fan_in is the number of
columns. Every initializer takes ``rng``: a ``numpy.random.Generator``, an int seed, or None
(fresh entropy); NumPy's global random state is never used.
"""

from __future__ import annotations

import math

import numpy as np

RngLike = np.random.Generator | int | None


def _generator(rng: RngLike) -> np.random.Generator:
    """A Generator from a Generator (returned as is), an int seed or None."""
    return np.random.default_rng(rng)


def _check_fans(fan_in: int, fan_out: int = 1) -> None:
    if fan_in < 1 or fan_out < 1:
        raise ValueError(f"fan_in and fan_out must be positive, got {fan_in} and {fan_out}")


def he_std(fan_in: int, alpha: float = 0.0) -> float:
    """He (Kaiming) standard deviation for (Leaky) ReLU layers (He et al. 2015).

        std = sqrt(2 / ((1 + alpha^2) * fan_in))

    which keeps Var[z] the same from layer to layer; alpha = 0 gives ReLU's sqrt(2 / fan_in).
    """
    _check_fans(fan_in)
    return math.sqrt(2.0 / ((1.0 + alpha**2) * fan_in))


def he_normal(fan_in: int, fan_out: int, alpha: float = 0.0, rng: RngLike = None) -> np.ndarray:
    """He normal initialization: W ~ N(0, he_std(fan_in, alpha)^2), shape (fan_out, fan_in).

    rng may be a Generator, an int seed or None; np.random.default_rng accepts all three.
    """
    rng = np.random.default_rng(rng)
    return rng.normal(0.0, he_std(fan_in, alpha), size=(fan_out, fan_in))


def he_uniform(fan_in: int, fan_out: int, alpha: float = 0.0, rng: RngLike = None) -> np.ndarray:
    """He uniform initialization: W ~ U(-bound, bound), bound = sqrt(3) * he_std(fan_in, alpha).

    U(-a, a) has variance a^2 / 3, so this bound gives the same variance as he_normal.
    """
    _check_fans(fan_in, fan_out)
    bound = math.sqrt(3.0) * he_std(fan_in, alpha)
    return _generator(rng).uniform(-bound, bound, size=(fan_out, fan_in))


def xavier_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """Xavier (Glorot) normal initialization: std = sqrt(2 / (fan_in + fan_out)).

    Derived for activations that are linear near 0 (tanh); too small for ReLU.
    """
    _check_fans(fan_in, fan_out)
    return _generator(rng).normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))


def lecun_normal(fan_in: int, fan_out: int, rng: RngLike = None) -> np.ndarray:
    """LeCun normal initialization: std = sqrt(1 / fan_in), half of He's variance."""
    _check_fans(fan_in, fan_out)
    return _generator(rng).normal(0.0, math.sqrt(1.0 / fan_in), size=(fan_out, fan_in))
