"""Judging a learner's answers: compare with the reference, name the mistake, score by group.

The engine does not call the learner's function itself: it receives the ``Outcome`` of each
call, from ``checks.runner`` in a learner's kernel or from the grader's sandbox. That is what
lets the notebook check and the grader share one implementation of every exercise.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from checks.cells import CellFacts
from checks.compare import (NotAnArray, as_plain_array, first_mismatch, graded_mask, show, tolerances,
                            values_agree)
from checks.core import Call, Exercise, Mistake, Outcome, Problem
from checks.result import CheckResult, full_stop
from checks.runner import materialize


def _raises(*fragments: str):
    return lambda call, outcome: outcome.error is not None and any(f in outcome.error for f in fragments)


IN_PLACE = Mistake(
    "modifies its input", "Your function changed the array it was given.",
    hint="Build a new array (np.maximum, np.where and arithmetic all return new arrays) "
         "instead of assigning into an argument (x[...] = ..., x *= ..., out=x): the caller may "
         "still need it, for the backward pass.",
    kinds=("in_place",), detect=lambda call, outcome: True)

# Mistakes any exercise can make, recognised after the exercise's own (see ``diagnose``).
ASSIGNS_INTO_A_NUMBER = Mistake(
    "assigns into its input",
    "Your function assigns into z by index (z[...] = ..., or out=z), which a single number "
    "(np.float64(-2.0), a Python float) does not allow; on an array it would change the "
    "caller's z.", hint="Compute a new array from z instead: np.maximum, np.where and "
                        "arithmetic all return one, for single numbers too.",
    kinds=("error",), detect=_raises("does not support item assignment", "return arrays must be of ArrayType",
                                     "is not writeable", "read-only"))
ONE_NUMBER_FUNCTION = Mistake(
    "a one-number function on an array",
    "A function of Python's `math` module (or float(z)) takes one number: on an array it fails.",
    hint="Use NumPy's element-wise functions (np.exp, np.sqrt, np.tanh, ...), which work on "
         "arrays of any shape and on single numbers.",
    kinds=("error",), detect=_raises("arrays can be converted to Python scalars",
                                     "must be real number, not numpy.ndarray"))
ARRAY_METHOD_ON_A_NUMBER = Mistake(
    "array methods on a Python number",
    "Your function calls an array method (.astype, .copy, .shape ...) on a plain Python number, "
    "which has none.", hint="Start with z = np.asarray(z): then every array method works, for a "
                            "single number too.",
    kinds=("error",), detect=_raises("'float' object has no attribute", "'int' object has no attribute"))
DTYPE_CHANGED = Mistake(
    "another float dtype than its input's",
    "Your values are right, but your function returns another float dtype than its input's "
    "(float64 for float32 input): something converts z, such as np.asarray(z, dtype=float), "
    ".astype(float) or a np.float64 constant.",
    hint="Compute with z itself and plain Python numbers (alpha * z, np.maximum(z, 0)): NumPy then "
         "keeps z's dtype.", kinds=("dtype",))
NAN_FROM_INFINITY = Mistake(
    "NaN from an infinite input",
    "Your function returns NaN for an infinite input where the answer is a number: arithmetic "
    "such as z * (z > 0) or z + abs(z) computes 0 * inf or inf - inf there, which are NaN.",
    hint="Choose between values (np.maximum, np.where) instead of multiplying by a mask or "
         "adding opposite infinities.", kinds=("value",))
GENERIC = (ASSIGNS_INTO_A_NUMBER, ONE_NUMBER_FUNCTION, ARRAY_METHOD_ON_A_NUMBER, DTYPE_CHANGED,
           NAN_FROM_INFINITY)

NUMPY_NAME = {"fabs": "abs", "pow": "power", "fmod": "fmod", "log": "log", "erf": "vectorize(math.erf)"}


def plan(exercise: Exercise, seed: int | None = None) -> list[list[Call]]:
    """The calls to make, group by group; random inputs are drawn fresh unless seeded."""
    rng = np.random.default_rng(seed)
    return [group.make_calls(rng) for group in exercise.groups]


def expected_answers(exercise: Exercise, calls: list[Call]) -> list[Any]:
    """The reference's answer to each call, on its own copies of the inputs."""
    answers = []
    for call in calls:
        with np.errstate(all="ignore"):
            args = tuple(materialize(a) for a in call.args)
            kwargs = {k: materialize(v) for k, v in call.kwargs.items()}
            answers.append(exercise.reference(*args, **kwargs))
    return answers


def changed_arguments(call: Call, outcome: Outcome) -> bool:
    """Whether the call left one of its array arguments changed."""
    for before, after in zip(call.args, outcome.args_after):
        if isinstance(before, np.ndarray):
            after = np.asarray(after)
            if after.shape != before.shape or not np.array_equal(after, before, equal_nan=True):
                return True
    return False


def _changed_names(exercise: Exercise, call: Call, outcome: Outcome) -> str:
    """" dA" (with a leading space): the names, from the signature, of the arguments the call
    changed; "" when they cannot be told."""
    names = [n.split("=")[0].strip() for n in exercise.signature.split("(", 1)[-1].rstrip(")").split(",")]
    changed = []
    for name, before, after in zip(names, call.args, outcome.args_after):
        if isinstance(before, np.ndarray):
            after = np.asarray(after)
            if after.shape != before.shape or not np.array_equal(after, before, equal_nan=True):
                changed.append(name)
    return " " + " and ".join(changed) if changed and all(n.isidentifier() for n in changed) else ""


def _input_name(call: Call) -> str:
    head = call.label.split(" = ")[0]
    return head if re.fullmatch(r"[A-Za-z_]\w*", head) else "input"


def _scalar(value: Any) -> str:
    return np.array2string(np.asarray(value), precision=6) if np.ndim(value) == 0 else repr(value)


def _elementwise(call: Call, shape: tuple) -> bool:
    """Whether the answer can be read element by element against the first argument: every
    array argument has the answer's shape (relu(z), leaky_relu(z, alpha)), unlike, say, a
    weight gradient computed from X, Z and dA of other shapes."""
    arrays = [np.asarray(a) for a in call.args if isinstance(a, (np.ndarray, list, tuple))]
    return bool(arrays) and all(a.shape == shape for a in arrays)


def _where_wrong(call: Call, expected: np.ndarray, actual: np.ndarray, rtol: float, atol: Any,
                 mask: np.ndarray | None) -> str:
    """Which element is wrong, when the answer has more than one: at which input value for an
    element-wise answer, else at which position of the result."""
    if expected.size < 2 or not call.args:
        return ""
    if not _elementwise(call, expected.shape):
        index = first_mismatch(expected, actual, rtol, atol)
        if index is None:
            return ""
        return (f" at position {list(index)} of the result (shape {expected.shape}): "
                f"{_scalar(actual[index])} instead of {_scalar(expected[index])}")
    first = np.asarray(call.args[0])
    index = first_mismatch(expected, actual, rtol, atol, mask)
    if index is None:
        return ""
    return (f" at {_input_name(call)} = {_scalar(first[index])}: {_scalar(actual[index])} "
            f"instead of {_scalar(expected[index])}")


def compare(exercise: Exercise, call: Call, outcome: Outcome, expected: Any) -> Problem | None:
    """The first thing wrong with one answer, or None when it is right; its ``kind`` says what
    sort of failure it is (an exception, a changed input, a wrong shape, dtype or value)."""
    def problem(what: str, kind: str, **details: Any) -> Problem:
        return Problem(call.label, what, kind, call=call, outcome=outcome, **details)

    if outcome.timed_out:
        return problem("did not finish within the time limit: is there a loop that never ends?", "timeout")
    if outcome.error is not None:
        return problem(f"raised {outcome.error}", "error")
    try:
        actual = as_plain_array(outcome.value)
    except NotAnArray as refused:
        return problem(str(refused), "type")
    if changed_arguments(call, outcome):
        return problem(f"changed its input{_changed_names(exercise, call, outcome)} in place", "in_place",
                       mistake=IN_PLACE)
    expected = np.asarray(expected)
    if exercise.output == "scalar" and actual.shape != ():
        return problem(f"returned an array of shape {actual.shape}; the answer is one number", "shape",
                       expected=show(expected), actual=show(actual))
    if actual.shape != expected.shape:
        return problem(f"returned shape {actual.shape}, expected shape {expected.shape}", "shape",
                       expected=show(expected), actual=show(actual))
    if exercise.output == "activation" and expected.dtype.kind == "f" and actual.dtype != expected.dtype:
        return problem(f"returned dtype {actual.dtype} for {expected.dtype} input: an activation "
                       "keeps its input's floating dtype", "dtype", expected=show(expected), actual=show(actual))
    rtol, atol = tolerances(expected, actual, call.args, exercise.rtol, exercise.atol, exercise.cancels)
    mask = graded_mask(call.args, expected.shape)
    if not values_agree(expected, actual, rtol, atol, mask):
        return problem("returned a wrong value" + _where_wrong(call, expected, actual, rtol, atol, mask),
                       "value", expected=show(expected), actual=show(actual))
    return None


def derivative_dtype_note(exercise: Exercise, call: Call, outcome: Outcome, expected: Any) -> str | None:
    """A note (not a failure) when a derivative comes back boolean, integer or upcast."""
    try:
        actual = as_plain_array(outcome.value)
    except NotAnArray:
        return None
    expected = np.asarray(expected)
    if expected.ndim and actual.dtype != expected.dtype:
        tip = f" ({exercise.dtype_tip})" if exercise.dtype_tip else ""
        return (f"For {call.label} your derivative has dtype {actual.dtype} where the input's is "
                f"{expected.dtype}. Accepted; returning the input's float dtype{tip} saves a "
                "conversion in the backward pass.")
    return None


def _reference_answer(call: Call, impl: Any) -> np.ndarray:
    with np.errstate(all="ignore"):
        args = tuple(materialize(a) for a in call.args)
        kwargs = {k: materialize(v) for k, v in call.kwargs.items()}
        return np.asarray(impl(*args, **kwargs))


def _generic_detect(exercise: Exercise, mistake: Mistake, problem: Problem) -> bool:
    """The detectors of the generic mistakes that need the exercise's reference answer."""
    call, outcome = problem.call, problem.outcome
    actual = as_plain_array(outcome.value)
    first = np.asarray(call.args[0]) if call.args else np.asarray(0.0)
    if mistake is DTYPE_CHANGED:
        expected = _reference_answer(call, exercise.reference)
        rtol, atol = tolerances(expected, actual.astype(expected.dtype), call.args, 1e-5, 1e-6,
                                exercise.cancels)
        return (actual.dtype.kind == "f" and expected.dtype.kind == "f"
                and values_agree(expected, actual, max(rtol, 1e-5), atol, graded_mask(call.args, expected.shape)))
    if mistake is NAN_FROM_INFINITY:
        expected = _reference_answer(call, exercise.reference)
        if first.shape != actual.shape or first.dtype.kind != "f":
            return False
        return bool(np.any(np.isinf(first) & np.isnan(actual) & ~np.isnan(expected)))
    return False


def explains(exercise: Exercise, mistake: Mistake, problem: Problem) -> bool:
    """Whether ``mistake`` explains ``problem``: a failure of a kind it can explain, on which its
    detector fires or its impl gives the same answer."""
    call, outcome = problem.call, problem.outcome
    if call is None or outcome is None or problem.kind not in mistake.explains_kinds:
        return False
    try:
        if mistake.detect is not None:
            return bool(mistake.detect(call, outcome))
        if mistake.impl is None:
            return _generic_detect(exercise, mistake, problem)
        actual = as_plain_array(outcome.value)
        wrong = _reference_answer(call, mistake.impl)
    except Exception:  # noqa: BLE001 - a mistake that cannot tell explains nothing
        return False
    rtol, atol = tolerances(wrong, actual, call.args, exercise.rtol, exercise.atol, exercise.cancels)
    return wrong.dtype.kind in "biuf" and values_agree(
        wrong, actual, rtol, atol, graded_mask(call.args, wrong.shape))


def _specific(mistake: Mistake, facts: CellFacts | None) -> Mistake:
    """The generic one-number mistake named after the math function the cell calls."""
    if mistake is ONE_NUMBER_FUNCTION and facts is not None and facts.math_functions:
        name = facts.math_functions[0]
        numpy = NUMPY_NAME.get(name, name)
        return dataclasses.replace(mistake, message=f"math.{name} takes one number; use np.{numpy}, "
                                                    "which works element by element on arrays of any shape.")
    return mistake


def diagnose(exercise: Exercise, problems: list[Problem], facts: CellFacts | None = None) -> Mistake | None:
    """The known mistake that explains the most failed calls (the first one declared on a tie).

    A mistake found by the comparison itself (an input changed in place, a transposed shape)
    comes first: it is certain. Then the exercise's own mistakes and the generic ones compete,
    each only on the kinds of failure it can explain; a mistake that explains fewer than half of
    the failed calls is a coincidence, not a diagnosis (a constant 0 equals many wrong formulas
    somewhere).
    """
    certain = [p.mistake for p in problems if p.mistake is not None]
    if certain:
        return max(certain, key=lambda m: (certain.count(m), -certain.index(m)))
    best, best_count = None, 0
    for mistake in (*exercise.mistakes, *GENERIC):
        count = sum(explains(exercise, mistake, p) for p in problems)
        if count > best_count:
            best, best_count = mistake, count
    if best is None or 2 * best_count < len(problems):
        return None
    return _specific(best, facts)


def evaluate(exercise: Exercise, calls: list[list[Call]], outcomes: list[list[Outcome]],
             expected: list[list[Any]] | None = None, facts: CellFacts | None = None) -> CheckResult:
    """Score the outcomes of the planned calls, group by group, into a CheckResult.

    ``facts`` (from ``checks.cells``) name the math function a failure comes from.
    """
    if expected is None:
        expected = [expected_answers(exercise, group_calls) for group_calls in calls]
    flat = [o for group_outcomes in outcomes for o in group_outcomes]
    if flat and all(o.not_implemented for o in flat):
        return CheckResult.not_attempted(exercise)

    groups, problems, notes = [], [], []
    for group, group_calls, group_outcomes, group_expected in zip(
            exercise.groups, calls, outcomes, expected):
        if group.judge is not None:
            found = group.judge(group_calls, group_outcomes, group_expected)
        else:
            found = [p for c, o, e in zip(group_calls, group_outcomes, group_expected)
                     if (p := compare(exercise, c, o, e)) is not None]
        if group.note_only:
            notes.extend(full_stop(f"Not graded: for {p.label} your function {p.what}"
                                   + (f" (reference: {p.expected})" if p.expected else ""))
                         for p in found[:2])
            continue
        groups.append((group.name, not found, group.weight))
        problems.extend((group.name, p) for p in found)
        if exercise.output == "derivative" and not notes:
            wrong = {id(p.call) for p in found}
            notes.extend(n for c, o, e in zip(group_calls, group_outcomes, group_expected)
                         if o.ok and id(c) not in wrong and (n := derivative_dtype_note(exercise, c, o, e)))
    for outcome in flat:
        if outcome.printed.strip():
            notes.append("Your function printed: " + outcome.printed.strip()[:300])
            break
    first = problems[0][1] if problems else None
    mistake = diagnose(exercise, [p for _, p in problems], facts)
    explanations = {}
    if exercise.output == "answers":
        for name, problem in problems:
            explanations.setdefault(name, problem.what)
    return CheckResult.from_groups(exercise, groups, first, mistake, explanations, notes[:4])
