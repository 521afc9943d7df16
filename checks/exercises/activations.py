"""Exercises on ReLU and Leaky ReLU and their derivatives (notebooks 01 and 04)."""

from __future__ import annotations

import numpy as np

from checks.core import Exercise, Group, Mistake
from checks.exercises.common import (ONE_DIMENSIONAL_ONLY, SCALAR_ONLY, either, elementwise_call,
                                     elementwise_groups, raises, returns, seed_examples,
                                     wrong_default, zero_in_every_group)
from reference import activations as ref


def _with_alphas(alphas: tuple[float, ...]) -> Group:
    """Calls with several explicit alphas, including one above 1, and one with the default."""
    def make_calls(rng: np.random.Generator) -> list:
        z = np.concatenate([[-2.0, -0.5, 0.0, 0.5, 3.0], rng.normal(0, 2, 6)])
        calls = [elementwise_call(z.copy(), a, label_extra=f", alpha = {a}") for a in alphas]
        return calls + [elementwise_call(z.copy(), label_extra=" (alpha left at its default)")]
    return Group("several alphas (0.01, 0.2, 1.5) and the default", make_calls)


ALPHAS = (0.01, 0.2, 1.5)


def _source_examples_array_first(*values: float) -> Group:
    """The source's examples as one array first, then one by one as NumPy scalars: a function
    that changes its input, or works only on single numbers, first fails where its diagnosis
    says (on the array), not on a scalar."""
    return Group("the source text's examples", lambda rng: [
        elementwise_call(np.array(values, dtype=float)), *(elementwise_call(np.float64(v)) for v in values)])


RELU = Exercise(
    id="relu", notebook="01_relu", points=2,
    description="ReLU, f(z) = max(0, z), element-wise on arrays of any shape",
    signature="relu(z)", reference=ref.relu, output="activation",
    groups=(_source_examples_array_first(3.0, -2.0), *elementwise_groups()),
    hint="ReLU keeps each positive value as it is and replaces every other value by 0, element "
         "by element, without a loop and without changing z.",
    hints=("NumPy has a function that compares two arrays (or an array and a number) element by "
           "element and keeps the larger value of each pair: not np.max, which reduces.",
           "return np.maximum(z, 0)"),
    mistakes=(
        Mistake("np.max instead of np.maximum",
                "np.max(z, 0) is a reduction: it returns the largest element along axis 0, not "
                "the element-wise maximum of z and 0.",
                hint="np.maximum(z, 0) compares each element with 0; np.max(z) finds one largest value.",
                detect=either(raises("out of bounds for array of dimension"), returns(lambda z: np.max(z, 0))),
                kinds=("error", "shape", "value")),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
        Mistake("Leaky ReLU instead of ReLU",
                "Your function lets negative values through scaled by a small slope: that is "
                "Leaky ReLU. ReLU outputs exactly 0 for every z <= 0.",
                hint="Negative inputs must give 0, not alpha * z.",
                detect=lambda call, o: any(returns(lambda z, a=a: ref.leaky_relu(z, a))(call, o)
                                          for a in (0.01, 0.1, 0.2, 0.3))),
        Mistake("minimum instead of maximum",
                "Your function keeps the negative values and zeroes the positive ones: "
                "that is min(0, z).", hint="ReLU is the maximum of z and 0.",
                impl=lambda z: np.minimum(z, 0)),
        Mistake("identity", "Your function returns z unchanged: negative values are not zeroed.",
                hint="Replace every negative value by 0.", impl=lambda z: np.asarray(z) + 0),
        Mistake("absolute value", "Your function returns |z|: negative values become positive "
                "instead of 0.", hint="max(0, z), not max(-z, z).", impl=np.abs),
        Mistake("derivative instead of the function",
                "Your function returns 1 or 0 (the derivative's values) instead of z or 0.",
                hint="Return the value itself for positive z: np.maximum(z, 0).",
                impl=lambda z: (np.asarray(z) > 0).astype(float)),
        Mistake("negated", "Your function returns max(0, -z): the sign of z is flipped.",
                hint="Compare z with 0, not -z.", impl=lambda z: np.maximum(-np.asarray(z), 0)),
        Mistake("integer output",
                "Your function returns integers for float input, which rounds every value.",
                hint="Avoid .astype(int) and integer constants in np.where; np.maximum(z, 0) keeps "
                     "z's dtype.",
                detect=lambda call, o: np.asarray(o.value).dtype.kind in "biu"
                and np.asarray(call.args[0]).dtype.kind == "f", kinds=("dtype", "value")),
    ),
)

RELU_GRAD = Exercise(
    id="relu_grad", notebook="01_relu", points=2,
    description="The derivative of ReLU: 1 for z > 0, 0 for z <= 0 (0 at z = 0 by convention)",
    signature="relu_grad(z)", reference=ref.relu_grad, output="derivative",
    groups=zero_in_every_group((seed_examples(3.0, -2.0), *elementwise_groups(python_scalars_graded=False))),
    hint="The slope of ReLU is 1 where z > 0 and 0 everywhere else, including at z = 0: the "
         "derivative is a mask saying where z is positive.",
    hints=("A comparison such as z > 0 gives a boolean array of z's shape; turn it into numbers "
           "of z's float dtype. (np.asarray(z) first makes a single number work too.)",
           "z = np.asarray(z); return (z > 0).astype(z.dtype)"),
    dtype_tip="(z > 0).astype(z.dtype)",
    mistakes=(
        Mistake("slope 1 at z = 0",
                "Your derivative is 1 at z = 0. ReLU has no derivative there; the convention "
                "(PyTorch's, and this course's) is the subgradient 0.",
                hint="Use z > 0, not z >= 0.", impl=lambda z: (np.asarray(z) >= 0).astype(float)),
        Mistake("slope 1/2 at z = 0",
                "Your derivative is 0.5 at z = 0 (np.heaviside(z, 0.5), or a central difference). "
                "The convention is the subgradient 0.",
                hint="np.heaviside(z, 0) or (z > 0) gives 0 at z = 0.",
                impl=lambda z: np.heaviside(z, 0.5)),
        Mistake("a numerical derivative",
                "Your function estimates the slope numerically, (relu(z + h) - relu(z - h)) / 2h: that "
                "gives 0.5 at z = 0 (the convention is 0), 0 for huge z (where z + h == z) and NaN at "
                "infinity. ReLU's slope is known exactly.",
                hint="Return 1 where z > 0 and 0 elsewhere, with no h.",
                detect=lambda call, o: any(returns(lambda z, h=h: (np.maximum(z + h, 0) - np.maximum(z - h, 0)) / (2 * h),
                                                   rtol=1e-9, atol=0.0)(call, o)
                                           for h in (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8))),
        Mistake("the function instead of its derivative",
                "Your function returns ReLU itself (z for positive z), not its slope.",
                hint="The slope of z is 1: return 1 where z > 0, 0 elsewhere.", impl=ref.relu),
        Mistake("mask inverted", "Your derivative is 1 for negative z and 0 for positive z.",
                hint="ReLU is flat (slope 0) on the negative side.",
                impl=lambda z: (np.asarray(z) <= 0).astype(float)),
        Mistake("Leaky ReLU's derivative",
                "Your derivative is a small positive number for negative z: that is Leaky ReLU's. "
                "ReLU's is exactly 0 there.", hint="Return 0 where z <= 0.",
                impl=lambda z: ref.leaky_relu_grad(z, 0.01)),
        Mistake("sign of z", "Your derivative is -1 for negative z (np.sign). ReLU's slope there is 0.",
                hint="np.sign gives -1, 0, 1; ReLU's slope is 0 or 1.", impl=np.sign),
        Mistake("always one", "Your derivative is 1 everywhere: the negative side is not flat.",
                hint="Return 0 where z <= 0.", impl=lambda z: np.ones_like(np.asarray(z, dtype=float))),
        Mistake("always zero", "Your derivative is 0 everywhere: ReLU rises with slope 1 where z > 0.",
                hint="Return 1 where z > 0.", impl=lambda z: np.zeros(np.shape(z))),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
    ),
)

LEAKY_RELU = Exercise(
    id="leaky_relu", notebook="04_leaky_relu", points=3,
    description="Leaky ReLU: z for z > 0, alpha * z otherwise, with alpha defaulting to 0.01",
    signature="leaky_relu(z, alpha=0.01)", reference=ref.leaky_relu, output="activation",
    groups=(seed_examples(3.0, -2.0), _with_alphas(ALPHAS), *elementwise_groups(extra=(0.2,))),
    hint="Leaky ReLU is two lines: z itself where z > 0, and alpha * z where z <= 0. Choose "
         "between them element by element, for every alpha >= 0 (including alpha > 1).",
    hints=("np.where(condition, a, b) picks a where the condition holds and b elsewhere, element "
           "by element. Beware the shortcut np.maximum(alpha * z, z): it is wrong for alpha > 1.",
           "return np.where(z > 0, z, alpha * z)"),
    mistakes=(
        Mistake("max(alpha * z, z) with alpha > 1",
                "np.maximum(alpha * z, z) equals Leaky ReLU only for 0 <= alpha <= 1: for alpha > 1 "
                "it returns alpha * z for positive z (and z for negative z).",
                hint="Write it piecewise: one formula where z > 0, the other where z <= 0, "
                     "whatever alpha is.",
                impl=lambda z, alpha=0.01: np.maximum(alpha * np.asarray(z), z)),
        Mistake("alpha ignored",
                "Your function gives the same answer whatever alpha is passed: alpha is hard-coded "
                "(to 0.01) or not used.", hint="Use the alpha parameter in the formula.",
                impl=lambda z, alpha=0.01: ref.leaky_relu(z, 0.01)),
        wrong_default(ref.leaky_relu, "leaky_relu", 0.01),
        Mistake("ReLU instead of Leaky ReLU", "Your function returns 0 for negative z: that is ReLU.",
                hint="For z <= 0 return alpha * z.", impl=lambda z, alpha=0.01: ref.relu(z)),
        Mistake("slope on the wrong side",
                "Your function multiplies the positive values by alpha and keeps the negative ones.",
                hint="z for z > 0, alpha * z for z <= 0.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, alpha * np.asarray(z), z)),
        Mistake("alpha instead of alpha * z",
                "Your function returns the constant alpha for negative z, not alpha * z.",
                hint="The negative side is a line through the origin with slope alpha.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, z, alpha)),
        Mistake("sign flipped", "Your function returns -alpha * z (a positive number) for negative z.",
                hint="alpha * z, without a minus sign (or abs).",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, z, -alpha * np.asarray(z))),
        Mistake("derivative instead of the function",
                "Your function returns 1 or alpha (the derivative's values).",
                hint="Multiply: z or alpha * z.",
                impl=lambda z, alpha=0.01: ref.leaky_relu_grad(z, alpha)),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
    ),
)

LEAKY_RELU_GRAD = Exercise(
    id="leaky_relu_grad", notebook="04_leaky_relu", points=3,
    description="The derivative of Leaky ReLU: 1 for z > 0, alpha for z <= 0",
    signature="leaky_relu_grad(z, alpha=0.01)", reference=ref.leaky_relu_grad, output="derivative",
    groups=zero_in_every_group((seed_examples(3.0, -2.0), _with_alphas(ALPHAS),
                                *elementwise_groups(extra=(0.2,), python_scalars_graded=False))),
    hint="Each piece of Leaky ReLU is a straight line: its slope is 1 where z > 0 and alpha "
         "where z <= 0 (alpha at z = 0, by convention).",
    hints=("Choose between the two slopes element by element with np.where, and keep z's float "
           "dtype.", "z = np.asarray(z); return np.where(z > 0, 1.0, alpha).astype(z.dtype)"),
    dtype_tip="np.where(z > 0, 1.0, alpha).astype(z.dtype)",
    mistakes=(
        Mistake("slope 1 at z = 0",
                "Your derivative is 1 at z = 0; the convention (the source's and PyTorch's) is "
                "alpha for every z <= 0.", hint="Use z > 0, not z >= 0.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) >= 0, 1.0, alpha)),
        Mistake("ReLU's derivative", "Your derivative is 0 for negative z: that is ReLU's.",
                hint="For z <= 0 the slope is alpha.", impl=lambda z, alpha=0.01: ref.relu_grad(z)),
        Mistake("alpha ignored", "Your derivative is the same whatever alpha is passed.",
                hint="Use the alpha parameter.",
                impl=lambda z, alpha=0.01: ref.leaky_relu_grad(z, 0.01)),
        wrong_default(ref.leaky_relu_grad, "leaky_relu_grad", 0.01),
        Mistake("the function instead of its derivative",
                "Your function returns Leaky ReLU itself (z or alpha * z), not its slope.",
                hint="The slope of alpha * z is alpha.",
                impl=lambda z, alpha=0.01: ref.leaky_relu(z, alpha)),
        Mistake("alpha * z instead of alpha",
                "Your derivative is alpha * z for negative z; the slope of alpha * z is the constant alpha.",
                hint="Return alpha, not alpha * z.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, 1.0, alpha * np.asarray(z))),
        Mistake("derivative of max(alpha * z, z)",
                "Your derivative follows max(alpha * z, z), which differs from Leaky ReLU for alpha > 1.",
                hint="Decide by the sign of z, not by comparing alpha * z with z.",
                impl=lambda z, alpha=0.01: np.where(alpha * np.asarray(z) > z, alpha, 1.0)),
        Mistake("slope (1 + alpha) / 2 at z = 0",
                "Your derivative at z = 0 is the average of the two slopes; the convention is alpha.",
                hint="Use alpha for every z <= 0.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, 1.0,
                                                    np.where(np.asarray(z) < 0, alpha, (1 + alpha) / 2))),
        Mistake("negative slope", "Your derivative is -alpha for negative z.",
                hint="The line alpha * z rises with slope +alpha.",
                impl=lambda z, alpha=0.01: np.where(np.asarray(z) > 0, 1.0, -alpha)),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
    ),
)

def _sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))


SIGMOID_GRAD = Exercise(
    id="sigmoid_grad", notebook="02_why_relu", points=2,
    description="The derivative of the sigmoid, s(z)(1 - s(z)), which is never above 1/4",
    signature="sigmoid_grad(z)", reference=ref.sigmoid_grad, output="derivative",
    groups=(
        Group("worked points z = 0, ±1, ±2", lambda rng: [
            elementwise_call(np.array([0.0, 1.0, -1.0, 2.0, -2.0]))]),
        Group("large and tiny values: ±700, ±30, ±1e-8", lambda rng: [
            elementwise_call(np.array([700.0, -700.0, 30.0, -30.0, 1e-8, -1e-8]))]),
        *elementwise_groups(python_scalars_graded=False, infinities="note")[1:],
        Group("overflow: ±1000", lambda rng: [elementwise_call(np.array([1000.0, -1000.0]))],
              note_only=True),
    ),
    hint="Compute the sigmoid s(z) first, element by element with NumPy, then combine it with "
         "itself as the formula s(1 - s) says.",
    hints=("s = 1 / (1 + e^(-z)) with np.exp works on arrays of any shape (math.exp takes one "
           "number only).", "s = 1 / (1 + np.exp(-z)); return s * (1 - s)"),
    dtype_tip="compute with z itself: np.exp(-z) keeps z's dtype",
    mistakes=(
        Mistake("z (1 - z) instead of s (1 - s)",
                "You returned z * (1 - z): the formula s(1 - s) needs s = sigmoid(z) first.",
                hint="s = 1 / (1 + np.exp(-z)); then s * (1 - s).",
                impl=lambda z: np.asarray(z) * (1 - np.asarray(z))),
        Mistake("the sigmoid itself", "You returned the sigmoid s(z), not its derivative.",
                hint="The derivative is s(z) * (1 - s(z)).", impl=_sigmoid),
        Mistake("tanh's derivative", "You returned 1 - tanh(z)^2, the derivative of tanh.",
                hint="The sigmoid's derivative is s(1 - s), with s = 1 / (1 + e^-z).",
                impl=lambda z: 1 - np.tanh(z) ** 2),
        Mistake("s (1 + s)", "You returned s * (1 + s); the derivative is s * (1 - s).",
                hint="Check at z = 0: the answer is 1/4.", impl=lambda z: _sigmoid(z) * (1 + _sigmoid(z))),
        Mistake("sign flipped", "Your derivative is negative; the sigmoid is increasing everywhere.",
                hint="s * (1 - s) is positive.", impl=lambda z: -_sigmoid(z) * (1 - _sigmoid(z))),
        Mistake("1 - s", "You returned e^-z / (1 + e^-z), which is 1 - s: the denominator must be "
                "squared.", hint="d/dz (1 + e^-z)^-1 = e^-z / (1 + e^-z)^2.", impl=lambda z: 1 - _sigmoid(z)),
        Mistake("1 - s^2", "You returned 1 - s^2 (tanh's formula applied to the sigmoid).",
                hint="The sigmoid's derivative is s - s^2, not 1 - s^2.", impl=lambda z: 1 - _sigmoid(z) ** 2),
        Mistake("ReLU's derivative", "You returned ReLU's derivative (0 or 1).",
                hint="The sigmoid is smooth: its slope is s(1 - s), between 0 and 1/4.",
                impl=lambda z: (np.asarray(z) > 0).astype(float)),
        Mistake("the maximum 1/4 everywhere", "You returned 1/4 everywhere: that is only the value at z = 0.",
                hint="s(1 - s) shrinks towards 0 as |z| grows.",
                impl=lambda z: np.full(np.shape(z), 0.25)),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
    ),
)

EXERCISES = (RELU, RELU_GRAD, LEAKY_RELU, LEAKY_RELU_GRAD, SIGMOID_GRAD)
