"""Finding the submissions in the paths an instructor names, and reading their exercise cells.

A notebook named on the command line, or lying directly in a named folder, is one student's
submission, the student id being its file name without ``.ipynb``. A notebook further down
belongs to the student whose folder (directly in the named folder) holds it: a student's
folder may hold several notebooks of the course, graded as one submission.

Inside a named folder nothing is followed: a symbolic link to a folder is reported, never
walked, and a notebook that is not a regular file is reported by ``notebooks``. Two
submissions with the same id (``trent.ipynb`` beside a folder ``trent/``, or the same file
name in two named folders) are never merged: that id gets one row saying why neither was graded.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from checks.grader.notebooks import ExerciseCell, NotebookError, exercise_cells
from checks.registry import EXERCISES

CHECKPOINTS = ".ipynb_checkpoints"
ROSTER_COLUMNS = ("id", "student", "student_id", "learner", "username")    # any case
MAX_ROSTER_BYTES = 10 << 20


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
    refused: list[str] = field(default_factory=list)        # found while finding it: never read
    unread: list[Path] = field(default_factory=list)        # the notebooks that could not be read

    def read(self) -> None:
        """Collect the exercise cells of every notebook; note each notebook that cannot be read."""
        self.cells, self.errors, self.unread = [], list(self.refused), []
        for notebook in self.notebooks:
            try:
                self.cells.extend(exercise_cells(notebook))
            except NotebookError as error:
                self.errors.append(f"{notebook.name}: {error}")
                self.unread.append(notebook)

    @property
    def unreadable(self) -> set[str]:
        """The names (without .ipynb) of the notebooks that could not be read."""
        return {path.stem for path in self.unread}

    @property
    def gradable(self) -> bool:
        """Whether any notebook of it could be read (its exercise cells may all be deleted)."""
        return len(self.unread) < len(self.notebooks)

    def course_notebooks(self) -> set[str]:
        """The course's notebooks this submission is for: by the exercise cells it holds, and by
        its files' names (so a notebook whose exercise cells were all deleted still counts)."""
        course = {exercise.notebook for exercise in EXERCISES.values()}
        return ({EXERCISES[cell.exercise].notebook for cell in self.cells}
                | {path.stem for path in self.notebooks if path.stem in course})


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as found:
            return sorted(found, key=lambda entry: entry.name)
    except OSError as error:
        raise UsageError(f"{folder}: cannot be read ({error.strerror})") from None


def _is_linked_folder(entry: os.DirEntry) -> bool:
    return entry.is_symlink() and os.path.isdir(entry.path)


def _below(folder: Path, refused: list[str], top: Path) -> list[Path]:
    """The notebooks below a student's folder (any kind of file named *.ipynb: ``notebooks``
    refuses what is not a regular file); links to folders go to ``refused``, unwalked."""
    found = []
    for entry in _entries(folder):
        path = Path(entry.path)
        if entry.name.endswith(".ipynb") and not entry.is_dir(follow_symlinks=False):
            found.append(path)
        elif _is_linked_folder(entry):
            refused.append(f"{path.relative_to(top)}: it is a symbolic link to a folder: "
                           "nothing was read through it")
        elif entry.is_dir(follow_symlinks=False) and entry.name != CHECKPOINTS:
            found.extend(_below(path, refused, top))
    return found


def _notebooks_below(folder: Path) -> list[Path]:
    """Every notebook below ``folder`` (checkpoints and links to folders left out)."""
    return _below(folder, [], folder)


def find(paths: list[Path]) -> list[Submission]:
    """The submissions in ``paths``, by student id (notebooks of the same student together)."""
    by_student: dict[str, Submission] = {}
    origins: dict[str, set[Path]] = {}

    def add(student: str, origin: Path, notebooks: list[Path], refused: list[str] = ()) -> None:
        submission = by_student.setdefault(student, Submission(student, origin))
        origins.setdefault(student, set()).add(origin)
        submission.notebooks.extend(n for n in notebooks if n not in submission.notebooks)
        submission.refused.extend(refused)

    for path in paths:
        if path.is_dir():
            for entry in _entries(path):
                entry_path = Path(entry.path)
                if entry.name.endswith(".ipynb") and not entry.is_dir(follow_symlinks=False):
                    add(entry_path.stem, entry_path, [entry_path])
                elif _is_linked_folder(entry):
                    add(entry.name, entry_path, [], [f"{entry.name}: the student's folder is a "
                                                     "symbolic link: nothing was read through it"])
                elif entry.is_dir(follow_symlinks=False) and entry.name != CHECKPOINTS:
                    refused: list[str] = []
                    notebooks = _below(entry_path, refused, path)
                    if notebooks or refused:
                        add(entry.name, entry_path, notebooks, refused)
        elif path.exists():                     # named by the instructor: a link is followed
            real = Path(os.path.realpath(path))
            add(path.stem, real, [real])
        else:
            raise UsageError(f"{path}: no such file or folder")
    if not by_student:
        raise UsageError("no notebook (.ipynb) found in " + ", ".join(map(str, paths)))
    for student, places in origins.items():
        if len(places) > 1:
            by_student[student] = Submission(student, sorted(places)[0], refused=[
                f"{len(places)} submissions have the id {student!r} ("
                + ", ".join(str(p) + ("/" if p.is_dir() else "") for p in sorted(places))
                + "): none of them was graded, so that no student is given another's grade; "
                  "rename all but one and grade again"])
    return [by_student[student] for student in sorted(by_student)]


def one_submission(folder: Path, student: str = "submission") -> Submission:
    """Every notebook below ``folder`` as one submission (a Gradescope upload)."""
    refused: list[str] = []
    return Submission(student, folder, _below(folder, refused, folder), refused=refused)


def read_roster(path: Path) -> list[str]:
    """The learner ids of a roster: one per line (blank lines and ``#`` comments skipped), or a
    CSV file whose header has a column named id (or student, student_id, learner, username)."""
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise UsageError(f"--roster {path}: too large for a roster (over {MAX_ROSTER_BYTES >> 20} MB)")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise UsageError(f"--roster {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--roster {path}: not text (UTF-8)") from None
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and ("," in lines[0] or lines[0].lower() in ROSTER_COLUMNS):
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
        header = [name.strip().lower() for name in rows[0]]
        column = next((header.index(name) for name in ROSTER_COLUMNS if name in header), None)
        if column is None:
            raise UsageError(f"--roster {path}: a CSV roster needs a column named "
                             f"{' or '.join(ROSTER_COLUMNS)}; its columns are {', '.join(rows[0])}")
        lines = [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]
    if not lines:
        raise UsageError(f"--roster {path}: no learner id in it")
    return list(dict.fromkeys(lines))
