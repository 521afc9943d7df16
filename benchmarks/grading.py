"""The grader's throughput: N full-course submissions, graded from the command line.

Each submission is a student's folder with one notebook per course notebook that has exercises.
Four in ten are solved, four in ten answer each exercise with a right or a wrong version from
the mutant catalogue (tests/mutants.py), and two in ten are broken: untouched stubs, a syntax
error, a deleted exercise cell, a function that never returns, or a notebook that is not JSON.
Target: 100 submissions in under 20 s with --jobs 2 on an idle 2-core machine, in the sandbox
the grader picks (bubblewrap where it works; RELU_GRADER_SANDBOX=process to time the fallback).

    python benchmarks/grading.py [--n 100] [--jobs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

from checks import EXERCISES
from checks.grader.bubblewrap import sandbox_kind
from checks.grader.solutions import solution_code

COURSE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(COURSE / "tests"))
from mutants import CATALOGUE  # noqa: E402 - the tests' catalogue of right and wrong answers

BROKEN = {
    "stubs": lambda ex: f"def {ex.name}(*args, **kwargs):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n",
    "syntax error": lambda ex: f"def {ex.name}(z)\n    return z\n",
    "never returns": lambda ex: f"def {ex.name}(*args, **kwargs):\n    while True:\n        pass\n",
}


def notebook(cells: dict[str, str | None]) -> nbformat.NotebookNode:
    """A notebook with an exercise cell (and its check cell) per exercise; None leaves it out."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import numpy as np"))
    for key, source in cells.items():
        if source is None:
            continue
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
            "grade_id": key, "solution": True, "grade": False, "locked": False, "schema_version": 3}}))
        nb.cells.append(nbformat.v4.new_code_cell(f"check({key!r}, {EXERCISES[key].name})", metadata={
            "nbgrader": {"grade_id": f"{key}-check", "solution": False, "grade": True, "locked": True,
                         "points": EXERCISES[key].points, "schema_version": 3}}))
    return nb


def answer(key: str, kind: str, rng: np.random.Generator) -> str | None:
    """The exercise cell's source for a submission of this kind (None: the cell was deleted)."""
    exercise = EXERCISES[key]
    if kind == "partly wrong" and key in CATALOGUE:
        correct, mutants = CATALOGUE[key]
        choices = list(correct.values()) + [source for source, _ in mutants.values()]
        return choices[rng.integers(len(choices))]
    if kind in BROKEN and (kind != "never returns" or key == "relu"):
        return BROKEN[kind](exercise)
    if kind == "deleted cell" and rng.random() < 0.3:
        return None
    return solution_code(exercise)


def make_submissions(folder: Path, n: int, seed: int = 0) -> None:
    """Write ``n`` student folders into ``folder``."""
    rng = np.random.default_rng(seed)
    kinds = ["solved"] * 4 + ["partly wrong"] * 4 + ["stubs", "syntax error", "deleted cell",
                                                     "never returns", "not JSON"]
    by_notebook: dict[str, list[str]] = {}
    for key, exercise in EXERCISES.items():
        by_notebook.setdefault(exercise.notebook, []).append(key)
    for i in range(n):
        kind = kinds[i % len(kinds)]
        student = folder / f"student{i:03d}"
        student.mkdir()
        for name, keys in by_notebook.items():
            path = student / f"{name}.ipynb"
            if kind == "not JSON" and name == min(by_notebook):
                path.write_text('{"cells": [')
                continue
            nbformat.write(notebook({key: answer(key, kind, rng) for key in keys}), path)


def run(n: int = 100, jobs: int = 2) -> dict:
    """Grade n generated submissions from the command line; the sandbox, the wall time, the rate."""
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as tmp:
        submissions, out = Path(tmp) / "submissions", Path(tmp) / "out"
        submissions.mkdir()
        make_submissions(submissions, n)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "checks", "grade", str(submissions), "--out", str(out),
                        "--jobs", str(jobs), "--seed", "0"], check=True, cwd=COURSE,
                       stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    return {"submissions": n, "jobs": jobs, "sandbox": sandbox_kind().name, "seconds": round(seconds, 1),
            "per_second": round(n / seconds, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    row = run(args.n, args.jobs)
    print(f"{row['submissions']} submissions graded in {row['seconds']:.1f} s with --jobs "
          f"{row['jobs']} in the {row['sandbox']} sandbox: {row['per_second']:.2f} submissions per second")


if __name__ == "__main__":
    main()
