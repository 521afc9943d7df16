"""Experiments of notebook 05: deep ReLU stacks at initialization, measured against theory.

A *deep stack* here is L fully connected layers without biases (unless given), each

    z_l = x_{l-1} W_l^T (+ b_l),   x_l = f(z_l),   W_l of shape (n_l, n_{l-1}),

fed with a batch of standard normal inputs x_0. He et al.'s variance argument predicts

    Var[z_1] = n_0 Var[w] E[x_0^2],   Var[z_l] = n_{l-1} Var[w] (1 + alpha^2) / 2 * Var[z_{l-1}],

so every layer multiplies the std of z by ``layer_factor = sqrt(n Var[w] (1 + alpha^2) / 2)``.

``normal_stack`` draws N(0, std^2) weights as ``std * G`` from standard normal matrices G shared
by every call with the same widths and seed. Without biases, ReLU and Leaky ReLU are positively
homogeneous (f(c z) = c f(z) for c > 0), so two stacks that differ only in their weights' scale
are exact rescalings of each other, layer by layer: only the scale is compared.
(``LayerStats`` records such a forward pass; it is not ``reference.network.Stack``, the copies
of a network trained side by side, which ``lr_grid`` below uses for the training experiments.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from numpy.typing import ArrayLike

from reference.activations import leaky_relu
from reference.init import RngLike, _generator
from reference.network import MLP, Init, Stack, layer_gradient_norms, train_stack

DEPTH, WIDTH, BATCH = 50, 256, 128
HISTOGRAM_ROWS = 8                   # rows of the batch kept per layer for histograms


@dataclass(frozen=True)
class LayerStats:
    """What one pass through a deep stack measured, one entry per layer (index 0 = layer 1).

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


def _draws(widths: tuple[int, ...], n: int, seed: int) -> tuple[np.ndarray, tuple]:
    """A standard normal input batch (n, widths[0]) and one standard normal (n_out, n_in) matrix
    per layer, in this order from ``np.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, widths[0]))
    return X, tuple(rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(widths[:-1], widths[1:]))


@lru_cache(maxsize=2)
def standard_draws(widths: tuple[int, ...], n: int = BATCH, seed: int = 0) -> tuple[np.ndarray, tuple]:
    """``_draws``, read-only and cached: the draws shared by every init of one seed. Only the last
    two are kept (a 50-layer stack of width 256 is 26 MB): a caller measuring many seeds once each
    passes ``cached=False`` to ``normal_stack``."""
    X, G = _draws(widths, n, seed)
    for array in (X, *G):
        array.setflags(write=False)
    return X, G


def propagate(X: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray] | None = None,
              alpha: float = 0.0, backward: bool = False, seed: int = 0) -> LayerStats:
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
        z64 = z.astype(np.float64, copy=False)
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
    return LayerStats(np.array(stats["z"]), np.array(stats["signal"]), np.array(stats["zeros"]),
                 np.array(stats["all_zero"]), grad_std, tuple(stats["samples"]))


def normal_stack(std: float | Callable[[int, int], float], widths: Sequence[int] | None = None,
                 alpha: float = 0.0, dtype: type = np.float64, n: int = BATCH, seed: int = 0,
                 backward: bool = False, cached: bool = True) -> LayerStats:
    """A stack with N(0, std^2) weights and no biases; ``std`` is a number or a function
    ``std(fan_in, fan_out)``. The default widths are DEPTH layers of WIDTH units.
    ``cached=False`` draws the same matrices afresh and does not keep them (for a caller that
    tries many seeds: one 50-layer stack of width 256 is 26 MB of matrices)."""
    widths = tuple(widths) if widths is not None else (WIDTH,) * (DEPTH + 1)
    X, G = standard_draws(widths, n, seed) if cached else _draws(widths, n, seed)
    scale = std if callable(std) else (lambda fan_in, fan_out: std)
    weights = [(scale(g.shape[1], g.shape[0]) * g).astype(dtype, copy=False) for g in G]
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


def log_growth(width: int, seeds: Sequence[int], depth: int = DEPTH, n: int = BATCH,
               chunk: int = 50, alpha: float = 0.0) -> np.ndarray:
    """ln(std(z_depth) / std(z_1)) of a He-initialized (Leaky) ReLU stack of constant ``width``
    (std he_std(width, alpha)), one value per seed; seed s uses ``standard_draws``' draws, so
    entry s is what ``normal_stack`` measures with ``seed=s``. The seeds are pushed through
    together, ``chunk`` at a time (batched products).

    First-order estimate of its mean (one random factor of variance 5/width per layer, section 12
    of notebook 05): -5 (depth - 1) / (4 width).
    """
    widths = (width,) * (depth + 1)
    scale = math.sqrt(2 / ((1 + alpha**2) * width))
    growth = []
    for start in range(0, len(seeds), chunk):
        draws = [_draws(widths, n, int(seed)) for seed in seeds[start:start + chunk]]
        x = np.stack([X for X, _ in draws])
        for layer in range(depth):
            z = x @ (scale * np.stack([G[layer] for _, G in draws])).transpose(0, 2, 1)
            std = z.std(axis=(1, 2))
            if layer == 0:
                first = std
            x = np.where(z > 0, z, alpha * z)
        growth.append(np.log(std / first))
    return np.concatenate(growth)


def drift_estimate(width: int, depth: int = DEPTH) -> float:
    """The first-order estimate of the mean of ``log_growth``: -5 (depth - 1) / (4 width)."""
    return -5 * (depth - 1) / (4 * width)


# ----------------------------------------------------------------------------- alignment with depth

def mean_cosine(A: np.ndarray) -> np.ndarray:
    """Mean cosine similarity between the rows of A over all pairs of different rows.

    A is (n, d) or (copies, n, d); returns a float array of shape () or (copies,). A row of zeros
    has no direction: it counts as cosine 0 with every other row.
    """
    norms = np.linalg.norm(A, axis=-1, keepdims=True)
    U = np.divide(A, norms, out=np.zeros(np.shape(A)), where=norms > 0)
    n = A.shape[-2]
    gram = U @ np.swapaxes(U, -1, -2)
    self_pairs = np.sum(U * U, axis=(-1, -2))                  # n, minus the zero rows
    return (gram.sum(axis=(-1, -2)) - self_pairs) / (n * (n - 1))


def relu_cosine_map(c: ArrayLike) -> np.ndarray:
    """The cosine between relu(z) and relu(z') for jointly normal z, z' of equal variance and
    correlation c (Cho & Saul 2009's arc-cosine kernel; the ReLU case of Poole et al. 2016's
    correlation map):  (sqrt(1 - c^2) + (pi - arccos c) c) / pi.  Maps 0 to 1/pi and 1 to 1."""
    c = np.clip(np.asarray(c, dtype=float), -1.0, 1.0)
    return (np.sqrt(1 - c**2) + (np.pi - np.arccos(c)) * c) / np.pi


@dataclass(frozen=True)
class Alignment:
    """Per copy and layer, (copies, layers): the fraction of the layer's units that are inactive
    on the whole data set (z <= 0 on every row), and the mean cosine between the rows of the
    layer's input (the data for layer 1, the previous layer's ReLU outputs after it)."""

    inactive: np.ndarray
    input_cosine: np.ndarray


def alignment_by_layer(stack: Stack, X: np.ndarray) -> Alignment:
    """Inactive fraction and input alignment, layer by layer, of every copy of ``stack`` on X."""
    _, zs, inputs = stack.forward(X)
    inactive = np.stack([np.all(z <= 0, axis=1).mean(axis=1) for z in zs], axis=1)
    cosine = np.stack([mean_cosine(np.broadcast_to(a, (stack.size,) + a.shape[-2:]))
                       for a in inputs[:len(zs)]], axis=1)
    return Alignment(inactive, cosine)


def predicted_input_cosine(X: np.ndarray, layers: int) -> np.ndarray:
    """Mean cosine between the inputs of layers 1..``layers`` of an infinitely wide ReLU stack
    with zero biases: every pair of rows of X has its cosine mapped by ``relu_cosine_map`` once
    per layer, then averaged over pairs."""
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    c = (U @ U.T)[np.triu_indices(len(X), 1)]
    means = []
    for _ in range(layers):
        means.append(c.mean())
        c = relu_cosine_map(c)
    return np.array(means)


def born_dead_probability(width: int, depth: int) -> float:
    """Probability that a ReLU network with zero biases outputs a constant for one input because
    some layer has all its units at z <= 0 (notebook 03, Lu et al. 2019): 1 - (1 - 2^-N)^L."""
    return 1 - (1 - 2.0**-width) ** depth


# ----------------------------------------------------------------------------- inits against each other

@dataclass(frozen=True)
class GridRuns:
    """Training runs of several inits x learning rates x seeds, arrays indexed [init, lr, seed]:
    ``loss_curve`` [..., epoch] (index 0 = before training), final ``loss``, ``accuracy``,
    ``test_accuracy`` (NaN without a test set), ``inactive`` (fraction of hidden units inactive on
    the training set at the end); ``gradient`` [init, seed] is |dL/dW_1| at initialization;
    ``stack`` holds the trained copies, in the order [init, lr, seed] (``net`` gets one)."""

    inits: tuple
    lrs: np.ndarray
    seeds: tuple
    loss_curve: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray
    test_accuracy: np.ndarray
    inactive: np.ndarray
    gradient: np.ndarray
    stack: Stack

    def net(self, init: int, lr: int, seed: int) -> MLP:
        """The trained copy of init ``inits[init]``, rate ``lrs[lr]`` and seed ``seeds[seed]``."""
        return self.stack.net((init * len(self.lrs) + lr) * len(self.seeds) + seed)

    def best_lr(self) -> np.ndarray:
        """For each init, the index of the learning rate with the lowest mean final training loss
        over the seeds (a run that diverged, with a NaN or infinite loss, counts as infinite)."""
        loss = np.where(np.isfinite(self.loss), self.loss, np.inf)
        return np.argmin(loss.mean(axis=2), axis=1)

    def at_best(self, values: np.ndarray) -> np.ndarray:
        """(inits, seeds): ``values`` [init, lr, seed] taken at each init's best learning rate."""
        return values[np.arange(len(self.inits)), self.best_lr()]


def lr_grid(sizes: tuple[int, ...], inits: Sequence[Init], lrs: Sequence[float],
            seeds: Sequence[int], X: np.ndarray, y: np.ndarray, epochs: int,
            batch_size: int | None = None, X_test: np.ndarray | None = None,
            y_test: np.ndarray | None = None, curves: bool = True) -> GridRuns:
    """Train ``MLP(sizes, init=init, rng=seed)`` (ReLU, zero biases, bce) for every init, learning
    rate and seed, all as one ``reference.network.Stack`` (one ``train_stack`` call): copy
    (i, j, s) ends exactly where ``train(MLP(sizes, init=inits[i], rng=seeds[s]), lr=lrs[j])`` ends.
    ``curves=False`` skips measuring the loss after every epoch (``loss_curve`` is then empty).
    An init is a name, a std or a function ``init(fan_in, fan_out, alpha, rng)`` (``initial_weights``)."""
    shape = (len(inits), len(lrs), len(seeds))
    nets = [MLP(sizes, init=init, rng=seed) for init in inits for _ in lrs for seed in seeds]
    gradient = np.array([[layer_gradient_norms(MLP(sizes, init=init, rng=seed), X, y)[0] for seed in seeds]
                         for init in inits])
    stack = Stack.from_nets(nets)
    lr = np.tile(np.repeat(np.asarray(lrs, dtype=float), len(seeds)), len(inits))
    with np.errstate(over="ignore", invalid="ignore"):       # a too-large rate may diverge: NaN
        history = train_stack(stack, X, y, epochs, lr=lr, batch_size=batch_size, record=("loss",) if curves else ())
        final = stack.measure(X, y, ("loss", "accuracy", "inactive"))
        test = stack.accuracy(X_test, y_test) if X_test is not None else np.full(stack.size, np.nan)
    return GridRuns(tuple(inits), np.asarray(lrs, dtype=float), tuple(seeds),
                    history.loss.reshape(shape + history.loss.shape[1:]), final["loss"].reshape(shape),
                    final["accuracy"].reshape(shape), test.reshape(shape),
                    final["inactive"].mean(axis=1).reshape(shape), gradient, stack)


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
                        n: int = BATCH, seed: int = 0, alpha: float = 0.0) -> LayerStats:
    """A constant-width ReLU stack initialized like a stack of PyTorch ``nn.Linear`` layers, fed
    with ``normal_stack``'s input batch for the same seed (the first draw of ``default_rng(seed)``)."""
    X = np.random.default_rng(seed).standard_normal((n, width))
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
