"""Reading a submitted notebook without trusting it: its exercise cells, or why it cannot be read.

An exercise cell is a code cell whose nbgrader metadata has ``solution: true`` and a
``grade_id`` that is an exercise of the course. Nothing else of the notebook is used: check
cells (``<id>-check``), demonstrations and outputs are never run or read by the grader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from checks.registry import EXERCISES

MAX_BYTES = 20 << 20          # a notebook larger than this is not a submission


class NotebookError(Exception):
    """A file that cannot be graded, with the reason in words a learner understands."""


@dataclass(frozen=True)
class ExerciseCell:
    """The source of one exercise cell, and where it was found."""

    exercise: str
    source: str
    notebook: Path
    cell: int                 # its number in the notebook, counting from 1


def _source(cell: dict, number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"cell {number} is damaged: its source is not text")


def _is_exercise_cell(cell: dict) -> str | None:
    """The exercise id of an exercise cell, or None for any other cell."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    if cell.get("cell_type") != "code" or not isinstance(nbgrader, dict):
        return None
    grade_id = nbgrader.get("grade_id")
    if nbgrader.get("solution") is True and isinstance(grade_id, str) and grade_id in EXERCISES:
        return grade_id
    return None


def load(path: Path) -> dict:
    """The notebook's JSON, checked to be a Jupyter notebook of format 4 or later."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise NotebookError(f"it is too large to be a notebook ({size / 2**20:.0f} MB)")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise NotebookError("it is not a notebook: it is not text (UTF-8)") from None
    except json.JSONDecodeError as error:
        raise NotebookError(f"it is not a notebook: it is not valid JSON ({error.msg} at line "
                            f"{error.lineno}, column {error.colno}); was it saved completely?") from None
    except OSError as error:
        raise NotebookError(f"it cannot be read ({error.strerror})") from None
    if not isinstance(data, dict):
        raise NotebookError("it is not a Jupyter notebook (its JSON is not an object)")
    version = data.get("nbformat")
    if isinstance(version, int) and version < 4:
        raise NotebookError(f"it is in the old notebook format {version}: open it in Jupyter "
                            "and save it again to convert it to format 4")
    if not isinstance(version, int) or not isinstance(data.get("cells"), list):
        raise NotebookError("it is not a Jupyter notebook (no nbformat version or no cells)")
    return data


def exercise_cells(path: Path) -> list[ExerciseCell]:
    """The notebook's exercise cells, in order; NotebookError when it cannot be graded."""
    cells = []
    for number, cell in enumerate(load(path)["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is damaged: it is not a cell")
        exercise = _is_exercise_cell(cell)
        if exercise is not None:
            cells.append(ExerciseCell(exercise, _source(cell, number), path, number))
    return cells
