"""The capstone: a ReLU network that dies at a high learning rate, and configurations that fix it.

The task is fixed, so training is deterministic and a configuration is trained once per process
(cached): the moons (400 points, noise 0.2, 30 % held out for testing), a 2-32-32-32-1 network,
60 epochs of SGD with batches of 32, seed 0. The baseline, ReLU with He init at learning rate 2,
loses close to half of its hidden units. A configuration passes when the trained network reaches
TARGET_ACCURACY on the test set with at most MAX_INACTIVE of its hidden units inactive (z <= 0 on
every training input: dead for ReLU; for Leaky ReLU, silent though still learning).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from reference import data
from reference.network import ACTIVATIONS, INITS, MLP, train

SIZES = (2, 32, 32, 32, 1)
EPOCHS, BATCH_SIZE, SEED = 60, 32, 0
TARGET_ACCURACY, MAX_INACTIVE = 0.95, 0.10
BASELINE = {"activation": "relu", "alpha": 0.0, "init": "he", "lr": 2.0}
KEYS = ("activation", "alpha", "init", "lr")
RECTIFIERS = ("relu", "leaky_relu", "prelu")          # where z <= 0 means "inactive"


@dataclass(frozen=True)
class CapstoneResult:
    """What training one configuration gave."""

    test_accuracy: float
    inactive_fraction: float
    final_loss: float

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.final_loss)

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
    """(X_train, X_test, y_train, y_test) of the capstone."""
    X, y = data.moons(400, noise=0.2, rng=SEED)
    return data.train_test_split(X, y, test_fraction=0.3, rng=SEED)


@lru_cache(maxsize=512)
def train_configuration(activation: str, alpha: float, init: str, lr: float) -> CapstoneResult:
    """Train the capstone network with one configuration (cached: training is deterministic).
    The inactive fraction is that of the whole network's hidden units, 0 for a non-rectifier."""
    X_train, X_test, y_train, y_test = task()
    net = MLP(SIZES, activation=activation, alpha=alpha, init=init, rng=SEED)
    with np.errstate(all="ignore"):                 # a diverging run is a result, not a warning
        history = train(net, X_train, y_train, epochs=EPOCHS, lr=lr, batch_size=BATCH_SIZE,
                        X_test=X_test, y_test=y_test)
    inactive = float(history.dead_fraction[-1]) if activation in RECTIFIERS else 0.0
    return CapstoneResult(history.test_accuracy[-1], inactive, history.loss[-1])


def capstone() -> dict:
    """One configuration that passes: keep ReLU and He init, lower the learning rate."""
    return {"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.3}
