"""Finding the submissions in the paths an instructor names, and reading their exercise cells.

A notebook named on the command line, or lying directly in a named folder, is one student's
submission, the student id being its file name without ``.ipynb``. A notebook further down
belongs to the student whose folder (directly in the named folder) holds it: a student's
folder may hold several notebooks of the course, graded as one submission.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from checks.grader.notebooks import ExerciseCell, NotebookError, exercise_cells
from checks.registry import EXERCISES


class UsageError(Exception):
    """The paths given cannot be graded at all (missing, or holding no notebook)."""


@dataclass
class Submission:
    """One student's work, and what reading it found."""

    student: str
    path: Path
    notebooks: list[Path] = field(default_factory=list)
    cells: list[ExerciseCell] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def read(self) -> None:
        """Collect the exercise cells of every notebook; note each notebook that cannot be read."""
        self.cells, self.errors = [], []
        for notebook in self.notebooks:
            try:
                self.cells.extend(exercise_cells(notebook))
            except NotebookError as error:
                self.errors.append(f"{notebook.name}: {error}")

    def course_notebooks(self) -> set[str]:
        """The course's notebooks this submission is for: by the exercise cells it holds, and by
        its files' names (so a notebook whose exercise cells were all deleted still counts)."""
        course = {exercise.notebook for exercise in EXERCISES.values()}
        return ({EXERCISES[cell.exercise].notebook for cell in self.cells}
                | {path.stem for path in self.notebooks if path.stem in course})


def _notebooks_below(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
        found.extend(Path(root) / name for name in sorted(files) if name.endswith(".ipynb"))
    return found


def find(paths: list[Path]) -> list[Submission]:
    """The submissions in ``paths``, by student id (notebooks of the same student together)."""
    by_student: dict[str, Submission] = {}

    def add(student: str, path: Path, notebook: Path) -> None:
        by_student.setdefault(student, Submission(student, path)).notebooks.append(notebook)

    for path in paths:
        if path.is_file():
            add(path.stem, path, path)
        elif path.is_dir():
            for notebook in _notebooks_below(path):
                parts = notebook.relative_to(path).parts
                if len(parts) == 1:
                    add(notebook.stem, notebook, notebook)
                else:
                    add(parts[0], path / parts[0], notebook)
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not by_student:
        raise UsageError("no notebook (.ipynb) found in " + ", ".join(map(str, paths)))
    return [by_student[student] for student in sorted(by_student)]


def one_submission(folder: Path, student: str = "submission") -> Submission:
    """Every notebook below ``folder`` as one submission (a Gradescope upload)."""
    return Submission(student, folder, _notebooks_below(folder))
