"""A small fully connected network with hand-written forward and backward passes.

Each layer is a pair, as in CS231n's ``layers.py``: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients``. ``MLP`` stacks them:

    z_l = a_{l-1} W_l^T + b_l        (W_l of shape (fan_out, fan_in), as in z = W x + b)
    a_l = f(z_l)                     (for every hidden layer; the output layer stays linear)

``Stack`` holds S copies of one architecture (copies that differ in seed, slope alpha, or
anything ``train_stack`` takes per copy, such as the learning rate), their weights stacked along
a first axis and updated together by batched matrix products: a dozen copies cost about as much
Python time as one. ``train_stack`` is the course's one training loop (mini-batch SGD, recording
loss, accuracy and dead units after every epoch); ``train`` trains a single MLP as a stack of one.
Copy i of a stack starts from the weights ``MLP(..., rng=seeds[i])`` draws and draws its
shuffles and dropout masks from that network's own Generator, so it ends exactly where
``train(MLP(..., rng=seeds[i]), ...)`` ends. Every run is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np
from numpy.typing import ArrayLike

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

Init = str | float | Callable[[int, int, float, np.random.Generator], np.ndarray]


def initial_weights(init: Init, fan_in: int, fan_out: int, alpha: float,
                    rng: np.random.Generator) -> np.ndarray:
    """A (fan_out, fan_in) weight matrix from an init name in INITS, a float std for N(0, std^2),
    or a function ``init(fan_in, fan_out, alpha, rng)`` returning it (a learner's ``he_normal``:
    ``reference.init.he_normal`` draws exactly what ``"he"`` draws).

    ``"he"`` uses the Leaky ReLU correction 2 / ((1 + alpha^2) fan_in) when alpha is given;
    ``"small"`` is N(0, 0.01^2) and ``"large"`` is N(0, 1) times 10 (the deeplearning.ai recipes).
    """
    if callable(init):
        weights = np.asarray(init(fan_in, fan_out, alpha, rng), dtype=float)
        if weights.shape != (fan_out, fan_in):
            raise ValueError(f"init returned shape {weights.shape}, expected (fan_out, fan_in) = "
                             f"{(fan_out, fan_in)}")
        return weights
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
    ``init`` is a name, a std or a function (``initial_weights``), called layer by layer on the
    network's own Generator.
    """

    def __init__(self, sizes: tuple[int, ...] | list[int], activation: str = "relu",
                 alpha: float = 0.01, init: Init = "he", bias: float = 0.0,
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


# ----------------------------------------------------------------------------- many networks at once

EVAL_BYTES = 64 * 1024
STEP_BYTES = 64 * 1024


def _per_copy(value: ArrayLike, size: int) -> np.ndarray:
    """A setting given once for every copy, or once per copy, as an array of shape (size,)."""
    return np.broadcast_to(np.asarray(value, dtype=float), (size,)).copy()


@dataclass
class Stack:
    """S networks of one architecture and activation, side by side.

    ``weights[l]`` has shape (S, fan_out, fan_in), ``biases[l]`` (S, fan_out), and ``alphas``
    (S, hidden layers): the negative slope of each copy's leaky_relu or prelu layers (prelu
    learns it; a leaky_relu copy with alpha = 0 is a ReLU network, value and gradient).
    ``rngs[i]`` is copy i's Generator: its shuffles and dropout masks.
    ``functions = (f, f_prime)``, when given, replaces the activation and its derivative in the
    forward and backward passes (a learner's own ``relu`` and ``relu_grad``, say): called as
    f(z) and f_prime(z), or f(z, alpha) and f_prime(z, alpha) for leaky_relu and prelu, on
    arrays of shape (copies, n, units), alpha of shape (copies, 1, 1).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    alphas: np.ndarray
    rngs: list[np.random.Generator]
    activation: str = "relu"
    loss_name: str = "bce"
    functions: tuple[Callable, Callable] | None = None

    @classmethod
    def of(cls, sizes: tuple[int, ...], seeds: ArrayLike, activation: str = "relu",
           alpha: ArrayLike = 0.01, init: Init = "he", bias: float = 0.0,
           loss: str = "bce", functions: tuple[Callable, Callable] | None = None) -> "Stack":
        """Copy i is ``MLP(sizes, activation, alpha[i], init, bias, loss, rng=seeds[i])``,
        run with ``functions`` (see the class) when given.

        ``alpha`` is one slope for every copy or one per copy (with "leaky_relu", alpha = 0 is
        ReLU, so ReLU and Leaky ReLU copies can share a stack).
        """
        seeds = np.atleast_1d(seeds)
        alphas = _per_copy(alpha, len(seeds))
        return cls.from_nets([MLP(sizes, activation, float(a), init, bias, loss, rng=int(s))
                              for a, s in zip(alphas, seeds)], functions=functions)

    @classmethod
    def from_nets(cls, nets: list[MLP], alphas: ArrayLike | None = None,
                  activation: str | None = None,
                  functions: tuple[Callable, Callable] | None = None) -> "Stack":
        """Copies of trained (or fresh) MLPs of one architecture, sharing their Generators.

        ``activation`` and ``alphas`` (one slope per copy) override the networks' own: a
        switch, e.g. of trained ReLU networks to Leaky ReLU with the same weights.
        """
        if activation is None:
            if len({net.activation for net in nets}) > 1:
                raise ValueError("the networks of a stack share one activation; pass activation=")
            activation = nets[0].activation
        slopes = np.array([net.alphas if net.activation in ("leaky_relu", "prelu")
                           else [0.0] * net.n_hidden_layers for net in nets], dtype=float)
        if alphas is not None:
            slopes = np.repeat(_per_copy(alphas, len(nets))[:, None], nets[0].n_hidden_layers, axis=1)
        return cls([np.stack([net.weights[l] for net in nets]) for l in range(len(nets[0].weights))],
                   [np.stack([net.biases[l] for net in nets]) for l in range(len(nets[0].biases))],
                   slopes.reshape(len(nets), nets[0].n_hidden_layers), [net.rng for net in nets],
                   activation, nets[0].loss_name, functions)

    @property
    def size(self) -> int:
        return len(self.rngs)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[2],) + tuple(W.shape[1] for W in self.weights)

    def _activate(self, z: np.ndarray, slope: np.ndarray) -> np.ndarray:
        """f(z) for z of shape (copies, n, units), slope of shape (copies, 1, 1)."""
        if self.functions is not None:
            return self._call(self.functions[0], z, slope)
        if self.activation in ("leaky_relu", "prelu"):
            return act.leaky_relu(z, slope)
        return {"relu": act.relu, "sigmoid": act.sigmoid, "tanh": act.tanh}[self.activation](z)

    def _derivative(self, z: np.ndarray, slope: np.ndarray) -> np.ndarray:
        """f'(z), as ``activation_backward`` uses it (0 at z = 0 for the rectifiers)."""
        if self.functions is not None:
            return self._call(self.functions[1], z, slope)
        if self.activation in ("leaky_relu", "prelu"):
            return act.leaky_relu_grad(z, slope)
        return {"relu": act.relu_grad, "sigmoid": act.sigmoid_grad,
                "tanh": act.tanh_grad}[self.activation](z)

    def _call(self, function: Callable, z: np.ndarray, slope: np.ndarray) -> np.ndarray:
        """One of ``functions`` on z, with the slope for leaky_relu and prelu."""
        return function(z, slope) if self.activation in ("leaky_relu", "prelu") else function(z)

    def forward(self, X: np.ndarray, copies: slice = slice(None)) -> tuple[np.ndarray, list, list]:
        """Outputs (S, n, 1), pre-activations and inputs of every layer; X is (n, d) or (S, n, d)."""
        a, zs, inputs = X, [], []
        last = len(self.weights) - 1
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            inputs.append(a)
            z = a @ W[copies].transpose(0, 2, 1) + b[copies, None, :]
            if layer == last:
                return z, zs, inputs
            zs.append(z)
            a = self._activate(z, self.alphas[copies, layer, None, None])
        raise AssertionError("unreachable: the output layer returns")

    def _loss(self, out: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-copy loss (S,) and dL/dout, for targets y of shape (n,) or (S, n); as LOSSES."""
        s = out[..., 0]
        if self.loss_name == "bce":
            loss = np.mean(np.logaddexp(0.0, s) - y * s, axis=-1)
            return loss, ((act.sigmoid(s) - y) / s.shape[-1])[..., None]
        diff = s - y
        return np.mean(diff**2, axis=-1), (2 * diff / s.shape[-1])[..., None]

    def step(self, Xb: np.ndarray, yb: np.ndarray, lr: np.ndarray, weight_decay: np.ndarray,
             dropout: np.ndarray, alpha_lr: np.ndarray | None = None) -> None:
        """One SGD step of every copy i on its own batch Xb[i] (S, B, d), yb[i] (S, B):

            W <- W - lr_i (dL/dW + weight_decay_i W),  b <- b - lr_i dL/db,
            alpha <- alpha - alpha_lr_i dL/dalpha (prelu only; alpha_lr = lr when None)

        Copies are updated in groups whose temporaries stay under STEP_BYTES (see _pieces).
        """
        alpha_lr = lr if alpha_lr is None else alpha_lr
        width = max(W.shape[1] for W in self.weights)
        group = max(1, STEP_BYTES // (8 * Xb.shape[1] * width))
        for start in range(0, self.size, group):
            copies = slice(start, start + group)
            self._step(copies, Xb[copies], yb[copies], lr[copies, None, None],
                       weight_decay[copies, None, None], dropout[copies], alpha_lr[copies, None])

    def _step(self, copies: slice, Xb: np.ndarray, yb: np.ndarray, lr: np.ndarray,
              weight_decay: np.ndarray, dropout: np.ndarray, alpha_lr: np.ndarray) -> None:
        weights = [W[copies] for W in self.weights]            # views: updated in place
        biases = [b[copies] for b in self.biases]
        alphas = self.alphas[copies]
        rngs = self.rngs[copies]
        a, zs, inputs, masks = Xb, [], [], []
        for layer, (W, b) in enumerate(zip(weights, biases)):
            inputs.append(a)
            z = a @ W.transpose(0, 2, 1) + b[:, None, :]
            if layer < len(weights) - 1:
                zs.append(z)
                a = self._activate(z, alphas[:, layer, None, None])
                if dropout.any():      # inverted dropout, as dropout_forward; no draw at rate 0
                    mask = np.stack([(rng.random(a.shape[1:]) >= rate) / (1.0 - rate) if rate > 0
                                     else np.ones(a.shape[1:]) for rng, rate in zip(rngs, dropout)])
                    a = a * mask
                    masks.append(mask)
        _, dz = self._loss(z, yb)
        dalphas = np.zeros_like(alphas)
        for layer in range(len(weights) - 1, -1, -1):
            W = weights[layer]
            dW = dz.transpose(0, 2, 1) @ inputs[layer]
            db = dz.sum(axis=1)
            if layer:
                da, z, slope = dz @ W, zs[layer - 1], alphas[:, layer - 1, None, None]
                if masks:
                    da = da * masks[layer - 1]
                if self.activation == "prelu":
                    dalphas[:, layer - 1] = np.sum(da * np.minimum(z, 0), axis=(1, 2))
                dz = da * self._derivative(z, slope)
            W -= lr * (dW + weight_decay * W)
            biases[layer] -= lr[:, :, 0] * db
        if self.activation == "prelu":
            self.alphas[copies] = alphas - alpha_lr * dalphas

    def _pieces(self, X: np.ndarray) -> Iterator[tuple[slice, np.ndarray, list[np.ndarray]]]:
        """The forward pass over X in slices of rows, each slice's arrays under EVAL_BYTES.

        Evaluating all S copies on a whole data set at once makes arrays of S * n * width
        numbers; arrays above a few tens of kB come from fresh memory maps, whose page faults
        cost more than the arithmetic. Slices keep every temporary small.
        """
        width = max(W.shape[1] for W in self.weights)
        rows = max(1, EVAL_BYTES // (8 * self.size * width))
        for start in range(0, len(X), rows):
            out, zs, _ = self.forward(X[start:start + rows])
            yield slice(start, start + rows), out[..., 0], zs

    def measure(self, X: np.ndarray, y: np.ndarray | None = None,
                what: tuple[str, ...] = ("loss", "accuracy", "inactive")) -> dict[str, np.ndarray]:
        """In one pass over X, per copy: ``loss`` and ``accuracy`` (S,) on (X, y), ``inactive``
        (S, hidden units: z <= 0 on every row), ``zero_fraction`` (S,: hidden outputs exactly 0)."""
        units = sum(W.shape[1] for W in self.weights[:-1])
        found = {"loss": np.zeros(self.size), "accuracy": np.zeros(self.size),
                 "inactive": np.ones((self.size, units), bool), "zero_fraction": np.zeros(self.size)}
        for rows, s, zs in self._pieces(X):
            if "loss" in what:
                found["loss"] += (np.sum(np.logaddexp(0.0, s) - y[rows] * s, axis=-1)
                                  if self.loss_name == "bce" else np.sum((s - y[rows]) ** 2, axis=-1))
            if "accuracy" in what:
                found["accuracy"] += np.sum((s > 0) == y[rows], axis=-1)
            if "inactive" in what and zs:
                found["inactive"] &= np.concatenate([np.all(z <= 0, axis=1) for z in zs], axis=1)
            if "zero_fraction" in what:
                found["zero_fraction"] += sum(
                    np.sum(self._activate(z, self.alphas[:, l, None, None]) == 0, axis=(1, 2))
                    for l, z in enumerate(zs))
        found["loss"] /= len(X)
        found["accuracy"] /= len(X)
        found["zero_fraction"] /= len(X) * max(units, 1)
        return {key: found[key] for key in what}

    def loss(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(S,): the loss of each copy on (X, y)."""
        return self.measure(X, y, ("loss",))["loss"]

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(S,): the fraction of rows of X each copy classifies right (logit > 0 means 1)."""
        return self.measure(X, y, ("accuracy",))["accuracy"]

    def inactive(self, X: np.ndarray) -> np.ndarray:
        """(S, hidden units): True where the unit's z <= 0 on every row of X."""
        return self.measure(X, None, ("inactive",))["inactive"]

    def dead(self, X: np.ndarray) -> np.ndarray:
        """(S, hidden units): inactive *and* with slope 0 there, so no gradient on any row of X
        (ReLU's units; a Leaky ReLU unit with alpha > 0 can be inactive but never dead)."""
        no_slope = np.repeat(self.alphas == 0, [W.shape[1] for W in self.weights[:-1]], axis=1)
        rectifier = self.activation in ("relu", "leaky_relu", "prelu")
        return self.inactive(X) & no_slope & rectifier

    def zero_fraction(self, X: np.ndarray) -> np.ndarray:
        """(S,): the fraction of hidden outputs on X that are exactly 0 (sparsity)."""
        return self.measure(X, None, ("zero_fraction",))["zero_fraction"]

    def net(self, i: int) -> MLP:
        """Copy i as an MLP (for its methods and plots); its Generator is the copy's own."""
        alphas = self.alphas[i]
        activation = self.activation
        if activation == "leaky_relu" and alphas.size and not alphas.any():
            activation = "relu"
        net = MLP(self.sizes, activation=activation, alpha=float(alphas[0]) if alphas.size else 0.01,
                  loss=self.loss_name, rng=0)
        net.weights = [W[i].copy() for W in self.weights]
        net.biases = [b[i].copy() for b in self.biases]
        net.alphas = [float(a) for a in alphas] if activation != "relu" else net.alphas
        net.rng = self.rngs[i]
        return net


@dataclass
class StackHistory:
    """What ``train_stack`` records, per epoch (index 0 = before training), copies first:
    ``loss``, ``accuracy``, ``test_accuracy`` (S, E+1), ``inactive`` (S, E+1, hidden units),
    ``alphas`` (S, E+1, hidden layers). What was not recorded is an empty array."""

    loss: np.ndarray
    accuracy: np.ndarray
    test_accuracy: np.ndarray
    inactive: np.ndarray
    alphas: np.ndarray

    @property
    def inactive_fraction(self) -> np.ndarray:
        """(S, epochs + 1): the fraction of hidden units inactive on the training set."""
        return self.inactive.mean(axis=2) if self.inactive.shape[-1] else np.zeros(self.inactive.shape[:2])

    def of(self, i: int) -> History:
        """Copy i's record, as ``train`` returns it for one network."""
        return History(list(map(float, self.loss[i])), list(map(float, self.accuracy[i])),
                       list(map(float, self.test_accuracy[i])), list(self.inactive[i]),
                       [list(map(float, a)) for a in self.alphas[i]])


RECORD = ("loss", "accuracy", "test_accuracy", "inactive", "alphas")


def train_stack(stack: Stack, X: np.ndarray, y: np.ndarray, epochs: int = 100,
                lr: ArrayLike = 0.1, batch_size: int | None = None, weight_decay: ArrayLike = 0.0,
                dropout: ArrayLike = 0.0, X_test: np.ndarray | None = None,
                y_test: np.ndarray | None = None, record: tuple[str, ...] = RECORD,
                alpha_lr: ArrayLike | None = None) -> StackHistory:
    """Train every copy of ``stack`` in place with mini-batch SGD; the course's training loop.

    Each step, copy i: W <- W - lr_i (dL/dW + weight_decay_i W), b <- b - lr_i dL/db, and for
    prelu alpha <- alpha - alpha_lr_i dL/dalpha: PReLU's slope takes the weights' step unless
    ``alpha_lr`` gives it its own (one layer's dL/dalpha sums over all its units, so its steps
    can be far larger than a weight's). ``lr``, ``weight_decay``, ``dropout`` and ``alpha_lr`` are
    one value for every copy or one per copy (a learning-rate grid is a stack). ``batch_size=None``
    uses the whole set (gradient descent); otherwise each copy shuffles with its own Generator.
    ``record`` names what to measure before training and after every epoch (``RECORD``):
    accuracies only for the bce loss, ``test_accuracy`` only when X_test is given.
    """
    S, n = stack.size, len(X)
    lr, weight_decay, dropout = (_per_copy(v, S) for v in (lr, weight_decay, dropout))
    alpha_lr = lr if alpha_lr is None else _per_copy(alpha_lr, S)
    batch_size = batch_size or n
    classify = stack.loss_name == "bce"
    wanted = tuple(k for k in ("loss", "accuracy", "inactive") if k in record
                   and (k != "accuracy" or classify))
    rows: dict[str, list] = {k: [] for k in RECORD}

    def remember() -> None:
        rows_now = stack.measure(X, y, wanted) if wanted else {}
        for key, value in rows_now.items():
            rows[key].append(value)
        if "test_accuracy" in record and classify and X_test is not None:
            rows["test_accuracy"].append(stack.accuracy(X_test, y_test))
        if "alphas" in record:
            rows["alphas"].append(stack.alphas.copy())

    remember()
    for _ in range(epochs):
        if batch_size < n:
            orders = np.stack([rng.permutation(n) for rng in stack.rngs])
        else:
            orders = np.broadcast_to(np.arange(n), (S, n))
        for start in range(0, n, batch_size):
            batch = orders[:, start:start + batch_size]
            stack.step(X[batch], y[batch], lr, weight_decay, dropout, alpha_lr)
        remember()

    def stacked(key: str, tail: tuple[int, ...] = ()) -> np.ndarray:
        return np.stack(rows[key], axis=1) if rows[key] else np.zeros((S, 0) + tail)
    units = sum(W.shape[1] for W in stack.weights[:-1])
    return StackHistory(stacked("loss"), stacked("accuracy"), stacked("test_accuracy"),
                        stacked("inactive", (units,)).astype(bool),
                        stacked("alphas", (stack.alphas.shape[1],)))


def train(net: MLP, X: np.ndarray, y: np.ndarray, epochs: int = 100, lr: float = 0.1,
          batch_size: int | None = None, weight_decay: float = 0.0, dropout: float = 0.0,
          X_test: np.ndarray | None = None, y_test: np.ndarray | None = None,
          alpha_lr: float | None = None,
          functions: tuple[Callable, Callable] | None = None) -> History:
    """Train ``net`` in place with mini-batch SGD (``train_stack`` on a stack of one) and return
    its History: loss, accuracy, test accuracy, dead units and slopes before and after each epoch.

    Each step: W <- W - lr (dL/dW + weight_decay W), b <- b - lr dL/db, and for prelu
    alpha <- alpha - alpha_lr dL/dalpha (alpha_lr = lr unless given). ``batch_size=None`` uses
    the whole set (gradient descent). ``functions = (f, f_prime)`` runs the activation and its
    derivative given (``Stack``).
    Batches are shuffled with the network's own Generator, so the run is reproducible.
    """
    stack = Stack.from_nets([net], functions=functions)
    history = train_stack(stack, X, y, epochs, lr, batch_size, weight_decay, dropout, X_test, y_test,
                          alpha_lr=alpha_lr)
    for W, W_trained in zip(net.weights + net.biases, stack.weights + stack.biases):
        W[...] = W_trained[0]
    if net.activation == "prelu":
        net.alphas = [float(a) for a in stack.alphas[0]]
    return history.of(0)
