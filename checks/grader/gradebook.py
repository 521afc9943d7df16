"""The grader's scores and feedback written into nbgrader's gradebook, the trusted way to grade
inside nbgrader (README, "Grading with nbgrader").

    python -m checks grade course/submitted --out grades \
        --nbgrader-gradebook course/gradebook.db --assignment ps1

nbgrader's own ``autograde`` runs a learner's notebook in one kernel with its check cells, so a
learner's code can change what those cells report. Here every exercise is graded in the
grader's sandbox instead, and its score goes into the gradebook as the check cell's
``auto_score`` (as ``nbgrader autograde`` would store it; an instructor's manual score still
wins), its feedback as the exercise cell's ``auto_comment``: formgrader, ``nbgrader export`` and
``generate_feedback`` keep working on trusted numbers. Run it after ``nbgrader autograde`` (which
would overwrite these scores again).

The submissions are nbgrader's layout, ``submitted/<student>/<assignment>/<notebook>.ipynb``:
only the assignment's notebooks are graded. nbgrader is imported only here, and only when asked
for: the course does not depend on it.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from checks.grader.grading import MISSING, Run, not_submitted
from checks.grader.outputs import headline, markdown_line
from checks.grader.submissions import Submission, UsageError
from checks.registry import EXERCISES

CHECK_SUFFIX = "-check"            # a check cell's grade_id: the exercise id and this


@dataclass(frozen=True)
class Target:
    """An assignment in an nbgrader gradebook, checked to exist before anything is graded."""

    path: Path
    assignment: str
    course_id: str


def target(path: Path, assignment: str) -> Target:
    """The gradebook's ``assignment``, or UsageError: nbgrader missing, no such file or assignment."""
    try:
        import nbgrader.api  # noqa: F401 - only to know that it can be imported
    except ImportError:
        raise UsageError("--nbgrader-gradebook needs nbgrader, which cannot be imported by this Python "
                         "(pip install nbgrader==0.9.6, or run the grader with nbgrader's Python)") from None
    if not path.is_file():
        raise UsageError(f"--nbgrader-gradebook {path}: no such file (nbgrader's gradebook.db, written "
                         "by `nbgrader generate_assignment` in the course folder)")
    uri = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute("SELECT name, course_id FROM assignment").fetchall()
    except sqlite3.Error as error:
        raise UsageError(f"--nbgrader-gradebook {path}: not an nbgrader gradebook ({error})") from None
    courses = {name: course for name, course in rows}
    if assignment not in courses:
        raise UsageError(f"--assignment {assignment}: no such assignment in {path}; it has: "
                         + (", ".join(sorted(courses)) or "none (run `nbgrader generate_assignment`)"))
    return Target(path, assignment, courses[assignment])


def only_assignment(submissions: list[Submission], assignment: str) -> list[Submission]:
    """Each submission with only the notebooks in its ``<assignment>/`` folder (nbgrader's
    layout); those without any are left out."""
    kept = []
    for submission in submissions:
        notebooks = [n for n in submission.notebooks
                     if n.relative_to(submission.path).parts[:1] == (assignment,)]
        if notebooks:
            submission.notebooks = notebooks
            kept.append(submission)
    return kept


def feedback(check) -> str:
    """An exercise's auto_comment: its headline and messages, one line each, the learner's text
    in them never read as Markdown (formgrader and nbgrader's feedback render comments)."""
    return "\n".join(markdown_line(line) for line in [headline(check), *check.messages])


def write(run: Run, where: Target) -> str:
    """Store every graded row's scores and feedback; a line saying what was written."""
    from nbgrader.api import Gradebook, MissingEntry

    written = students = 0
    others: set[str] = set()
    with Gradebook(f"sqlite:///{where.path.resolve()}", where.course_id) as gradebook:
        for cell in (c for n in gradebook.find_assignment(where.assignment).notebooks for c in n.grade_cells):
            exercise = EXERCISES.get(cell.name.removesuffix(CHECK_SUFFIX))
            if exercise is not None and cell.name.endswith(CHECK_SUFFIX) and cell.max_score != exercise.points:
                raise UsageError(f"{where.path}: the check cell {cell.name} of {where.assignment} is worth "
                                 f"{cell.max_score:g} points in the gradebook, the exercise {exercise.points:g}")
        for result in run.results:
            if result.status == MISSING:
                continue
            gradebook.update_or_create_student(result.student)
            try:
                submission = gradebook.find_submission(where.assignment, result.student)
            except MissingEntry:
                submission = gradebook.add_submission(where.assignment, result.student)
            students += 1
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    key = grade.name.removesuffix(CHECK_SUFFIX)
                    if key not in EXERCISES or not grade.name.endswith(CHECK_SUFFIX):
                        others.add(grade.name)
                        continue
                    check = result.exercises.get(key) or not_submitted(EXERCISES[key])
                    grade.auto_score = check.score
                    grade.needs_manual_grade = grade.manual_score is not None
                    written += 1
                for comment in notebook.comments:
                    if comment.name in EXERCISES:
                        check = result.exercises.get(comment.name) or not_submitted(EXERCISES[comment.name])
                        comment.auto_comment = feedback(check)
            gradebook.db.commit()
    line = (f"Wrote {written} scores of {students} students into {where.path} "
            f"(assignment {where.assignment}).")
    if others:
        line += f" Grade cells that are not the course's checks were left as they were: {', '.join(sorted(others))}."
    return line
