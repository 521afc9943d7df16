"""The command line: ``python -m checks grade | gradescope-bundle | solutions``.

Exit status: 0 whenever grading ran (whatever the submissions did), 2 for a usage error,
3 when the grader itself failed on some submission (its row says "grader fault").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from checks.grader import bubblewrap, gradebook, gradescope, grading, outputs, report, solutions
from checks.grader.grading import ERROR, GRADED, INCOMPLETE, MISSING, Run, SubmissionResult
from checks.grader.outputs import OutputFolder
from checks.grader.protocol import Limits
from checks.grader.report import plural
from checks.grader.submissions import UsageError, find, one_submission, read_roster

USAGE_ERROR, GRADER_FAULT = 2, 3
COURSE_NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"


class ProgressBar:
    """``[#####.....] 12/100 alice`` on one line of a terminal; nothing when not a terminal."""

    def __init__(self, total: int, stream: TextIO = sys.stderr, width: int = 30):
        self.total, self.stream, self.width, self.done = total, stream, width, 0
        self.shown = stream.isatty()

    def advance(self, label: str) -> None:
        self.done += 1
        if self.shown:
            filled = self.width * self.done // max(self.total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
                              f"{self.done}/{self.total} {label[:30]:<30}")
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def summary(run: Run) -> str:
    """One line on how the run went."""
    counted = [r for r in run.results if r.counted]
    statuses = [r.status for r in run.results]
    handed_in = len(run.results) - statuses.count(MISSING)
    top = max((r.max_total for r in run.results), default=0.0)
    mean = sum(r.total for r in counted) / len(counted) if counted else 0.0
    rate = handed_in / run.seconds if run.seconds else 0.0
    parts = [f"{statuses.count(GRADED)} graded"]
    if statuses.count(INCOMPLETE):
        parts.append(f"{statuses.count(INCOMPLETE)} graded in part")
    parts.append(f"{statuses.count(ERROR)} errors")
    if statuses.count(MISSING):
        parts.append(f"{statuses.count(MISSING)} missing from the roster")
    line = (f"{plural(handed_in, 'submission')} in {run.seconds:.1f} s ({rate:.1f} per second): "
            f"{', '.join(parts)}; mean score {mean:.2f} / {top:g}; seed {run.seed}.")
    if run.faults:
        line += f" The grader failed on {run.faults} submission(s): see their rows."
    return line


def _grade(submissions: list, args: argparse.Namespace, roster: list[str] | None = None) -> Run:
    bar = ProgressBar(len(submissions))

    def on_result(result: SubmissionResult) -> None:
        bar.advance(result.student)

    try:
        return grading.grade(submissions, limits=Limits.for_timeout(args.timeout), jobs=args.jobs,
                             seed=args.seed, on_result=on_result, roster=roster)
    finally:
        bar.close()


def grade_command(args: argparse.Namespace) -> int:
    """Grade the paths into ``--out``, or one Gradescope submission."""
    if args.gradescope is not None:
        return gradescope_command(args)
    roster = read_roster(Path(args.roster)) if args.roster else None
    target = gradebook.target(Path(args.nbgrader_gradebook), args.assignment) if args.nbgrader_gradebook else None
    found = find([Path(p) for p in args.paths])
    if target is not None:
        found = gradebook.only_assignment(found, target.assignment)
        if not found:
            raise UsageError(f"no notebook in an {target.assignment}/ folder of a student: give nbgrader's "
                             "submitted/ folder (submitted/<student>/<assignment>/<notebook>.ipynb)")
    out = Path(args.out)
    with OutputFolder.prepare(out, files=outputs.OUT_FILES + report.FILES, folders=(outputs.FEEDBACK,)) as folder:
        run = _grade(found, args, roster)
        written = outputs.write(folder, run)
        report.write(folder, run)
    print(summary(run))
    print(f"Sandbox: {bubblewrap.sandbox_kind().description}.")
    print(f"Wrote {out / 'grades.csv'}, {out / 'results.json'}, {out / 'report.md'} and "
          f"{written} feedback files in {out / outputs.FEEDBACK}.")
    if target is not None:
        print(gradebook.write(run, target))
    return GRADER_FAULT if run.faults else 0


def gradescope_command(args: argparse.Namespace) -> int:
    folder = Path(args.gradescope)
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    submission = one_submission(folder)
    run = _grade([submission], args) if submission.notebooks else Run([], [], 0, 0.0)
    target = Path(args.out) / "results.json" if args.out else gradescope.RESULTS
    target.parent.mkdir(parents=True, exist_ok=True)
    outputs.atomic_write(target, json.dumps(gradescope.results(run), indent=1, ensure_ascii=False) + "\n")
    print(summary(run) if run.results else "No notebook found in the submission.")
    print(f"Sandbox: {bubblewrap.sandbox_kind().description}.")
    return GRADER_FAULT if run.faults else 0


def bundle_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    outputs.atomic_write(out, gradescope.bundle())
    print(f"Wrote {out}: upload it as the autograder of a Gradescope programming assignment "
          "(Ubuntu 24.04 base image).")
    return 0


def solutions_command(args: argparse.Namespace) -> int:
    written = solutions.write(COURSE_NOTEBOOKS, Path(args.out))
    print(f"Wrote the solved edition of {len(written)} notebooks into {args.out}.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m checks", description="Grade the course's notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade submitted notebooks in sandboxes")
    grade.add_argument("paths", nargs="*", metavar="PATH",
                       help="a notebook, or a folder of notebooks or of one folder per student")
    grade.add_argument("--out", metavar="DIR", help="where to write grades.csv, results.json, "
                       "feedback/ and report.md (with --gradescope: where to write results.json)")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="submissions graded at once (default: the number of cores)")
    grade.add_argument("--timeout", type=float, default=Limits.exercise_seconds, metavar="SECONDS",
                       help="wall-clock limit per exercise (default %(default)g); a submission "
                            "gets six times as long in all")
    grade.add_argument("--seed", type=int, metavar="N", help="seed of the random inputs: the same "
                       "submissions and seed give the same results")
    grade.add_argument("--roster", metavar="FILE", help="the learners expected: one id per line, or a "
                       "CSV file with an id column; each one without a submission gets a row "
                       "with status `missing`")
    grade.add_argument("--nbgrader-gradebook", metavar="DB", help="also write the scores and "
                       "feedback into this nbgrader gradebook (gradebook.db), with --assignment; "
                       "PATH is then nbgrader's submitted/ folder")
    grade.add_argument("--assignment", metavar="NAME", help="the nbgrader assignment graded "
                       "(with --nbgrader-gradebook)")
    grade.add_argument("--gradescope", nargs="?", const=str(gradescope.SUBMISSION), metavar="FOLDER",
                       help="grade one Gradescope submission (default folder %(const)s) and write "
                            f"Gradescope's results.json (default {gradescope.RESULTS})")
    grade.set_defaults(run=grade_command)
    bundle = commands.add_parser("gradescope-bundle", help="build the Gradescope autograder zip")
    bundle.add_argument("--out", required=True, metavar="ZIP")
    bundle.set_defaults(run=bundle_command)
    solved = commands.add_parser("solutions", help="write the solved edition of the notebooks")
    solved.add_argument("--out", required=True, metavar="DIR")
    solved.set_defaults(run=solutions_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "grade" and args.gradescope is None and not (args.paths and args.out):
        parser.error("grade needs at least one PATH and --out DIR (or --gradescope)")
    if args.command == "grade" and args.gradescope is not None and args.paths:
        parser.error("grade --gradescope takes its folder after --gradescope, and no PATH")
    if args.command == "grade" and bool(args.nbgrader_gradebook) != bool(args.assignment):
        parser.error("--nbgrader-gradebook and --assignment go together")
    if args.command == "grade" and args.gradescope is not None and (args.roster or args.nbgrader_gradebook):
        parser.error("grade --gradescope grades one submission: no --roster or --nbgrader-gradebook")
    if args.command == "grade" and (args.jobs < 1 or args.timeout <= 0):
        parser.error("--jobs must be at least 1 and --timeout positive")
    if args.command in ("grade", "solutions") and args.out and Path(args.out).is_file():
        parser.error(f"--out {args.out} is a file; give a folder")
    try:
        return args.run(args)
    except UsageError as error:
        print(f"python -m checks: {error}", file=sys.stderr)
        return USAGE_ERROR
    except solutions.NotAStub as error:
        print(f"python -m checks solutions: {error}", file=sys.stderr)
        return USAGE_ERROR
