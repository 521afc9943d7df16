"""An exercise's result from what the sandbox reported about its cell and its calls.

Answers that came back are judged by ``checks.engine.evaluate``, the notebook's own check, on
the planned calls and their expected answers; a cell that defined no function, defined
something else, or was stopped by a limit gets a result that says so.
"""

from __future__ import annotations

from checks import cells, engine
from checks.core import Call, Exercise
from checks.grader import protocol
from checks.grader.plans import ExercisePlan
from checks.grader.protocol import Limits, Malformed
from checks.grader.running import StepReport, describe
from checks.result import CheckResult, full_stop


def _group(outcomes: list, calls: list[list[Call]]) -> list[list]:
    grouped, start = [], 0
    for group in calls:
        grouped.append(outcomes[start:start + len(group)])
        start += len(group)
    return grouped


def _missing_function(exercise: Exercise, report: StepReport) -> CheckResult:
    if report.cell.get("not_implemented"):
        return CheckResult.not_attempted(exercise)
    text = f"Your exercise cell does not define `{exercise.name}`: the exercise asks for `{exercise.signature}`."
    if report.cell["defined"]:
        text += (" It defines " + ", ".join(f"`{name[:60]}`" for name in report.cell["defined"])
                 + ": check the name.")
    if report.cell.get("error"):
        text += full_stop(f" Running the cell failed: {report.cell['error']}")
    return CheckResult.refused(exercise, text)


def judge(plan: ExercisePlan, report: StepReport) -> CheckResult:
    """The result of one exercise from what the sandbox reported about its step.

    The exercise cell's source (``report.source``) is read as ``check`` reads it in the notebook
    (``checks.cells``): names from other cells and the answer key are refused in the same words.
    """
    exercise = plan.exercise
    if report.fault is not None:
        if report.fault_in_cell:
            return CheckResult.refused(exercise, full_stop(f"Your exercise cell {report.fault}") +
                                       " The grader skipped this cell and went on with the next ones.")
        return CheckResult.refused(exercise, full_stop(f"Grading `{exercise.name}` stopped: your "
                                                       f"code {report.fault}"))
    facts = cells.analyse(report.source, exercise.name) if report.source is not None else None
    refused = cells.refusal(facts, exercise.name, cells.earlier_exercises(exercise.id))
    if refused is not None:
        return CheckResult.refused(exercise, refused)
    found = report.calls.get("found")
    if found == "missing":
        return _missing_function(exercise, report)
    if found == "value":
        return CheckResult.not_a_function(exercise, report.calls["type"][:100])
    try:
        outcomes = protocol.decode_outcomes(report.calls, plan.flat_calls)
    except Malformed:
        return judge(plan, StepReport(report.cell, fault=describe({"how": "malformed"}, Limits())))
    result = engine.evaluate(exercise, plan.calls, _group(outcomes, plan.calls), plan.expected, facts)
    if report.cell.get("error"):
        result.messages.append(f"Note: running your exercise cell failed ({report.cell['error']}); "
                               f"the function `{exercise.name}` it defined was graded all the same.")
    return result


def missing_cell(exercise: Exercise) -> CheckResult:
    return CheckResult.refused(
        exercise, f"No exercise cell for `{exercise.signature}` was found in your notebook: it was "
                  "deleted, or its metadata was lost (a cell pasted into another notebook loses it). "
                  "Copy your code into the exercise cell of the course's notebook.")


