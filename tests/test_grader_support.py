"""Helpers for the grader's tests (no tests here): notebooks made with nbformat, and grading runs.

A test builds submissions as a learner would hand them in: a notebook whose exercise cells
carry nbgrader metadata, followed by their check cells (never run by the grader).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat

from checks import EXERCISES
from checks.grader import bubblewrap, cli
from checks.grader.solutions import solution_code

IS_ROOT = os.geteuid() == 0


def bubblewrap_works() -> bool:
    """Whether bubblewrap's sandbox runs here (``RELU_GRADER_SANDBOX=bubblewrap``, as CI sets it,
    counts as yes: its tests then run, and fail if it cannot)."""
    return os.environ.get(bubblewrap.CHOICE) == "bubblewrap" or bubblewrap.available()


def exercise_cell(key: str, source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade_id": key, "solution": True, "grade": False, "locked": False, "schema_version": 3}})


def check_cell(key: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(f"check({key!r}, {EXERCISES[key].name})", metadata={"nbgrader": {
        "grade_id": f"{key}-check", "solution": False, "grade": True, "locked": True,
        "points": EXERCISES[key].points, "schema_version": 3}})


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook with, for each (exercise id, source), its exercise cell and its check cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# A submission"))
    nb.cells.append(nbformat.v4.new_code_cell("import numpy as np\nfrom checks import check"))
    for key, source in cells:
        nb.cells += [exercise_cell(key, source), check_cell(key)]
    return nb


def write(path: Path, cells: list[tuple[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook(cells), path)
    return path


def solved(key: str) -> str:
    """The reference solution as an exercise cell's source."""
    return solution_code(EXERCISES[key])


def grade(paths: list[Path], out: Path, *options: str) -> tuple[int, dict[str, dict]]:
    """Run ``python -m checks grade`` in this process; its exit code and results by student."""
    code = cli.main(["grade", *map(str, paths), "--out", str(out), *options])
    results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else []
    return code, {row["student"]: row for row in results}


def messages(row: dict, key: str) -> str:
    return "\n".join(row["exercises"][key]["messages"])
