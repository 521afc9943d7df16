"""Experiments of notebook 06: monitoring dead units during training, and regularization."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from reference import capstone, data
from reference.network import MLP, History, train


@lru_cache(maxsize=32)
def monitored_run(activation: str, lr: float, alpha: float = 0.1) -> History:
    """Train the capstone's network (same data, sizes, epochs, seed) and keep its History."""
    X_train, X_test, y_train, y_test = capstone.task()
    net = MLP(capstone.SIZES, activation=activation, alpha=alpha, rng=capstone.SEED)
    with np.errstate(all="ignore"):
        return train(net, X_train, y_train, epochs=capstone.EPOCHS, lr=lr,
                     batch_size=capstone.BATCH_SIZE, X_test=X_test, y_test=y_test)


def inactive_per_layer(history: History, widths: tuple[int, ...]) -> np.ndarray:
    """(epochs + 1, layers): the fraction of each hidden layer's units inactive after each epoch.

    Inactive means z <= 0 on every training input: dead for ReLU, silent for Leaky ReLU.
    """
    bounds = np.cumsum((0,) + widths)
    dead = history.dead_matrix
    return np.column_stack([dead[:, a:b].mean(axis=1) for a, b in zip(bounds[:-1], bounds[1:])])


REGRESSION_SIZES = (1, 64, 64, 1)
REGRESSION_TRAIN = data.regression_1d(20, noise=0.3, rng=2)      # few noisy points: easy to overfit
REGRESSION_TEST = data.regression_1d(200, noise=0.3, rng=3)


def regularized_fit(weight_decay: float = 0.0, dropout: float = 0.0, seed: int = 0,
                    epochs: int = 2000, lr: float = 0.02) -> tuple[MLP, dict[str, float]]:
    """Fit 20 noisy points of the 1-D target with a 1-64-64-1 ReLU net; report what it learned.

    Returns the trained net and its training and test mean squared errors, their gap, the
    largest hidden activation on inputs in [-6, 6] (twice the training range) and the sum of
    squared weights.
    """
    X_train, y_train = REGRESSION_TRAIN
    X_test, y_test = REGRESSION_TEST
    net = MLP(REGRESSION_SIZES, loss="mse", rng=seed)
    train(net, X_train, y_train, epochs=epochs, lr=lr, weight_decay=weight_decay, dropout=dropout)
    wide = np.linspace(-6, 6, 241)[:, None]
    train_mse, test_mse = net.loss(X_train, y_train), net.loss(X_test, y_test)
    return net, {"train_mse": train_mse, "test_mse": test_mse, "gap": test_mse - train_mse,
                 "max_activation": float(max(a.max() for a in net.hidden_activations(wide))),
                 "weight_norm": float(sum(np.sum(W**2) for W in net.weights))}
