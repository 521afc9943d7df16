"""Exercises on PReLU (notebook 04); leaky_relu and leaky_relu_grad live in ``activations``.

``prelu_alpha_grad(upstream, z)`` is judged against central finite differences computed here,
not against the reference's formula: the loss L(alpha) = sum(upstream * prelu(z, alpha)) is
evaluated at alpha +- h and the slope (L(alpha + h) - L(alpha - h)) / 2h is the answer to match.
"""

from __future__ import annotations

import numpy as np

from checks.compare import NotAnArray, as_plain_array, show
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem
from checks.engine import IN_PLACE
from checks.exercises.common import SCALAR_ONLY, either, label, raises, returns
from reference import leaky as ref

FD_ALPHAS = (0.25, 0.01, 1.5)          # the slopes at which the check differentiates
FD_STEP = 1e-4


def _prelu(z: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, z, alpha * z)


def finite_difference(upstream: np.ndarray, z: np.ndarray, alpha: float, h: float = FD_STEP) -> float:
    """Central difference of L(alpha) = sum(upstream * prelu(z, alpha)) at alpha."""
    upstream, z = np.asarray(upstream, dtype=float), np.asarray(z, dtype=float)
    return float((np.sum(upstream * _prelu(z, alpha + h)) - np.sum(upstream * _prelu(z, alpha - h))) / (2 * h))


def _call(upstream: np.ndarray, z: np.ndarray, what: str = "") -> Call:
    text = label(upstream, "upstream") + "; " + label(z, "z")
    return Call((upstream, z), label=f"{what}: {text}" if what else text)


def _changed(call: Call, outcome: Outcome) -> bool:
    for before, after in zip(call.args, outcome.args_after):
        after = np.asarray(after)
        if after.shape != before.shape or not np.array_equal(after, before, equal_nan=True):
            return True
    return False


def _judge(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    """Each answer must be one number equal to the finite-difference slope, at every FD_ALPHAS."""
    problems = []
    for call, outcome in zip(calls, outcomes):
        def problem(what: str, kind: str, **details) -> Problem:
            return Problem(call.label, what, kind, call=call, outcome=outcome, **details)

        if outcome.timed_out:
            problems.append(problem("did not finish within the time limit", "timeout"))
            continue
        if outcome.error is not None:
            problems.append(problem(f"raised {outcome.error}", "error"))
            continue
        try:
            actual = as_plain_array(outcome.value)
        except NotAnArray as refused:
            problems.append(problem(str(refused), "type"))
            continue
        if _changed(call, outcome):
            problems.append(problem("changed its input in place", "in_place", mistake=IN_PLACE))
            continue
        upstream, z = call.args
        slopes = [finite_difference(upstream, z, a) for a in FD_ALPHAS]
        scale = float(np.sum(np.abs(upstream) * np.abs(z))) + 1.0
        if actual.shape != ():
            problems.append(problem(f"returned an array of shape {actual.shape}; dL/dalpha is one "
                                    "number, since one alpha is shared by every element of z", "shape",
                                    expected=f"{slopes[0]:.6g}", actual=show(actual)))
            continue
        value = float(actual)
        if not all(abs(value - s) <= 1e-6 * scale for s in slopes):
            problems.append(problem("returned a wrong value: it does not match the finite-difference "
                                    f"slope (L(alpha + h) - L(alpha - h)) / 2h at alpha = {FD_ALPHAS[0]}", "value",
                                    expected=f"{slopes[0]:.10g} (finite differences)",
                                    actual=f"{value:.10g}"))
    return problems


def _example(rng: np.random.Generator) -> list[Call]:
    return [_call(np.array([1.0]), np.array([-2.0]), "the source's z = -2, upstream 1"),
            _call(np.array([1.0, 1.0]), np.array([3.0, -2.0]), "z = 3 and z = -2, upstream 1"),
            _call(np.array([0.5, -2.0, 4.0]), np.array([-1.0, -0.5, 2.0]))]


def _one_d(rng: np.random.Generator) -> list[Call]:
    z = rng.normal(0, 2, 9)
    z[[2, 5]] = 0.0
    return [_call(rng.normal(0, 1, 9), z),
            _call(rng.normal(0, 1, 20), rng.normal(0, 1, 20))]


def _layer(rng: np.random.Generator) -> list[Call]:
    return [_call(rng.normal(0, 1, (5, 3)), rng.normal(0, 1, (5, 3)), "a batch of 5 rows, 3 units"),
            _call(rng.normal(0, 1, (4, 4)), rng.normal(0, 1, (4, 4)), "a batch of 4 rows, 4 units"),
            _call(rng.normal(0, 1, (2, 3, 4)), rng.normal(0, 1, (2, 3, 4)), "a 3-D array")]


def _signs(rng: np.random.Generator) -> list[Call]:
    return [_call(rng.normal(0, 1, 6), rng.uniform(0.1, 3, 6), "every z > 0"),
            _call(rng.normal(0, 1, 6), -rng.uniform(0.1, 3, 6), "every z < 0"),
            _call(np.array([2.0, -1.0, 3.0]), np.zeros(3), "every z = 0")]


def _m(name: str, message: str, hint: str, impl=None, detect=None, kinds=()) -> Mistake:
    return Mistake(name, message, hint=hint, impl=impl, detect=detect, kinds=kinds)


PRELU_ALPHA_GRAD = Exercise(
    id="prelu_alpha_grad", notebook="04_leaky_relu", points=3,
    description="dL/dalpha of PReLU with one alpha shared by all of z: sum(upstream * min(z, 0))",
    signature="prelu_alpha_grad(upstream, z)", reference=ref.prelu_alpha_grad, output="scalar",
    groups=(
        Group("the source's example and small worked cases", _example, judge=_judge),
        Group("fresh random 1-D arrays (with some z = 0)", _one_d, judge=_judge),
        Group("a layer's pre-activations: 2-D and 3-D arrays", _layer, judge=_judge),
        Group("all z > 0, all z < 0, all z = 0", _signs, judge=_judge),
    ),
    hint="Differentiate f(z) with respect to alpha for one element first: where does f depend "
         "on alpha, and how? Then the chain rule: alpha is one number used by every element.",
    hints=("df/dalpha is z where z <= 0 and 0 elsewhere, that is min(z, 0). Multiply by upstream "
           "element-wise, and add the contributions of all elements.",
           "return np.sum(upstream * np.minimum(z, 0))"),
    mistakes=(
        _m("not summed", "You returned upstream * min(z, 0) element by element. alpha is one "
           "number shared by every element, so its gradient adds all their contributions.",
           "Wrap the product in np.sum(...).",
           impl=lambda u, z: np.asarray(u) * np.minimum(z, 0)),
        _m("one alpha per unit", "You summed over the first axis only, which gives one gradient per "
           "unit (column): that is channel-wise PReLU, with one alpha per unit. Here one alpha is "
           "shared by every element.", "np.sum without axis= adds over every element.",
           impl=lambda u, z: np.sum(np.asarray(u) * np.minimum(z, 0), axis=0)),
        _m("upstream ignored", "You returned sum(min(z, 0)): the chain rule multiplies df/dalpha "
           "by the upstream gradient dL/df first.", "np.sum(upstream * np.minimum(z, 0)).",
           impl=lambda u, z: np.sum(np.minimum(z, 0))),
        _m("every z, not only z <= 0", "You returned sum(upstream * z): alpha only multiplies the "
           "negative part of z; for z > 0, f(z) = z does not depend on alpha.",
           "Keep z where z <= 0 and use 0 elsewhere: np.minimum(z, 0).",
           impl=lambda u, z: np.sum(np.asarray(u) * np.asarray(z))),
        _m("the positive side", "You used max(z, 0): alpha lives on the negative side, where f(z) = alpha * z.",
           "np.minimum(z, 0), not np.maximum.",
           impl=lambda u, z: np.sum(np.asarray(u) * np.maximum(z, 0))),
        _m("indicator instead of z", "You returned sum(upstream * [z <= 0]): that counts where alpha "
           "acts. The derivative of alpha * z with respect to alpha is z itself.",
           "Multiply by z where z <= 0: np.minimum(z, 0).",
           impl=lambda u, z: np.sum(np.asarray(u) * (np.asarray(z) <= 0))),
        _m("mean instead of sum", "You averaged the contributions; the chain rule adds them "
           "(any averaging is already inside upstream, from the loss).", "np.sum, not np.mean.",
           impl=lambda u, z: np.mean(np.asarray(u) * np.minimum(z, 0))),
        _m("sign flipped", "Your gradient has the wrong sign: where z < 0, raising alpha makes "
           "f(z) = alpha * z more negative, so df/dalpha = z < 0.", "No minus sign, no abs.",
           impl=lambda u, z: -np.sum(np.asarray(u) * np.minimum(z, 0))),
        _m("product of sums", "You multiplied sum(upstream) by sum(min(z, 0)): the chain rule pairs "
           "each upstream value with its own z before adding.",
           "Multiply element-wise first, then sum: np.sum(upstream * np.minimum(z, 0)).",
           impl=lambda u, z: np.sum(u) * np.sum(np.minimum(z, 0))),
        _m("matrix product", "np.dot(upstream, ...) is a matrix product for 2-D arrays: it pairs rows "
           "with columns instead of each element with its own.",
           "Use element-wise upstream * np.minimum(z, 0), then np.sum (or np.vdot, which flattens).",
           detect=either(raises("not aligned", "mismatch in its core dimension"),
                         returns(lambda u, z: np.dot(u, np.minimum(z, 0))),
                         returns(lambda u, z: np.sum(np.dot(u, np.minimum(z, 0))))),
           kinds=("error", "shape", "value")),
        SCALAR_ONLY,
    ),
)

EXERCISES = (PRELU_ALPHA_GRAD,)
