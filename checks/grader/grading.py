"""Grading a batch of submissions: plan the calls, run them in sandboxes, judge the answers.

The calls of each exercise are planned once per run (fresh random inputs unless the run is
seeded, plus the fixed cases) and their expected answers computed once, here, in the grader.
Each notebook of a submission is one sandbox job; what comes back is judged by
``checks.engine.evaluate``, the same code that judges ``check`` in a notebook, so a grade and
a notebook check agree. A sandbox stopped by a limit loses only the exercise it was running:
the job is run again from the next exercise, without the cell that could not be run.
"""

from __future__ import annotations

import hashlib
import queue
import secrets
import signal
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable

from checks import engine
from checks.core import Call, Exercise
from checks.grader import protocol
from checks.grader.protocol import Limits, Malformed, Step
from checks.grader.submissions import Submission
from checks.grader.workers import Worker
from checks.registry import EXERCISES
from checks.result import CheckResult

GRADED, ERROR = "graded", "error"


class SandboxBroken(Exception):
    """The sandbox could not be set up: the grader's fault, not the submission's."""


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


@dataclass
class _StepReport:
    """What the sandbox reported about one step (one exercise cell) of a job."""

    cell: dict = field(default_factory=dict)
    calls: dict | None = None
    fault: str | None = None
    fault_in_cell: bool = False


# ----------------------------------------------------------------------------- faults

def describe(ending: dict, limits: Limits) -> str:
    """How a sandbox that stopped early ended, as the rest of a sentence about the learner's code."""
    how = ending.get("how")
    if how == "timeout" and ending.get("scope") == "submission":
        return (f"did not finish within the {limits.submission_seconds:g} s that a whole "
                "submission may take")
    if how == "timeout":
        return (f"did not finish within the time limit ({limits.exercise_seconds:g} s): "
                "is there a loop that never ends?")
    if how == "output":
        return f"sent more than {limits.output_bytes >> 20} MB of answers and printed text"
    if how == "signal":
        number = ending.get("signal")
        if number == signal.SIGXCPU:
            return "used up its CPU time"
        if number == signal.SIGKILL:
            return "was killed: it used too much memory or CPU time"
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        return f"crashed ({name})"
    if how == "exit":
        return f"ended the grading process (exit code {ending.get('code')}: os._exit, or a crash)"
    if how == "malformed":
        return "wrote into the grader's channel"
    return "stopped the grading process"


# ----------------------------------------------------------------------------- running a notebook

def _apply(payloads: list[bytes], order: list[tuple[int, str]],
           reports: list[_StepReport]) -> tuple[int, bool]:
    """Store the frames of one job run in ``reports``: how many matched ``order``, and whether
    a frame that did not (a malformed one) stopped the reading.

    Raises SandboxBroken when the child did not get as far as running learner code.
    """
    if not payloads:
        raise SandboxBroken("the sandbox ended before it was ready")
    try:
        first = protocol.parse(payloads[0])
    except Malformed:
        first = {"phase": "unreadable"}
    if first["phase"] != "ready":
        raise SandboxBroken(str(first.get("error", "the sandbox did not start"))[:500])
    for received, payload in enumerate(payloads[1:]):
        try:
            data = protocol.parse(payload)
            if received >= len(order) or (data.get("step"), data["phase"]) != order[received]:
                raise Malformed("a frame out of order")
            step, phase = order[received]
            if phase == "cell":
                defined = data.get("defined")
                if not isinstance(defined, list) or not all(isinstance(d, str) for d in defined):
                    raise Malformed("defined names that are not a list of text")
                reports[step].cell = {"error": protocol.text(data, "error", 500), "defined": defined[:10],
                                      "not_implemented": protocol.flag(data, "not_implemented")}
            else:
                reports[step].calls = data
        except Malformed:
            return received, True
    return len(payloads) - 1, False


def run_notebook(worker: Worker, steps: list[Step], limits: Limits, deadline: float) -> list[_StepReport]:
    """Run a notebook's steps in the sandbox until each has been reported or has a fault."""
    reports = [_StepReport() for _ in steps]
    start, skip = 0, set()
    while order := protocol.expected_frames(steps, start, skip):
        seconds = deadline - time.monotonic()
        if seconds > 0:
            payloads, ending = worker.run(protocol.job(steps, start, skip, limits, seconds),
                                          seconds, limits.output_bytes)
            received, malformed = _apply(payloads, order, reports)
            if received == len(order):
                break
            if malformed:
                ending = {"how": "malformed"}
        else:
            ending, received = {"how": "timeout", "scope": "submission"}, 0
        step, phase = order[received]
        reports[step].fault, reports[step].fault_in_cell = describe(ending, limits), phase == "cell"
        if phase == "cell":
            skip.add(step)
        start = step + 1
    return reports


# ----------------------------------------------------------------------------- judging

def _group(outcomes: list, calls: list[list[Call]]) -> list[list]:
    grouped, start = [], 0
    for group in calls:
        grouped.append(outcomes[start:start + len(group)])
        start += len(group)
    return grouped


def _sentence(text: str) -> str:
    return text if text.endswith(("?", ".")) else text + "."


def _missing_function(exercise: Exercise, report: _StepReport) -> CheckResult:
    if report.cell.get("not_implemented"):
        return CheckResult.not_attempted(exercise)
    text = f"Your exercise cell does not define `{exercise.name}`: the exercise asks for `{exercise.signature}`."
    if report.cell["defined"]:
        text += (" It defines " + ", ".join(f"`{name[:60]}`" for name in report.cell["defined"])
                 + ": check the name.")
    if report.cell.get("error"):
        text += _sentence(f" Running the cell failed: {report.cell['error']}")
    return CheckResult.refused(exercise, text)


def judge(plan: ExercisePlan, report: _StepReport) -> CheckResult:
    """The result of one exercise from what the sandbox reported about its step."""
    exercise = plan.exercise
    if report.fault is not None:
        if report.fault_in_cell:
            return CheckResult.refused(exercise, _sentence(f"Your exercise cell {report.fault}") +
                                       " The grader skipped this cell and went on with the next ones.")
        return CheckResult.refused(exercise, _sentence(f"Grading `{exercise.name}` stopped: your "
                                                       f"code {report.fault}"))
    found = report.calls.get("found")
    if found == "missing":
        return _missing_function(exercise, report)
    if found == "value":
        return CheckResult.not_a_function(exercise, protocol.text(report.calls, "type", 100) or "value")
    try:
        outcomes = protocol.decode_outcomes(report.calls, plan.flat_calls)
    except Malformed:
        return judge(plan, _StepReport(report.cell, fault=describe({"how": "malformed"}, Limits())))
    result = engine.evaluate(exercise, plan.calls, _group(outcomes, plan.calls), plan.expected)
    if report.cell.get("error"):
        result.messages.append(f"Note: running your exercise cell failed ({report.cell['error']}); "
                               f"the function `{exercise.name}` it defined was graded all the same.")
    return result


def missing_cell(exercise: Exercise) -> CheckResult:
    return CheckResult.refused(
        exercise, f"No exercise cell for `{exercise.signature}` was found in your notebook: it was "
                  "deleted, or its metadata was lost (a cell pasted into another notebook loses it). "
                  "Copy your code into the exercise cell of the course's notebook.")


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
    plans = {key: ExercisePlan.make(EXERCISES[key], exercise_seed(run_seed, key)) for key in exercises}
    workers: queue.Queue[Worker] = queue.Queue()
    faults = []

    def grade_one(submission: Submission) -> SubmissionResult:
        if not submission.cells and submission.errors:
            result = _failed(submission, plans, "; ".join(submission.errors))
        else:
            worker = workers.get()
            try:
                result = grade_submission(submission, plans, worker, limits)
            except Exception as error:  # noqa: BLE001 - one submission's fault is the grader's
                faults.append(submission.student)
                traceback.print_exc(file=sys.stderr)
                result = _failed(submission, plans, f"grader fault: {type(error).__name__}: {error}")
            finally:
                workers.put(worker)
        if on_result is not None:
            on_result(result)
        return result

    jobs = max(1, min(jobs, len(submissions)))
    for _ in range(jobs):
        workers.put(Worker())
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(grade_one, submissions))
    finally:
        while not workers.empty():
            workers.get().close()
    return Run(results, exercises, run_seed, time.monotonic() - started, len(faults))
