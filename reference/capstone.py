"""The capstone (notebook 06): train a deep ReLU network on the spirals within a fixed budget.

The task is fixed, so training is deterministic and a configuration is trained once per process
(cached): two spirals (600 points, 1.25 turns, noise 0.05, 30 % held out for testing), a network
of 16 hidden layers of 32 units (2-32x16-1), 30 epochs of SGD with batches of 32, seed 0. The
baseline, ReLU with He initialization at learning rate 0.1 (the rate that trained notebook 06's
three-layer moons network), never settles: its loss jumps up epoch after epoch. A configuration passes when the
trained network reaches TARGET_ACCURACY on the test set with at most MAX_INACTIVE of its hidden
units inactive (z <= 0 on every training input: dead for ReLU; for Leaky ReLU, silent though still
learning; counted only for the rectifiers: a sigmoid or tanh unit with z <= 0 still passes a
signal and a gradient) and without diverging.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from reference import data
from reference.network import Stack, train_stack

WIDTH, DEPTH = 32, 16
SIZES = (2,) + (WIDTH,) * DEPTH + (1,)
N_POINTS, TURNS, NOISE = 600, 1.25, 0.05
EPOCHS, BATCH_SIZE, SEED = 30, 32, 0
TARGET_ACCURACY, MAX_INACTIVE = 0.95, 0.20
STILL_FALLING = 0.05     # the loss fell by more than this fraction over the last LAST epochs
LAST = 5
JUMP = 0.05              # an epoch after which the loss is more than this fraction above the last
BASELINE = {"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.1}
KEYS = ("activation", "alpha", "init", "lr")
RECTIFIERS = ("relu", "leaky_relu", "prelu")          # where z <= 0 means "inactive"


@dataclass(frozen=True)
class CapstoneResult:
    """What training one configuration gave: the curves per epoch (index 0 = before training) and
    the inactive fraction of every hidden layer after the last epoch (0 for a non-rectifier)."""

    loss: tuple[float, ...]
    train_accuracy: tuple[float, ...]
    test_accuracy_curve: tuple[float, ...]
    inactive_curve: tuple[float, ...]               # whole network, per epoch
    inactive_per_layer: tuple[float, ...]           # after training, per hidden layer
    rectifier: bool

    @property
    def test_accuracy(self) -> float:
        return self.test_accuracy_curve[-1]

    @property
    def final_loss(self) -> float:
        return self.loss[-1]

    @property
    def inactive_fraction(self) -> float:
        """The whole network's fraction of inactive hidden units after training."""
        return float(np.mean(self.inactive_per_layer))

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.final_loss)

    @property
    def nan_epoch(self) -> int | None:
        """The first epoch after which the loss was NaN or infinite (None if it never was)."""
        bad = [epoch for epoch, value in enumerate(self.loss) if not math.isfinite(value)]
        return bad[0] if bad else None

    @property
    def dead_layers(self) -> tuple[int, ...]:
        """Hidden layers (1-based) whose units are all inactive: no signal passes them for any
        input (ReLU), so the output is the same for every input."""
        return tuple(layer + 1 for layer, f in enumerate(self.inactive_per_layer) if f == 1.0)

    @property
    def still_falling(self) -> bool:
        """The training loss still fell by more than STILL_FALLING over the last LAST epochs."""
        before, after = self.loss[-1 - LAST], self.loss[-1]
        return math.isfinite(after) and after < (1 - STILL_FALLING) * before

    @property
    def jumps(self) -> int:
        """How many epochs ended with a training loss more than JUMP above the previous one's:
        steps too large for the network (a small rate lowers the loss epoch after epoch)."""
        loss = np.asarray(self.loss)
        return int(np.sum(loss[1:] > (1 + JUMP) * loss[:-1]))

    @property
    def few_inactive(self) -> bool:
        """At most MAX_INACTIVE of the hidden units inactive, and training did not diverge (after
        a NaN, z <= 0 is false everywhere, so a diverged network would count no inactive unit)."""
        return not self.diverged and self.inactive_fraction <= MAX_INACTIVE

    @property
    def accurate(self) -> bool:
        """At least TARGET_ACCURACY on the test set, and training did not diverge."""
        return not self.diverged and self.test_accuracy >= TARGET_ACCURACY

    @property
    def passed(self) -> bool:
        return self.few_inactive and self.accurate


def task() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, X_test, y_train, y_test) of the capstone: 420 training and 180 test points."""
    X, y = data.spirals(N_POINTS, turns=TURNS, noise=NOISE, rng=SEED)
    return data.train_test_split(X, y, test_fraction=0.3, rng=SEED)


def inactive_per_layer(inactive: np.ndarray) -> np.ndarray:
    """(..., hidden units) booleans -> (..., hidden layers): each layer's inactive fraction."""
    return inactive.reshape(inactive.shape[:-1] + (DEPTH, WIDTH)).mean(axis=-1)


def train_runs(activation: str, alpha: float, init: str, lr: float | np.ndarray,
               seeds: tuple[int, ...] = (SEED,), data_seed: int = SEED,
               functions: tuple[Callable, Callable] | None = None) -> list[CapstoneResult]:
    """Train the capstone network from each of ``seeds`` (initial weights and batch order) on the
    spirals drawn with ``data_seed``, in one stack; ``lr`` one rate or one per seed. ``functions``
    runs given activation functions (``reference.network.Stack``)."""
    if data_seed == SEED:
        X_train, X_test, y_train, y_test = task()
    else:
        X, y = data.spirals(N_POINTS, turns=TURNS, noise=NOISE, rng=data_seed)
        X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.3, rng=data_seed)
    stack = Stack.of(SIZES, np.asarray(seeds), activation=activation, alpha=alpha, init=init,
                     functions=functions)
    with np.errstate(all="ignore"):                 # a diverging run is a result, not a warning
        h = train_stack(stack, X_train, y_train, epochs=EPOCHS, lr=lr, batch_size=BATCH_SIZE,
                        X_test=X_test, y_test=y_test,
                        record=("loss", "accuracy", "test_accuracy", "inactive"))
    rectifier = activation in RECTIFIERS
    inactive = h.inactive if rectifier else np.zeros_like(h.inactive)
    per_layer = inactive_per_layer(inactive[:, -1])
    return [CapstoneResult(tuple(map(float, h.loss[i])), tuple(map(float, h.accuracy[i])),
                           tuple(map(float, h.test_accuracy[i])),
                           tuple(map(float, inactive[i].mean(axis=1))),
                           tuple(map(float, per_layer[i])), rectifier)
            for i in range(len(seeds))]


@lru_cache(maxsize=512)
def train_configuration(activation: str, alpha: float, init: str, lr: float) -> CapstoneResult:
    """Train the capstone network with one configuration (cached: training is deterministic)."""
    return train_runs(activation, alpha, init, lr)[0]


def summary(config: dict, result: CapstoneResult) -> str:
    """What training gave, in numbers: accuracy, inactive units (rectifiers only), the loss."""
    if result.diverged:
        return (f"training diverged: the loss became NaN or infinite at epoch {result.nan_epoch} "
                f"of {EPOCHS}")
    if result.rectifier:
        worst = max(range(DEPTH), key=lambda layer: result.inactive_per_layer[layer])
        inactive = (f"{result.inactive_fraction:.1%} of the hidden units inactive (the most in "
                    f"layer {worst + 1}: {result.inactive_per_layer[worst]:.1%})")
    else:
        inactive = f"no inactive units counted ({config['activation']} is not a rectifier)"
    before, after = result.loss[-1 - LAST], result.loss[-1]
    trend = ("still falling" if result.still_falling else
             "rising" if after > (1 + STILL_FALLING) * before else "no longer falling")
    jumps = (f"it jumped up (by more than {JUMP:.0%}) after {result.jumps} of the "
             f"{EPOCHS} epochs" if result.jumps else "it went down epoch after epoch")
    return (f"test accuracy {result.test_accuracy:.1%} (training {result.train_accuracy[-1]:.1%}), "
            f"{inactive}; training loss {before:.3g} -> {after:.3g} over the last {LAST} "
            f"epochs ({trend}); {jumps}")


def capstone() -> dict:
    """One configuration that passes: Leaky ReLU with alpha 0.3 (He's (1 + alpha^2) gain) at a
    learning rate of 0.05 (it also passed from 6 of 6 weight seeds and on 4 of 5 other draws of
    the data: the sturdiest of the solutions measured)."""
    return {"activation": "leaky_relu", "alpha": 0.3, "init": "he", "lr": 0.05}
