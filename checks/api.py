"""What a learner calls in a notebook: ``check``, ``hint``, ``show_solution`` and ``progress``."""

from __future__ import annotations

import inspect
import os
from typing import Any

from checks import cells, engine, progress_store
from checks.core import Exercise
from checks.registry import EXERCISES
from checks.result import FAILED, CheckResult
from checks.runner import run_calls

TIME_LIMIT = 2.0
_hints_shown: dict[str, int] = {}          # exercise id -> the highest hint level shown
_passed: dict[str, Any] = {}               # exercise id -> the function that passed its last check


class Markdown:
    """Text that JupyterLab renders as Markdown and a terminal prints as it is."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def under_nbgrader() -> bool:
    """Whether nbgrader (``autograde`` or ``validate``) runs this kernel: ``NBGRADER_EXECUTION``
    is set now, or was in the environment the process started with (``/proc/self/environ`` on
    Linux), so a notebook that deletes the variable still gets nbgrader's partial credit, not
    full marks."""
    if os.environ.get("NBGRADER_EXECUTION"):
        return True
    try:
        with open("/proc/self/environ", "rb") as environ:
            started_with = environ.read().split(b"\0")
    except OSError:
        return False
    return any(v.startswith(b"NBGRADER_EXECUTION=") and len(v) > len(b"NBGRADER_EXECUTION=")
               for v in started_with)


def _exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISES:
        raise KeyError(f"no exercise called {exercise_id!r}; the exercises are: "
                       + ", ".join(EXERCISES))
    return EXERCISES[exercise_id]


def passed_function(exercise_id: str) -> Any:
    """The function object that passed the last recorded ``check`` of ``exercise_id`` in this
    kernel, or None (never checked, or its last check failed). ``checks.experiments.use`` runs
    it in the experiments; a function defined again after its check is another object."""
    return _passed.get(_exercise(exercise_id).id)


def check(exercise_id: str, candidate: Any, *, seed: int | None = None,
          time_limit: float = TIME_LIMIT, record: bool = True) -> CheckResult | float:
    """Check ``candidate`` against exercise ``exercise_id`` and explain what is right and wrong.

    Never raises because of the candidate, and returns within ``time_limit`` seconds plus the
    time of one NumPy operation. Under nbgrader's autograder (``NBGRADER_EXECUTION`` set) the
    feedback is displayed and the score returned as a plain float, which nbgrader uses as
    partial credit. ``seed`` fixes the random inputs; ``record=False`` leaves the learner's
    progress file alone, and the function the experiments run (for demonstrations). A recorded
    check that passes makes ``candidate`` the function ``use`` returns for this exercise; one
    that fails makes it the reference's again.
    """
    exercise = _exercise(exercise_id)
    facts = cells.facts_of(candidate, exercise.name) if callable(candidate) else None
    refused = cells.refusal(facts, exercise.name, cells.earlier_exercises(exercise.id))
    if not callable(candidate):
        result = CheckResult.not_a_function(exercise, type(candidate).__name__)
    elif cells.from_answer_key(candidate):
        result = CheckResult.refused(exercise, cells.answer_key_message(exercise.name))
    elif refused is not None:
        result = CheckResult.refused(exercise, refused)
    else:
        calls = engine.plan(exercise, seed)
        flat = [c for group in calls for c in group]
        outcomes_flat = run_calls(candidate, flat, time_limit)
        outcomes, start = [], 0
        for group in calls:
            outcomes.append(outcomes_flat[start:start + len(group)])
            start += len(group)
        result = engine.evaluate(exercise, calls, outcomes, facts=facts)
    if result.status == FAILED:
        result.next_step = next_hint(exercise)
    if record:
        progress_store.record(result)
        _passed.pop(exercise.id, None)
        if result.passed:
            _passed[exercise.id] = candidate
    if under_nbgrader():
        from IPython.display import display
        display(result)
        return min(float(result.score), float(exercise.points))
    return result


LEVEL_NAMES = {1: "a nudge", 2: "a more specific pointer", 3: "the key line"}


def next_hint(exercise: Exercise) -> str:
    """What a failed check suggests next: the hint level after the last one shown, then the
    model solution."""
    level = _hints_shown.get(exercise.id, 0) + 1
    if level > len(exercise.hint_levels):
        return f'Still stuck? `show_solution("{exercise.id}")` shows a model solution.'
    call = f'hint("{exercise.id}")' if level == 1 else f'hint("{exercise.id}", {level})'
    return f"{'Stuck' if level == 1 else 'Still stuck'}? `{call}` gives {LEVEL_NAMES.get(level, 'more')}."


def hint(exercise_id: str, level: int = 1) -> Markdown:
    """A hint for the exercise: level 1 the idea (no code), 2 a more specific pointer, 3 the key
    line; ``show_solution`` comes last."""
    exercise = _exercise(exercise_id)
    levels = exercise.hint_levels
    if not isinstance(level, int) or level < 1:
        raise ValueError(f"hint levels start at 1: hint({exercise_id!r}), hint({exercise_id!r}, 2), ...")
    level = min(level, len(levels))
    _hints_shown[exercise.id] = max(_hints_shown.get(exercise.id, 0), level)
    if level < len(levels):
        more = f'More: `hint("{exercise.id}", {level + 1})`.'
    else:
        more = f'Last resort: `show_solution("{exercise.id}")`.'
    title = f"Hint {level} of {len(levels)} for `{exercise.signature}`"
    text = levels[level - 1]
    if level == len(levels) and level > 1:
        text = f"`{text}`" if "\n" not in text and "`" not in text else text
    return Markdown(f"**{title}:** {text}\n\n{more}")


def solution_source(exercise_id: str) -> str:
    """The reference solution's source code (the answer key)."""
    return inspect.getsource(_exercise(exercise_id).reference)


def solution_code(exercise_id: str) -> str:
    """The reference solution as code that runs pasted into an exercise cell: with the imports
    and helpers it needs (NumPy as ``np`` is every notebook's own)."""
    from checks.grader.solutions import solution_code as with_what_it_needs

    return with_what_it_needs(_exercise(exercise_id))


def show_solution(exercise_id: str) -> Markdown:
    """The reference solution, for self-study: try the exercise and the hints first."""
    return Markdown(f"**A model solution for `{_exercise(exercise_id).signature}`:**\n\n"
                    f"```python\n{solution_code(exercise_id)}```")


def progress() -> progress_store.Progress:
    """Which exercises of the whole course you have passed."""
    return progress_store.progress()
