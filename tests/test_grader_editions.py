"""The solved edition gets full marks and the learner's edition none; the grader's verdicts
equal ``check``'s for the mutants of tests/mutants.py.

The editions are tested on a small course built here, with a notebook per course notebook and
a stub per exercise, and on the course's own notebooks, whichever of them exist.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from checks import EXERCISES, CheckResult, check, course
from checks.grader import cli, grading, plans, solutions, submissions
from checks.grader.protocol import Limits
from mutants import CATALOGUE, define
from test_grader_support import check_cell, exercise_cell, grade

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")

COURSE_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def stub(key: str) -> str:
    exercise = EXERCISES[key]
    return (f"def {exercise.signature}:\n    \"\"\"{exercise.description}.\"\"\"\n"
            "    # YOUR CODE HERE\n    raise NotImplementedError()\n")


def learner_course(folder: Path) -> Path:
    """A notebook per course notebook: a title, a demo cell, and each exercise's stub and check."""
    folder.mkdir(parents=True)
    for name in sorted({e.notebook for e in EXERCISES.values()}):
        nb = nbformat.v4.new_notebook()
        nb.cells += [nbformat.v4.new_markdown_cell(f"# {name}"),
                     nbformat.v4.new_code_cell("import numpy as np\nfrom checks import check\nprint('demo')")]
        for key in (k for k, e in EXERCISES.items() if e.notebook == name):
            nb.cells += [nbformat.v4.new_markdown_cell(f"Write `{EXERCISES[key].signature}`."),
                         exercise_cell(key, stub(key)), check_cell(key)]
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def as_one_student(notebooks: Path, folder: Path) -> Path:
    """The notebooks copied into ``folder/student``: one submission."""
    (folder / "student").mkdir(parents=True)
    for path in notebooks.glob("*.ipynb"):
        shutil.copy(path, folder / "student" / path.name)
    return folder


def graded_row(notebooks: Path, tmp: Path) -> dict:
    code, rows = grade([as_one_student(notebooks, tmp / "in")], tmp / "out", "--seed", "2")
    assert code == 0
    return rows["student"]


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    base = tmp_path_factory.mktemp("editions")
    learner = learner_course(base / "learner")
    solutions.write(learner, base / "solved")
    return learner, base / "solved", base


def test_the_solved_edition_changes_only_the_exercise_cells(editions):
    learner, solved, _ = editions
    for path in learner.glob("*.ipynb"):
        before, after = json.loads(path.read_text()), json.loads((solved / path.name).read_text())
        assert before["metadata"] == after["metadata"] and len(before["cells"]) == len(after["cells"])
        for old, new in zip(before["cells"], after["cells"]):
            if old["metadata"].get("nbgrader", {}).get("solution"):
                text = "".join(new["source"])
                assert solutions.BEGIN in text and solutions.END in text
                assert "NotImplementedError" not in text
                assert new["metadata"] == old["metadata"]
            else:
                assert new == old


def test_the_solved_edition_gets_full_marks_on_every_exercise(editions):
    _, solved, base = editions
    row = graded_row(solved, base / "solved-grading")
    assert set(row["exercises"]) == set(EXERCISES)
    for key, result in row["exercises"].items():
        assert result["passed"], (key, result["messages"])
    assert row["total"] == row["max_total"] == sum(e.points for e in EXERCISES.values())


def test_the_learner_edition_gets_zero_and_is_graded(editions):
    learner, _, base = editions
    row = graded_row(learner, base / "learner-grading")
    assert row["status"] == "graded" and row["total"] == 0
    assert all(r["status"] == "not attempted" for r in row["exercises"].values())


def _course_exercise_cells() -> dict[Path, list[str]]:
    """The course's notebooks that have exercise cells, with their exercises."""
    found = {}
    for path in sorted(COURSE_NOTEBOOKS.glob("*.ipynb")):
        submission = submissions.Submission(path.stem, path, [path])
        submission.read()
        if submission.cells:
            found[path] = [cell.exercise for cell in submission.cells]
    return found


@pytest.mark.skipif(not _course_exercise_cells(), reason="no course notebook has exercises yet")
def test_the_course_notebooks_solved_get_full_marks_and_as_they_are_zero(tmp_path):
    """Every exercise cell of the course's notebooks: passed when solved, not attempted as it is."""
    cells = _course_exercise_cells()
    assert cli.main(["solutions", "--out", str(tmp_path / "all-solved")]) == 0
    solved, learner = tmp_path / "solved", tmp_path / "learner"
    for folder, source in ((solved, tmp_path / "all-solved"), (learner, COURSE_NOTEBOOKS)):
        folder.mkdir()
        for path in cells:
            shutil.copy(source / path.name, folder / path.name)
    solved_row, learner_row = graded_row(solved, tmp_path / "a"), graded_row(learner, tmp_path / "b")
    for key in (key for keys in cells.values() for key in keys):
        assert solved_row["exercises"][key]["passed"], (key, solved_row["exercises"][key]["messages"])
        assert learner_row["exercises"][key]["status"] == "not attempted", key
    assert learner_row["status"] == "graded" and learner_row["total"] == 0


# ----------------------------------------------------------------------------- stubs

@pytest.mark.parametrize("source", [
    stub("relu"),
    "# YOUR CODE HERE\nraise NotImplementedError()",
    "# Exercise 1: ReLU, element-wise.\ndef relu(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n",
])
def test_a_stub_is_replaced_by_the_solution_between_nbgrader_markers(source):
    solved = solutions.solve_source(source, EXERCISES["relu"])
    namespace = {"np": __import__("numpy")}
    exec(solved, namespace)  # noqa: S102 - the course's own solution
    assert check("relu", namespace["relu"], record=False).passed
    lines = [line.strip() for line in solved.splitlines()]
    assert lines.count(solutions.BEGIN) == 1 and lines.index(solutions.BEGIN) < lines.index(solutions.END)
    if source.startswith("# Exercise 1"):
        assert lines[0] == "# Exercise 1: ReLU, element-wise."


def test_solutions_bring_the_imports_and_helpers_they_need():
    code = solutions.solution_code(EXERCISES["he_std"])
    assert "import math" in code
    namespace = {"np": __import__("numpy")}
    exec(code, namespace)  # noqa: S102 - the course's own solution
    assert check("he_std", namespace["he_std"], record=False).passed


def test_a_cell_that_is_not_a_stub_is_refused():
    with pytest.raises(solutions.NotAStub):
        solutions.solve_source("def relu(z):\n    return z\n", EXERCISES["relu"])


# ----------------------------------------------------------------------------- one judge

PARITY = ["relu", "relu_grad", "leaky_relu", "dead_fraction", "he_std", "he_normal", "quiz_01"]
CASES = [(key, name, source) for key in PARITY if key in CATALOGUE
         for name, source in [*CATALOGUE[key][0].items(), *((n, s) for n, (s, _) in CATALOGUE[key][1].items())]]


def test_the_grader_scores_mutants_exactly_as_check_does(tmp_path):
    for i, (key, _, source) in enumerate(CASES):
        nb = nbformat.v4.new_notebook()
        nb.cells.append(exercise_cell(key, source))
        nbformat.write(nb, tmp_path / f"case{i:03d}.ipynb")
    run = grading.grade(submissions.find([tmp_path]), limits=Limits(), jobs=2, seed=17)
    assert len(run.results) == len(CASES) >= 60
    for result, (key, name, source) in zip(run.results, CASES):
        graded = result.exercises[key]
        checked = check(key, define(source), seed=plans.exercise_seed(17, key), record=False)
        assert (graded.score, graded.passed, graded.messages) == (checked.score, checked.passed, checked.messages), \
            f"{key}: {name}"


def test_inside_a_def_only_the_stub_becomes_the_solution_so_nbgrader_releases_the_learners_cell():
    source = 'def he_std(fan_in, alpha=0.0):\n    """He\'s std."""\n    # YOUR CODE HERE\n    raise NotImplementedError()'
    solved = solutions.solve_source(source, EXERCISES["he_std"])
    lines = solved.splitlines()
    assert lines[:2] == source.splitlines()[:2]                       # the learner's def and docstring
    assert lines[2] == "    " + solutions.BEGIN and lines[-1] == "    " + solutions.END
    namespace = {"np": __import__("numpy")}
    exec(solved, namespace)  # noqa: S102 - the course's own solution
    assert check("he_std", namespace["he_std"], record=False).passed


# ----------------------------------------------------------------------------- check cells under nbgrader

def test_check_cells_import_check_again_so_a_rebound_check_counts_for_nothing(tmp_path):
    copy = tmp_path / "notebooks"
    shutil.copytree(COURSE_NOTEBOOKS, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    course.write(copy)
    assert [p for p in course.problems(copy) if "check cell" in p] == []
    generated = 0
    for path in course.notebook_paths(copy):
        for cell in nbformat.read(path, as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if grade_id.endswith("-check"):
                assert cell.source == course.check_cell_source(EXERCISES[grade_id.removesuffix("-check")])
                generated += 1
    assert generated == sum(1 for e in EXERCISES.values() if (copy / f"{e.notebook}.ipynb").exists())
    namespace = {"check": lambda *args, **kwargs: None, "relu": lambda z: z}     # a learner's cheat
    *imports, call = course.check_cell_source(EXERCISES["relu"]).splitlines()
    exec("\n".join(imports), namespace)  # noqa: S102 - the course's own cell
    result = eval(call, namespace)  # noqa: S307
    assert isinstance(result, CheckResult) and not result.passed


def test_a_check_cell_out_of_date_is_a_problem_for_course_check(tmp_path):
    copy = tmp_path / "notebooks"
    shutil.copytree(COURSE_NOTEBOOKS, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    course.write(copy)
    path = copy / "01_relu.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "relu-check")
    cell.source = 'check("relu", relu)'
    nbformat.write(nb, path)
    assert "01_relu.ipynb: 'relu': the check cell is out of date" in "\n".join(course.problems(copy))
    assert course.write(copy) == [path] and course.problems(copy) == []


CHEAT = """
import os
os.environ.pop("NBGRADER_EXECUTION", None)
from checks import check
result = check("relu", lambda z: z, record=False)
print("RESULT", type(result).__name__, result if isinstance(result, float) else "")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the environment a process started with: /proc")
def test_a_deleted_nbgrader_execution_does_not_turn_a_failing_answer_into_full_marks(tmp_path):
    env = dict(os.environ, NBGRADER_EXECUTION="autograde", RELU_COURSE_PROGRESS=str(tmp_path / "p.json"))
    done = subprocess.run([sys.executable, "-c", CHEAT], cwd=COURSE_NOTEBOOKS.parent, env=env,
                          capture_output=True, text=True, timeout=120)
    line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT"))
    assert line.split()[1] == "float" and float(line.split()[2]) < EXERCISES["relu"].points, done.stdout


def _nbgrader_importable() -> bool:
    try:
        import nbgrader.api  # noqa: F401 - (tests/nbgrader is a namespace package here, without api)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(_nbgrader_importable(), reason="nbgrader is installed here")
def test_nbgrader_gradebook_without_nbgrader_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    code = cli.main(["grade", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                     "--nbgrader-gradebook", str(tmp_path / "gradebook.db"), "--assignment", "ps1"])
    assert code == 2 and "--nbgrader-gradebook needs nbgrader" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_nbgrader_gradebook_and_assignment_go_together(tmp_path):
    with pytest.raises(SystemExit) as exit:
        cli.main(["grade", str(tmp_path), "--out", str(tmp_path / "out"), "--assignment", "ps1"])
    assert exit.value.code == 2
