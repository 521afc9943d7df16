"""Notebook 04's code: PReLU's slope gradient, ELU, the max-form trap, and the experiments.

The experiments train many copies of one small network side by side
(``reference.network.Stack``): copies that differ in their seed and their negative slope alpha,
alpha = 0 being ReLU, so ReLU and Leaky ReLU networks of one seed start from the same random
draws (He's initialization scales Leaky ReLU's by 1 / sqrt(1 + alpha^2)).

Words used below, for a hidden unit and a data set X:

* **inactive**: z <= 0 on every row of X (the unit's output is 0, or alpha * z, everywhere);
* **dead**: inactive *and* receiving no gradient on any row: f'(z) = 0 wherever z <= 0, which
  is true for ReLU (alpha = 0) and never for Leaky ReLU (alpha > 0).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from reference import activations as act
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

def all_negative_layers(width: int, depth: int, trials: int = 10_000, rng: int = 0,
                        alpha: float = 0.01, n_inputs: int = 2) -> np.ndarray:
    """For ``trials`` random Leaky ReLU networks drawn as ``dying.born_dead_monte_carlo`` draws
    them (one input x ~ N(0, I), N(0, 1) weights, zero biases), the number of layers, of
    ``depth``, in which every unit has z <= 0 for that input.

    Such a layer outputs alpha z, so it acts as the linear map alpha W: it scales the signal
    going forward and the gradient coming back by alpha; k such layers scale both by alpha^k.
    """
    generator = np.random.default_rng(rng)
    a = generator.standard_normal((trials, n_inputs))
    count = np.zeros(trials, dtype=int)
    for _ in range(depth):
        z = (generator.standard_normal((trials, width, a.shape[1])) @ a[:, :, None])[:, :, 0]
        count += np.all(z <= 0, axis=1)
        a = np.where(z > 0, z, alpha * z)
    return count


DYING = {"n": 200, "sizes": (2, 32, 32, 1), "lr": 3.0, "epochs": 20, "batch_size": 20}
DYING_SEEDS = tuple(range(10))
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
    with np.errstate(over="ignore", invalid="ignore"):     # a run may diverge at this rate: kept
        history = train_stack(stack, X, y, DYING["epochs"], DYING["lr"], DYING["batch_size"], record=())
    return stack, history


def dying_summary(alphas: tuple[float, ...] = ALPHA_GRID,
                  seeds: tuple[int, ...] = DYING_SEEDS) -> dict[str, np.ndarray]:
    """After the dying set-up, arrays of shape (alphas, seeds): the fraction of hidden units
    dead and inactive, the fraction of hidden outputs exactly 0, and the training accuracy."""
    stack, _ = dying_runs(alphas, seeds)
    X, y = dying_data()
    shape = (len(alphas), len(seeds))
    with np.errstate(over="ignore", invalid="ignore"):     # a diverged run counts as it is
        return {"dead": stack.dead(X).mean(axis=1).reshape(shape),
                "inactive": stack.inactive(X).mean(axis=1).reshape(shape),
                "zero_fraction": stack.zero_fraction(X).reshape(shape),
                "accuracy": stack.accuracy(X, y).reshape(shape)}


@lru_cache(maxsize=64)
def dying_course(alpha: float, seed: int) -> dict[str, np.ndarray]:
    """The dying set-up for one seed, epoch by epoch: a ReLU network and a Leaky ReLU network of
    slope ``alpha`` from the same random draws (copies 0 and 1 of one Stack, so each is the
    network ``dying_runs`` trains for that alpha and seed), trained side by side.

    Returns arrays of shape (2, epochs + 1), row 0 ReLU, row 1 Leaky ReLU, index 0 before
    training: ``inactive`` (fraction of hidden units with z <= 0 on every training input),
    ``accuracy`` (training accuracy) and ``loss`` (training loss); and ``diverged_at`` (2,), the
    first epoch whose loss is not finite (NaN or inf), -1 for a run that never diverged. From that
    epoch on the other records mean nothing (z is NaN, and NaN <= 0 is false: no unit counts as
    inactive). Cached per (alpha, seed): do not modify the result.
    """
    X, y = dying_data()
    stack = Stack.of(DYING["sizes"], [seed, seed], "leaky_relu", [0.0, alpha])
    with np.errstate(over="ignore", invalid="ignore"):     # a run may diverge at this rate: kept
        history = train_stack(stack, X, y, DYING["epochs"], DYING["lr"], DYING["batch_size"],
                              record=("loss", "inactive", "accuracy"))
    broken = ~np.isfinite(history.loss)
    diverged_at = np.where(broken.any(axis=1), broken.argmax(axis=1), -1)
    return {"inactive": history.inactive_fraction, "accuracy": history.accuracy, "loss": history.loss,
            "diverged_at": diverged_at}


Functions = tuple[Callable, Callable]


def revival(alphas: tuple[float, ...] = (0.0, 0.01, 0.1), epochs: int = CALM["epochs"],
            lr: float = CALM["lr"], seeds: tuple[int, ...] = DYING_SEEDS,
            functions: Functions | None = None) -> dict[str, np.ndarray]:
    """Take the ReLU networks of the dying set-up (one per seed), switch them (same weights) to
    each slope in ``alphas`` (0 = stay ReLU), and train on at a calmer learning rate.

    ``functions = (leaky_relu, leaky_relu_grad)``, called as f(z, alpha), run the switched
    networks (``Stack``'s ``functions``: a learner's own, say); the reference's by default. Runs
    on the reference's functions are cached (do not modify the result); others are not.

    Copies of one seed see the same mini-batches whatever alpha, so the comparison is paired.
    Returns, with A = len(alphas), S = seeds, U = hidden units, E = epochs:
      dead_at_switch (S, U)       dead ReLU units when the switch happens
      revived (A, S, E + 1)       how many of them have z > 0 on some input, after each epoch
      revived_first_layer (A, S)  the same at the end, first hidden layer only
      revived_first_layer_at_switch (A, S)   the same right after the switch, before training
      weight_change (A,)          the largest change of a first-layer dead unit's weights or bias
      accuracy_before (S,), accuracy_at_switch (A, S), accuracy_after (A, S)   training
                                  accuracy of the ReLU networks, right after the switch, at the end
    """
    if functions is None or tuple(functions) == (act.leaky_relu, act.leaky_relu_grad):
        return _revival(alphas, epochs, lr, seeds)
    return _revival.__wrapped__(alphas, epochs, lr, seeds, tuple(functions))


@lru_cache(maxsize=2)
def _revival(alphas: tuple[float, ...], epochs: int, lr: float, seeds: tuple[int, ...],
             functions: Functions | None = None) -> dict[str, np.ndarray]:
    """``revival``, run with ``functions`` (None: the reference's Leaky ReLU)."""
    stack, _ = dying_runs(seeds=seeds)
    X, y = dying_data()
    relu_rows = [i for i, a in enumerate(stack.alphas[:, 0]) if a == 0]
    with np.errstate(over="ignore", invalid="ignore"):     # the stack may hold a diverged Leaky run
        dead, accuracy_before = stack.dead(X)[relu_rows], stack.accuracy(X, y)[relu_rows]
    nets = [stack.net(i) for i in relu_rows]
    switched = Stack.from_nets(nets * len(alphas), alphas=np.repeat(alphas, len(nets)),
                               activation="leaky_relu", functions=functions)
    switched.rngs = [np.random.default_rng(100 + seed) for _ in alphas for seed in seeds]
    W0, b0 = switched.weights[0].copy(), switched.biases[0].copy()
    history = train_stack(switched, X, y, epochs, lr, DYING["batch_size"], record=("inactive", "accuracy"))

    A, S = len(alphas), len(nets)
    width = W0.shape[1]
    active = ~history.inactive.reshape(A, S, epochs + 1, -1)
    revived = active & dead[None, :, None, :]
    dead_first = np.tile(dead[:, :width], (A, 1))                     # (A*S, width)
    change = np.maximum(np.abs(switched.weights[0] - W0).max(axis=2), np.abs(switched.biases[0] - b0))
    weight_change = np.where(dead_first, change, 0.0).reshape(A, -1).max(axis=1)
    return {"alphas": np.array(alphas), "dead_at_switch": dead,
            "revived": revived.sum(axis=3), "revived_first_layer": revived[:, :, -1, :width].sum(axis=2),
            "revived_first_layer_at_switch": revived[:, :, 0, :width].sum(axis=2),
            "weight_change": weight_change,
            "accuracy_before": accuracy_before,
            "accuracy_at_switch": history.accuracy[:, 0].reshape(A, S),
            "accuracy_after": switched.accuracy(X, y).reshape(A, S)}


# ----------------------------------------------------------------------------- fair comparisons

@dataclass(frozen=True)
class Method:
    """An activation to compare: ``"leaky_relu"`` with slope ``alpha`` (0 is ReLU), or
    ``"prelu"`` starting from ``alpha``, its slope updated at ``alpha_step`` times the weights'
    learning rate. Each gets He's initialization for its own (starting) slope."""

    name: str
    activation: str
    alpha: float
    alpha_step: float = 1.0


RELU = Method("ReLU", "leaky_relu", 0.0)
LEAKY = Method("Leaky ReLU, α = 0.01", "leaky_relu", 0.01)
PRELU = Method("PReLU, α from 0.25", "prelu", 0.25)
PRELU_SLOW = Method("PReLU, α step lr/32", "prelu", 0.25, 1 / 32)   # 32 units share each alpha
ALPHA_SWEEP = (RELU, LEAKY, Method("Leaky ReLU, α = 0.1", "leaky_relu", 0.1),
               Method("Leaky ReLU, α = 0.3", "leaky_relu", 0.3), PRELU, PRELU_SLOW)

TASKS = {
    "spirals": lambda rng: data.spirals(300, noise=0.05, rng=rng),
    "noisy circles": lambda rng: data.circles(300, noise=0.15, rng=rng),
    "noisy moons": lambda rng: data.moons(300, noise=0.3, rng=rng),
}
TASK = {"sizes": (2, 32, 32, 1), "epochs": 50, "batch_size": 20, "lrs": (0.05, 0.2, 0.8),
        "spirals_lrs": (0.2, 0.4, 0.8, 1.6), "noisy_epochs": 30}
DEEP = {"sizes": (2,) + (16,) * 20 + (1,), "epochs": 50, "batch_size": 20, "lrs": (0.01, 0.02, 0.04)}
TUNE_SEEDS, SEEDS = (0, 1, 2), tuple(range(10))

Splits = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@lru_cache(maxsize=8)
def task_splits(task: str) -> Splits:
    """(X_train, y_train, X_val, y_val, X_test, y_test) of a task: 300 points drawn with seed 0,
    split 70 % / 30 % into training and test sets (seed 0), and a validation set of 300 fresh
    points from the same distribution (seed 1), used only to choose the learning rates."""
    X_train, X_test, y_train, y_test = data.train_test_split(*TASKS[task](0), rng=0)
    return (X_train, y_train, *TASKS[task](1), X_test, y_test)


@lru_cache(maxsize=1)
def deep_splits() -> Splits:
    """Notebook 05's deep task: 100 circles for training (seed 0), 300 fresh ones for
    validation (seed 1) and 300 for testing (seed 2)."""
    return (*data.circles(100, rng=0), *data.circles(300, rng=1), *data.circles(300, rng=2))


def _run(sizes: tuple[int, ...], splits: Splits, methods: list[Method], lrs: list[float],
         seeds: list[int], epochs: int, batch_size: int) -> dict[str, np.ndarray]:
    """Train copy i (method i, learning rate i, seed i) side by side, one Stack per activation;
    per copy: losses, test accuracy, exact zeros and inactive units on the training set, the
    inactive units before training too, and the trained network (``nets``, an MLP sharing the
    copy's Generator). A run that diverges is kept, with its non-finite loss."""
    X_train, y_train, X_val, y_val, X_test, y_test = splits
    found = {key: np.empty(len(methods)) for key in
             ("train_loss", "validation_loss", "test_loss", "test_accuracy", "zero_fraction",
              "inactive", "inactive_at_start")}
    found["nets"] = np.empty(len(methods), dtype=object)
    for activation in dict.fromkeys(m.activation for m in methods):
        rows = [i for i, m in enumerate(methods) if m.activation == activation]
        stack = Stack.of(sizes, [seeds[i] for i in rows], activation, [methods[i].alpha for i in rows])
        found["inactive_at_start"][rows] = stack.inactive(X_train).mean(axis=1)
        with np.errstate(over="ignore", invalid="ignore"):          # diverging runs are allowed
            train_stack(stack, X_train, y_train, epochs, [lrs[i] for i in rows], batch_size, record=(),
                        alpha_lr=[lrs[i] * methods[i].alpha_step for i in rows])
            on_train = stack.measure(X_train, y_train, ("loss", "zero_fraction", "inactive"))
            on_test = stack.measure(X_test, y_test, ("loss", "accuracy"))
            found["validation_loss"][rows] = stack.loss(X_val, y_val)
        found["train_loss"][rows] = on_train["loss"]
        found["zero_fraction"][rows] = on_train["zero_fraction"]
        found["inactive"][rows] = on_train["inactive"].mean(axis=1)
        found["test_loss"][rows] = on_test["loss"]
        found["test_accuracy"][rows] = on_test["accuracy"]
        found["nets"][rows] = [stack.net(j) for j in range(len(rows))]
    return found


def tuned_comparison(sizes: tuple[int, ...], splits: Splits, methods: tuple[Method, ...],
                     lrs: tuple[float, ...], epochs: int, batch_size: int,
                     tune_seeds: tuple[int, ...] = TUNE_SEEDS,
                     seeds: tuple[int, ...] = SEEDS) -> dict[str, dict]:
    """Best against best: each method gets its own learning rate, then runs on every seed.

    1. Tuning: every method x learning rate of ``lrs`` x seed of ``tune_seeds``; a method's
       learning rate is the one with the lowest mean loss on the validation set (a run that
       diverged counts as an infinite loss).
    2. The comparison: every seed of ``seeds`` (which start with ``tune_seeds``; their runs are
       reused) at the method's own learning rate. The seed fixes the initial weights and the
       batch order, so seed s of one method and seed s of another are a paired comparison.

    Returns, for each method's name: ``lr`` (chosen), ``validation_by_lr`` (the mean validation
    loss over the tuning seeds, one per lr), and arrays over ``seeds``: ``validation_loss``,
    ``test_accuracy``, ``test_loss``, ``train_loss``, ``zero_fraction`` and ``inactive``
    (fractions on the training set, after training), ``inactive_at_start``, and ``nets``, the
    trained networks (do not train them further: copy them, as ``longer_training`` does).
    """
    if tuple(seeds[:len(tune_seeds)]) != tuple(tune_seeds):
        raise ValueError("seeds must start with tune_seeds")
    grid = [(m, lr, s) for m in methods for lr in lrs for s in tune_seeds]
    tuning = _run(sizes, splits, *map(list, zip(*grid)), epochs, batch_size)
    shape = (len(methods), len(lrs), len(tune_seeds))
    validation = np.where(np.isfinite(tuning["validation_loss"]), tuning["validation_loss"], np.inf)
    mean_validation = validation.reshape(shape).mean(axis=2)
    best = mean_validation.argmin(axis=1)

    rest = [(m, lrs[best[k]], s) for k, m in enumerate(methods) for s in seeds[len(tune_seeds):]]
    more = _run(sizes, splits, *map(list, zip(*rest)), epochs, batch_size) if rest else {}
    results = {}
    for k, m in enumerate(methods):
        mine = {key: np.concatenate([values.reshape(shape)[k, best[k]],
                                     more[key].reshape(len(methods), -1)[k] if more else []])
                for key, values in tuning.items()}
        results[m.name] = {"lr": lrs[best[k]], "validation_by_lr": mean_validation[k], **mine}
    return results


@lru_cache(maxsize=8)
def task_comparison(task: str) -> dict[str, dict]:
    """``tuned_comparison`` of a 2-32-32-1 network on a task: the spirals with ALPHA_SWEEP, a
    finer grid and 50 epochs, the noisy tasks with ReLU, Leaky ReLU (0.01) and the two PReLUs
    and 30 epochs. Cached: do not modify the result."""
    spirals = task == "spirals"
    methods = ALPHA_SWEEP if spirals else (RELU, LEAKY, PRELU, PRELU_SLOW)
    lrs = TASK["spirals_lrs"] if spirals else TASK["lrs"]
    epochs = TASK["epochs"] if spirals else TASK["noisy_epochs"]
    return tuned_comparison(TASK["sizes"], task_splits(task), methods, lrs, epochs, TASK["batch_size"])


@lru_cache(maxsize=1)
def deep_comparison() -> dict[str, dict]:
    """``tuned_comparison`` of ReLU and Leaky ReLU (0.01) in notebook 05's deep, narrow
    network: 20 hidden layers of 16 units, He initialization, on the circles."""
    return tuned_comparison(DEEP["sizes"], deep_splits(), (RELU, LEAKY), DEEP["lrs"],
                            DEEP["epochs"], DEEP["batch_size"])


def longer_training(method: Method, lr: float, epochs: tuple[int, ...] = (50, 200),
                    seeds: tuple[int, ...] = SEEDS, task: str = "spirals",
                    trained: np.ndarray | None = None) -> np.ndarray:
    """Test accuracy of ``method`` at learning rate ``lr`` on a task's splits, per seed, after
    each number of epochs in ``epochs`` (one run per seed, measured on the way): shape
    (len(epochs), len(seeds)). Seed s starts as seed s of ``tuned_comparison``.

    ``trained``: those runs already trained for ``epochs[0]`` epochs at ``lr`` (the ``nets`` of
    ``tuned_comparison``, one per seed): training goes on from copies of them (their Generators
    copied too, so the cached runs are left as they were), the same numbers as from scratch.
    """
    X_train, y_train, _, _, X_test, y_test = task_splits(task)
    if trained is None:
        stack, done = Stack.of(TASK["sizes"], seeds, method.activation, method.alpha), 0
    else:
        if len(trained) != len(seeds):
            raise ValueError("trained must hold one network per seed")
        stack, done = Stack.from_nets([copy.deepcopy(net) for net in trained]), epochs[0]
    found = [] if trained is None else [stack.accuracy(X_test, y_test)]
    for total in epochs[len(found):]:
        train_stack(stack, X_train, y_train, total - done, lr, TASK["batch_size"], record=(),
                    alpha_lr=lr * method.alpha_step)
        found.append(stack.accuracy(X_test, y_test))
        done = total
    return np.array(found)
