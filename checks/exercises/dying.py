"""Exercise on the gradient that reaches a ReLU layer's weights (notebook 03).

(``dead_fraction``, the notebook's other exercise, is declared in ``diagnostics.py``.)
"""

from __future__ import annotations

import numpy as np

from checks.core import Call, Exercise, Group, Mistake
from checks.exercises.common import raises
from reference import dying as ref

# 3 samples, 2 inputs, 3 units. Unit 0 is alive on samples 0 and 2, unit 1 is dead (z <= 0
# everywhere), unit 2 has z exactly 0 on sample 1 (the subgradient 0 applies there).
SEED_X = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -1.0]])
SEED_Z = np.array([[0.5, -1.0, 2.0], [-0.2, -0.3, 0.0], [1.5, -2.0, -0.5]])
SEED_DA = np.array([[1.0, 2.0, -1.0], [0.5, -1.0, 3.0], [-2.0, 1.0, 0.5]])


def _show(value: np.ndarray, name: str) -> str:
    """A small array on one line (``label`` would wrap a 2-D one over several lines)."""
    if value.size > 12:
        return f"{name} of shape {value.shape}"
    return f"{name} = {np.round(value, 4).tolist()}"


def _call(X: np.ndarray, Z: np.ndarray, dA: np.ndarray, note: str = "") -> Call:
    text = ", ".join(_show(v, name) for v, name in ((X, "X"), (Z, "Z"), (dA, "dA")))
    return Call((X, Z, dA), label=text + note)


def _layer(rng: np.random.Generator, n: int, n_in: int, n_units: int,
           dead: float = 0.3, zeros: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, Z, dA for a random layer: a fraction of units dead (all z < 0), and with ``zeros`` > 0
    that fraction of z exactly 0, at least one."""
    X = rng.normal(0, 1, (n, n_in))
    Z = rng.normal(0, 1, (n, n_units))
    Z[:, rng.random(n_units) < dead] -= 10.0
    Z[rng.random(Z.shape) < zeros] = 0.0
    if zeros:
        Z[rng.integers(n), rng.integers(n_units)] = 0.0
    return X, Z, rng.normal(0, 1, (n, n_units))


def _transposed(X, Z, dA):
    return np.asarray(X).T @ (np.asarray(dA) * (np.asarray(Z) > 0))


RELU_WEIGHT_GRAD = Exercise(
    id="relu_weight_grad", notebook="03_dying_relu", points=3,
    description="dL/dW of a ReLU layer A = relu(Z), Z = X W^T + b, given X, Z and dL/dA",
    signature="relu_weight_grad(X, Z, dA)", reference=ref.relu_weight_grad, output="derivative",
    groups=(
        Group("a small layer worked by hand (one unit dead, one z exactly 0)", lambda rng: [
            _call(SEED_X.copy(), SEED_Z.copy(), SEED_DA.copy(), " (3 samples, 2 inputs, 3 units)")]),
        Group("a dead unit gets a row of zeros, however large dA is", lambda rng: [
            _call(*_layer(rng, 20, 4, 6, dead=0.5, zeros=0.1)),
            _call(rng.normal(0, 1, (10, 3)), -np.abs(rng.normal(0, 1, (10, 2))), 1e3 * np.ones((10, 2)),
                  " (every unit dead)")]),
        Group("z exactly 0: the subgradient 0", lambda rng: [
            _call(*_layer(rng, 12, 3, 5, dead=0.0, zeros=0.4)),
            _call(np.ones((4, 2)), np.zeros((4, 3)), np.ones((4, 3)), " (every z is 0)")]),
        Group("shapes: one sample, one unit, one input, as many inputs as units", lambda rng: [
            _call(*_layer(rng, 1, 3, 4, dead=0.0)), _call(*_layer(rng, 8, 5, 1, dead=0.0)),
            _call(*_layer(rng, 8, 1, 3, dead=0.0)), _call(*_layer(rng, 6, 4, 4, dead=0.25, zeros=0.2))]),
        Group("fresh random layers", lambda rng: [
            _call(*_layer(rng, 100, 7, 16, zeros=0.05)), _call(*_layer(rng, 30, 12, 9))]),
    ),
    hint="Two steps of the chain rule: first through the activation (dL/dZ from dL/dA and "
         "relu'(Z)), then through the linear map Z = X W^T + b to the weights. The answer has W's "
         "shape: one row per unit, one column per input.",
    hints=("dL/dZ = dA * relu'(Z), element-wise, with relu'(z) = 1 for z > 0 and 0 otherwise "
           "(also at 0). Then sum over the samples the outer products of dZ's row with X's row: "
           "one matrix product does it.",
           "dZ = dA * (Z > 0); return dZ.T @ X"),
    mistakes=(
        Mistake("ReLU's derivative left out",
                "You returned dA^T X, as if the layer had no activation: the gradient must pass "
                "through relu'(z) first, which is 0 wherever z <= 0. That zero is exactly what "
                "starves a dead unit.", hint="Multiply dA by (Z > 0) before the matrix product.",
                impl=lambda X, Z, dA: np.asarray(dA).T @ np.asarray(X)),
        Mistake("slope 1 at z = 0",
                "You let the gradient through where z is exactly 0 (Z >= 0). The convention, here "
                "and in PyTorch, is relu'(0) = 0.", hint="Use Z > 0.",
                impl=lambda X, Z, dA: (np.asarray(dA) * (np.asarray(Z) >= 0)).T @ np.asarray(X)),
        Mistake("slope 1/2 at z = 0",
                "You let half of the gradient through where z is exactly 0 (np.heaviside(Z, 0.5)). "
                "Any value in [0, 1] is a subgradient there, but the convention, here and in "
                "PyTorch, is relu'(0) = 0: a unit stuck at z = 0 gets no gradient.",
                hint="np.heaviside's second argument is the value at 0: use np.heaviside(Z, 0), or Z > 0.",
                impl=lambda X, Z, dA: (np.asarray(dA) * np.heaviside(np.asarray(Z, dtype=float), 0.5)).T @ np.asarray(X)),
        Mistake("the activation instead of its derivative",
                "You multiplied dA by relu(Z), the layer's output, instead of relu'(Z), which is 1 "
                "or 0.", hint="relu'(z) is (z > 0): a mask, not the value of z.",
                impl=lambda X, Z, dA: (np.asarray(dA) * np.maximum(Z, 0)).T @ np.asarray(X)),
        Mistake("masked by the sign of dA",
                "You kept the entries where dA > 0. Whether the gradient passes depends on z (is "
                "the unit on for that sample?), not on the sign of the gradient.",
                hint="The mask is (Z > 0).",
                impl=lambda X, Z, dA: (np.asarray(dA) * (np.asarray(dA) > 0)).T @ np.asarray(X)),
        Mistake("Leaky ReLU's derivative",
                "You used a slope of 0.01 for z <= 0: that is Leaky ReLU's derivative. ReLU's is 0 "
                "there, which is why a dead ReLU unit gets no gradient at all.",
                hint="np.where(Z > 0, 1.0, 0.0), not 0.01.",
                impl=lambda X, Z, dA: (np.asarray(dA) * np.where(np.asarray(Z) > 0, 1.0, 0.01)).T @ np.asarray(X)),
        Mistake("transposed: shape (n_inputs, n_units)",
                "You returned X^T dZ, of shape (n_inputs, n_units). W has one row per unit, as in "
                "z = W x + b: dL/dW must have W's shape (n_units, n_inputs).",
                hint="dZ.T @ X, or transpose your result.", impl=_transposed),
        Mistake("averaged over the samples",
                "You divided by the number of samples. dA already is the gradient of the loss (any "
                "1/n of a mean loss is in it): the samples' contributions add up.",
                hint="Sum over samples (a plain matrix product does it); do not divide by n.",
                impl=lambda X, Z, dA: ref.relu_weight_grad(X, Z, dA) / np.shape(X)[0]),
        Mistake("sign flipped", "Your gradient has the wrong sign everywhere.",
                hint="dL/dW = (dA * relu'(Z))^T X; the minus sign belongs to the update W -= lr dW.",
                impl=lambda X, Z, dA: -ref.relu_weight_grad(X, Z, dA)),
        Mistake("dL/dZ instead of dL/dW",
                "You returned dL/dZ = dA * relu'(Z), one row per sample: that is half of the way. "
                "The weights' gradient also multiplies by the layer's input X.",
                hint="Finish with dZ.T @ X.",
                impl=lambda X, Z, dA: np.asarray(dA) * (np.asarray(Z) > 0)),
        Mistake("dL/db instead of dL/dW",
                "You summed dL/dZ over the samples: that is the bias's gradient. The weights' "
                "gradient weights each sample by its input x.", hint="dZ.T @ X instead of dZ.sum(axis=0).",
                impl=lambda X, Z, dA: (np.asarray(dA) * (np.asarray(Z) > 0)).sum(axis=0)),
        Mistake("the layer's output instead of its input",
                "You multiplied by relu(Z), the layer's output; dL/dW needs what the weights "
                "multiply: the layer's input X.", hint="dZ.T @ X.",
                impl=lambda X, Z, dA: (np.asarray(dA) * (np.asarray(Z) > 0)).T @ np.maximum(Z, 0)),
        Mistake("matrix product in the wrong order",
                "Your matrix product's shapes do not fit: dZ is (n_samples, n_units) and X is "
                "(n_samples, n_inputs), so the samples axis must be the one summed over.",
                hint="dZ.T @ X: (n_units, n_samples) @ (n_samples, n_inputs).",
                detect=raises("not aligned", "mismatch in its core dimension"), kinds=("error",)),
    ),
)

EXERCISES = (RELU_WEIGHT_GRAD,)
