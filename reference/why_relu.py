"""The experiments of notebook 02: where the gradient shrinks, what an activation costs, and a
fair race between sigmoid, tanh and ReLU.

Fair means each activation gets its own fan-in initialization, W ~ N(0, gain^2 / fan_in) with
the gain PyTorch's ``torch.nn.init.calculate_gain`` recommends (1 for sigmoid, 5/3 for tanh,
sqrt(2) for ReLU, which is He's rule), and its own learning rate, tuned on seeds that are not
the ones it is then compared on.
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


def fan_in_stack(sizes: tuple[int, ...], seeds, activation: str, gain: float | None = None) -> Stack:
    """A Stack whose copy i is ``fan_in_mlp(sizes, activation, seeds[i], gain)``."""
    return Stack.from_nets([fan_in_mlp(sizes, activation, int(s), gain) for s in np.atleast_1d(seeds)])


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
                init: str | None = None) -> tuple[np.ndarray, Stack]:
    """Train every learning rate with every seed, side by side in one stack; return the
    training-loss curves, of shape (len(lrs), len(seeds), epochs + 1), and the trained stack
    (copy i * len(seeds) + j has lrs[i] and seeds[j]). ``init=None`` is the fan-in init of
    FAN_IN_GAIN; any name of ``reference.network.INITS`` is used as it is."""
    lrs, seeds = np.atleast_1d(lrs).astype(float), np.atleast_1d(seeds)
    copies = np.tile(seeds, len(lrs))
    sizes = (X.shape[1],) + tuple(hidden) + (1,)
    stack = (fan_in_stack(sizes, copies, activation) if init is None
             else Stack.of(sizes, copies, activation=activation, init=init))
    history = train_stack(stack, X, y, epochs, lr=np.repeat(lrs, len(seeds)),
                          batch_size=batch_size, record=("loss",))
    losses = np.where(np.isfinite(history.loss), history.loss, np.inf)
    return losses.reshape(len(lrs), len(seeds), epochs + 1), stack


def best_learning_rate(curves: np.ndarray, lrs, threshold: float) -> float:
    """The learning rate whose median over seeds reaches ``threshold`` in the fewest epochs;
    ties (e.g. none reaches it) go to the lowest median final loss. ``curves`` as loss_curves."""
    speed = np.median(epochs_to_reach(curves, threshold), axis=1)
    final = np.median(curves[..., -1], axis=1)
    order = np.lexsort((final, speed))
    return float(np.atleast_1d(lrs)[order[0]])


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
    ``saturated`` (at |z| = 2, tanh' = 0.07 and sigmoid' = 0.10)."""
    zs = net.pre_activations(X)
    return (np.array([np.abs(z).mean() for z in zs]),
            np.array([np.mean(np.abs(z) > saturated) for z in zs]))
