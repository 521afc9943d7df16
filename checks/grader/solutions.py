"""The solved edition of the course: every exercise stub replaced by the reference solution.

A solved exercise cell holds the reference function's source (``checks.api.solution_source``)
and what it needs to run on its own: the imports it uses (NumPy as ``np`` is every notebook's
own) and the module-level helpers and names it refers to. Functions that are exercises of
their own are left to their own cells. The solution stands between nbgrader's
``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines, so the solved edition is also an
nbgrader source notebook. Everything else in a notebook is kept exactly as it is.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import json
import textwrap
import types
from pathlib import Path

from checks.api import solution_source
from checks.core import Exercise
from checks.grader.notebooks import load
from checks.grader.outputs import atomic_write
from checks.registry import EXERCISES

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PROVIDED = {"np"}                      # bound in every notebook before any exercise


class NotAStub(ValueError):
    """An exercise cell without the stub a learner's edition has."""


def _bindings(module: types.ModuleType) -> dict[str, str]:
    """Each name bound at the top level of ``module``, with the statement that binds it."""
    source = inspect.getsource(module)
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__"):
            for alias in node.names:
                single = (ast.Import(names=[alias]) if isinstance(node, ast.Import)
                          else ast.ImportFrom(module=node.module, names=[alias], level=node.level))
                found[alias.asname or alias.name.partition(".")[0]] = ast.unparse(single)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = ast.get_source_segment(source, node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = ast.get_source_segment(source, node)
    return found


def _free_names(code: str) -> list[str]:
    """The names ``code`` reads without binding them (builtins aside), in a stable order."""
    tree = ast.parse(code)
    bound = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    bound |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    names: list[str] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound
                and node.id not in names and not hasattr(builtins, node.id)):
            names.append(node.id)
    return names


def _gather(code: str, module: types.ModuleType, skip: set[str], needed: dict[str, str]) -> None:
    """Add to ``needed`` (name -> source, what it needs first) what ``code`` uses from ``module``."""
    bindings = _bindings(module)
    for name in _free_names(code):
        if name in needed or name in skip:
            continue
        value = vars(module).get(name)
        if inspect.isfunction(value) or inspect.isclass(value):
            if value.__module__.partition(".")[0] == "reference":     # the course's own code
                needed[name] = ""                                       # (against cycles)
                source = inspect.getsource(value)
                _gather(source, inspect.getmodule(value), skip, needed)
                needed[name] = needed.pop(name) or source
                continue
        if name in bindings:
            needed[name] = ""
            if not bindings[name].startswith(("import ", "from ")):
                _gather(bindings[name], module, skip, needed)
            needed[name] = needed.pop(name) or bindings[name]


def solution_code(exercise: Exercise) -> str:
    """The reference solution of ``exercise`` with what it needs to run on its own in a notebook."""
    source = solution_source(exercise.id)
    others = {e.name for e in EXERCISES.values() if e.id != exercise.id}
    needed: dict[str, str] = {}
    _gather(source, inspect.getmodule(exercise.reference), PROVIDED | others | {exercise.name}, needed)
    imports = [s for s in needed.values() if s.startswith(("import ", "from "))]
    helpers = [s for s in needed.values() if not s.startswith(("import ", "from "))]
    parts = (["\n".join(imports)] if imports else []) + helpers + [source]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def solution_body(exercise: Exercise) -> str:
    """The reference function's body, its docstring left out, with what it needs nested first.

    This is what replaces a stub inside the learner's ``def``: the ``def`` line and docstring
    stay the learner's, so nbgrader's release of the solved edition is the learner edition.
    """
    source = textwrap.dedent(inspect.getsource(exercise.reference))
    function = ast.parse(source).body[0]
    statements = function.body
    if (len(statements) > 1 and isinstance(statements[0], ast.Expr)
            and isinstance(statements[0].value, ast.Constant) and isinstance(statements[0].value.value, str)):
        statements = statements[1:]
    lines = source.splitlines()
    body = textwrap.dedent("\n".join(lines[statements[0].lineno - 1:function.end_lineno]))
    parameters = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    others = {e.name for e in EXERCISES.values() if e.id != exercise.id}
    needed: dict[str, str] = {}
    _gather(body, inspect.getmodule(exercise.reference), PROVIDED | others | parameters | {exercise.name},
            needed)
    imports = [s for s in needed.values() if s.startswith(("import ", "from "))]
    helpers = [s for s in needed.values() if not s.startswith(("import ", "from "))]
    parts = (["\n".join(imports)] if imports else []) + helpers + [body]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


def solve_source(source: str, exercise: Exercise) -> str:
    """An exercise cell's source with its stub's two lines replaced by the marked solution.

    The stub is ``# YOUR CODE HERE`` followed by ``raise NotImplementedError()``. Inside a ``def``
    it becomes the reference function's body, indented like the stub; at the top level, the
    whole reference function. Either way between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` at
    the stub's indentation, which is where nbgrader puts its stub back.
    """
    lines = source.split("\n")
    for i in range(len(lines) - 1):
        if lines[i].strip() == "# YOUR CODE HERE" and lines[i + 1].strip() == "raise NotImplementedError()":
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
            code = solution_body(exercise) if indent else solution_code(exercise)
            body = [indent + line if line else "" for line in code.rstrip("\n").split("\n")]
            return "\n".join(lines[:i] + [indent + BEGIN, *body, indent + END] + lines[i + 2:])
    raise NotAStub(f"the exercise cell of {exercise.id!r} has no `# YOUR CODE HERE` / "
                   "`raise NotImplementedError()` stub")


def solve_notebook(data: dict) -> dict:
    """The notebook (as JSON data) with each exercise cell solved; other cells untouched."""
    for cell in data["cells"]:
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        exercise = EXERCISES.get(nbgrader.get("grade_id"))
        if cell.get("cell_type") == "code" and nbgrader.get("solution") is True and exercise:
            source = cell["source"]
            text = solve_source("".join(source) if isinstance(source, list) else source, exercise)
            cell["source"] = text.splitlines(keepends=True) if isinstance(source, list) else text
    return data


def write(source: Path, out: Path) -> list[Path]:
    """Write the solved edition of every notebook in ``source`` into ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(source.glob("*.ipynb")):
        solved = solve_notebook(load(path))
        atomic_write(out / path.name, json.dumps(solved, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        written.append(out / path.name)
    return written
