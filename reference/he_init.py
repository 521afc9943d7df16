"""Experiments of notebook 05: deep ReLU stacks at initialization, measured against theory.

A *stack* is L fully connected layers without biases (unless given), each

    z_l = x_{l-1} W_l^T (+ b_l),   x_l = f(z_l),   W_l of shape (n_l, n_{l-1}),

fed with a batch of standard normal inputs x_0. He et al.'s variance argument predicts

    Var[z_1] = n_0 Var[w] E[x_0^2],   Var[z_l] = n_{l-1} Var[w] (1 + alpha^2) / 2 * Var[z_{l-1}],

so every layer multiplies the std of z by ``layer_factor = sqrt(n Var[w] (1 + alpha^2) / 2)``.

``normal_stack`` draws N(0, std^2) weights as ``std * G`` from standard normal matrices G shared
by every call with the same widths and seed. Without biases, ReLU and Leaky ReLU are positively
homogeneous (f(c z) = c f(z) for c > 0), so two stacks that differ only in their weights' scale
are exact rescalings of each other, layer by layer: only the scale is compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from reference.activations import leaky_relu
from reference.init import RngLike, _generator

DEPTH, WIDTH, BATCH = 50, 256, 128
HISTOGRAM_ROWS = 8                   # rows of the batch kept per layer for histograms


@dataclass(frozen=True)
class Stack:
    """What one pass through a stack measured, one entry per layer (index 0 = layer 1).

    z_std          std of the pre-activations over the batch and the units (computed in float64)
    signal_std     the input-dependent part: RMS over units of each unit's std over the batch
    zero_fraction  fraction of activations f(z) that are exactly 0
    all_zero       True where every pre-activation of the layer is exactly 0
    grad_std       std of dL/dz_l from a backward pass (None unless asked)
    samples        pre-activations of the first HISTOGRAM_ROWS inputs, one flat array per layer
    """

    z_std: np.ndarray
    signal_std: np.ndarray
    zero_fraction: np.ndarray
    all_zero: np.ndarray
    grad_std: np.ndarray | None
    samples: tuple[np.ndarray, ...]

    def at(self, *layers: int) -> np.ndarray:
        """z_std at 1-based layer numbers, e.g. ``stack.at(1, 10, 25, 50)``."""
        return self.z_std[np.array(layers) - 1]


@lru_cache(maxsize=16)
def standard_draws(widths: tuple[int, ...], n: int = BATCH, seed: int = 0) -> tuple[np.ndarray, tuple]:
    """A standard normal input batch (n, widths[0]) and one standard normal (n_out, n_in) matrix
    per layer, drawn from one seeded Generator; read-only, cached, shared by every init."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, widths[0]))
    G = tuple(rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(widths[:-1], widths[1:]))
    for array in (X, *G):
        array.setflags(write=False)
    return X, G


def propagate(X: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None = None,
              alpha: float = 0.0, backward: bool = False, seed: int = 0) -> Stack:
    """Run X through the layers (z = x W^T + b, then (Leaky) ReLU) and measure every layer.

    With ``backward=True`` a standard normal gradient dL/dz_L (seeded) is sent back down:
    dL/dz_{l-1} = (dL/dz_l W_l) * f'(z_{l-1}), and its std is recorded per layer.
    Arithmetic happens in the weights' dtype; the statistics are computed in float64.
    """
    x = X.astype(weights[0].dtype)
    stats, masks = {"z": [], "signal": [], "zeros": [], "all_zero": [], "samples": []}, []
    for layer, W in enumerate(weights):
        z = x @ W.T
        if biases is not None:
            z = z + biases[layer]
        z64 = z.astype(np.float64)
        x = leaky_relu(z, alpha)                  # alpha = 0 is ReLU
        stats["z"].append(z64.std())
        stats["signal"].append(math.sqrt(np.mean(z64.var(axis=0))))
        stats["zeros"].append(np.mean(x == 0))
        stats["all_zero"].append(not np.any(z))
        stats["samples"].append(z64[:HISTOGRAM_ROWS].ravel())
        if backward:
            masks.append(z > 0)
    grad_std = None
    if backward:
        delta = np.random.default_rng(seed + 1).standard_normal(z.shape).astype(z.dtype)
        grads = [delta.astype(np.float64).std()]
        for W, positive in zip(weights[:0:-1], masks[-2::-1]):
            delta = (delta @ W) * np.where(positive, 1.0, alpha).astype(z.dtype)
            grads.append(delta.astype(np.float64).std())
        grad_std = np.array(grads[::-1])
    return Stack(np.array(stats["z"]), np.array(stats["signal"]), np.array(stats["zeros"]),
                 np.array(stats["all_zero"]), grad_std, tuple(stats["samples"]))


def normal_stack(std: float | Callable[[int, int], float], widths: Sequence[int] | None = None,
                 alpha: float = 0.0, dtype: type = np.float64, n: int = BATCH, seed: int = 0,
                 backward: bool = False) -> Stack:
    """A stack with N(0, std^2) weights and no biases; ``std`` is a number or a function
    ``std(fan_in, fan_out)``. The default widths are DEPTH layers of WIDTH units."""
    widths = tuple(widths) if widths is not None else (WIDTH,) * (DEPTH + 1)
    X, G = standard_draws(widths, n, seed)
    scale = std if callable(std) else (lambda fan_in, fan_out: std)
    weights = [(scale(g.shape[1], g.shape[0]) * g).astype(dtype) for g in G]
    return propagate(X, weights, alpha=alpha, backward=backward, seed=seed)


def layer_factor(std: float, fan_in: int, alpha: float = 0.0) -> float:
    """How much one (Leaky) ReLU layer multiplies the std of z: sqrt(n Var[w] (1 + alpha^2) / 2)."""
    return math.sqrt(fan_in * std**2 * (1 + alpha**2) / 2)


def theory_z_std(std: float, depth: int = DEPTH, width: int = WIDTH, alpha: float = 0.0,
                 input_mean_square: float = 1.0) -> np.ndarray:
    """He et al.'s prediction of std(z_l) for l = 1..depth in a constant-width stack:
    sqrt(n Var[w] E[x_0^2]) for the first layer, then times layer_factor per layer."""
    first = math.sqrt(width * std**2 * input_mean_square)
    return first * layer_factor(std, width, alpha) ** np.arange(depth)


# ----------------------------------------------------------------------------- PyTorch's default

def torch_linear_default(fan_in: int, fan_out: int, rng: RngLike = None) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's ``nn.Linear`` initialization, re-implemented in NumPy (no torch needed).

    ``reset_parameters`` calls ``kaiming_uniform_(weight, a=sqrt(5))``: gain = sqrt(2 / (1 + a^2))
    = sqrt(1/3), std = gain / sqrt(fan_in) = 1 / sqrt(3 fan_in), bound = sqrt(3) std = 1 / sqrt(fan_in);
    the bias is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) too. Var[w] = 1 / (3 fan_in): He's 2 / fan_in / 6.
    """
    rng = _generator(rng)
    a = math.sqrt(5)
    gain = math.sqrt(2.0 / (1 + a**2))
    bound = math.sqrt(3.0) * gain / math.sqrt(fan_in)
    W = rng.uniform(-bound, bound, size=(fan_out, fan_in))
    b = rng.uniform(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in), size=fan_out)
    return W, b


def torch_default_stack(depth: int = DEPTH, width: int = WIDTH, with_bias: bool = True,
                        n: int = BATCH, seed: int = 0, alpha: float = 0.0) -> Stack:
    """A constant-width ReLU stack initialized like a stack of PyTorch ``nn.Linear`` layers."""
    X, _ = standard_draws((width,) * (depth + 1), n, seed)
    rng = np.random.default_rng(seed + 100)
    layers = [torch_linear_default(width, width, rng) for _ in range(depth)]
    return propagate(X, [W for W, _ in layers], [b for _, b in layers] if with_bias else None, alpha)


# ----------------------------------------------------------------------------- fans

def fans(W: np.ndarray, layout: str = "out_in") -> tuple[int, int]:
    """(fan_in, fan_out) of a weight matrix stored as ``out_in`` (z = W x, PyTorch's
    ``Linear.weight``) or ``in_out`` (z = x @ W, Keras' ``Dense.kernel``)."""
    if layout == "out_in":
        return W.shape[1], W.shape[0]
    if layout == "in_out":
        return W.shape[0], W.shape[1]
    raise ValueError(f"layout must be 'out_in' or 'in_out', got {layout!r}")
