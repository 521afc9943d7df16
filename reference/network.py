"""A small fully connected network with hand-written forward and backward passes.

Each layer is a pair, as in CS231n's ``layers.py``: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients``. ``MLP`` stacks them:

    z_l = a_{l-1} W_l^T + b_l        (W_l of shape (fan_out, fan_in), as in z = W x + b)
    a_l = f(z_l)                     (for every hidden layer; the output layer stays linear)

and ``train`` runs mini-batch SGD, recording loss, accuracy and dead units after every epoch.
Everything random draws from one seeded Generator, so a run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from reference import activations as act
from reference.diagnostics import dead_units
from reference.init import (RngLike, _generator, he_normal, he_uniform, lecun_normal,
                            xavier_normal)

ACTIVATIONS = ("relu", "leaky_relu", "prelu", "sigmoid", "tanh")
INITS = ("he", "he_uniform", "xavier", "lecun", "small", "large", "zeros")


# ----------------------------------------------------------------------------- layers

def affine_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """z = x W^T + b for a batch x of shape (n, fan_in); returns z of shape (n, fan_out)."""
    return x @ W.T + b, (x, W)


def affine_backward(dz: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Given dL/dz, returns dL/dx = dz W, dL/dW = dz^T x, dL/db = sum of dz over the batch."""
    x, W = cache
    return dz @ W, dz.T @ x, dz.sum(axis=0)


def activation_forward(z: np.ndarray, kind: str, alpha: float = 0.0) -> tuple[np.ndarray, tuple]:
    """a = f(z) for f one of ACTIVATIONS; alpha is the negative slope of leaky_relu and prelu."""
    functions = {"relu": act.relu, "sigmoid": act.sigmoid, "tanh": act.tanh,
                 "leaky_relu": lambda z: act.leaky_relu(z, alpha),
                 "prelu": lambda z: act.prelu(z, alpha)}
    return functions[kind](z), (z, kind, alpha)


def activation_backward(da: np.ndarray, cache: tuple) -> tuple[np.ndarray, float]:
    """Given dL/da, returns (dL/dz, dL/dalpha); dL/dalpha is 0.0 unless the activation is prelu."""
    z, kind, alpha = cache
    if kind == "prelu":
        return act.prelu_backward(da, z, alpha)
    derivatives = {"relu": act.relu_grad, "sigmoid": act.sigmoid_grad, "tanh": act.tanh_grad,
                   "leaky_relu": lambda z: act.leaky_relu_grad(z, alpha)}
    return da * derivatives[kind](z), 0.0


def dropout_forward(a: np.ndarray, rate: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout: zero each activation with probability ``rate``, scale the rest by 1/(1-rate)."""
    mask = (rng.random(a.shape) >= rate) / (1.0 - rate)
    return a * mask, mask


def bce_with_logits(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy of sigmoid(s) against labels y in {0, 1}, averaged over the batch.

        L = mean(log(1 + e^s) - y s),   dL/ds = (sigmoid(s) - y) / n
    """
    s, y = logits.ravel(), y.ravel()
    loss = float(np.mean(np.logaddexp(0.0, s) - y * s))
    return loss, ((act.sigmoid(s) - y) / s.size).reshape(logits.shape)


def mse(pred: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error L = mean((pred - y)^2), with dL/dpred = 2 (pred - y) / n."""
    diff = pred.ravel() - y.ravel()
    return float(np.mean(diff**2)), (2 * diff / diff.size).reshape(pred.shape)


LOSSES = {"bce": bce_with_logits, "mse": mse}


# ----------------------------------------------------------------------------- the network

def initial_weights(init: str | float, fan_in: int, fan_out: int, alpha: float,
                    rng: np.random.Generator) -> np.ndarray:
    """A (fan_out, fan_in) weight matrix from an init name in INITS or a float std for N(0, std^2).

    ``"he"`` uses the Leaky ReLU correction 2 / ((1 + alpha^2) fan_in) when alpha is given;
    ``"small"`` is N(0, 0.01^2) and ``"large"`` is N(0, 1) times 10 (the deeplearning.ai recipes).
    """
    if not isinstance(init, str):
        return rng.normal(0.0, float(init), size=(fan_out, fan_in))
    makers = {
        "he": lambda: he_normal(fan_in, fan_out, alpha, rng),
        "he_uniform": lambda: he_uniform(fan_in, fan_out, alpha, rng),
        "xavier": lambda: xavier_normal(fan_in, fan_out, rng),
        "lecun": lambda: lecun_normal(fan_in, fan_out, rng),
        "small": lambda: rng.normal(0.0, 0.01, size=(fan_out, fan_in)),
        "large": lambda: 10.0 * rng.normal(0.0, 1.0, size=(fan_out, fan_in)),
        "zeros": lambda: np.zeros((fan_out, fan_in)),
    }
    if init not in makers:
        raise ValueError(f"unknown init {init!r}; choose one of {INITS} or a float std")
    return makers[init]()


class MLP:
    """A fully connected network: hidden layers with one activation, a linear output layer.

    ``sizes`` lists the layer widths from input to output, e.g. (2, 10, 5, 1).
    ``alpha`` is the negative slope of leaky_relu, and prelu's starting slope (one per layer).
    ``bias`` is the value every bias starts at (a large negative one kills ReLU units).
    """

    def __init__(self, sizes: tuple[int, ...] | list[int], activation: str = "relu",
                 alpha: float = 0.01, init: str | float = "he", bias: float = 0.0,
                 loss: str = "bce", rng: RngLike = 0):
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {ACTIVATIONS}")
        if len(sizes) < 2:
            raise ValueError("sizes needs at least an input and an output width")
        self.sizes, self.activation, self.loss_name = tuple(sizes), activation, loss
        self.rng = _generator(rng)
        init_alpha = alpha if activation in ("leaky_relu", "prelu") else 0.0
        self.weights = [initial_weights(init, n_in, n_out, init_alpha, self.rng)
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.full(n_out, float(bias)) for n_out in sizes[1:]]
        self.biases[-1][:] = 0.0
        self.alphas = [float(alpha)] * (len(sizes) - 2)

    @property
    def n_hidden_layers(self) -> int:
        return len(self.sizes) - 2

    def forward(self, X: np.ndarray, dropout: float = 0.0) -> tuple[np.ndarray, list]:
        """Output of shape (n, sizes[-1]) and the caches of every layer, for ``backward``."""
        a, caches = X, []
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z, affine_cache = affine_forward(a, W, b)
            if layer == len(self.weights) - 1:
                caches.append((affine_cache, None, None))
                return z, caches
            a, act_cache = activation_forward(z, self.activation, self.alphas[layer])
            mask = None
            if dropout > 0:
                a, mask = dropout_forward(a, dropout, self.rng)
            caches.append((affine_cache, act_cache, mask))
        raise AssertionError("unreachable: the output layer returns")

    def backward(self, dout: np.ndarray, caches: list) -> dict[str, list]:
        """Gradients of the loss: {"W": [dW per layer], "b": [...], "alpha": [per hidden layer]}."""
        grads: dict[str, list] = {"W": [], "b": [], "alpha": []}
        da = dout
        for affine_cache, act_cache, mask in reversed(caches):
            if act_cache is not None:
                if mask is not None:
                    da = da * mask
                da, dalpha = activation_backward(da, act_cache)
                grads["alpha"].insert(0, dalpha)
            da, dW, db = affine_backward(da, affine_cache)
            grads["W"].insert(0, dW)
            grads["b"].insert(0, db)
        return grads

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray,
                       dropout: float = 0.0) -> tuple[float, dict[str, list]]:
        """The loss on (X, y) and its gradients with respect to every parameter."""
        out, caches = self.forward(X, dropout)
        loss, dout = LOSSES[self.loss_name](out, y)
        return loss, self.backward(dout, caches)

    def pre_activations(self, X: np.ndarray) -> list[np.ndarray]:
        """The pre-activations z of every hidden layer on X, each of shape (n, width)."""
        _, caches = self.forward(X)
        return [act_cache[0] for _, act_cache, _ in caches[:-1]]

    def hidden_activations(self, X: np.ndarray) -> list[np.ndarray]:
        """The activations a = f(z) of every hidden layer on X."""
        return [activation_forward(z, self.activation, alpha)[0]
                for z, alpha in zip(self.pre_activations(X), self.alphas)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels (bce: logit > 0) or real-valued predictions (mse), of shape (n,)."""
        out = self.forward(X)[0].ravel()
        return (out > 0).astype(int) if self.loss_name == "bce" else out

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        return LOSSES[self.loss_name](self.forward(X)[0], y)[0]

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.predict(X) == y))

    def dead_units(self, X: np.ndarray) -> np.ndarray:
        """One boolean per hidden unit (layers concatenated): True if z <= 0 on every row of X."""
        return np.concatenate([np.zeros(0, bool)] + [dead_units(Z) for Z in self.pre_activations(X)])


def layer_gradient_norms(net: MLP, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The Frobenius norm of dL/dW for every layer of ``net`` on (X, y), input layer first."""
    _, grads = net.loss_and_grads(X, y)
    return np.array([np.linalg.norm(dW) for dW in grads["W"]])


@dataclass
class History:
    """What ``train`` records, one entry per epoch; index 0 is the network before training."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    dead: list[np.ndarray] = field(default_factory=list)
    alphas: list[list[float]] = field(default_factory=list)

    @property
    def dead_fraction(self) -> np.ndarray:
        """Fraction of dead hidden units after each epoch (0 for a network without hidden units)."""
        return np.array([d.mean() if d.size else 0.0 for d in self.dead])

    @property
    def dead_matrix(self) -> np.ndarray:
        """(epochs + 1, hidden units) booleans: which unit was dead after which epoch."""
        return np.array(self.dead)


def train(net: MLP, X: np.ndarray, y: np.ndarray, epochs: int = 100, lr: float = 0.1,
          batch_size: int | None = None, weight_decay: float = 0.0, dropout: float = 0.0,
          X_test: np.ndarray | None = None, y_test: np.ndarray | None = None) -> History:
    """Train ``net`` in place with mini-batch SGD and return its History.

    Each step: W <- W - lr (dL/dW + weight_decay W), b <- b - lr dL/db, and for prelu
    alpha <- alpha - lr dL/dalpha. ``batch_size=None`` uses the whole set (gradient descent).
    Batches are shuffled with the network's own Generator, so the run is reproducible.
    """
    history = History()

    def record() -> None:
        history.loss.append(net.loss(X, y))
        history.dead.append(net.dead_units(X))
        history.alphas.append(list(net.alphas))
        if net.loss_name == "bce":
            history.accuracy.append(net.accuracy(X, y))
            if X_test is not None:
                history.test_accuracy.append(net.accuracy(X_test, y_test))

    record()
    n = len(X)
    batch_size = batch_size or n
    for _ in range(epochs):
        order = net.rng.permutation(n) if batch_size < n else np.arange(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            _, grads = net.loss_and_grads(X[batch], y[batch], dropout)
            for W, b, dW, db in zip(net.weights, net.biases, grads["W"], grads["b"]):
                W -= lr * (dW + weight_decay * W)
                b -= lr * db
            if net.activation == "prelu":
                net.alphas = [a - lr * da for a, da in zip(net.alphas, grads["alpha"])]
        record()
    return history
