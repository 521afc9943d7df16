"""Notebook 03's experiments: dead units, networks born dead, and ReLU's other limits.

    relu_weight_grad          the gradient reaching a ReLU layer's weights (an exercise's answer)
    dying_run                 one cached training run on the moons, for the explorer
    sweep                     many such runs (learning rates x biases x seeds), batched in one Stack
    coverage, aftermath       the units a high learning rate leaves alive, and the inputs they miss
    momentum_step, adam_step  two optimizers' update rules, for the one-hidden-layer demonstration
    after_death               what happens to units after they die, under each optimizer
    decay_while_dead          a dead unit under weight decay alone: its largest z, step by step
    revival_in_depth          dead units of a first and a second hidden layer, trained on
    born_dead_probability     P(a width-N, depth-L ReLU net outputs all zeros for one input)
    born_dead_monte_carlo     the same probability, estimated by sampling networks
    binomial_p_value          an exact test of such an estimate against the formula
    activation_rms            the size of the activations, layer by layer, in a deep plain stack
    relu_grad_convention      ReLU's derivative with a chosen value at z = 0
    train_one_hidden_layer    full-batch training of a 1-hidden-layer net: that derivative, an optimizer
    relu_second_moment        the population E[a a^T] of ReLU outputs, and its condition number
    descent_steps             gradient-descent steps for a linear unit, with its best step size
"""

from __future__ import annotations

import copy
from functools import lru_cache

import numpy as np

from reference import data
from reference.activations import sigmoid
from reference.init import RngLike, _generator
from reference.network import MLP, History, Stack, bce_with_logits, train, train_stack


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


SEEDS = tuple(range(10))


@lru_cache(maxsize=128)
def dying_run(lr: float, bias: float = 0.0, seed: int = 0) -> History:
    """A 2-64-1 ReLU network (He init, every hidden bias starting at ``bias``) trained on 200
    moons for 30 epochs of mini-batch SGD (batches of 20) at learning rate ``lr``.

    Cached for the explorer. Do not modify the result.
    """
    net = MLP((2, WIDTH, 1), bias=bias, rng=seed)
    return train(net, *MOONS, epochs=EPOCHS, lr=lr, batch_size=BATCH)


def first_layer_gradient_norm(stack: Stack, X: np.ndarray, y: np.ndarray, rows: int = 20) -> np.ndarray:
    """|dL/dW1| (Frobenius norm) of each copy of a one-hidden-layer stack, on the whole set X:

        dL/dW1 = (dL/dA * relu'(Z1))^T X,   dL/dA = dL/ds W2,   dL/ds = (sigmoid(s) - y) / n

    Summed over slices of ``rows`` inputs: small arrays, about twice as fast as one pass.
    """
    dW1 = np.zeros_like(stack.weights[0])
    for start in range(0, len(X), rows):
        X_rows, y_rows = X[start:start + rows], y[start:start + rows]
        out, (Z,), _ = stack.forward(X_rows)
        dout = (sigmoid(out[..., 0]) - y_rows)[..., None] / len(y)  # (S, rows, 1)
        dZ = (dout @ stack.weights[1]) * (Z > 0)
        dW1 += dZ.transpose(0, 2, 1) @ X_rows
    return np.linalg.norm(dW1, axis=(1, 2))


@lru_cache(maxsize=8)
def sweep(lrs: tuple[float, ...], biases: tuple[float, ...] = (0.0,),
          seeds: tuple[int, ...] = SEEDS) -> dict:
    """``dying_run`` for every (lr, bias, seed), trained side by side in one Stack (copy
    (i, j, k) ends exactly where ``dying_run(lrs[i], biases[j], seeds[k])`` ends).

    Returns arrays of shape (L, B, S, EPOCHS + 1), index 0 before training: ``dead`` (the
    fraction of the 64 hidden units dead on the moons), ``accuracy`` and ``gradient`` (the
    first layer's full-batch gradient norm, ``first_layer_gradient_norm``); ``revivals``
    (L, B, S): how many times a unit went from dead to alive between two epochs; and ``stack``,
    the trained networks (copy index (i * B + j) * S + k). Cached: do not modify the result.
    """
    X, y = MOONS
    nets = [MLP((2, WIDTH, 1), bias=b, rng=s) for _ in lrs for b in biases for s in seeds]
    stack = Stack.from_nets(nets)
    per_copy_lr = np.repeat(lrs, len(biases) * len(seeds))
    first = stack.measure(X, y, ("accuracy", "inactive"))
    accuracy, inactive = [first["accuracy"]], [first["inactive"]]
    gradient = [first_layer_gradient_norm(stack, X, y)]
    for _ in range(EPOCHS):                           # one epoch at a time: the same run
        train_stack(stack, X, y, epochs=1, lr=per_copy_lr, batch_size=BATCH, record=())
        measured = stack.measure(X, y, ("accuracy", "inactive"))
        accuracy.append(measured["accuracy"])
        inactive.append(measured["inactive"])
        gradient.append(first_layer_gradient_norm(stack, X, y))
    inactive_all = np.stack(inactive, axis=1)         # (copies, EPOCHS + 1, units)
    shape = (len(lrs), len(biases), len(seeds))
    revivals = np.sum(inactive_all[:, :-1] & ~inactive_all[:, 1:], axis=(1, 2))
    return {"dead": inactive_all.mean(axis=2).reshape(shape + (-1,)),
            "accuracy": np.stack(accuracy, axis=1).reshape(shape + (-1,)),
            "gradient": np.stack(gradient, axis=1).reshape(shape + (-1,)),
            "revivals": revivals.reshape(shape), "stack": stack}


def coverage(stack: Stack, X: np.ndarray) -> dict[str, np.ndarray]:
    """How well the alive hidden units of each copy of a one-hidden-layer stack cover X:

      alive (S,)          units on (z > 0) for at least one input
      uncovered (S,)      share of the inputs on which every hidden unit is off: there the
                          network's output is its output bias, the same for all of them
      median_share (S,)   median, over the alive units, of the share of inputs each is on for
                          (nan for a copy with no alive unit)
      best_accuracy (S,)  the highest accuracy possible while those inputs stay uncovered (they
                          all get one class), given the labels y of ``MOONS``
    """
    _, (Z,), _ = stack.forward(X)
    on = Z > 0                                        # (S, n, units)
    alive = on.any(axis=1)
    uncovered = ~on.any(axis=2)                       # (S, n)
    shares = on.mean(axis=1)
    y = MOONS[1]
    minority = np.minimum((uncovered & (y == 1)).sum(axis=1), (uncovered & (y == 0)).sum(axis=1))
    return {"alive": alive.sum(axis=1), "uncovered": uncovered.mean(axis=1),
            "median_share": np.array([np.median(s[a]) if a.any() else np.nan for s, a in zip(shares, alive)]),
            "best_accuracy": 1 - minority / len(y)}


@lru_cache(maxsize=2)
def aftermath(lr: float = 10.0, then: float = 1.0, epochs: int = EPOCHS) -> dict:
    """What a learning rate ``lr`` left behind, and whether calmer training repairs it.

    Takes the 10 networks ``sweep(LEARNING_RATES)`` trained at ``lr`` and measures their
    ``coverage`` ("before"); trains them ``epochs`` more at ``then`` (each with its own
    Generator, continued) and measures again ("after", plus "accuracy" and "same_dead": the
    same units dead as before); and trains, for each of them, a fresh network (same seed) with
    only as many live hidden units as it kept, at ``then`` for ``epochs`` ("fresh_accuracy"): a
    fresh 2-64-1 network whose other units get zero weights and bias -1, so z = -1 on every
    input and plain SGD never moves them (their output weights get no gradient either).
    """
    swept = sweep(LEARNING_RATES)
    X, y = MOONS
    S = len(SEEDS)
    copies = slice(LEARNING_RATES.index(lr) * S, (LEARNING_RATES.index(lr) + 1) * S)
    trained = swept["stack"]
    stack = Stack([W[copies].copy() for W in trained.weights], [b[copies].copy() for b in trained.biases],
                  trained.alphas[copies].copy(), [copy.deepcopy(g) for g in trained.rngs[copies]])
    before, dead_before = coverage(stack, X), stack.dead(X)
    train_stack(stack, X, y, epochs, then, BATCH, record=())
    fresh = Stack.of((2, WIDTH, 1), SEEDS)
    unused = np.arange(WIDTH)[None, :] >= before["alive"][:, None]         # (S, WIDTH)
    fresh.weights[0][unused] = 0.0
    fresh.biases[0][unused] = -1.0
    train_stack(fresh, X, y, epochs, then, BATCH, record=())
    return {"before": before, "after": coverage(stack, X), "accuracy": stack.accuracy(X, y),
            "same_dead": np.all(stack.dead(X) == dead_before, axis=1),
            "fresh_alive": WIDTH - fresh.dead(X).sum(axis=1), "fresh_accuracy": fresh.accuracy(X, y)}


# ----------------------------------------------------------------------------- born dead

def born_dead_probability(width, depth):
    """P(some hidden layer outputs all zeros) for one input, zero biases, symmetric weights.

        P(dead) = 1 - (1 - 2^-N)^L        N = width of each hidden layer, L = their number

    Each layer, given a non-zero input, switches all its N units off with probability 2^-N.
    """
    width, depth = np.asarray(width, dtype=float), np.asarray(depth, dtype=float)
    return -np.expm1(depth * np.log1p(-(2.0 ** -width)))


def born_dead_monte_carlo(width: int, depth: int, trials: int = 10_000, rng: RngLike = 0,
                          n_inputs: int = 2, weight_std: float = 1.0, alpha: float = 0.0) -> np.ndarray:
    """Fraction of ``trials`` random networks dead after each of layers 1..depth, for one input.

    Every trial draws a fresh input x ~ N(0, I) in R^n_inputs and fresh N(0, weight_std^2)
    weights (the scale does not matter: relu(c z) = c relu(z)); biases are 0. A trial is dead from the first
    layer whose outputs are all exactly 0; dead trials are not simulated further (they stay dead).
    ``alpha`` > 0 simulates Leaky ReLU, f(z) = z for z > 0 and alpha z otherwise, instead of ReLU.
    """
    rng = _generator(rng)
    a = rng.standard_normal((trials, n_inputs))
    alive = np.arange(trials)
    dead_after = np.empty(depth)
    for layer in range(depth):
        W = weight_std * rng.standard_normal((len(alive), width, a.shape[1]))
        z = (W @ a[:, :, None])[:, :, 0]
        a = np.maximum(z, 0.0) if alpha == 0 else np.where(z > 0, z, alpha * z)
        keep = a.any(axis=1)
        a, alive = a[keep], alive[keep]
        dead_after[layer] = 1.0 - len(alive) / trials
    return dead_after


def binomial_p_value(successes: int, trials: int, p: float) -> float:
    """Exact two-sided p-value of ``successes`` out of ``trials`` if each succeeds with
    probability ``p``: the total probability of the outcomes no more likely than the one seen,

        P = sum over k with P(k) <= P(observed) of  C(n, k) p^k (1 - p)^(n - k).

    Unlike the normal approximation, it stays valid when n p or n (1 - p) is small.
    """
    k = np.arange(trials + 1)
    log_choose = np.concatenate([[0.0], np.cumsum(np.log((trials - k[1:] + 1) / k[1:]))])
    with np.errstate(divide="ignore"):
        log_pmf = log_choose + k * np.log(p) + (trials - k) * np.log1p(-p)
    seen = log_pmf[successes]
    return float(min(1.0, np.sum(np.exp(log_pmf[log_pmf <= seen + 1e-9]))))


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


def sgd_step(param: np.ndarray, grad: np.ndarray, state: dict, lr: float) -> None:
    """Plain SGD, in place: param <- param - lr g. No memory: a zero gradient moves nothing."""
    param -= lr * grad


def momentum_step(param: np.ndarray, grad: np.ndarray, state: dict, lr: float,
                  beta: float = 0.9) -> None:
    """Heavy-ball momentum, in place: v <- beta v + g, then param <- param - lr v.

    Once the gradient is 0 (a dead unit), each step is beta times the one before: the unit
    travels beta / (1 - beta) (9 for beta = 0.9) times its last step's length further.
    """
    state["v"] = beta * state.get("v", 0.0) + grad
    param -= lr * state["v"]


def adam_step(param: np.ndarray, grad: np.ndarray, state: dict, lr: float, beta1: float = 0.9,
              beta2: float = 0.999, eps: float = 1e-8) -> None:
    """Adam (Kingma & Ba 2015), in place; t counts this parameter's steps from 1:

        m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
        param <- param - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)

    Once g = 0, m decays like beta1^k and sqrt(v) like beta2^(k/2): the steps go on, shrinking.
    """
    state["t"] = state.get("t", 0) + 1
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * grad**2
    m_hat, v_hat = state["m"] / (1 - beta1 ** state["t"]), state["v"] / (1 - beta2 ** state["t"])
    param -= lr * m_hat / (np.sqrt(v_hat) + eps)


OPTIMIZERS = {"sgd": sgd_step, "momentum": momentum_step, "adam": adam_step}


def train_one_hidden_layer(X: np.ndarray, y: np.ndarray, width: int = 32, lr: float = 0.5,
                           steps: int = 300, at_zero: float = 0.0, optimizer: str = "sgd",
                           rng: RngLike = 0) -> dict[str, np.ndarray]:
    """Full-batch training of a d-width-1 ReLU network (He init, zero biases, BCE), with
    relu'(0) = ``at_zero`` and one of OPTIMIZERS ("sgd", "momentum", "adam") for the update.

    A demonstration of ReLU'(0) and of optimizers with memory, not the course's training loop
    (that is ``reference.network.train_stack``, plain SGD). Returns the loss before each step
    ("loss"), the number of exactly-zero pre-activations at each step ("zeros"), which hidden
    units are dead before each step and after the last ("dead", (steps + 1, width)), the length
    of each hidden unit's update, its row of W1 and its bias together ("moved", (steps, width)),
    whether that update lowered the unit's z on every input ("lowered", (steps, width); a unit
    that did not move lowered nothing), and the
    final parameters ("W1", "b1", "W2", "b2").
    """
    rng = _generator(rng)
    update = OPTIMIZERS[optimizer]
    W1 = rng.normal(0.0, np.sqrt(2.0 / X.shape[1]), (width, X.shape[1]))
    W2 = rng.normal(0.0, np.sqrt(2.0 / width), (1, width))
    b1, b2 = np.zeros(width), np.zeros(1)
    states: list[dict] = [{}, {}, {}, {}]
    losses, zeros = np.empty(steps), np.empty(steps, dtype=int)
    dead, moved = np.empty((steps + 1, width), dtype=bool), np.empty((steps, width))
    lowered = np.empty((steps, width), dtype=bool)
    for step in range(steps):
        Z = X @ W1.T + b1
        A = np.maximum(Z, 0)
        losses[step], dout = bce_with_logits(A @ W2.T + b2, y)
        zeros[step], dead[step] = np.count_nonzero(Z == 0), np.all(Z <= 0, axis=0)
        dZ = (dout @ W2) * relu_grad_convention(Z, at_zero)
        before = np.column_stack([W1, b1])
        for param, grad, state in zip((W2, b2, W1, b1), (dout.T @ A, dout.sum(axis=0), dZ.T @ X,
                                                         dZ.sum(axis=0)), states):
            update(param, grad, state, lr)
        change = np.column_stack([W1, b1]) - before
        moved[step] = np.linalg.norm(change, axis=1)
        dz = X @ change[:, :-1].T + change[:, -1]      # the change of every unit's z on every input
        lowered[step] = np.all(dz <= 0, axis=0) & np.any(dz < 0, axis=0)
    dead[steps] = np.all(X @ W1.T + b1 <= 0, axis=0)
    return {"loss": losses, "zeros": zeros, "dead": dead, "moved": moved, "lowered": lowered,
            "W1": W1, "b1": b1, "W2": W2, "b2": b2}


def after_death(result: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """What became of the hidden units that died during a ``train_one_hidden_layer`` run.

    For each unit alive at the start and dead after some step (its first death): ``unit``,
    ``died_at`` (steps taken when it was first dead), ``revived`` (alive again later),
    ``distance`` (the path length its weights and bias travelled while dead, up to the end or
    its revival), ``step_ratio`` (the median ratio of each step's length to the one before
    while it was dead; nan when it did not move, as under plain SGD) and ``killed_by_lowering``
    (the step that killed it lowered its z on every input, not only on the last ones it was on).
    """
    dead, moved, lowered = result["dead"], result["moved"], result["lowered"]
    units = np.flatnonzero(~dead[0] & dead.any(axis=0))
    rows: dict[str, list] = {"unit": [], "died_at": [], "revived": [], "distance": [], "step_ratio": [],
                             "killed_by_lowering": []}
    for j in units:
        died = int(np.argmax(dead[:, j]))
        alive_later = np.flatnonzero(~dead[died:, j])
        end = died + int(alive_later[0]) if alive_later.size else len(dead) - 1
        lengths = moved[died:end, j]                  # updates made from dead states
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios = lengths[1:] / lengths[:-1]
        rows["unit"].append(j)
        rows["died_at"].append(died)
        rows["revived"].append(bool(alive_later.size))
        rows["distance"].append(float(lengths.sum()))
        rows["step_ratio"].append(float(np.median(ratios)) if np.all(lengths > 0) and ratios.size else np.nan)
        rows["killed_by_lowering"].append(bool(lowered[died - 1, j]))
    return {key: np.array(value) for key, value in rows.items()}


def decay_while_dead(w: np.ndarray, b: float, X: np.ndarray, lr: float, weight_decay: float,
                     steps: int, decay_bias: bool = False) -> np.ndarray:
    """The largest z = w . x + b over X before each of ``steps`` + 1 updates of a dead unit.

    A dead unit's loss gradient is 0, so weight decay is all that moves it:
    w <- (1 - lr weight_decay) w, and b likewise when ``decay_bias`` (the course's loop decays
    weights only; PyTorch's optimizers decay every parameter given to them, biases included). The unit revives at the first step where the largest
    z is above 0 (from then on it gets a gradient too, which this function does not model).
    """
    shrink = 1.0 - lr * weight_decay
    factors = shrink ** np.arange(steps + 1)
    return factors * np.max(X @ w) + (factors if decay_bias else 1.0) * b


REVIVAL = {"sizes": (2, 32, 32, 1), "dying_lr": 3.0, "dying_epochs": 10, "lr": 0.3, "epochs": 40}


@lru_cache(maxsize=2)
def revival_in_depth(weight_decays: tuple[float, ...] = (0.0, 0.01),
                     seeds: tuple[int, ...] = SEEDS) -> dict[str, np.ndarray]:
    """Dead units of a first and a second hidden layer, trained on.

    A 2-32-32-1 ReLU network per seed is trained on the moons for 10 epochs at learning rate 3
    (units die in both layers), then for 40 more at 0.3 with each weight decay (the copies of
    one seed see the same mini-batches whatever the decay). With D decays, S seeds, U = 64
    hidden units (the first 32 in layer 1):

      dead_at_switch (S, U)   dead when the calm training starts
      revived (D, S, U)       of those, alive (z > 0 on some input) at the end
      by_input (D, S, U)      with the weights it had at the switch (not decayed), on the inputs
                              that run's trained first layer gives it at the end, the unit is on
                              somewhere (always False in layer 1, whose inputs are the data)
      bias_at_switch (S, U)   the biases then
      shrink (D, S, 32)       |w| at the end / |w| at the switch, for first-layer units
      accuracy_before (S,), accuracy_after (D, S)
    """
    X, y = MOONS
    stack = Stack.of(REVIVAL["sizes"], seeds)
    train_stack(stack, X, y, REVIVAL["dying_epochs"], REVIVAL["dying_lr"], BATCH, record=())
    dead = stack.dead(X)
    W_switch = [W.copy() for W in stack.weights]
    b_switch = [b.copy() for b in stack.biases]
    calm = Stack.from_nets([stack.net(i) for _ in weight_decays for i in range(len(seeds))])
    calm.rngs = [np.random.default_rng(100 + seed) for _ in weight_decays for seed in seeds]
    train_stack(calm, X, y, REVIVAL["epochs"], REVIVAL["lr"], BATCH,
                weight_decay=np.repeat(weight_decays, len(seeds)), record=())
    D, S = len(weight_decays), len(seeds)
    revived = ~calm.dead(X).reshape(D, S, -1) & dead[None]
    A_end = np.maximum(X @ calm.weights[0].transpose(0, 2, 1) + calm.biases[0][:, None, :], 0)
    z_frozen = A_end @ np.tile(W_switch[1], (D, 1, 1)).transpose(0, 2, 1) + np.tile(b_switch[1], (D, 1))[:, None, :]
    width = W_switch[0].shape[1]
    by_input = np.concatenate([np.zeros((D * S, width), bool), np.any(z_frozen > 0, axis=1)], axis=1)
    shrink = (np.linalg.norm(calm.weights[0], axis=2) / np.linalg.norm(np.tile(W_switch[0], (D, 1, 1)), axis=2))
    return {"dead_at_switch": dead, "revived": revived, "by_input": by_input.reshape(D, S, -1),
            "bias_at_switch": np.concatenate(b_switch[:2], axis=1), "shrink": shrink.reshape(D, S, -1),
            "accuracy_before": stack.accuracy(X, y), "accuracy_after": calm.accuracy(X, y).reshape(D, S)}


# ----------------------------------------------------------------------------- non-zero-centred

def relu_second_moment(d: int, centred: bool = False) -> np.ndarray:
    """E[a a^T] for a = relu(h), h ~ N(0, I_d) (or for a - E[a] when ``centred``): exactly

        E[a a^T] = Sigma + mu mu^T,   Sigma = (1/2 - 1/(2 pi)) I,   mu = (1/sqrt(2 pi)) (1, ..., 1)

    since E[a_i^2] = 1/2, E[a_i] = 1/sqrt(2 pi), and different coordinates are independent.
    Its eigenvalues: 1/2 - 1/(2 pi) + d/(2 pi) along (1, ..., 1), 1/2 - 1/(2 pi) across it, so
    its condition number is 1 + d / (pi - 1); the centred one is Sigma, condition number 1.
    """
    variance, mean = 0.5 - 1 / (2 * np.pi), 1 / np.sqrt(2 * np.pi)
    return variance * np.eye(d) + (0.0 if centred else mean**2 * np.ones((d, d)))


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
