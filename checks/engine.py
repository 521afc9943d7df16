"""Judging a learner's answers: compare with the reference, name the mistake, score by group.

The engine does not call the learner's function itself: it receives the ``Outcome`` of each
call, from ``checks.runner`` in a learner's kernel or from the grader's sandbox. That is what
lets the notebook check and the grader share one implementation of every exercise.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from checks.compare import NotAnArray, as_plain_array, finite_mask, show, tolerances, values_agree
from checks.core import Call, Exercise, Mistake, Outcome, Problem
from checks.result import CheckResult
from checks.runner import materialize

IN_PLACE = Mistake(
    "modifies its input", "Your function changed the array it was given.",
    hint="Build a new array (np.maximum, np.where and arithmetic all return new arrays) "
         "instead of assigning into z: the caller may still need z, for the backward pass.")


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


def _changed_arguments(call: Call, outcome: Outcome) -> bool:
    for before, after in zip(call.args, outcome.args_after):
        if isinstance(before, np.ndarray):
            after = np.asarray(after)
            if after.shape != before.shape or not np.array_equal(after, before, equal_nan=True):
                return True
    return False


def compare(exercise: Exercise, call: Call, outcome: Outcome, expected: Any) -> Problem | None:
    """The first thing wrong with one answer, or None when it is right."""
    def problem(what: str, **details: Any) -> Problem:
        return Problem(call.label, what, call=call, outcome=outcome, **details)

    if outcome.timed_out:
        return problem("did not finish within the time limit: is there a loop that never ends?")
    if outcome.error is not None:
        return problem(f"raised {outcome.error}")
    try:
        actual = as_plain_array(outcome.value)
    except NotAnArray as refused:
        return problem(str(refused))
    if _changed_arguments(call, outcome):
        return problem("changed its input in place", mistake=IN_PLACE)
    expected = np.asarray(expected)
    if exercise.output == "scalar" and actual.shape != ():
        return problem(f"returned an array of shape {actual.shape}; the answer is one number",
                       expected=show(expected), actual=show(actual))
    if actual.shape != expected.shape:
        return problem(f"returned shape {actual.shape}, expected shape {expected.shape}",
                       expected=show(expected), actual=show(actual))
    if exercise.output == "activation" and expected.dtype.kind == "f" and actual.dtype != expected.dtype:
        return problem(f"returned dtype {actual.dtype} for {expected.dtype} input: an activation "
                       "keeps its input's floating dtype", expected=show(expected), actual=show(actual))
    rtol, atol = tolerances(expected, actual, call.args, exercise.rtol, exercise.atol)
    if not values_agree(expected, actual, rtol, atol, finite_mask(call.args, expected.shape)):
        return problem("returned a wrong value", expected=show(expected), actual=show(actual))
    return None


def derivative_dtype_note(call: Call, outcome: Outcome, expected: Any) -> str | None:
    """A note (not a failure) when a derivative comes back boolean, integer or upcast."""
    try:
        actual = as_plain_array(outcome.value)
    except NotAnArray:
        return None
    expected = np.asarray(expected)
    if expected.ndim and actual.dtype != expected.dtype:
        return (f"For {call.label} your derivative has dtype {actual.dtype} where the input's is "
                f"{expected.dtype}. Accepted; returning the input's float dtype (e.g. "
                "`(z > 0).astype(z.dtype)`) saves a conversion in the backward pass.")
    return None


def _explains(exercise: Exercise, mistake: Mistake, problem: Problem) -> bool:
    """Whether ``mistake`` explains ``problem``: its detector fires, or its impl gives the same answer."""
    call, outcome = problem.call, problem.outcome
    try:
        if mistake.detect is not None:
            return bool(mistake.detect(call, outcome))
        if mistake.impl is None or not outcome.ok:
            return False
        actual = as_plain_array(outcome.value)
        with np.errstate(all="ignore"):
            args = tuple(materialize(a) for a in call.args)
            kwargs = {k: materialize(v) for k, v in call.kwargs.items()}
            wrong = np.asarray(mistake.impl(*args, **kwargs))
    except Exception:  # noqa: BLE001 - a mistake that cannot tell explains nothing
        return False
    rtol, atol = tolerances(wrong, actual, call.args, exercise.rtol, exercise.atol)
    return wrong.dtype.kind in "biuf" and values_agree(
        wrong, actual, rtol, atol, finite_mask(call.args, wrong.shape))


def diagnose(exercise: Exercise, problems: list[Problem]) -> Mistake | None:
    """The known mistake that explains the most failed calls (the first one declared on a tie).

    A mistake found by the comparison itself (an input changed in place, a transposed shape)
    comes first: it is certain.
    """
    if problems and problems[0].mistake is not None:
        return problems[0].mistake
    best, best_count = None, 0
    for mistake in exercise.mistakes:
        count = sum(_explains(exercise, mistake, p) for p in problems if p.call is not None)
        if count > best_count:
            best, best_count = mistake, count
    return best


def evaluate(exercise: Exercise, calls: list[list[Call]], outcomes: list[list[Outcome]],
             expected: list[list[Any]] | None = None) -> CheckResult:
    """Score the outcomes of the planned calls, group by group, into a CheckResult."""
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
            notes.extend(f"Not graded: for {p.label} your function {p.what}"
                         + (f" (reference: {p.expected})" if p.expected else "") + "."
                         for p in found[:2])
            continue
        groups.append((group.name, not found, group.weight))
        problems.extend((group.name, p) for p in found)
        if exercise.output == "derivative" and not notes:
            notes.extend(n for c, o, e in zip(group_calls, group_outcomes, group_expected)
                         if o.ok and (n := derivative_dtype_note(c, o, e)))
    for outcome in flat:
        if outcome.printed.strip():
            notes.append("Your function printed: " + outcome.printed.strip()[:300])
            break
    first = problems[0][1] if problems else None
    mistake = diagnose(exercise, [p for _, p in problems])
    explanations = {}
    if exercise.output == "answers":
        for name, problem in problems:
            explanations.setdefault(name, problem.what)
    return CheckResult.from_groups(exercise, groups, first, mistake, explanations, notes[:4])
