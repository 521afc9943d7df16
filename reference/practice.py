"""Experiments of notebook 06, each over ten seeds, trained side by side with ``train_stack``.

- monitoring: the capstone's ReLU network (reference.capstone) trained at three learning rates,
  recording each hidden layer's inactive fraction after every epoch;
- the same network with Leaky ReLU, or PReLU started at alpha = 0.25, where training ends;
- born inactive: at initialization, the mean cosine between the inputs each layer receives, and
  the fraction of its units inactive on the whole training set;
- regularization: a small 1-D regression fitted with no regularizer, with weight decay and with
  dropout, the strengths chosen on a validation set, scored on a test set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reference import capstone, data
from reference.activations import relu
from reference.network import Stack, train_stack

SEEDS = tuple(range(10))


def inactive_per_layer(inactive: np.ndarray, widths: tuple[int, ...]) -> np.ndarray:
    """The fraction of each hidden layer's units inactive: ``inactive`` (..., units) booleans
    (z <= 0 on every training input) becomes (..., layers)."""
    bounds = np.cumsum((0,) + tuple(widths))
    return np.stack([inactive[..., a:b].mean(axis=-1) for a, b in zip(bounds[:-1], bounds[1:])],
                    axis=-1)


# ----------------------------------------------------------------------------- monitoring

MONITOR_RATES = (0.1, 0.3, 2.0)


@dataclass(frozen=True)
class MonitorRuns:
    """The capstone's ReLU network, ``MONITOR_RATES`` x ``SEEDS``: ``inactive`` (rates, seeds,
    epochs + 1, layers), the fraction of each hidden layer's units inactive on the training set
    after each epoch; the final training ``loss``, ``test_accuracy`` and ``zero_fraction`` (the
    fraction of hidden outputs on the test set that are exactly 0), each (rates, seeds)."""

    inactive: np.ndarray
    loss: np.ndarray
    test_accuracy: np.ndarray
    zero_fraction: np.ndarray

    def at(self, lr: float) -> int:
        """The row of a learning rate."""
        return MONITOR_RATES.index(lr)


@lru_cache(maxsize=1)
def monitor_runs() -> MonitorRuns:
    """Train every (learning rate, seed) of the monitoring experiment in one stack."""
    X_train, X_test, y_train, y_test = capstone.task()
    rates, seeds = (grid.ravel() for grid in np.meshgrid(MONITOR_RATES, SEEDS, indexing="ij"))
    stack = Stack.of(capstone.SIZES, seeds, activation="relu")
    with np.errstate(all="ignore"):                 # a diverging run is a result, not a warning
        history = train_stack(stack, X_train, y_train, epochs=capstone.EPOCHS, lr=rates,
                              batch_size=capstone.BATCH_SIZE, record=("inactive",))
        loss, accuracy = stack.loss(X_train, y_train), stack.accuracy(X_test, y_test)
        zeros = stack.zero_fraction(X_test)
    shape = (len(MONITOR_RATES), len(SEEDS))
    per_layer = inactive_per_layer(history.inactive, capstone.SIZES[1:-1])
    return MonitorRuns(per_layer.reshape(shape + per_layer.shape[1:]), loss.reshape(shape),
                       accuracy.reshape(shape), zeros.reshape(shape))


PRELU_START = 0.25                              # He et al. (2015)'s starting slope


@dataclass(frozen=True)
class FinalRuns:
    """Where training ended, per (learning rate, seed): ``loss`` (training set), ``test_accuracy``,
    ``zero_fraction`` (hidden outputs on the test set exactly 0), each (rates, seeds), and the
    slopes ``alphas`` (rates, seeds, hidden layers; learned by prelu)."""

    loss: np.ndarray
    test_accuracy: np.ndarray
    zero_fraction: np.ndarray
    alphas: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        """(rates, seeds): True where the training loss is no longer a finite number."""
        return ~np.isfinite(self.loss)


@lru_cache(maxsize=8)
def final_runs(activation: str, alpha: float, rates: tuple[float, ...]) -> FinalRuns:
    """The capstone's network with ``activation`` (slope, or starting slope, ``alpha``) trained
    at each learning rate of ``rates`` from every seed of ``SEEDS``, in one stack."""
    X_train, X_test, y_train, y_test = capstone.task()
    lr, seeds = (grid.ravel() for grid in np.meshgrid(rates, SEEDS, indexing="ij"))
    stack = Stack.of(capstone.SIZES, seeds, activation=activation, alpha=alpha)
    with np.errstate(all="ignore"):
        train_stack(stack, X_train, y_train, epochs=capstone.EPOCHS, lr=lr,
                    batch_size=capstone.BATCH_SIZE, record=())
        loss, accuracy = stack.loss(X_train, y_train), stack.accuracy(X_test, y_test)
        zeros = stack.zero_fraction(X_test)
    shape = (len(rates), len(SEEDS))
    return FinalRuns(loss.reshape(shape), accuracy.reshape(shape), zeros.reshape(shape),
                     stack.alphas.reshape(shape + (-1,)))


# ----------------------------------------------------------------------------- born inactive

def mean_cosine(a: np.ndarray) -> np.ndarray:
    """The mean cosine between the rows of a, over all pairs of different rows:

        mean_{i != j} <a_i, a_j> / (|a_i| |a_j|)      for a of shape (..., n, d) -> (...,)

    A row of zeros counts as cosine 0 with every other row.
    """
    norms = np.linalg.norm(a, axis=-1, keepdims=True)
    unit = np.divide(a, norms, out=np.zeros_like(a, dtype=float), where=norms > 0)
    gram = unit @ np.swapaxes(unit, -1, -2)
    n = a.shape[-2]
    return (gram.sum(axis=(-1, -2)) - np.trace(gram, axis1=-2, axis2=-1)) / (n * (n - 1))


def alignment_at_init(seeds: tuple[int, ...] = SEEDS) -> tuple[np.ndarray, np.ndarray]:
    """The capstone's ReLU network at initialization, one copy per seed, on its training set:
    (mean cosine between the inputs of each hidden layer, fraction of its units inactive), both
    of shape (seeds, hidden layers). A layer's inputs are the data (layer 1) or the outputs of
    the layer below."""
    X_train = capstone.task()[0]
    stack = Stack.of(capstone.SIZES, seeds, activation="relu")
    _, zs, inputs = stack.forward(X_train)
    cosines = np.stack([mean_cosine(np.broadcast_to(a, (len(seeds),) + a.shape[-2:]))
                        for a in inputs[:-1]], axis=1)
    inactive = np.stack([np.all(z <= 0, axis=1).mean(axis=1) for z in zs], axis=1)
    return cosines, inactive


# ----------------------------------------------------------------------------- regularization

REGRESSION_SIZES = (1, 32, 32, 1)
REGRESSION_TRAIN = data.regression_1d(20, noise=0.3, rng=2)          # few noisy points: easy to overfit
REGRESSION_VALIDATION = data.regression_1d(20, noise=0.3, rng=4)     # to choose the strengths
REGRESSION_TEST = data.regression_1d(200, noise=0.3, rng=3)          # looked at once, at the end
REGRESSION_NOISE = 0.3
REGRESSION_EPOCHS, REGRESSION_LR, CHECKPOINT = 1000, 0.03, 50
WEIGHT_DECAYS = (0.01, 0.03, 0.1)
DROPOUTS = (0.05, 0.1, 0.2)
SETTINGS = (("none", 0.0),) + tuple(("weight decay", w) for w in WEIGHT_DECAYS) + \
    tuple(("dropout", p) for p in DROPOUTS)
WIDE = np.linspace(-6, 6, 241)[:, None]               # twice the training range
PLOT_X = np.linspace(-3, 3, 121)[:, None]


def target(x: np.ndarray) -> np.ndarray:
    """The noise-free curve y = sin(2x) + x/2 behind the regression data."""
    return np.sin(2 * x) + x / 2


@dataclass(frozen=True)
class RegularizationRuns:
    """Every (setting, seed) of the regression: ``SETTINGS`` x ``SEEDS``.

    ``train``, ``validation``, ``test`` (settings, seeds, checkpoints): mean squared errors after
    ``epochs`` (checkpoints,); ``max_activation`` (settings, seeds): the largest hidden activation
    on ``WIDE``; ``weight_norm``: the sum of squared weights (no biases); ``fits`` (settings,
    seeds, points): the trained network on ``PLOT_X``.
    """

    epochs: np.ndarray
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    max_activation: np.ndarray
    weight_norm: np.ndarray
    fits: np.ndarray

    def chosen(self, kind: str) -> int:
        """The index in SETTINGS of the ``kind`` ("none", "weight decay", "dropout") whose final
        validation error, averaged over the seeds, is lowest (the test set is not looked at)."""
        candidates = [i for i, (name, _) in enumerate(SETTINGS) if name == kind]
        return min(candidates, key=lambda i: float(np.mean(self.validation[i, :, -1])))


def _fit(weight_decay: np.ndarray, dropout: np.ndarray) -> dict[str, np.ndarray]:
    """Train one stack (settings given per copy, seeds cycling fastest) and measure it."""
    seeds = np.tile(SEEDS, len(weight_decay) // len(SEEDS))
    stack = Stack.of(REGRESSION_SIZES, seeds, loss="mse")
    sets = (REGRESSION_TRAIN, REGRESSION_VALIDATION, REGRESSION_TEST)
    errors: list[list[np.ndarray]] = []
    for _ in range(REGRESSION_EPOCHS // CHECKPOINT):     # gradient descent: chunks change nothing
        train_stack(stack, *REGRESSION_TRAIN, epochs=CHECKPOINT, lr=REGRESSION_LR,
                    weight_decay=weight_decay, dropout=dropout, record=())
        errors.append([stack.loss(X, y) for X, y in sets])
    _, zs, _ = stack.forward(WIDE)
    return {"errors": np.array(errors),                                  # (checkpoints, 3, copies)
            "max_activation": np.max([relu(z).max(axis=(1, 2)) for z in zs], axis=0),
            "weight_norm": sum(np.sum(W**2, axis=(1, 2)) for W in stack.weights),
            "fits": stack.forward(PLOT_X)[0][..., 0]}


@lru_cache(maxsize=1)
def regularization_runs() -> RegularizationRuns:
    """Fit 20 noisy points of the 1-D target with a 1-32-32-1 ReLU net under every setting.

    Full-batch gradient descent, ``REGRESSION_EPOCHS`` epochs at ``REGRESSION_LR`` (the same for
    every setting), He initialization, mean squared error. Dropout copies get a stack of their
    own (listed last in SETTINGS), so the others draw no masks.
    """
    repeat = len(SEEDS)
    strengths = np.array([value for _, value in SETTINGS])
    is_dropout = np.array([name == "dropout" for name, _ in SETTINGS])
    plain = _fit(np.repeat(strengths[~is_dropout], repeat), 0.0)
    dropped = _fit(np.zeros(is_dropout.sum() * repeat), np.repeat(strengths[is_dropout], repeat))
    merged = {key: np.concatenate([plain[key], dropped[key]], axis=-1 if key == "errors" else 0)
              for key in plain}
    shape = (len(SETTINGS), repeat)
    errors = merged["errors"].reshape(merged["errors"].shape[:2] + shape).transpose(1, 2, 3, 0)
    return RegularizationRuns(CHECKPOINT * np.arange(1, REGRESSION_EPOCHS // CHECKPOINT + 1),
                              *errors, merged["max_activation"].reshape(shape),
                              merged["weight_norm"].reshape(shape),
                              merged["fits"].reshape(shape + (-1,)))
