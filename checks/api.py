"""What a learner calls in a notebook: ``check``, ``hint``, ``show_solution`` and ``progress``."""

from __future__ import annotations

import inspect
import os
from typing import Any

from checks import engine, progress_store
from checks.core import Exercise
from checks.registry import EXERCISES
from checks.result import CheckResult
from checks.runner import run_calls

TIME_LIMIT = 2.0


class Markdown:
    """Text that JupyterLab renders as Markdown and a terminal prints as it is."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise called {exercise_id!r}; the exercises are: "
                       + ", ".join(EXERCISES))
    return EXERCISES[exercise_id]


def check(exercise_id: str, candidate: Any, *, seed: int | None = None,
          time_limit: float = TIME_LIMIT, record: bool = True) -> CheckResult | float:
    """Check ``candidate`` against exercise ``exercise_id`` and explain what is right and wrong.

    Never raises because of the candidate, and returns within ``time_limit`` seconds plus the
    time of one NumPy operation. Under nbgrader's autograder (``NBGRADER_EXECUTION`` set) the
    feedback is displayed and the score returned as a plain float, which nbgrader uses as
    partial credit. ``seed`` fixes the random inputs; ``record=False`` leaves the learner's
    progress file alone (for demonstrations).
    """
    exercise = _exercise(exercise_id)
    if not callable(candidate):
        result = CheckResult.not_a_function(exercise, type(candidate).__name__)
    else:
        calls = engine.plan(exercise, seed)
        flat = [c for group in calls for c in group]
        outcomes_flat = run_calls(candidate, flat, time_limit)
        outcomes, start = [], 0
        for group in calls:
            outcomes.append(outcomes_flat[start:start + len(group)])
            start += len(group)
        result = engine.evaluate(exercise, calls, outcomes)
    if record:
        progress_store.record(result)
    if os.environ.get("NBGRADER_EXECUTION"):
        from IPython.display import display
        display(result)
        return min(float(result.score), float(exercise.points))
    return result


def hint(exercise_id: str) -> Markdown:
    """A nudge for the exercise, without the answer."""
    exercise = _exercise(exercise_id)
    return Markdown(f"**Hint for `{exercise.signature}`:** {exercise.hint}")


def solution_source(exercise_id: str) -> str:
    """The reference solution's source code (the answer key)."""
    return inspect.getsource(_exercise(exercise_id).reference)


def show_solution(exercise_id: str) -> Markdown:
    """The reference solution, for self-study: try the exercise and the hint first."""
    return Markdown(f"**A model solution for `{_exercise(exercise_id).signature}`:**\n\n"
                    f"```python\n{solution_source(exercise_id)}```")


def progress() -> progress_store.Progress:
    """Which exercises of the whole course you have passed."""
    return progress_store.progress()
