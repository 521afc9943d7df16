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
from dataclasses import dataclass, field
from typing import Any, Callable

from checks.grader.plans import ExercisePlan, plan_run
from checks.grader.protocol import Limits, Step
from checks.grader.running import StepReport, run_notebook
from checks.grader.submissions import Submission
from checks.grader.verdicts import judge, missing_cell
from checks.grader.workers import Worker
from checks.core import Exercise
from checks.registry import EXERCISES
from checks.result import CheckResult, full_stop

# A submission's status: everything it holds was graded; some notebook of it could not be read
# (the rest was graded); nothing of it could be graded; on the roster, but nothing was handed in.
GRADED, INCOMPLETE, ERROR, MISSING = "graded", "incomplete", "error", "missing"
# An exercise's status, besides a check's own (passed, failed, not attempted): its notebook was
# not handed in; it was not graded (its notebook could not be read, or the grader failed on it).
NOT_SUBMITTED, NOT_GRADED = "not submitted", "not graded"


@dataclass
class SubmissionResult:
    """One submission's grade: a result per exercise, and whether all of it could be read."""

    student: str
    path: str
    status: str
    error: str | None
    exercises: dict[str, CheckResult]
    faults: int = 0                        # exercises the grader failed to judge

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


    @property
    def counted(self) -> bool:
        """Whether its total is a grade: it was graded, if only in part."""
        return self.status in (GRADED, INCOMPLETE)


@dataclass
class Run:
    """A batch graded: its results in student order, and what is needed to reproduce it."""

    results: list[SubmissionResult]
    exercises: list[str]
    seed: int
    seconds: float
    faults: int = 0
    unlisted: list[str] = field(default_factory=list)     # graded, but not on the roster


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


def not_graded(exercise: Exercise, reason: str) -> CheckResult:
    """The result of an exercise that was not graded, and why (in a sentence)."""
    return CheckResult(exercise.id, False, 0.0, float(exercise.points), [full_stop(f"Not graded: {reason}")],
                       status=NOT_GRADED)


def not_submitted(exercise: Exercise) -> CheckResult:
    return CheckResult(exercise.id, False, 0.0, float(exercise.points),
                       [f"Not submitted: the notebook `{exercise.notebook}`, which holds this exercise, "
                        "was not handed in."], status=NOT_SUBMITTED)


def _judged(plan: ExercisePlan, report: StepReport, faults: list[str]) -> CheckResult:
    """``judge``, with a failure of the grader's own costing only this exercise."""
    try:
        return judge(plan, report)
    except Exception as error:  # noqa: BLE001 - the grader's fault, confined to one exercise
        traceback.print_exc(file=sys.stderr)
        faults.append(f"{plan.exercise.id}: {type(error).__name__}: {error}")
        return not_graded(plan.exercise, f"the grader failed while judging your answer "
                                         f"({type(error).__name__}); your instructor sees this in "
                                         "the report; it is not your mistake")


def _ungraded(submission: Submission, plans: dict[str, ExercisePlan]) -> dict[str, CheckResult]:
    """The exercises that cannot be graded in ``submission``: not handed in, or in a notebook
    that could not be read."""
    course = {exercise.notebook for exercise in EXERCISES.values()}
    unknown = sorted(name for name in submission.unreadable if name not in course)
    readable = submission.course_notebooks() - submission.unreadable
    found = {}
    for key, plan in plans.items():
        notebook = plan.exercise.notebook
        if notebook in readable:
            continue
        if notebook in submission.unreadable or unknown:
            which = notebook if notebook in submission.unreadable else unknown[0]
            found[key] = not_graded(plan.exercise, f"the notebook `{which}.ipynb` could not be read "
                                                   "(see above).")
        else:
            found[key] = not_submitted(plan.exercise)
    return found


def grade_submission(submission: Submission, plans: dict[str, ExercisePlan], worker: Worker,
                     limits: Limits) -> SubmissionResult:
    """Grade one submission that has been read (``Submission.read``)."""
    deadline = time.monotonic() + limits.submission_seconds
    steps_of, cells_of = _steps(submission, plans)
    results: dict[str, CheckResult] = _ungraded(submission, plans)
    faults: list[str] = []
    for steps in steps_of.values():
        for step, report in zip(steps, run_notebook(worker, steps, limits, deadline)):
            if step.exercise is not None:
                results[step.exercise.id] = _judged(plans[step.exercise.id], report, faults)
    for key, plan in plans.items():
        if key not in results:
            results[key] = missing_cell(plan.exercise)
        elif key in cells_of and len(cells_of[key]) > 1:
            where = ", ".join(f"cell {c.cell} of {c.notebook.name}" for c in cells_of[key])
            results[key].messages.append(f"Note: your submission has {len(cells_of[key])} exercise "
                                         f"cells for `{key}` ({where}); the last one was graded.")
    problems = submission.errors + [f"grader fault while judging {fault}" for fault in faults]
    return SubmissionResult(submission.student, str(submission.path),
                            INCOMPLETE if submission.errors else GRADED, "; ".join(problems) or None,
                            {key: results[key] for key in plans}, faults=len(faults))


def _failed(submission: Submission, plans: dict[str, ExercisePlan], reason: str) -> SubmissionResult:
    results = {key: not_graded(plan.exercise, reason) for key, plan in plans.items()}
    return SubmissionResult(submission.student, str(submission.path), ERROR, reason, results)


def missing(student: str, exercises: list[str]) -> SubmissionResult:
    """The row of a student on the roster who handed in nothing."""
    return SubmissionResult(student, "", MISSING, "nothing was handed in",
                            {key: not_submitted(EXERCISES[key]) for key in exercises})


# ----------------------------------------------------------------------------- a batch

def exercises_for(submissions: list[Submission]) -> list[str]:
    """The exercises a batch is graded on: those of every course notebook any submission is for."""
    notebooks = set().union(*(s.course_notebooks() for s in submissions))
    return [key for key, exercise in EXERCISES.items() if exercise.notebook in notebooks]


def grade(submissions: list[Submission], *, limits: Limits, jobs: int = 2, seed: int | None = None,
          on_result: Callable[[SubmissionResult], None] | None = None,
          roster: list[str] | None = None) -> Run:
    """Read and grade ``submissions``, ``jobs`` at a time; results in student order. A student
    on ``roster`` without a submission gets a ``missing`` row."""
    started = time.monotonic()
    for submission in submissions:
        submission.read()
    run_seed = secrets.randbits(32) if seed is None else seed
    exercises = exercises_for(submissions)
    plans = plan_run(exercises, run_seed)
    workers: queue.Queue[Worker] = queue.Queue()
    faults = []

    def grade_one(submission: Submission) -> SubmissionResult:
        if not submission.gradable:
            return _failed(submission, plans, "; ".join(submission.errors) or "no notebook")
        worker = workers.get()
        try:
            return grade_submission(submission, plans, worker, limits)
        except Exception as error:  # noqa: BLE001 - one submission's fault is the grader's
            faults.append(submission.student)
            traceback.print_exc(file=sys.stderr)
            return _failed(submission, plans, f"grader fault: {type(error).__name__}: {error}")
        finally:
            workers.put(worker)

    jobs = max(1, min(jobs, len(submissions) or 1))
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
    handed_in = {result.student for result in results}
    results += [missing(student, exercises) for student in roster or () if student not in handed_in]
    results.sort(key=lambda result: result.student)
    unlisted = sorted(handed_in - set(roster)) if roster is not None else []
    return Run(results, exercises, run_seed, time.monotonic() - started,
               len(faults) + sum(1 for r in results if r.faults), unlisted)
