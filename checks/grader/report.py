"""The instructor's report of a run: report.md with two figures, scores.png and exercises.png.

It answers: how did the class do (the distribution of totals), which exercises were hard
(pass rates), and what went wrong most often in each (the diagnosed mistakes, by name).
Figures are drawn with Matplotlib's Agg canvas directly: no display, no global backend.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from checks.grader.bubblewrap import sandbox_kind
from checks.grader.grading import ERROR, GRADED, INCOMPLETE, MISSING, NOT_GRADED, NOT_SUBMITTED, Run
from checks.grader.outputs import OutputFolder, literal
from checks.registry import EXERCISES
from checks.result import NOT_ATTEMPTED

SCORES_PNG, EXERCISES_PNG = "scores.png", "exercises.png"
FILES = ("report.md", SCORES_PNG, EXERCISES_PNG)
TOP_MISTAKES = 3


@dataclass
class ExerciseSummary:
    """How the submissions that hold this exercise's notebook, read and graded, did on it."""

    exercise: str
    points: float
    submissions: int
    passed: int
    not_attempted: int
    mean_score: float
    mistakes: list[tuple[str, int]]       # the most frequent diagnosed mistakes, by name

    def share(self, count: int) -> str:
        return f"{100 * count / self.submissions:.0f} %" if self.submissions else "–"


def summarize(run: Run) -> list[ExerciseSummary]:
    """Each exercise, over the learners who handed in its notebook and whose notebook was read."""
    summaries = []
    for key in run.exercises:
        results = [r.exercises[key] for r in run.results
                   if r.exercises[key].status not in (NOT_SUBMITTED, NOT_GRADED)]
        mistakes = Counter(r.failure["mistake"] for r in results if r.failure and r.failure.get("mistake"))
        summaries.append(ExerciseSummary(
            key, EXERCISES[key].points, len(results), sum(r.passed for r in results),
            sum(r.status == NOT_ATTEMPTED for r in results),
            float(np.mean([r.score for r in results])) if results else 0.0,
            mistakes.most_common(TOP_MISTAKES)))
    return summaries


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def draw_scores(run: Run) -> bytes:
    """A histogram of the graded submissions' totals (those graded in part too)."""
    totals = [r.total for r in run.results if r.counted]
    top = max((r.max_total for r in run.results), default=0.0) or 1.0
    figure = Figure(figsize=(6.4, 3.6))
    axes = figure.add_subplot()
    axes.hist(totals, bins=np.linspace(0, top, min(int(top), 20) + 1), color="#4c72b0", edgecolor="white")
    if totals:
        axes.axvline(float(np.mean(totals)), color="#c44e52", linestyle="--",
                     label=f"mean {np.mean(totals):.1f}")
        axes.legend()
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set(title=f"Total scores of {len(totals)} graded submissions",
             xlabel=f"total score (points, out of {top:g})", ylabel="submissions", xlim=(0, top))
    return _png(figure)


def draw_exercises(summaries: list[ExerciseSummary]) -> bytes:
    """For each exercise, the share of submissions that passed, failed, or did not attempt it."""
    figure = Figure(figsize=(6.4, 0.45 * len(summaries) + 2.2))
    axes = figure.add_subplot()
    names = [s.exercise for s in summaries][::-1]
    total = [max(s.submissions, 1) for s in summaries][::-1]
    passed = np.array([s.passed for s in summaries][::-1]) / total * 100
    skipped = np.array([s.not_attempted for s in summaries][::-1]) / total * 100
    failed = 100 - passed - skipped
    axes.barh(names, passed, color="#55a868", label="passed")
    axes.barh(names, failed, left=passed, color="#c44e52", label="failed")
    axes.barh(names, skipped, left=passed + failed, color="#bbbbbb", label="not attempted")
    axes.set(xlabel="share of the submissions that hold the exercise (%)", xlim=(0, 100))
    axes.set_title("Outcome per exercise", pad=22)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize="small", frameon=False)
    return _png(figure)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _overview(run: Run) -> list[str]:
    counted = [r.total for r in run.results if r.counted]
    top = max((r.max_total for r in run.results), default=0.0)
    by_status = Counter(r.status for r in run.results)
    handed_in = len(run.results) - by_status[MISSING]
    parts = [f"{by_status[GRADED]} graded"]
    if by_status[INCOMPLETE]:
        parts.append(f"{by_status[INCOMPLETE]} graded in part (a notebook could not be read)")
    parts.append(f"{by_status[ERROR]} with errors")
    if by_status[MISSING]:
        parts.append(f"{by_status[MISSING]} on the roster missing")
    lines = [f"{plural(handed_in, 'submission')} graded on {time.strftime('%Y-%m-%d %H:%M')} "
             f"in {run.seconds:.1f} s: {', '.join(parts)}. The random inputs came from seed "
             f"{run.seed}: run again with `--seed {run.seed}` to reproduce these results.", "",
             f"Sandbox: {sandbox_kind().description}.", ""]
    if counted:
        lines += [f"Total scores: mean {np.mean(counted):.2f}, median {np.median(counted):g}, lowest "
                  f"{min(counted):g}, highest {max(counted):g}, out of {top:g}.", ""]
    return lines + [f"![Distribution of total scores]({SCORES_PNG})", ""]


def _exercises(summaries: list[ExerciseSummary]) -> list[str]:
    if not summaries:
        return ["No exercise was graded: no submission holds an exercise cell.", ""]
    lines = ["Each exercise counts the learners who handed in its notebook, and whose notebook could "
             "be read.", "",
             "| exercise | points | handed in | mean score | passed | not attempted | most frequent mistakes |",
             "|---|---|---|---|---|---|---|"]
    for s in summaries:
        mistakes = "; ".join(f"{s.share(n)} {name}" for name, n in s.mistakes) or "–"
        lines.append(f"| `{s.exercise}` | {s.points:g} | {s.submissions} | {s.mean_score:.2f} | "
                     f"{s.share(s.passed)} | {s.share(s.not_attempted)} | {mistakes} |")
    return lines + ["", f"![Outcome per exercise]({EXERCISES_PNG})", ""]


def _mistakes(summaries: list[ExerciseSummary]) -> list[str]:
    lines = []
    for s in summaries:
        for name, count in s.mistakes:
            message = next((m.message for m in EXERCISES[s.exercise].mistakes if m.name == name), "")
            lines.append(f"- **{s.share(count)}** ({count} of {s.submissions}) made the mistake "
                         f"*{name}* in `{s.exercise}`: {message}")
    return (lines or ["No known mistake was diagnosed."]) + [""]


def _problems(run: Run) -> list[str]:
    """Every submission that was not graded whole, and why; who is missing; who is not listed.

    Ids, paths and errors come from the learners (a file name is theirs to choose): each is
    shown through ``literal``, never as Markdown."""
    lines = []
    for r in run.results:
        if r.status == MISSING:
            lines.append(f"- {literal(r.student)}: missing: on the roster, but nothing was handed in.")
        elif r.error:
            lines.append(f"- {literal(r.student)} ({literal(r.path)}): {r.status}: {literal(r.error)}")
    if run.unlisted:
        lines.append(f"- Not on the roster, graded all the same: {', '.join(map(literal, run.unlisted))}.")
    return ["## Submissions with problems", "", *lines, ""] if lines else []


def markdown(run: Run, summaries: list[ExerciseSummary]) -> str:
    """report.md: the overview, each exercise, the frequent mistakes, the submissions with problems."""
    lines = ["# Grading report", "", *_overview(run), "## Exercises", "", *_exercises(summaries),
             "## Most frequent mistakes", "", *_mistakes(summaries), *_problems(run)]
    return "\n".join(lines).rstrip("\n") + "\n"


def write(out: OutputFolder, run: Run) -> None:
    """Write report.md and its figures into ``out``, each replaced whole."""
    summaries = summarize(run)
    out.write(SCORES_PNG, draw_scores(run))
    if summaries:
        out.write(EXERCISES_PNG, draw_exercises(summaries))
    out.write("report.md", markdown(run, summaries))
