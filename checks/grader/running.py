"""Running one notebook's exercise cells in the sandbox, and starting again after a fault.

A job runs every exercise cell of a notebook in order; the sandbox reports each cell, then the
calls of each graded cell. When a limit stops it (or it stops by itself), the step it was on
gets the fault, in words, and the job is run again from the next step; a cell that could not
be run is left out of the runs after it.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field

from checks.grader import protocol
from checks.grader.protocol import Limits, Malformed, Step
from checks.grader.workers import Worker


class SandboxBroken(Exception):
    """The sandbox could not be set up: the grader's fault, not the submission's."""


@dataclass
class StepReport:
    """What the sandbox reported about one step (one exercise cell) of a job."""

    cell: dict = field(default_factory=dict)
    calls: dict | None = None
    fault: str | None = None
    fault_in_cell: bool = False
    source: str | None = None           # the exercise cell's source, read by checks.cells


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


def _apply(payloads: list[bytes], order: list[tuple[int, str]],
           reports: list[StepReport]) -> tuple[int, bool]:
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
                found = data.get("found")
                if found not in ("missing", "value", "function") or (
                        found == "value" and not isinstance(data.get("type"), str)):
                    raise Malformed("calls reported in an unknown way")
                reports[step].calls = data
        except Malformed:
            return received, True
    return len(payloads) - 1, False


def run_notebook(worker: Worker, steps: list[Step], limits: Limits, deadline: float) -> list[StepReport]:
    """Run a notebook's steps in the sandbox until each has been reported or has a fault."""
    reports = [StepReport(source=step.source) for step in steps]
    start, skip = 0, set()
    while order := protocol.expected_frames(steps, start, skip):
        seconds = deadline - time.monotonic()
        if seconds > 0:
            payloads, ending = worker.run(protocol.job(steps, start, skip, limits, seconds), {
                "total_seconds": seconds, "exercise_seconds": limits.exercise_seconds,
                "output_bytes": limits.output_bytes})
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


