"""Notebook 04's code: PReLU's slope gradient, ELU, the max-form trap, and the experiments.

The experiments train many copies of one small network side by side (``Stack``): S copies of
``reference.network.MLP`` that differ in their seed and their negative slope alpha, updated
together by batched matrix products. Each copy starts from the weights ``MLP(sizes, ...,
rng=seed)`` draws and visits the mini-batches ``train`` would, so copy i ends where
``train(MLP(...), ...)`` ends, bit for bit (tests/test_leaky.py checks it); a dozen copies cost
about as much Python time as one.

Words used below, for a hidden unit and a data set X:

* **inactive**: z <= 0 on every row of X (the unit's output is 0, or alpha * z, everywhere);
* **dead**: inactive *and* receiving no gradient on any row: f'(z) = 0 wherever z <= 0, which
  is true for ReLU (alpha = 0) and never for Leaky ReLU (alpha > 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from reference import data
from reference.activations import leaky_relu, sigmoid
from reference.network import MLP

# ----------------------------------------------------------------------------- functions


def prelu_alpha_grad(upstream, z):
    """dL/dalpha for PReLU with one slope alpha shared by every element of z.

    f(z) = z for z > 0 and alpha * z otherwise, so df/dalpha = min(z, 0): z where z <= 0, else 0.
    By the chain rule, summed over every element alpha touched:

        dL/dalpha = sum(upstream * min(z, 0)),   upstream = dL/df

    The answer does not depend on alpha: f is linear in alpha.
    """
    return float(np.sum(np.asarray(upstream) * np.minimum(z, 0)))


def max_form(z: ArrayLike, alpha: float) -> np.ndarray:
    """The shortcut max(alpha * z, z): Leaky ReLU exactly when alpha <= 1 (so for every usual
    slope 0 <= alpha <= 1, and also for negative alpha); for alpha > 1 it returns alpha * z for z > 0."""
    z = np.asarray(z)
    return np.maximum(alpha * z, z)


def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU (Clevert et al. 2016): z for z > 0, alpha (e^z - 1) otherwise; saturates at -alpha."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Derivative of ELU: 1 for z > 0, alpha e^z otherwise (continuous at 0 when alpha = 1)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))


# ----------------------------------------------------------------------------- many networks at once


EVAL_BYTES = 64 * 1024
STEP_BYTES = 64 * 1024


@dataclass
class Stack:
    """S networks of one architecture, copy i with its own weights, rng and slope ``alphas[i]``.

    ``weights[l]`` has shape (S, fan_out, fan_in) and ``biases[l]`` (S, fan_out); hidden layers
    compute Leaky ReLU with slope alpha, which for alpha = 0 is ReLU (and its gradient too).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    alphas: np.ndarray
    rngs: list[np.random.Generator]
    loss_name: str = "bce"

    @classmethod
    def of(cls, sizes: tuple[int, ...], alphas: ArrayLike, seeds: ArrayLike,
           loss: str = "bce", init: str | float = "he") -> "Stack":
        """Copy i is MLP(sizes, relu if alphas[i] == 0 else leaky_relu, alphas[i], rng=seeds[i])."""
        nets = [MLP(sizes, activation="leaky_relu" if a > 0 else "relu", alpha=float(a),
                    init=init, loss=loss, rng=int(s)) for a, s in zip(alphas, seeds)]
        return cls.from_nets(nets)

    @classmethod
    def from_nets(cls, nets: list[MLP], alphas: ArrayLike | None = None) -> "Stack":
        """Copies of trained (or fresh) MLPs; ``alphas`` overrides their slopes (a switch)."""
        if alphas is None:
            alphas = [net.alphas[0] if net.activation != "relu" else 0.0 for net in nets]
        return cls([np.stack([net.weights[l] for net in nets]).copy() for l in range(len(nets[0].weights))],
                   [np.stack([net.biases[l] for net in nets]).copy() for l in range(len(nets[0].biases))],
                   np.asarray(alphas, dtype=float), [net.rng for net in nets], nets[0].loss_name)

    @property
    def size(self) -> int:
        return len(self.alphas)

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Outputs (S, n, 1), pre-activations and inputs of every layer; X is (n, d) or (S, n, d)."""
        a, zs, inputs = X, [], []
        slope = self.alphas[:, None, None]
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            inputs.append(a)
            z = a @ W.transpose(0, 2, 1) + b[:, None, :]
            if layer == len(self.weights) - 1:
                return z, zs, inputs
            zs.append(z)
            a = leaky_relu(z, slope)
        raise AssertionError("unreachable")

    def _loss(self, out: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-copy loss (S,) and dL/dout, for targets y of shape (n,) or (S, n)."""
        s = out[..., 0]
        if self.loss_name == "bce":
            loss = np.mean(np.logaddexp(0.0, s) - y * s, axis=-1)
            return loss, ((sigmoid(s) - y) / s.shape[-1])[..., None]
        diff = s - y
        return np.mean(diff**2, axis=-1), (2 * diff / s.shape[-1])[..., None]

    def step(self, Xb: np.ndarray, yb: np.ndarray, lr: float) -> None:
        """One gradient-descent step of every copy on its own batch Xb[i] (S, B, d), yb[i].

        Copies are updated in groups whose temporaries stay under STEP_BYTES (see _pieces).
        """
        width = max(W.shape[1] for W in self.weights)
        group = max(1, STEP_BYTES // (8 * Xb.shape[1] * width))
        for start in range(0, self.size, group):
            self._step(slice(start, start + group), Xb[start:start + group], yb[start:start + group], lr)

    def _step(self, copies: slice, Xb: np.ndarray, yb: np.ndarray, lr: float) -> None:
        weights = [W[copies] for W in self.weights]            # views: updated in place
        biases = [b[copies] for b in self.biases]
        slope = self.alphas[copies, None, None]
        a, zs, inputs = Xb, [], []
        for layer, (W, b) in enumerate(zip(weights, biases)):
            inputs.append(a)
            z = a @ W.transpose(0, 2, 1) + b[:, None, :]
            if layer < len(weights) - 1:
                zs.append(z)
                a = leaky_relu(z, slope)
        _, dz = self._loss(z, yb)
        for layer in range(len(weights) - 1, -1, -1):
            W = weights[layer]
            dW = dz.transpose(0, 2, 1) @ inputs[layer]
            db = dz.sum(axis=1)
            if layer:
                da, z = dz @ W, zs[layer - 1]
                dz = da * (z > 0) + slope * da * (z <= 0)
            W -= lr * dW
            biases[layer] -= lr * db

    def _pieces(self, X: np.ndarray):
        """The forward pass over X in slices of rows, each slice's arrays under EVAL_BYTES.

        Evaluating all S copies on a whole data set at once makes arrays of S * n * width
        numbers; on this machine, arrays above a few tens of kB come from fresh memory maps,
        whose page faults cost more than the arithmetic. Slices keep every temporary small.
        """
        width = max(W.shape[1] for W in self.weights)
        rows = max(1, EVAL_BYTES // (8 * self.size * width))
        for start in range(0, len(X), rows):
            out, zs, _ = self.forward(X[start:start + rows])
            yield slice(start, start + rows), out[..., 0], zs

    def inactive(self, X: np.ndarray) -> np.ndarray:
        """(S, hidden units): True where the unit's z <= 0 on every row of X."""
        found = None
        for _, _, zs in self._pieces(X):
            part = np.concatenate([np.all(z <= 0, axis=1) for z in zs], axis=1)
            found = part if found is None else found & part
        return found

    def dead(self, X: np.ndarray) -> np.ndarray:
        """(S, hidden units): inactive and with slope 0 there, so no gradient on any row of X."""
        return self.inactive(X) & (self.alphas == 0)[:, None]

    def zero_fraction(self, X: np.ndarray) -> np.ndarray:
        """(S,): the fraction of hidden outputs on X that are exactly 0 (sparsity)."""
        slope = self.alphas[:, None, None]
        zeros = sum(sum(np.sum(leaky_relu(z, slope) == 0, axis=(1, 2)) for z in zs)
                    for _, _, zs in self._pieces(X))
        return zeros / (len(X) * sum(W.shape[1] for W in self.weights[:-1]))

    def loss(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(S,): the loss of each copy on (X, y)."""
        total = 0.0
        for rows, s, _ in self._pieces(X):
            if self.loss_name == "bce":
                total = total + np.sum(np.logaddexp(0.0, s) - y[rows] * s, axis=-1)
            else:
                total = total + np.sum((s - y[rows]) ** 2, axis=-1)
        return total / len(X)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(S,): the fraction of rows of X each copy classifies right (logit > 0 means 1)."""
        return sum(np.sum((s > 0) == y[rows], axis=-1) for rows, s, _ in self._pieces(X)) / len(X)

    def net(self, i: int) -> MLP:
        """Copy i as an MLP (for its methods and plots)."""
        sizes = (self.weights[0].shape[2],) + tuple(W.shape[1] for W in self.weights)
        alpha = float(self.alphas[i])
        net = MLP(sizes, activation="leaky_relu" if alpha > 0 else "relu", alpha=alpha,
                  loss=self.loss_name, rng=0)
        net.weights = [W[i].copy() for W in self.weights]
        net.biases = [b[i].copy() for b in self.biases]
        return net


@dataclass
class StackHistory:
    """Per epoch (index 0 = before training): loss (S, E+1) and inactive units (S, E+1, units)."""

    loss: list[np.ndarray] = field(default_factory=list)
    inactive: list[np.ndarray] = field(default_factory=list)

    @property
    def inactive_fraction(self) -> np.ndarray:
        """(S, epochs + 1): the fraction of hidden units inactive on the training set."""
        return np.stack(self.inactive, axis=1).mean(axis=2)


def train_stack(stack: Stack, X: np.ndarray, y: np.ndarray, epochs: int, lr: float,
                batch_size: int | None = None,
                record: tuple[str, ...] = ("loss", "inactive")) -> StackHistory:
    """Mini-batch SGD on every copy at once, each copy with its own shuffles (as ``train``).

    ``record`` names what to measure on (X, y) before training and after every epoch.
    """
    history = StackHistory()
    n = len(X)
    batch_size = batch_size or n

    def remember() -> None:
        if "loss" in record:
            history.loss.append(stack.loss(X, y))
        if "inactive" in record:
            history.inactive.append(stack.inactive(X))

    remember()
    for _ in range(epochs):
        if batch_size < n:
            orders = np.stack([rng.permutation(n) for rng in stack.rngs])
        else:
            orders = np.broadcast_to(np.arange(n), (stack.size, n))
        for start in range(0, n, batch_size):
            batch = orders[:, start:start + batch_size]
            stack.step(X[batch], y[batch], lr)
        remember()
    return history


# ----------------------------------------------------------------------------- the experiments

DYING = {"n": 200, "sizes": (2, 32, 32, 1), "lr": 3.0, "epochs": 20, "batch_size": 20}
DYING_SEEDS = (0, 1, 2, 3, 4, 5)
ALPHA_GRID = (0.0, 0.01, 0.02, 0.05, 0.1)
CALM = {"lr": 0.5, "epochs": 40}


@lru_cache(maxsize=1)
def dying_data() -> tuple[np.ndarray, np.ndarray]:
    """The dying set-up's data: 200 points on two spirals (seed 0)."""
    return data.spirals(DYING["n"], rng=0)


@lru_cache(maxsize=2)
def dying_runs(alphas: tuple[float, ...] = ALPHA_GRID,
               seeds: tuple[int, ...] = DYING_SEEDS) -> tuple[Stack, StackHistory]:
    """A dying set-up like notebook 03's: 2-32-32-1 on the spirals, 20 epochs of mini-batch SGD
    at learning rate 3. Copy i*len(seeds)+j has slope alphas[i] and seed seeds[j].

    Cached: do not train the returned Stack further; copy a network out with ``stack.net(i)``.
    """
    X, y = dying_data()
    grid_alpha, grid_seed = np.meshgrid(alphas, seeds, indexing="ij")
    stack = Stack.of(DYING["sizes"], grid_alpha.ravel(), grid_seed.ravel())
    history = train_stack(stack, X, y, DYING["epochs"], DYING["lr"], DYING["batch_size"], record=())
    return stack, history


def dying_summary(alphas: tuple[float, ...] = ALPHA_GRID,
                  seeds: tuple[int, ...] = DYING_SEEDS) -> dict[str, np.ndarray]:
    """After the dying set-up, arrays of shape (alphas, seeds): the fraction of hidden units
    dead and inactive, the fraction of hidden outputs exactly 0, and the training accuracy."""
    stack, _ = dying_runs(alphas, seeds)
    X, y = dying_data()
    shape = (len(alphas), len(seeds))
    return {"dead": stack.dead(X).mean(axis=1).reshape(shape),
            "inactive": stack.inactive(X).mean(axis=1).reshape(shape),
            "zero_fraction": stack.zero_fraction(X).reshape(shape),
            "accuracy": stack.accuracy(X, y).reshape(shape)}


@lru_cache(maxsize=2)
def revival(alphas: tuple[float, ...] = (0.0, 0.01, 0.1), epochs: int = CALM["epochs"],
            lr: float = CALM["lr"]) -> dict[str, np.ndarray]:
    """Take the ReLU networks of the dying set-up, switch them (same weights) to each slope in
    ``alphas`` (0 = stay ReLU), and train on at a calmer learning rate.

    Copies of one seed see the same mini-batches whatever alpha, so the comparison is paired.
    Returns, with A = len(alphas), S = seeds, U = hidden units, E = epochs:
      dead_at_switch (S, U)       dead ReLU units when the switch happens
      revived (A, S, E + 1)       how many of them have z > 0 on some input, after each epoch
      revived_first_layer (A, S)  the same at the end, first hidden layer only
      weight_change (A,)          the largest change of a first-layer dead unit's weights or bias
      accuracy_before (S,), accuracy_after (A, S)   training accuracy
    """
    stack, _ = dying_runs()
    X, y = dying_data()
    relu_rows = [i for i, a in enumerate(stack.alphas) if a == 0]
    seeds = DYING_SEEDS[:len(relu_rows)]
    dead = stack.dead(X)[relu_rows]
    nets = [stack.net(i) for i in relu_rows]
    switched = Stack.from_nets(nets * len(alphas), alphas=np.repeat(alphas, len(nets)))
    switched.rngs = [np.random.default_rng(100 + seed) for _ in alphas for seed in seeds]
    W0, b0 = switched.weights[0].copy(), switched.biases[0].copy()
    history = train_stack(switched, X, y, epochs, lr, DYING["batch_size"], record=("inactive",))

    A, S = len(alphas), len(nets)
    width = W0.shape[1]
    active = ~np.stack(history.inactive, axis=1).reshape(A, S, epochs + 1, -1)
    revived = active & dead[None, :, None, :]
    dead_first = np.tile(dead[:, :width], (A, 1))                     # (A*S, width)
    change = np.maximum(np.abs(switched.weights[0] - W0).max(axis=2), np.abs(switched.biases[0] - b0))
    weight_change = np.where(dead_first, change, 0.0).reshape(A, -1).max(axis=1)
    return {"alphas": np.array(alphas), "dead_at_switch": dead,
            "revived": revived.sum(axis=3), "revived_first_layer": revived[:, :, -1, :width].sum(axis=2),
            "weight_change": weight_change,
            "accuracy_before": stack.accuracy(X, y)[relu_rows],
            "accuracy_after": switched.accuracy(X, y).reshape(A, S)}


TASKS = {
    "spirals": {"data": lambda: data.spirals(300, noise=0.05, rng=0), "lr": 0.2},
    "noisy circles": {"data": lambda: data.circles(300, noise=0.15, rng=0), "lr": 0.2},
    "noisy moons": {"data": lambda: data.moons(300, noise=0.3, rng=0), "lr": 0.2},
}
TASK_SIZES = (2, 32, 32, 1)
TASK_EPOCHS, TASK_BATCH = 100, 20


@lru_cache(maxsize=8)
def task_split(task: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, X_test, y_train, y_test) of a task: 70 % / 30 %, split with seed 0."""
    return data.train_test_split(*TASKS[task]["data"](), rng=0)


@lru_cache(maxsize=16)
def task_results(task: str, alphas: tuple[float, ...], seeds: tuple[int, ...]) -> dict[str, np.ndarray]:
    """Train one 2-32-32-1 network per (alpha, seed) on a task; arrays of shape (alphas, seeds).

    Returns test accuracy, test loss (cross-entropy), the fraction of exact zeros among the hidden
    outputs on the training set, and the fraction of inactive hidden units.
    """
    X_train, X_test, y_train, y_test = task_split(task)
    grid_alpha, grid_seed = np.meshgrid(alphas, seeds, indexing="ij")
    stack = Stack.of(TASK_SIZES, grid_alpha.ravel(), grid_seed.ravel())
    train_stack(stack, X_train, y_train, TASK_EPOCHS, TASKS[task]["lr"], TASK_BATCH, record=())
    shape = grid_alpha.shape
    return {"test_accuracy": stack.accuracy(X_test, y_test).reshape(shape),
            "test_loss": stack.loss(X_test, y_test).reshape(shape),
            "zero_fraction": stack.zero_fraction(X_train).reshape(shape),
            "inactive": stack.inactive(X_train).mean(axis=1).reshape(shape)}
