"""One verdict: ``check`` in a real Jupyter kernel and ``python -m checks grade`` give the same
score and the same words, for every mutant and correct alternative of every catalogue, for
exercise cells that lean on other cells or on the answer key, and for answers made to be read
differently by the two (objects whose methods lie, answers over the wire's limits, errors whose
text is the learner's code: tests/cross_cell_cases.py).

In the kernel, each case runs as a learner's notebook would: the cells before it, then its
exercise cell, then ``check``, each cell executed on its own (so that IPython files each under
a name of its own, as in JupyterLab). The grader gets the same cells in a notebook, the
exercise cells tagged as nbgrader's, and runs only those.
"""

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest

from checks import EXERCISES
from checks.grader import grading, plans, submissions
from checks.grader.protocol import Limits
from cross_cell_cases import CASES as CROSS_CELL
from cross_cell_cases import VALUE_ATTACKS
from mutants import CATALOGUE
from test_grader_support import exercise_cell

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")
jupyter_client = pytest.importorskip("jupyter_client")

ROOT = Path(__file__).resolve().parent.parent
SEED = 23
SETUP = "import math\nimport numpy as np\nfrom checks import check"
REPORT = ("import json as _json\n_r = check({key!r}, {name}, seed={seed}, record=False)\n"
          "print(_json.dumps({{'score': _r.score, 'passed': _r.passed, 'messages': _r.messages}}))")


def _cases() -> list[tuple[str, str, list, str]]:
    """(exercise, case name, cells before it, exercise cell) for every catalogue entry, every
    cross-cell case and every value attack."""
    cases = []
    for key, (correct, mutants) in CATALOGUE.items():
        for name, source in [*correct.items(), *((n, s) for n, (s, _) in mutants.items())]:
            cases.append((key, name, [], source))
    for name, (key, before, cell, _) in CROSS_CELL.items():
        cases.append((key, name, before, cell))
    for name, (key, cell) in VALUE_ATTACKS.items():
        cases.append((key, name, [], cell))
    return cases


CASES = _cases()


class Kernel:
    """A Jupyter kernel of this environment, running cells one execute request each."""

    def __init__(self, env: dict):
        self.manager = jupyter_client.KernelManager(kernel_name="python3")
        self.manager.start_kernel(cwd=str(ROOT), env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str) -> str:
        printed, errors = [], []

        def on_output(message: dict) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stdout":
                printed.append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")

        self.client.execute_interactive(code, output_hook=on_output, timeout=120, store_history=True)
        return "".join(printed) + "".join(f"\n[error] {e}" for e in errors)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def checked_in_a_kernel(tmp_path: Path) -> list[dict]:
    env = {**os.environ, "RELU_COURSE_PROGRESS": str(tmp_path / "progress.json"), "OPENBLAS_NUM_THREADS": "1"}
    kernel = Kernel(env)
    try:
        results = []
        for key, name, before, cell in CASES:
            kernel.run("%reset -f")
            kernel.run(SETUP)
            for _, source in before:
                kernel.run(source)
            kernel.run(cell)
            printed = kernel.run(REPORT.format(key=key, name=EXERCISES[key].name,
                                               seed=plans.exercise_seed(SEED, key)))
            try:
                results.append(json.loads(printed.strip().splitlines()[-1]))
            except (ValueError, IndexError):
                raise AssertionError(f"{key}: {name}: the kernel printed {printed!r}") from None
        return results
    finally:
        kernel.close()


def graded(tmp_path: Path) -> list[dict]:
    folder = tmp_path / "submissions"
    folder.mkdir()
    for i, (key, _, before, cell) in enumerate(CASES):
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(SETUP))
        for exercise, source in before:
            nb.cells.append(exercise_cell(exercise, source) if exercise else nbformat.v4.new_code_cell(source))
        nb.cells.append(exercise_cell(key, cell))
        nbformat.write(nb, folder / f"case{i:03d}.ipynb")
    run = grading.grade(submissions.find([folder]), limits=Limits(), jobs=2, seed=SEED)
    return [{"score": r.exercises[key].score, "passed": r.exercises[key].passed,
             "messages": r.exercises[key].messages} for r, (key, *_) in zip(run.results, CASES)]


def test_check_in_a_kernel_and_the_grader_give_one_verdict(tmp_path):
    assert len(CASES) >= 300
    in_kernel, in_grader = checked_in_a_kernel(tmp_path), graded(tmp_path)
    differ = [(key, name, k, g) for (key, name, _, _), k, g in zip(CASES, in_kernel, in_grader) if k != g]
    assert not differ, "\n\n".join(f"{key}: {name}\n  check: {k}\n  grade: {g}" for key, name, k, g in differ[:5])


def test_the_cross_cell_cases_get_their_message_in_both(tmp_path):
    """Spelled out for the cases of tests/cross_cell_cases.py, in the kernel."""
    env = {**os.environ, "RELU_COURSE_PROGRESS": str(tmp_path / "progress.json"), "OPENBLAS_NUM_THREADS": "1"}
    kernel = Kernel(env)
    try:
        for name, (key, before, cell, message) in CROSS_CELL.items():
            kernel.run("%reset -f")
            kernel.run(SETUP)
            for _, source in before:
                kernel.run(source)
            kernel.run(cell)
            result = json.loads(kernel.run(REPORT.format(key=key, name=EXERCISES[key].name, seed=1)).strip())
            if message is None:
                assert result["passed"], (name, result)
            else:
                assert result["score"] == 0 and result["messages"] == [message], (name, result)
    finally:
        kernel.close()
