"""The course's notebooks as a whole: navigation links, the index's course map, execution.

    python -m checks.course --write     rewrite the generated cells (navigation, course map,
                                        check cells, the quizzes' lists of questions)
    python -m checks.course --check     exit 1 and list the problems if anything is out of date
    python -m checks.course --execute   re-run every notebook in place, storing fresh outputs

Navigation cells, the course map and the check cells are generated, never written by hand: a
navigation cell or the map is a markdown cell whose first line is a marker comment, a check
cell is the code cell whose nbgrader ``grade_id`` is ``<exercise id>-check``, and a quiz's
questions are the ``- **qN**: ...`` lines of the markdown cell above its exercise cell, written
from ``checks.exercises.quizzes`` so what the learner reads is what ``check`` marks. Rewriting
is safe to repeat.

A check cell imports ``check`` again before calling it: under nbgrader every cell runs in one
kernel, and a learner's ``check = lambda *a, **k: None`` above it must count for nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

from checks.core import Exercise
from checks.registry import EXERCISES

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAV_MARKER = "<!-- navigation: written by `python -m checks.course --write` -->"
MAP_MARKER = "<!-- course map: written by `python -m checks.course --write` -->"
INDEX = "00_index.ipynb"
CHECK_IMPORT = "from checks import check   # again here: a `check` rebound above counts for nothing"


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course's notebooks in teaching order: NN_topic.ipynb."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def title(nb: nbformat.NotebookNode) -> str:
    """The notebook's title: the first '# ' heading of its first markdown cell."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("a notebook must open with a '# Title' heading")


def _link(path: Path, nb: nbformat.NotebookNode) -> str:
    return f"[{title(nb)}]({path.name})"


def navigation(paths: list[Path], notebooks: dict[Path, nbformat.NotebookNode], i: int) -> str:
    """The navigation cell of the i-th notebook: previous, index and next."""
    parts = []
    if i > 0:
        parts.append(f"← Previous: {_link(paths[i - 1], notebooks[paths[i - 1]])}")
    if paths[i].name != INDEX and (i == 0 or paths[i - 1].name != INDEX):
        parts.append(f"[Course index]({INDEX})")
    if i + 1 < len(paths):
        parts.append(f"Next: {_link(paths[i + 1], notebooks[paths[i + 1]])} →")
    return NAV_MARKER + "\n\n---\n\n" + " &nbsp;|&nbsp; ".join(parts)


def course_map(paths: list[Path], notebooks: dict[Path, nbformat.NotebookNode]) -> str:
    """The index's table: each notebook with what it teaches, its time and its exercises."""
    rows = ["| notebook | what you will learn | time | exercises (points) |",
            "|---|---|---|---|"]
    for path in paths:
        if path.name == INDEX:
            continue
        meta = notebooks[path].metadata.get("course", {})
        stem = path.stem
        exercises = ", ".join(f"`{e.id}` ({e.points:g})" for e in EXERCISES.values() if e.notebook == stem)
        rows.append(f"| {_link(path, notebooks[path])} | {meta.get('learn', '')} | "
                    f"{meta.get('minutes', '?')} min | {exercises or '—'} |")
    total = sum(notebooks[p].metadata.get("course", {}).get("minutes", 0) for p in paths
                if p.name != INDEX)
    points = sum(e.points for e in EXERCISES.values()
                 if any(p.stem == e.notebook for p in paths))
    return (MAP_MARKER + "\n\n" + "\n".join(rows)
            + f"\n\nIn all: about {total} minutes, {points:g} points of exercises.")


def check_cell_source(exercise: Exercise) -> str:
    """A check cell: ``check`` imported again, then the call whose value nbgrader scores."""
    return f'{CHECK_IMPORT}\ncheck("{exercise.id}", {exercise.name})'


def _check_cells(nb: nbformat.NotebookNode) -> list[tuple[nbformat.NotebookNode, Exercise]]:
    """The notebook's check cells, with their exercises."""
    found = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        exercise = EXERCISES.get(grade_id.removesuffix("-check"))
        if cell.cell_type == "code" and grade_id.endswith("-check") and exercise is not None:
            found.append((cell, exercise))
    return found


QUESTION_LINE = re.compile(r"^- \*\*q\d+\*\*:.*$")


def question_list(quiz_id: str) -> list[str]:
    """A quiz's questions as its markdown cell lists them, one line each, as declared."""
    from checks.exercises.quizzes import QUESTIONS

    return [f"- **{q.key}**: {q.text}" for q in QUESTIONS[quiz_id]]


def with_questions(source: str, quiz_id: str) -> str:
    """The quiz's markdown with its list of questions (the lines ``- **qN**: ...``) as declared."""
    lines = source.splitlines()
    listed = [i for i, line in enumerate(lines) if QUESTION_LINE.match(line)]
    if not listed:
        return source.rstrip("\n") + "\n\n" + "\n".join(question_list(quiz_id))
    return "\n".join(lines[:listed[0]] + question_list(quiz_id) + lines[listed[-1] + 1:])


def _quiz_cells(nb: nbformat.NotebookNode) -> list[tuple[nbformat.NotebookNode, str]]:
    """Each quiz's markdown cell (the one right above its exercise cell), with the quiz's id."""
    from checks.exercises.quizzes import QUESTIONS

    found = []
    for above, cell in zip(nb.cells, nb.cells[1:]):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id in QUESTIONS and cell.cell_type == "code" and above.cell_type == "markdown":
            found.append((above, grade_id))
    return found


def _generated_cells(paths: list[Path], notebooks: dict) -> dict[Path, dict[str, str]]:
    wanted = {}
    for i, path in enumerate(paths):
        wanted[path] = {NAV_MARKER: navigation(paths, notebooks, i)}
        if path.name == INDEX:
            wanted[path][MAP_MARKER] = course_map(paths, notebooks)
    return wanted


def write(folder: Path = NOTEBOOKS) -> list[Path]:
    """Rewrite navigation cells (appending one where missing), the course map, check cells and
    the quizzes' lists of questions."""
    paths = notebook_paths(folder)
    notebooks = {p: read(p) for p in paths}
    changed = []
    for path, cells in _generated_cells(paths, notebooks).items():
        nb = notebooks[path]
        before = nbformat.writes(nb)
        for marker, text in cells.items():
            found = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(marker)]
            if found:
                found[0].source = text
            elif marker == NAV_MARKER:
                nb.cells.append(nbformat.v4.new_markdown_cell(text))
        for cell, exercise in _check_cells(nb):
            cell.source = check_cell_source(exercise)
            cell.metadata["nbgrader"]["points"] = exercise.points
        for cell, quiz_id in _quiz_cells(nb):
            cell.source = with_questions(cell.source, quiz_id)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def problems(folder: Path = NOTEBOOKS) -> list[str]:
    """Everything out of date or broken: navigation, course map, links, exercise cells."""
    paths = notebook_paths(folder)
    notebooks = {p: read(p) for p in paths}
    found = []
    if not any(p.name == INDEX for p in paths):
        found.append(f"{INDEX} is missing")
    for path, cells in _generated_cells(paths, notebooks).items():
        nb = notebooks[path]
        for marker, text in cells.items():
            matching = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(marker)]
            if not matching or matching[0].source != text:
                found.append(f"{path.name}: {'navigation' if marker == NAV_MARKER else 'course map'} "
                             "is out of date: run `python -m checks.course --write`")
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)", cell.source):
                if not (path.parent / target).exists():
                    found.append(f"{path.name}: broken link to {target}")
        found.extend(f"{path.name}: {p}" for p in exercise_cell_problems(nb, path.stem))
        found.extend(f"{path.name}: {quiz_id}'s questions differ from their declaration: run "
                     "`python -m checks.course --write`" for cell, quiz_id in _quiz_cells(nb)
                     if cell.source != with_questions(cell.source, quiz_id))
    return found


def exercise_cell_problems(nb: nbformat.NotebookNode, stem: str) -> list[str]:
    """Each exercise of this notebook has one exercise cell and, right below, one check cell."""
    found = []
    cells = nb.cells
    for exercise in (e for e in EXERCISES.values() if e.notebook == stem):
        solution = [i for i, c in enumerate(cells)
                    if c.metadata.get("nbgrader", {}).get("grade_id") == exercise.id]
        checks = [i for i, c in enumerate(cells)
                  if c.metadata.get("nbgrader", {}).get("grade_id") == f"{exercise.id}-check"]
        if len(solution) != 1 or len(checks) != 1:
            found.append(f"exercise {exercise.id!r} needs one exercise cell and one check cell, "
                         f"found {len(solution)} and {len(checks)}")
            continue
        meta = cells[checks[0]].metadata["nbgrader"]
        if checks[0] != solution[0] + 1:
            found.append(f"the check cell of {exercise.id!r} must come right after its exercise cell")
        if meta.get("points") != exercise.points:
            found.append(f"{exercise.id!r}: the check cell has {meta.get('points')} points, "
                         f"the exercise {exercise.points}")
        if cells[checks[0]].source != check_cell_source(exercise):
            found.append(f"{exercise.id!r}: the check cell is out of date (it must import check again, "
                         "then call it): run `python -m checks.course --write`")
    return found


def execute(paths: list[Path], timeout: int = 120) -> None:
    """Run notebooks top to bottom in a fresh kernel each and store their outputs in place."""
    from nbclient import NotebookClient

    os.environ["RELU_COURSE_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "progress.json")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")    # small products: one thread is faster
    for path in paths:
        nb = read(path)
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        nbformat.write(nb, path)
        print(f"executed {path.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checks.course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--execute", nargs="*", metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    if args.write:
        for path in write():
            print(f"updated {path.name}")
    if args.execute is not None:
        execute([NOTEBOOKS / n for n in args.execute] if args.execute else notebook_paths())
    if args.check:
        found = problems()
        for problem in found:
            print(problem)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
