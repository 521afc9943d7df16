"""The experiments of notebook 02: where the gradient shrinks, what an activation costs, and a
fair race between sigmoid, tanh and ReLU.

Section 2 gives each activation the fan-in initialization W ~ N(0, gain^2 / fan_in) with the
gain PyTorch's ``torch.nn.init.calculate_gain`` recommends (1 for sigmoid, 5/3 for tanh, sqrt(2)
for ReLU, which is He's rule). The race of section 5 is fair: each activation gets its own gain
and its own learning rate, tuned together (``tune``, precomputed in ``race_tuning``) on seeds that
are not the ones it is then compared on.
"""

from __future__ import annotations

import math
import time
import timeit
from dataclasses import dataclass
from typing import Callable

import numpy as np

from reference.network import LOSSES, MLP, Stack, activation_backward, train_stack

FAN_IN_GAIN = {"sigmoid": 1.0, "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0)}


# ----------------------------------------------------------------------------- initialization

def fan_in_mlp(sizes: tuple[int, ...], activation: str, seed: int, gain: float | None = None) -> MLP:
    """An MLP whose every weight matrix is N(0, gain^2 / fan_in); gain from FAN_IN_GAIN by default.

    It draws LeCun's N(0, 1 / fan_in) weights and scales them by ``gain``, so the random numbers
    are those of ``MLP(sizes, activation, init="lecun", rng=seed)``.
    """
    gain = FAN_IN_GAIN[activation] if gain is None else gain
    net = MLP(sizes, activation=activation, init="lecun", rng=seed)
    net.weights = [gain * W for W in net.weights]
    return net


def fan_in_stack(sizes: tuple[int, ...], seeds, activation: str, gain=None) -> Stack:
    """A Stack whose copy i is ``fan_in_mlp(sizes, activation, seeds[i], gain[i])``; ``gain`` is
    one number for every copy, one per copy, or None for FAN_IN_GAIN[activation]."""
    seeds = np.atleast_1d(seeds)
    gains = [None] * len(seeds) if gain is None else np.broadcast_to(np.asarray(gain, float), seeds.shape)
    return Stack.from_nets([fan_in_mlp(sizes, activation, int(s), None if g is None else float(g))
                            for s, g in zip(seeds, gains)])


# ----------------------------------------------------------------------------- 2. the backward pass

@dataclass
class BackwardFactors:
    """Where the gradient delta_l = dL/dz_l changes size on its way back, for hidden layers 1..L.

    ``delta_norms[l - 1]`` is ||delta_l|| (Frobenius norm over the batch). One step back,
    delta_{l-1} = (delta_l W_l) * f'(z_{l-1}), splits into two factors whose product is the step:

        weight_factors[l - 2]     = ||delta_l W_l|| / ||delta_l||
        derivative_factors[l - 2] = ||delta_{l-1}|| / ||delta_l W_l||   (at most max |f'|)
    """

    delta_norms: np.ndarray
    weight_factors: np.ndarray
    derivative_factors: np.ndarray

    @property
    def steps(self) -> np.ndarray:
        """||delta_{l-1}|| / ||delta_l|| for l = L, ..., 2, listed from l = 2 up."""
        return self.weight_factors * self.derivative_factors


def backward_factors(net: MLP, X: np.ndarray, y: np.ndarray) -> BackwardFactors:
    """Run one backward pass of ``net`` on (X, y) and measure each hidden layer's two factors."""
    out, caches = net.forward(X)
    _, dout = LOSSES[net.loss_name](out, y)
    upstream = dout @ net.weights[-1]                      # dL/da of the last hidden layer
    deltas, weight_factors, derivative_factors = [], [], []
    for layer in range(net.n_hidden_layers, 0, -1):        # hidden layer numbers L, ..., 1
        delta, _ = activation_backward(upstream, caches[layer - 1][1])
        if deltas:
            derivative_factors.append(np.linalg.norm(delta) / np.linalg.norm(upstream))
        deltas.append(delta)
        if layer > 1:
            upstream = delta @ net.weights[layer - 1]
            weight_factors.append(np.linalg.norm(upstream) / np.linalg.norm(delta))
    return BackwardFactors(np.array([np.linalg.norm(d) for d in deltas[::-1]]),
                           np.array(weight_factors[::-1]), np.array(derivative_factors[::-1]))


# ----------------------------------------------------------------------------- 3. cost

def fastest(f: Callable[[], object], number: int = 10, repeat: int = 7,
            timer: Callable[[], float] = time.thread_time) -> float:
    """Seconds per call of f: the fastest of ``repeat`` runs of ``number`` calls, counted by
    default in this thread's CPU time, which other programs on the machine do not inflate the way
    they inflate wall-clock time (they still share caches and memory bandwidth). Pass
    ``timer=time.process_time`` for work that NumPy may spread over threads (matrix products)."""
    timing = timeit.Timer(f, timer=timer)
    return min(timing.repeat(repeat=repeat, number=number)) / number


# ----------------------------------------------------------------------------- 5. the race

def epochs_to_reach(losses: np.ndarray, threshold: float) -> np.ndarray:
    """For loss curves of shape (..., epochs + 1): the first epoch at which the loss is at most
    ``threshold``; ``inf`` where it never gets there."""
    reached = np.asarray(losses) <= threshold
    return np.where(reached.any(axis=-1), reached.argmax(axis=-1), np.inf)


def loss_curves(activation: str, X: np.ndarray, y: np.ndarray, lrs, seeds, epochs: int,
                batch_size: int = 20, hidden: tuple[int, ...] = (32, 32),
                init: str | None = None, gain: float | None = None) -> tuple[np.ndarray, Stack]:
    """Train every learning rate with every seed, side by side in one stack; return the
    training-loss curves, of shape (len(lrs), len(seeds), epochs + 1), and the trained stack
    (copy i * len(seeds) + j has lrs[i] and seeds[j]). ``init=None`` is the fan-in init with
    ``gain`` (FAN_IN_GAIN[activation] if None); any name of ``reference.network.INITS`` is used
    as it is."""
    lrs, seeds = np.atleast_1d(lrs).astype(float), np.atleast_1d(seeds)
    copies = np.tile(seeds, len(lrs))
    sizes = (X.shape[1],) + tuple(hidden) + (1,)
    stack = (fan_in_stack(sizes, copies, activation, gain) if init is None
             else Stack.of(sizes, copies, activation=activation, init=init))
    history = train_stack(stack, X, y, epochs, lr=np.repeat(lrs, len(seeds)),
                          batch_size=batch_size, record=("loss",))
    losses = np.where(np.isfinite(history.loss), history.loss, np.inf)
    return losses.reshape(len(lrs), len(seeds), epochs + 1), stack


@dataclass
class Tuning:
    """One activation's tuning table over its tuning seeds: for every gain (rows) and learning
    rate (columns), the median number of epochs to reach the target loss (``inf``: the median
    seed never did) and the median final loss."""

    gains: tuple[float, ...]
    lrs: tuple[float, ...]
    epochs: np.ndarray
    final: np.ndarray

    def best(self) -> tuple[float, float]:
        """(gain, lr) with the fewest median epochs; ties (e.g. never) go to the lower final loss."""
        order = np.lexsort((self.final.ravel(), self.epochs.ravel()))
        row, column = np.unravel_index(order[0], self.epochs.shape)
        return self.gains[row], self.lrs[column]


def tune(activation: str, X: np.ndarray, y: np.ndarray, gains, lrs, seeds, epochs: int,
         threshold: float) -> Tuning:
    """Train every (gain, lr, seed) of the fan-in init (one stack per gain) and tabulate them."""
    rows = [loss_curves(activation, X, y, lrs, seeds, epochs, gain=g)[0] for g in gains]
    return Tuning(tuple(float(g) for g in gains), tuple(float(lr) for lr in np.atleast_1d(lrs)),
                  np.array([np.median(epochs_to_reach(c, threshold), axis=1) for c in rows]),
                  np.array([np.median(c[..., -1], axis=1) for c in rows]))


RACE_GAINS = (1.0, 2.0, 4.0, 8.0, 16.0)
RACE_LRS = tuple(float(lr) for lr in 2.0 ** np.arange(-5, 5))      # 1/32, 1/16, ..., 16
RACE_TUNING_SEEDS = tuple(range(9))
RACE_EPOCHS, RACE_TARGET = 100, 0.1

# tune(activation, *data.spirals(200, rng=0), RACE_GAINS, RACE_LRS, RACE_TUNING_SEEDS,
# RACE_EPOCHS, RACE_TARGET), run once (about two minutes on two cores, too slow for the
# notebook); tests/test_why_relu.py recomputes parts of it. None: the median seed never got there.
_RACE_TABLES = {
    "sigmoid": (
        [[None, None, None, None, None, None, None, None, None, None],
         [None, None, None, None, None, None, None, None, None, None],
         [None, None, None, None, None, None, None, 97, None, None],
         [None, None, None, None, None, 81, 55, 45, 97, None],
         [None, None, None, None, None, 59, 44, 38, 66, None]],
        [[0.6517, 0.5955, 0.5796, 0.5842, 0.5803, 0.5619, 0.5066, 0.4976, 0.4928, 1.18],
         [0.5938, 0.5839, 0.5833, 0.5771, 0.5668, 0.509, 0.31, 0.3613, 0.4185, 1.661],
         [0.5895, 0.5766, 0.5534, 0.5233, 0.4464, 0.2715, 0.1581, 0.09129, 0.2892, 0.8608],
         [0.5541, 0.5115, 0.4717, 0.353, 0.1716, 0.05652, 0.02372, 0.009303, 0.07876, 0.9474],
         [0.5233, 0.456, 0.3626, 0.2317, 0.119, 0.02899, 0.01025, 0.00423, 0.01242, 1.036]]),
    "tanh": (
        [[None, None, None, None, None, None, None, None, None, None],
         [None, None, None, 67, 42, 39, 33, None, None, None],
         [None, None, 67, 41, 26, 18, 27, None, None, None],
         [None, None, 75, 47, 30, 24, 21, None, None, None],
         [None, None, None, 95, 53, 26, 34, None, None, None]],
        [[0.5597, 0.4929, 0.425, 0.4028, 0.2455, 0.3569, 0.3318, 10.13, 36.23, 84],
         [0.4372, 0.3237, 0.1345, 0.03998, 0.01268, 0.006199, 0.001541, 3.594, 36.42, 59.67],
         [0.2706, 0.1427, 0.05504, 0.01623, 0.005148, 0.002289, 0.001303, 4.31, 29.62, 45.17],
         [0.2528, 0.1486, 0.06622, 0.02967, 0.006968, 0.002256, 0.0009942, 3.746, 30.17, 46.06],
         [0.2527, 0.1828, 0.1382, 0.08946, 0.05894, 0.005105, 0.00222, 3.651, 26.95, 72.88]]),
    "relu": (
        [[None, None, None, 78, 44, 28, None, None, None, None],
         [None, None, 80, 43, 24, 19, None, None, None, None],
         [None, 84, 45, 26, 16, 25, None, None, None, None],
         [64, 35, 27, 15, 31, None, None, None, None, None],
         [36, 17, 24, None, None, None, None, None, None, None]],
        [[0.5462, 0.4294, 0.2084, 0.05261, 0.01041, 0.005053, 0.4478, 0.7374, 0.8098, 1.18],
         [0.4659, 0.2331, 0.0559, 0.01496, 0.004232, 0.001824, 0.4042, 0.7374, 0.8098, 1.18],
         [0.2433, 0.06849, 0.01876, 0.005521, 0.002355, 0.002755, 0.5592, 0.7374, 0.8098, 1.18],
         [0.04583, 0.02438, 0.005674, 0.003107, 0.06369, 0.6184, 0.7025, 0.7374, 0.8098, 1.068],
         [0.004759, 0.01493, 0.03046, 0.2186, 0.6761, 0.6943, 0.6977, 0.7131, 0.8098, 1.18]]),
}


def race_tuning() -> dict[str, Tuning]:
    """Section 5's tuning tables, precomputed (see _RACE_TABLES): per activation, gains
    RACE_GAINS x learning rates RACE_LRS, medians over RACE_TUNING_SEEDS."""
    return {name: Tuning(RACE_GAINS, RACE_LRS,
                         np.array([[np.inf if e is None else float(e) for e in row] for row in epochs]),
                         np.array(final, dtype=float))
            for name, (epochs, final) in _RACE_TABLES.items()}


# ----------------------------------------------------------------------------- 5. the plateau

def linear_share(net: MLP, X: np.ndarray) -> float:
    """The share of the variance of the network's output (its logit) over X that the best affine
    function of the input, least squares on [x, 1], explains: 1 for a linear network."""
    out = net.forward(X)[0].ravel()
    design = np.column_stack([X, np.ones(len(X))])
    fit = design @ np.linalg.lstsq(design, out, rcond=None)[0]
    return float(1 - np.sum((out - fit) ** 2) / np.sum((out - out.mean()) ** 2))


def pre_activation_sizes(net: MLP, X: np.ndarray, saturated: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Per hidden layer: the mean |z| over X and units, and the fraction of |z| above
    ``saturated`` (at |z| = 2, tanh' = 0.071 and sigmoid' = 0.105)."""
    zs = net.pre_activations(X)
    return (np.array([np.abs(z).mean() for z in zs]),
            np.array([np.mean(np.abs(z) > saturated) for z in zs]))
