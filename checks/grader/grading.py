"""Grading a batch of submissions, ``jobs`` at a time: each submission's result, in order.

The calls of each exercise are planned once per run (``plans``); each notebook of a submission
is one sandbox job (``running``); what comes back is judged by the notebook's own check
(``verdicts``), so a grade and a ``check`` in the notebook agree.
"""

from __future__ import annotations

import queue
import secrets
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Callable

from checks.grader.plans import ExercisePlan, plan_run
from checks.grader.protocol import Limits, Step
from checks.grader.running import run_notebook
from checks.grader.submissions import Submission
from checks.grader.verdicts import judge, missing_cell
from checks.grader.workers import Worker
from checks.registry import EXERCISES
from checks.result import CheckResult

GRADED, ERROR = "graded", "error"


@dataclass
class SubmissionResult:
    """One submission's grade: a result per exercise, and whether all of it could be read."""

    student: str
    path: str
    status: str
    error: str | None
    exercises: dict[str, CheckResult]

    @property
    def total(self) -> float:
        return round(sum(r.score for r in self.exercises.values()), 4)

    @property
    def max_total(self) -> float:
        return float(sum(r.max_score for r in self.exercises.values()))

    def to_dict(self) -> dict[str, Any]:
        """The object written to results.json."""
        return {"student": self.student, "path": self.path, "status": self.status,
                "error": self.error, "total": self.total, "max_total": self.max_total,
                "exercises": {key: result.to_dict() | {"mistake": (result.failure or {}).get("mistake")}
                              for key, result in self.exercises.items()}}


@dataclass
class Run:
    """A batch graded: its results in student order, and what is needed to reproduce it."""

    results: list[SubmissionResult]
    exercises: list[str]
    seed: int
    seconds: float
    faults: int = 0


# ----------------------------------------------------------------------------- a submission

def _steps(submission: Submission, plans: dict[str, ExercisePlan]) -> tuple[dict, dict[str, list]]:
    """The steps of each notebook, and each exercise's cells (graded: the last one of them)."""
    cells_of: dict[str, list] = {}
    for cell in submission.cells:
        cells_of.setdefault(cell.exercise, []).append(cell)
    graded = {id(cells[-1]) for key, cells in cells_of.items() if key in plans}
    steps: dict = {}
    for cell in submission.cells:
        plan = plans.get(cell.exercise) if id(cell) in graded else None
        steps.setdefault(cell.notebook, []).append(
            Step(cell.source, cell.cell, plan.exercise if plan else None, plan.encoded if plan else ()))
    return steps, cells_of


def grade_submission(submission: Submission, plans: dict[str, ExercisePlan], worker: Worker,
                     limits: Limits) -> SubmissionResult:
    """Grade one submission that has been read (``Submission.read``)."""
    deadline = time.monotonic() + limits.submission_seconds
    steps_of, cells_of = _steps(submission, plans)
    results: dict[str, CheckResult] = {}
    for steps in steps_of.values():
        for step, report in zip(steps, run_notebook(worker, steps, limits, deadline)):
            if step.exercise is not None:
                results[step.exercise.id] = judge(plans[step.exercise.id], report)
    for key, plan in plans.items():
        if key not in results:
            results[key] = missing_cell(plan.exercise)
        elif len(cells_of[key]) > 1:
            where = ", ".join(f"cell {c.cell} of {c.notebook.name}" for c in cells_of[key])
            results[key].messages.append(f"Note: your submission has {len(cells_of[key])} exercise "
                                         f"cells for `{key}` ({where}); the last one was graded.")
    error = "; ".join(submission.errors) or None
    return SubmissionResult(submission.student, str(submission.path), ERROR if error else GRADED,
                            error, {key: results[key] for key in plans})


def _failed(submission: Submission, plans: dict[str, ExercisePlan], reason: str) -> SubmissionResult:
    results = {key: CheckResult.refused(plan.exercise, f"Not graded: {reason}") for key, plan in plans.items()}
    return SubmissionResult(submission.student, str(submission.path), ERROR, reason, results)


# ----------------------------------------------------------------------------- a batch

def exercises_for(submissions: list[Submission]) -> list[str]:
    """The exercises a batch is graded on: those of every course notebook any submission is for."""
    notebooks = set().union(*(s.course_notebooks() for s in submissions))
    return [key for key, exercise in EXERCISES.items() if exercise.notebook in notebooks]


def grade(submissions: list[Submission], *, limits: Limits, jobs: int = 2, seed: int | None = None,
          on_result: Callable[[SubmissionResult], None] | None = None) -> Run:
    """Read and grade ``submissions``, ``jobs`` at a time; results in the submissions' order."""
    started = time.monotonic()
    for submission in submissions:
        submission.read()
    run_seed = secrets.randbits(32) if seed is None else seed
    exercises = exercises_for(submissions)
    plans = plan_run(exercises, run_seed)
    workers: queue.Queue[Worker] = queue.Queue()
    faults = []

    def grade_one(submission: Submission) -> SubmissionResult:
        if not submission.cells and submission.errors:
            return _failed(submission, plans, "; ".join(submission.errors))
        worker = workers.get()
        try:
            return grade_submission(submission, plans, worker, limits)
        except Exception as error:  # noqa: BLE001 - one submission's fault is the grader's
            faults.append(submission.student)
            traceback.print_exc(file=sys.stderr)
            return _failed(submission, plans, f"grader fault: {type(error).__name__}: {error}")
        finally:
            workers.put(worker)

    jobs = max(1, min(jobs, len(submissions)))
    for _ in range(jobs):
        workers.put(Worker())
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(grade_one, submission) for submission in submissions]
            for future in as_completed(futures):
                if on_result is not None:
                    on_result(future.result())
    finally:
        while not workers.empty():
            workers.get().close()
    results = [future.result() for future in futures]
    return Run(results, exercises, run_seed, time.monotonic() - started, len(faults))
