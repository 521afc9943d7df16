"""Every exercise of the course, by id, in course order.

To add an exercise, declare it in the module of its topic under ``checks/exercises/`` and list
it in that module's ``EXERCISES``; a new topic module is added to ``_MODULES`` below.
"""

from __future__ import annotations

from checks.core import Exercise
from checks.exercises import activations, diagnostics, initialization, piecewise

_MODULES = (activations, piecewise, diagnostics, initialization)

EXERCISES: dict[str, Exercise] = {}
for _module in _MODULES:
    for _exercise in _module.EXERCISES:
        if _exercise.id in EXERCISES:
            raise ValueError(f"exercise id {_exercise.id!r} is declared twice")
        EXERCISES[_exercise.id] = _exercise
EXERCISES = dict(sorted(EXERCISES.items(), key=lambda item: item[1].notebook))
