"""The learner's functions run the experiments (issue 17): the solved edition of 01, 03, 04 and
05 (``python -m checks solutions``), executed, calls the solved ``relu``, ``relu_grad``,
``dead_fraction``, ``leaky_relu``, ``leaky_relu_grad`` and ``he_normal`` from its experiments,
and prints the same numbers as the learner's edition stored in the course (which ran on the
reference)."""

import json
import os
import re
import sys

import nbformat
import pytest

from checks.grader import cli

COURSE_NOTEBOOKS = cli.COURSE_NOTEBOOKS
USED = {"01_relu": ("relu", "relu_grad"), "03_dying_relu": ("dead_fraction",),
        "04_leaky_relu": ("leaky_relu", "leaky_relu_grad"), "05_he_init": ("he_normal",)}
USE_LINE = re.compile(r"^using (your|the reference) `\w+`.*$\n?", re.MULTILINE)

# Prepended to the executed notebook, before its own imports: every function `use` hands to an
# experiment is wrapped so that its calls are counted here, outside `checks`.
COUNTING = """
import checks
_use = checks.use
USE_CALLS = {}

def _counting_use(exercise_id, function):
    chosen = _use(exercise_id, function)
    if chosen is not function:
        return chosen
    def counted(*args, **kwargs):
        USE_CALLS[exercise_id] = USE_CALLS.get(exercise_id, 0) + 1
        return function(*args, **kwargs)
    return counted

checks.use = _counting_use
"""
REPORT = 'import json\nprint("USE_CALLS", json.dumps(USE_CALLS))'


def _text(cell) -> list[str]:
    """What nbval compares in a cell's outputs: streams (use lines removed) and plain text."""
    stream = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
    plain = [o.data["text/plain"] for o in cell.outputs
             if o.output_type in ("execute_result", "display_data") and "text/plain" in o.get("data", {})]
    return [USE_LINE.sub("", stream), *plain]


def _compared(cell) -> bool:
    return (cell.cell_type == "code" and "nbgrader" not in cell.metadata
            and "nbval-ignore-output" not in cell.metadata.get("tags", []))


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The solved editions of the notebooks in USED, executed with the course's notebooks folder as cwd."""
    from nbclient import NotebookClient

    out = tmp_path_factory.mktemp("solved")
    assert cli.main(["solutions", "--out", str(out)]) == 0
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    executed = {}
    for name in USED:
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(COUNTING))
        nb.cells.append(nbformat.v4.new_code_cell(REPORT))
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(COURSE_NOTEBOOKS)}}).execute()
        executed[name] = nb
    return executed


@pytest.mark.skipif(sys.platform != "linux", reason="as the course's other edition tests")
@pytest.mark.parametrize("name", USED)
def test_the_solved_functions_are_called_by_the_experiments(solved, name):
    nb = solved[name]
    printed = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    for exercise_id in USED[name]:
        assert f"using your `{exercise_id}`" in printed
        assert "using the reference" not in printed
    report = next(o.text for o in nb.cells[-1].outputs if o.output_type == "stream")
    calls = json.loads(report.removeprefix("USE_CALLS "))
    assert set(calls) == set(USED[name]) and all(count > 0 for count in calls.values()), calls


@pytest.mark.skipif(sys.platform != "linux", reason="as the course's other edition tests")
@pytest.mark.parametrize("name", USED)
def test_the_solved_edition_prints_the_learner_editions_numbers(solved, name):
    learner = nbformat.read(COURSE_NOTEBOOKS / f"{name}.ipynb", as_version=4)
    ran = solved[name].cells[1:-1]
    assert len(ran) == len(learner.cells)
    compared = 0
    for index, (stored, new) in enumerate(zip(learner.cells, ran)):
        assert stored.source == new.source or "nbgrader" in stored.metadata, index
        if _compared(stored):
            assert _text(new) == _text(stored), f"{name} cell {index}"
            compared += 1
    stored_use_lines = [line for cell in learner.cells if cell.cell_type == "code" for o in cell.outputs
                        for line in o.get("text", "").splitlines() if USE_LINE.match(line)]
    assert len(stored_use_lines) == len(USED[name])            # the learner's edition: the reference
    assert all("has not passed its check yet" in line for line in stored_use_lines)
    assert compared > 10
