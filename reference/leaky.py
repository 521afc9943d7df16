"""Notebook 04's code: PReLU's slope gradient, ELU, the max-form trap, and the experiments.

The experiments train many copies of one small network side by side
(``reference.network.Stack``): copies that differ in their seed and their negative slope alpha,
alpha = 0 being ReLU, so ReLU and Leaky ReLU networks of one seed start from the same weights.

Words used below, for a hidden unit and a data set X:

* **inactive**: z <= 0 on every row of X (the unit's output is 0, or alpha * z, everywhere);
* **dead**: inactive *and* receiving no gradient on any row: f'(z) = 0 wherever z <= 0, which
  is true for ReLU (alpha = 0) and never for Leaky ReLU (alpha > 0).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from reference import data
from reference.network import Stack, StackHistory, train_stack

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
    stack = Stack.of(DYING["sizes"], grid_seed.ravel(), "leaky_relu", grid_alpha.ravel())
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
    relu_rows = [i for i, a in enumerate(stack.alphas[:, 0]) if a == 0]
    seeds = DYING_SEEDS[:len(relu_rows)]
    dead = stack.dead(X)[relu_rows]
    nets = [stack.net(i) for i in relu_rows]
    switched = Stack.from_nets(nets * len(alphas), alphas=np.repeat(alphas, len(nets)),
                               activation="leaky_relu")
    switched.rngs = [np.random.default_rng(100 + seed) for _ in alphas for seed in seeds]
    W0, b0 = switched.weights[0].copy(), switched.biases[0].copy()
    history = train_stack(switched, X, y, epochs, lr, DYING["batch_size"], record=("inactive",))

    A, S = len(alphas), len(nets)
    width = W0.shape[1]
    active = ~history.inactive.reshape(A, S, epochs + 1, -1)
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
    stack = Stack.of(TASK_SIZES, grid_seed.ravel(), "leaky_relu", grid_alpha.ravel())
    train_stack(stack, X_train, y_train, TASK_EPOCHS, TASKS[task]["lr"], TASK_BATCH, record=())
    shape = grid_alpha.shape
    return {"test_accuracy": stack.accuracy(X_test, y_test).reshape(shape),
            "test_loss": stack.loss(X_test, y_test).reshape(shape),
            "zero_fraction": stack.zero_fraction(X_train).reshape(shape),
            "inactive": stack.inactive(X_train).mean(axis=1).reshape(shape)}
