"""Experiments of notebook 06, each over ten seeds, trained side by side with ``train_stack``.

- monitoring: a 2-32-32-32-1 ReLU network on the moons (``task``) trained at three learning rates,
  recording each hidden layer's inactive fraction after every epoch;
- the same network with Leaky ReLU, or PReLU started at alpha = 0.25, where training ends;
- born inactive: at initialization, the mean cosine between the inputs each layer receives, and
  the fraction of its units inactive on the whole training set;
- regularization: a small 1-D regression (three training samples of 20 points, five seeds each)
  fitted with no regularizer, with weight decay and with dropout, the strengths chosen on a
  validation set, scored on a test set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reference import data
from reference.activations import relu
from reference.network import Stack, train_stack

SEEDS = tuple(range(10))
# The running example of sections 1-3: the moons (400 points, noise 0.2, 30 % held out), a
# 2-32-32-32-1 network, 60 epochs of SGD with batches of 32; the monitor's alarm at 10 %.
SIZES = (2, 32, 32, 32, 1)
EPOCHS, BATCH_SIZE, DATA_SEED = 60, 32, 0
ALARM = 0.10


def task() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, X_test, y_train, y_test) of the running example: 280 and 120 points."""
    X, y = data.moons(400, noise=0.2, rng=DATA_SEED)
    return data.train_test_split(X, y, test_fraction=0.3, rng=DATA_SEED)


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
    """The running example's ReLU network, ``MONITOR_RATES`` x ``SEEDS``: ``inactive`` (rates, seeds,
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
    X_train, X_test, y_train, y_test = task()
    rates, seeds = (grid.ravel() for grid in np.meshgrid(MONITOR_RATES, SEEDS, indexing="ij"))
    stack = Stack.of(SIZES, seeds, activation="relu")
    with np.errstate(all="ignore"):                 # a diverging run is a result, not a warning
        history = train_stack(stack, X_train, y_train, epochs=EPOCHS, lr=rates,
                              batch_size=BATCH_SIZE, record=("inactive",))
        loss, accuracy = stack.loss(X_train, y_train), stack.accuracy(X_test, y_test)
        zeros = stack.zero_fraction(X_test)
    shape = (len(MONITOR_RATES), len(SEEDS))
    per_layer = inactive_per_layer(history.inactive, SIZES[1:-1])
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
    """The running example's network with ``activation`` (slope, or starting slope, ``alpha``) trained
    at each learning rate of ``rates`` from every seed of ``SEEDS``, in one stack."""
    X_train, X_test, y_train, y_test = task()
    lr, seeds = (grid.ravel() for grid in np.meshgrid(rates, SEEDS, indexing="ij"))
    stack = Stack.of(SIZES, seeds, activation=activation, alpha=alpha)
    with np.errstate(all="ignore"):
        train_stack(stack, X_train, y_train, epochs=EPOCHS, lr=lr,
                    batch_size=BATCH_SIZE, record=())
        loss, accuracy = stack.loss(X_train, y_train), stack.accuracy(X_test, y_test)
        zeros = stack.zero_fraction(X_test)
    shape = (len(rates), len(SEEDS))
    return FinalRuns(loss.reshape(shape), accuracy.reshape(shape), zeros.reshape(shape),
                     stack.alphas.reshape(shape + (-1,)))


EXTRA_SEEDS = tuple(range(10, 40))             # a cheap look at more seeds: the first epochs only
EARLY_EPOCHS = 5


@dataclass(frozen=True)
class EarlyRuns:
    """ReLU at learning rate 2 on ``EXTRA_SEEDS``, ``EARLY_EPOCHS`` epochs: the training ``loss``
    and the whole network's ``inactive`` fraction before training and after each epoch, both
    (seeds, epochs + 1)."""

    loss: np.ndarray
    inactive: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        """(seeds,): True where the loss is no longer a finite number at the end."""
        return ~np.isfinite(self.loss[:, -1])

    def first_nan_epoch(self) -> np.ndarray:
        """For each diverged seed, the first epoch whose loss is not finite."""
        return np.argmax(~np.isfinite(self.loss[self.diverged]), axis=1)


@lru_cache(maxsize=1)
def early_runs(lr: float = 2.0) -> EarlyRuns:
    """The running example's ReLU network at ``lr`` from every seed of ``EXTRA_SEEDS``, in one stack."""
    X_train, _, y_train, _ = task()
    stack = Stack.of(SIZES, EXTRA_SEEDS, activation="relu")
    with np.errstate(all="ignore"):
        history = train_stack(stack, X_train, y_train, epochs=EARLY_EPOCHS, lr=lr,
                              batch_size=BATCH_SIZE, record=("loss", "inactive"))
    return EarlyRuns(history.loss, history.inactive_fraction)


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
    """The running example's ReLU network at initialization, one copy per seed, on its training set:
    (mean cosine between the inputs of each hidden layer, fraction of its units inactive), both
    of shape (seeds, hidden layers). A layer's inputs are the data (layer 1) or the outputs of
    the layer below."""
    X_train = task()[0]
    stack = Stack.of(SIZES, seeds, activation="relu")
    _, zs, inputs = stack.forward(X_train)
    cosines = np.stack([mean_cosine(np.broadcast_to(a, (len(seeds),) + a.shape[-2:]))
                        for a in inputs[:-1]], axis=1)
    inactive = np.stack([np.all(z <= 0, axis=1).mean(axis=1) for z in zs], axis=1)
    return cosines, inactive


# ----------------------------------------------------------------------------- regularization

REGRESSION_SIZES = (1, 16, 16, 1)
REGRESSION_NOISE = 0.3
REGRESSION_SAMPLES = (2, 5, 6)              # the rng of each training sample of 20 noisy points
REGRESSION_SEEDS = tuple(range(5))
REGRESSION_VALIDATION = data.regression_1d(200, noise=REGRESSION_NOISE, rng=104)   # chooses strengths
REGRESSION_TEST = data.regression_1d(500, noise=REGRESSION_NOISE, rng=103)         # looked at once
REGRESSION_EPOCHS, REGRESSION_LR = 1000, 0.02
WEIGHT_DECAYS = (0.001, 0.003, 0.01, 0.03, 0.1)
DROPOUTS = (0.01, 0.02, 0.05, 0.1, 0.2)
SETTINGS = (("none", 0.0),) + tuple(("weight decay", w) for w in WEIGHT_DECAYS) + \
    tuple(("dropout", p) for p in DROPOUTS)
WIDE = np.linspace(-6, 6, 241)[:, None]               # twice the training range
PLOT_X = np.linspace(-3, 3, 121)[:, None]


def target(x: np.ndarray) -> np.ndarray:
    """The noise-free curve y = sin(2x) + x/2 behind the regression data."""
    return np.sin(2 * x) + x / 2


def training_sample(sample: int) -> tuple[np.ndarray, np.ndarray]:
    """The 20 noisy training points drawn with rng ``sample``."""
    return data.regression_1d(20, noise=REGRESSION_NOISE, rng=sample)


@dataclass(frozen=True)
class RegularizationRuns:
    """Every (training sample, setting, seed): ``samples`` x ``SETTINGS`` x ``seeds``.

    ``train``, ``validation``, ``test`` (samples, settings, seeds): mean squared errors at the end
    (NaN or huge where a run blew up); ``miss_train``, ``miss_test``: the mean of
    (f_hat(x) - target(x))^2 over the training inputs and over the test inputs, how far the fit is
    from the noise-free curve where it saw data and where it is scored; ``max_activation``: the
    largest hidden activation on ``WIDE``; ``weight_norm``: the sum of squared weights (no
    biases); ``fits`` (samples, settings, seeds, points): the trained network on ``PLOT_X``.
    """

    samples: tuple[int, ...]
    seeds: tuple[int, ...]
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    miss_train: np.ndarray
    miss_test: np.ndarray
    max_activation: np.ndarray
    weight_norm: np.ndarray
    fits: np.ndarray

    def chosen(self, kind: str, sample: int) -> int:
        """The index in SETTINGS of the ``kind`` ("none", "weight decay", "dropout") whose
        validation error, averaged over the seeds, is lowest on training sample number ``sample``
        (a setting with a blown-up run counts as infinitely bad; the test set is not looked at)."""
        candidates = [i for i, (name, _) in enumerate(SETTINGS) if name == kind]
        scores = np.where(np.isfinite(self.validation[sample]), self.validation[sample], np.inf)
        return min(candidates, key=lambda i: float(np.mean(scores[i])))

    def test_of(self, kind: str) -> np.ndarray:
        """(samples, seeds): the test MSE of the ``kind`` chosen on each sample's validation error,
        NaN replaced by infinity (a blown-up run is the worst result)."""
        rows = [self.test[s, self.chosen(kind, s)] for s in range(len(self.samples))]
        return np.nan_to_num(np.array(rows), nan=np.inf)


def _fit(sample: int, seeds: tuple[int, ...], weight_decay: np.ndarray,
         dropout: np.ndarray) -> dict[str, np.ndarray]:
    """Train one stack on one training sample (settings given per copy, seeds cycling fastest)
    and measure every copy."""
    X, y = training_sample(sample)
    stack = Stack.of(REGRESSION_SIZES, np.tile(seeds, len(weight_decay) // len(seeds)), loss="mse")
    train_stack(stack, X, y, epochs=REGRESSION_EPOCHS, lr=REGRESSION_LR,
                weight_decay=weight_decay, dropout=dropout, record=())
    X_test = REGRESSION_TEST[0]
    _, zs, _ = stack.forward(WIDE)
    return {"train": stack.loss(X, y), "validation": stack.loss(*REGRESSION_VALIDATION),
            "test": stack.loss(*REGRESSION_TEST),
            "miss_train": stack.loss(X, target(X[:, 0])),
            "miss_test": stack.loss(X_test, target(X_test[:, 0])),
            "max_activation": np.max([relu(z).max(axis=(1, 2)) for z in zs], axis=0),
            "weight_norm": sum(np.sum(W**2, axis=(1, 2)) for W in stack.weights),
            "fits": stack.forward(PLOT_X)[0][..., 0]}


@lru_cache(maxsize=2)
def regularization_runs(samples: tuple[int, ...] = REGRESSION_SAMPLES,
                        seeds: tuple[int, ...] = REGRESSION_SEEDS) -> RegularizationRuns:
    """Fit each training sample of 20 noisy points with a 1-16-16-1 ReLU net under every setting.

    Full-batch gradient descent, ``REGRESSION_EPOCHS`` epochs at ``REGRESSION_LR`` (the same for
    every setting), He initialization, mean squared error. Per sample, the dropout copies get a
    stack of their own (listed last in SETTINGS), so the others draw no masks.
    """
    strengths = np.array([value for _, value in SETTINGS])
    is_dropout = np.array([name == "dropout" for name, _ in SETTINGS])
    measured = []
    with np.errstate(all="ignore"):                 # a blown-up run is a result, not a warning
        for sample in samples:
            plain = _fit(sample, seeds, np.repeat(strengths[~is_dropout], len(seeds)), 0.0)
            dropped = _fit(sample, seeds, np.zeros(is_dropout.sum() * len(seeds)),
                           np.repeat(strengths[is_dropout], len(seeds)))
            measured.append({key: np.concatenate([plain[key], dropped[key]]).reshape(
                (len(SETTINGS), len(seeds)) + plain[key].shape[1:]) for key in plain})
    return RegularizationRuns(tuple(samples), tuple(seeds),
                              *(np.array([m[key] for m in measured]) for key in
                                ("train", "validation", "test", "miss_train", "miss_test",
                                 "max_activation", "weight_norm", "fits")))
