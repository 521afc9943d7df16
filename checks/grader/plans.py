"""The calls each exercise is graded on in a run, planned once, with their expected answers.

Random inputs are drawn fresh for each run from the run's seed (``--seed`` makes a run
reproducible), the fixed cases are the exercise's own; the expected answers are computed here,
in the grader, from the reference solutions, and never leave it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from checks import engine
from checks.core import Call, Exercise
from checks.grader import protocol
from checks.registry import EXERCISES


@dataclass
class ExercisePlan:
    """One exercise's calls for this run, their expected answers, and their wire form."""

    exercise: Exercise
    calls: list[list[Call]]
    expected: list[list[Any]]
    encoded: tuple[dict, ...]

    @classmethod
    def make(cls, exercise: Exercise, seed: int) -> "ExercisePlan":
        calls = engine.plan(exercise, seed)
        return cls(exercise, calls, [engine.expected_answers(exercise, group) for group in calls],
                   tuple(protocol.encode_call(c) for group in calls for c in group))

    @property
    def flat_calls(self) -> list[Call]:
        return [c for group in self.calls for c in group]


def exercise_seed(run_seed: int, exercise_id: str) -> int:
    """The seed of one exercise's random inputs in a run."""
    return int.from_bytes(hashlib.sha256(f"{run_seed}/{exercise_id}".encode()).digest()[:8], "big")


def plan_run(exercise_ids: list[str], run_seed: int) -> dict[str, ExercisePlan]:
    """The plan of every exercise of a run, by id."""
    return {key: ExercisePlan.make(EXERCISES[key], exercise_seed(run_seed, key)) for key in exercise_ids}
