"""Notebook 03's experiments: dead units, networks born dead, and ReLU's other limits.

    relu_weight_grad          the gradient reaching a ReLU layer's weights (an exercise's answer)
    dying_run                 one cached training run on the moons, for the sweep and the explorer
    born_dead_probability     P(a width-N, depth-L ReLU net outputs all zeros for one input)
    born_dead_monte_carlo     the same probability, estimated by sampling networks
    activation_rms            the size of the activations, layer by layer, in a deep plain stack
    relu_grad_convention      ReLU's derivative with a chosen value at z = 0
    train_one_hidden_layer    full-batch training of a 1-hidden-layer net with that derivative
    descent_steps             gradient-descent steps for a linear unit, with its best step size
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from reference import data
from reference.init import RngLike, _generator
from reference.network import MLP, History, bce_with_logits, train


def relu_weight_grad(X, Z, dA):
    """The gradient dL/dW of a ReLU layer A = relu(Z), Z = X W^T + b, given dL/dA.

        dL/dZ = dA * relu'(Z)       (relu'(z) = 1 for z > 0, 0 for z <= 0)
        dL/dW = (dL/dZ)^T X         shape (n_units, n_inputs), like W

    X is (n_samples, n_inputs), Z and dA are (n_samples, n_units). A unit whose z <= 0 on every
    sample gets a row of exact zeros, whatever dA is.
    """
    dZ = np.asarray(dA) * (np.asarray(Z) > 0)
    return dZ.T @ np.asarray(X)


def unit_line(w: np.ndarray, b: float, centre=(0.5, 0.25),
              length: float = 20.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The line w . x + b = 0 of a unit with two inputs, for drawing: two far points on it
    (clip them with the axes' limits), the point of the line nearest ``centre``, and the unit
    normal w / |w|, which points to the side where the unit is on (z > 0)."""
    w = np.asarray(w, dtype=float)
    normal = w / np.linalg.norm(w)
    centre = np.asarray(centre, dtype=float)
    foot = centre - (w @ centre + b) / (w @ w) * w
    along = np.array([-normal[1], normal[0]])
    ends = np.array([foot - length * along, foot + length * along])
    return ends, foot, normal


# ----------------------------------------------------------------------------- training runs

MOONS = data.moons(200, rng=0)
WIDTH, EPOCHS, BATCH = 64, 30, 20
LEARNING_RATES = (0.1, 0.3, 1.0, 3.0, 5.0, 10.0)
BIASES = (0.0, -0.5, -1.0, -1.5, -2.0)


@lru_cache(maxsize=128)
def dying_run(lr: float, bias: float = 0.0, seed: int = 0) -> History:
    """A 2-64-1 ReLU network (He init, every hidden bias starting at ``bias``) trained on 200
    moons for 30 epochs of mini-batch SGD (batches of 20) at learning rate ``lr``.

    Cached: the notebook's sweep and the explorer share the runs. Do not modify the result.
    """
    net = MLP((2, WIDTH, 1), bias=bias, rng=seed)
    return train(net, *MOONS, epochs=EPOCHS, lr=lr, batch_size=BATCH)


# ----------------------------------------------------------------------------- born dead

def born_dead_probability(width, depth):
    """P(some hidden layer outputs all zeros) for one input, zero biases, symmetric weights.

        P(dead) = 1 - (1 - 2^-N)^L        N = width of each hidden layer, L = their number

    Each layer, given a non-zero input, switches all its N units off with probability 2^-N.
    """
    width, depth = np.asarray(width, dtype=float), np.asarray(depth, dtype=float)
    return -np.expm1(depth * np.log1p(-(2.0 ** -width)))


def born_dead_monte_carlo(width: int, depth: int, trials: int = 10_000, rng: RngLike = 0,
                          n_inputs: int = 2, weight_std: float = 1.0) -> np.ndarray:
    """Fraction of ``trials`` random networks dead after each of layers 1..depth, for one input.

    Every trial draws a fresh input x ~ N(0, I) in R^n_inputs and fresh N(0, weight_std^2)
    weights (the scale does not matter: relu(c z) = c relu(z)); biases are 0. A trial is dead from the first
    layer whose outputs are all exactly 0; dead trials are not simulated further (they stay dead).
    """
    rng = _generator(rng)
    a = rng.standard_normal((trials, n_inputs))
    alive = np.arange(trials)
    dead_after = np.empty(depth)
    for layer in range(depth):
        W = weight_std * rng.standard_normal((len(alive), width, a.shape[1]))
        a = np.maximum((W @ a[:, :, None])[:, :, 0], 0.0)
        keep = a.any(axis=1)
        a, alive = a[keep], alive[keep]
        dead_after[layer] = 1.0 - len(alive) / trials
    return dead_after


# ----------------------------------------------------------------------------- unbounded output

def activation_rms(gain: float, depth: int = 50, width: int = 64, n: int = 100,
                   activation: str = "relu", dtype=np.float64, rng: RngLike = 0) -> np.ndarray:
    """Root-mean-square activation after each layer of a plain stack (no biases).

    Weights are N(0, std^2) with std = gain * sqrt(2 / width) for ReLU (He's std times
    ``gain``) and gain * sqrt(1 / width) for tanh. Overflow to inf (and then nan) is allowed:
    showing it is the point, so its warnings are silenced.
    """
    rng = _generator(rng)
    f = (lambda z: np.maximum(z, 0)) if activation == "relu" else np.tanh
    std = gain * np.sqrt((2.0 if activation == "relu" else 1.0) / width)
    a = rng.standard_normal((n, width)).astype(dtype)
    rms = np.empty(depth)
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in range(depth):
            W = (std * rng.standard_normal((width, width))).astype(dtype)
            a = f(a @ W.T)
            rms[layer] = np.sqrt(np.mean(a.astype(np.float64) ** 2))
    return rms


# ----------------------------------------------------------------------------- ReLU'(0)

def relu_grad_convention(z: np.ndarray, at_zero: float = 0.0) -> np.ndarray:
    """ReLU's derivative, 1 for z > 0 and 0 for z < 0, with the value ``at_zero`` at z == 0.

    Any value in [0, 1] is a valid subgradient there; PyTorch and reference.relu_grad use 0.
    """
    return np.where(z > 0, 1.0, np.where(z == 0, at_zero, 0.0))


def train_one_hidden_layer(X: np.ndarray, y: np.ndarray, width: int = 32, lr: float = 0.5,
                           steps: int = 300, at_zero: float = 0.0,
                           rng: RngLike = 0) -> dict[str, np.ndarray]:
    """Full-batch gradient descent on a d-width-1 ReLU network (He init, zero biases, BCE),
    with relu'(0) = ``at_zero``.

    Returns the loss before each step ("loss"), the number of exactly-zero pre-activations
    seen at each step ("zeros"), and the final parameters ("W1", "b1", "W2", "b2").
    """
    rng = _generator(rng)
    W1 = rng.normal(0.0, np.sqrt(2.0 / X.shape[1]), (width, X.shape[1]))
    W2 = rng.normal(0.0, np.sqrt(2.0 / width), (1, width))
    b1, b2 = np.zeros(width), np.zeros(1)
    losses, zeros = np.empty(steps), np.empty(steps, dtype=int)
    for step in range(steps):
        Z = X @ W1.T + b1
        A = np.maximum(Z, 0)
        losses[step], dout = bce_with_logits(A @ W2.T + b2, y)
        zeros[step] = np.count_nonzero(Z == 0)
        dZ = (dout @ W2) * relu_grad_convention(Z, at_zero)
        W2 -= lr * (dout.T @ A)
        b2 -= lr * dout.sum(axis=0)
        W1 -= lr * (dZ.T @ X)
        b1 -= lr * dZ.sum(axis=0)
    return {"loss": losses, "zeros": zeros, "W1": W1, "b1": b1, "W2": W2, "b2": b2}


# ----------------------------------------------------------------------------- non-zero-centred

def descent_steps(A: np.ndarray, target: np.ndarray, tol: float = 1e-6,
                  max_steps: int = 10_000) -> int:
    """Steps of gradient descent on L(w) = mean((A w - target)^2) / 2 from w = 0, with the best
    constant step size 2 / (lambda_max + lambda_min) of the Hessian A^T A / n, until the loss
    falls below ``tol`` times its starting value."""
    n = len(A)
    eigenvalues = np.linalg.eigvalsh(A.T @ A / n)
    lr = 2.0 / (eigenvalues[-1] + eigenvalues[0])
    w = np.zeros(A.shape[1])
    start = 0.5 * np.mean(target**2)
    for step in range(1, max_steps + 1):
        residual = A @ w - target
        w -= lr * (A.T @ residual) / n
        if 0.5 * np.mean((A @ w - target) ** 2) < tol * start:
            return step
    return max_steps
