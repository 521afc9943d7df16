"""What an exercise cell's function needs besides its own cell, read from the cell's source.

The grader runs only a notebook's exercise cells, each with NumPy as ``np`` and ``math`` and
nothing else of the notebook. A function that reads a name bound in another cell (a helper,
or ``activations`` that the notebook's first cell imports from ``reference``) passes ``check``
in the notebook and fails in the grader. ``analyse(source, name)`` reads the cell's source
(it never runs it) and finds:

* the global names the function reads that the cell does not bind, nor NumPy, ``math`` or
  Python's builtins provide: read in its body, its nested functions, its decorators, defaults
  and annotations, and in the functions and classes of the same cell that it uses;
* whether the cell imports the answer key (``reference``) or the checks (``checks``), or a
  module the grader does not have (anything but NumPy and Python's standard library:
  ``matplotlib``, ``pandas``...);
* the functions of ``math`` it calls (one number at a time: ``math.exp`` on an array fails).

A cell is read as IPython runs it: ``python_source`` makes its IPython syntax (``%magic``,
``!ls``, ``np.maximum?``) Python with IPython's own transformer, and the grader runs that
source, with ``get_ipython`` and ``display`` that do nothing. ``check`` in a notebook reads the
source of the cell that defined the function (IPython keeps it, transformed, in ``linecache``
under the code's file name); the grader has the submitted cell's source, transformed the same way.
``refusal`` turns the facts into the one message both give, word for word.
"""

from __future__ import annotations

import ast
import builtins
import linecache
import symtable
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable

PROVIDED = frozenset({"np", "math", "__name__", "__builtins__", "__doc__", "get_ipython", "display"})
COURSE_PACKAGES = ("reference", "checks")
GRADER_MODULES = frozenset(sys.stdlib_module_names) | {"numpy"}    # what the grader's sandbox has
ANSWER_KEY = "reference"
BODY_MAGICS = ("time", "capture", "prun")   # run the body in the user's namespace (not %%timeit: a function's)
IMPORT_CALLS = ("__import__", "import_module")   # importlib.import_module("pandas"), __import__("pandas")


@dataclass(frozen=True)
class CellFacts:
    """What the analysis of one exercise cell found about one function."""

    function: str
    found: bool                         # the cell defines it with a ``def``
    outside: tuple[str, ...] = ()       # names read, bound in no place the grader runs
    course_imports: tuple[str, ...] = ()    # "reference", "checks": imported by the cell
    math_functions: tuple[str, ...] = ()    # "exp", "sqrt": math's functions it calls
    foreign_imports: tuple[str, ...] = ()   # "matplotlib": modules the grader does not have


def python_source(source: str) -> str:
    """The cell's source as IPython runs it: IPython's syntax made Python by IPython's own
    transformer (``%timeit f(x)`` -> ``get_ipython().run_line_magic('timeit', 'f(x)')``,
    ``files = !ls`` -> ``files = get_ipython().getoutput('ls')``); unchanged when IPython
    cannot read it (Python then reports its syntax error). A cell under a cell magic that runs
    its body in the notebook's namespace (``%%time``, ``%%capture``, ``%%prun``) is its body,
    read the same way: it defines what the body defines, in the notebook and in the grader."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        transformed = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - a learner's source; Python words the error when it runs
        return source
    body = _magic_body(transformed)
    return transformed if body is None else python_source(body)


# CPython 3.11 keeps the AST builder's recursion depth in state shared by all threads, so two
# threads parsing at once can fail with "SystemError: AST constructor recursion depth mismatch"
# (python/cpython#106905); the grader judges submissions on several threads.
_PARSING = threading.RLock()


def _parse(source: str) -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with _PARSING:
        return ast.parse(source)


def _magic_body(transformed: str) -> str | None:
    """The body of a cell that is one cell magic of ``BODY_MAGICS`` (``%%time``...), else None."""
    try:
        tree = _parse(transformed)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = tree.body[0].value if len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "run_cell_magic"
            and len(call.args) == 3 and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args)
            and call.args[0].value in BODY_MAGICS):
        return call.args[2].value
    return None


def _parsed(source: str) -> tuple[ast.Module, symtable.SymbolTable]:
    """The syntax tree and symbol table of the cell's Python source (``python_source`` when it
    is not Python as it stands); SyntaxError (and the like) when it cannot be read."""
    try:
        tree = _parse(source)
    except SyntaxError:
        source = python_source(source)
        tree = _parse(source)
    with _PARSING:
        return tree, symtable.symtable(source, "<exercise cell>", "exec")


def _foreign_imports(tree: ast.Module) -> tuple[str, ...]:
    """The modules the cell imports, anywhere in it, that the grader does not have (its sandbox
    holds NumPy and Python's standard library; the course's packages are refused on their own):
    by ``import`` statements, and by ``__import__`` or ``import_module`` of a literal name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, node.col_offset, alias.name.partition(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.col_offset, node.module.partition(".")[0]))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and not node.args[0].value.startswith(".")
              and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in IMPORT_CALLS):
            found.append((node.lineno, node.col_offset, node.args[0].value.partition(".")[0]))
    modules: list[str] = []
    for _, _, module in sorted(found):
        if module not in GRADER_MODULES and module not in COURSE_PACKAGES and module not in modules:
            modules.append(module)
    return tuple(modules)


def _top_level_defs(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """Functions and classes bound at the cell's top level (also inside if/try/with/for)."""
    found, todo = [], list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node)
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(node, field, []))
        elif isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)
    return found


def _tables(table: symtable.SymbolTable) -> list[symtable.SymbolTable]:
    """``table`` and every table nested in it."""
    found = [table]
    for child in table.get_children():
        found.extend(_tables(child))
    return found


def _bound(top: symtable.SymbolTable, tree: ast.Module) -> set[str]:
    """The names the cell binds at its top level (or declares global and assigns)."""
    bound = {s.get_name() for s in top.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    for table in _tables(top)[1:]:
        bound |= {s.get_name() for s in table.get_symbols() if s.is_declared_global() and s.is_assigned()}
    return bound


def _def_time_names(node: ast.AST, postponed: bool) -> list[str]:
    """Names a ``def`` or ``class`` statement reads when it runs: decorators, defaults, bases,
    and (unless ``from __future__ import annotations``) annotations."""
    parts: list[ast.AST] = list(node.decorator_list)
    if isinstance(node, ast.ClassDef):
        parts += node.bases + [k.value for k in node.keywords]
    else:
        parts += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
        if not postponed:
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            arguments += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            parts += [a.annotation for a in arguments if a.annotation is not None]
            parts += [node.returns] if node.returns is not None else []
    return [n.id for part in parts for n in ast.walk(part) if isinstance(n, ast.Name)]


def _global_reads(table: symtable.SymbolTable) -> list[str]:
    """The global names read inside ``table`` and the tables nested in it, in a stable order."""
    names: list[str] = []
    for t in _tables(table):
        for symbol in sorted(t.get_symbols(), key=lambda s: s.get_name()):
            if symbol.is_referenced() and symbol.is_global() and symbol.get_name() not in names:
                names.append(symbol.get_name())
    return names


def _order(names: set[str], tree: ast.AST) -> tuple[str, ...]:
    """``names`` in the order they first appear in the source."""
    seen: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names:
            seen.append((node.lineno, node.col_offset, node.id))
    ordered: list[str] = []
    for _, _, name in sorted(seen):
        if name not in ordered:
            ordered.append(name)
    return tuple(ordered + sorted(names - set(ordered)))


def analyse(source: str, name: str, lineno: int | None = None) -> CellFacts | None:
    """The facts about function ``name`` of an exercise cell (the ``def`` at line ``lineno``,
    else the last top-level ``def name``); None when the source cannot be parsed."""
    try:
        tree, top = _parsed(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    foreign = _foreign_imports(tree)
    course = tuple(sorted({alias.name.partition(".")[0] for node in ast.walk(tree)
                           if isinstance(node, ast.Import) for alias in node.names} |
                          {(node.module or "").partition(".")[0] for node in ast.walk(tree)
                           if isinstance(node, ast.ImportFrom) and node.level == 0}
                          & set(COURSE_PACKAGES)))
    course = tuple(p for p in COURSE_PACKAGES if p in course)
    defs = _top_level_defs(tree)
    functions = [d for d in defs if d.name == name and not isinstance(d, ast.ClassDef)]
    chosen = next((d for d in functions if lineno in (d.lineno, *(x.lineno for x in d.decorator_list))),
                  functions[-1] if functions else None)
    if chosen is None:     # e.g. ``relu = activations.relu``: the names the cell itself reads
        reads = {s.get_name() for s in top.get_symbols() if s.is_referenced() and not s.is_assigned()
                 and not s.is_imported() and s.get_name() not in PROVIDED and not hasattr(builtins, s.get_name())}
        return CellFacts(name, False, _order(reads, tree), course_imports=course, foreign_imports=foreign)
    postponed = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                    and any(a.name == "annotations" for a in n.names) for n in tree.body)
    star = any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names)
               for n in ast.walk(tree))
    bound = _bound(top, tree)
    tables = {(t.get_name(), t.get_lineno()): t for t in top.get_children()}
    by_name = {d.name: d for d in defs}
    math_names = {alias.asname or alias.name: alias.name for node in ast.walk(tree)
                  if isinstance(node, ast.ImportFrom) and node.module == "math" for alias in node.names}

    reads: list[str] = []
    math_used: list[str] = []
    visited: set[int] = set()
    todo: list[ast.AST] = [chosen]
    while todo:
        node = todo.pop(0)
        if id(node) in visited:
            continue
        visited.add(id(node))
        table = next((t for (n, line), t in tables.items() if n == node.name and line in
                      (node.lineno, *(x.lineno for x in node.decorator_list))), None)
        here = _def_time_names(node, postponed) + (_global_reads(table) if table else [])
        for read in here:
            if read not in reads:
                reads.append(read)
            helper = by_name.get(read)
            if helper is not None and id(helper) not in visited:
                todo.append(helper)
        for inner in ast.walk(node):
            if (isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name)
                    and inner.value.id == "math" and "math" not in bound and inner.attr not in math_used):
                math_used.append(inner.attr)
            elif isinstance(inner, ast.Name) and inner.id in math_names and math_names[inner.id] not in math_used:
                math_used.append(math_names[inner.id])
    outside = set() if star else {r for r in reads if r not in bound and r not in PROVIDED
                                  and not hasattr(builtins, r)}
    return CellFacts(name, True, _order(outside, tree), course, tuple(math_used), foreign)


def cell_source(function: Callable[..., Any]) -> tuple[str, int] | None:
    """The source of the notebook cell that defined ``function``, and the line of its ``def``.

    IPython keeps each cell's source in ``linecache`` under the cell's own file name, with no
    modification time (it is no file on disk). None for anything else: a function of a module
    file, or code made by exec without a cached source.
    """
    code = getattr(function, "__code__", None)
    entry = linecache.cache.get(getattr(code, "co_filename", None) or "")
    if entry is None or len(entry) != 4 or entry[1] is not None or not entry[2]:
        return _magic_cell_source(code) if getattr(code, "co_filename", None) in MAGIC_FILES else None
    return "".join(entry[2]), code.co_firstlineno


MAGIC_FILES = ("<timed exec>", "<string>")     # the file names %%time and %%prun compile a body under


def _fingerprint(code: Any) -> tuple:
    return (code.co_name, code.co_code, code.co_names,
            tuple(c for c in code.co_consts if not hasattr(c, "co_code")))


def _magic_cell_source(code: Any) -> tuple[str, int] | None:
    """For a function that ``%%time`` or ``%%prun`` defined (no cell source in ``linecache``):
    the latest cell of IPython's history whose ``python_source`` defines this very code (same
    name, bytecode, names and constants), and the line of its ``def`` there."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or []
    for raw in reversed(history):
        if "%%" not in raw:
            continue
        source = python_source(raw)
        try:
            todo = [compile(source, "<cell>", "exec")]
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        while todo:
            candidate = todo.pop()
            if _fingerprint(candidate) == _fingerprint(code):
                return source, candidate.co_firstlineno
            todo.extend(c for c in candidate.co_consts if hasattr(c, "co_code"))
    return None


def from_answer_key(function: Callable[..., Any]) -> bool:
    """Whether ``function`` is the course's own code (the answer key) rather than the learner's."""
    module = getattr(function, "__module__", None) or ""
    return isinstance(module, str) and module.partition(".")[0] == ANSWER_KEY


def facts_of(function: Callable[..., Any], name: str) -> CellFacts | None:
    """The facts about a learner's function, from the source of the cell that defined it."""
    found = cell_source(function)
    if found is None:
        return None
    source, lineno = found
    return analyse(source, getattr(function, "__name__", name), lineno)


def _names(names: tuple[str, ...]) -> str:
    quoted = [f"`{n}`" for n in names[:4]] + (["..."] if len(names) > 4 else [])
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def answer_key_message(name: str) -> str:
    return (f"Your exercise uses `{ANSWER_KEY}`, the course's answer key: that is not your own "
            f"code, and the grader refuses it (it cannot import `{ANSWER_KEY}` at all). Write "
            f"`{name}` yourself, in this cell, with NumPy.")


def foreign_import_message(modules: tuple[str, ...], name: str) -> str:
    """Why a cell that imports a module the grader does not have is refused (in the notebook
    too, where the module is installed: the grader would fail on the import)."""
    many = len(modules) > 1
    return (f"`{name}`'s cell imports {_names(modules)}, which the grader does not have: it runs "
            f"this cell with NumPy (`np`), `math` and Python's standard library only. Remove the "
            f"import{'s' if many else ''} and write `{name}` with NumPy; plots and other "
            f"explorations go in a cell of their own.")


def answer_key_modules() -> frozenset[str]:
    """The modules of ``reference`` (``activations``, ``diagnostics``...): the names a notebook's
    first cell imports from the answer key. A cell that binds its answer to one of their
    functions (``relu = activations.relu``) hands in the answer key, in the notebook and here."""
    import pkgutil

    import reference

    return frozenset(m.name for m in pkgutil.iter_modules(reference.__path__))


def earlier_exercises(exercise_id: str) -> frozenset[str]:
    """The functions of the exercises before this one in its notebook: the grader runs their
    exercise cells first, in the same namespace, so a later exercise may use them (he_normal
    may call he_std)."""
    from checks.registry import EXERCISES

    exercise = EXERCISES[exercise_id]
    same = [e for e in EXERCISES.values() if e.notebook == exercise.notebook]
    return frozenset(e.name for e in same[:same.index(exercise)])


def refusal(facts: CellFacts | None, name: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """Why the grader cannot grade this cell's function as the notebook ran it, or None.

    ``allowed``: names the grader binds before this cell runs (``earlier_exercises``). The
    words are the same in the notebook and in the grader's feedback.
    """
    if facts is None:
        return None
    if ANSWER_KEY in facts.course_imports or (not facts.found and set(facts.outside) & answer_key_modules()):
        return answer_key_message(name)
    if facts.foreign_imports:
        return foreign_import_message(facts.foreign_imports, name)
    if not facts.found:
        return None
    if "checks" in facts.course_imports:
        return ("Your exercise cell imports `checks`, which the grader does not have: keep "
                "`check(...)` in the check cell under it, and only your code in the exercise cell.")
    outside = tuple(n for n in facts.outside if n not in allowed)
    if outside:
        it = "it" if len(outside) == 1 else "them"
        return (f"`{facts.function}` uses {_names(outside)}, defined in another cell: the "
                f"grader runs only this cell; define {it} here.")
    return None


def refusal_for(exercise_id: str, source: str, name: str, lineno: int | None = None) -> str | None:
    """``refusal`` for an exercise cell's source: what the grader's verdicts call."""
    return refusal(analyse(source, name, lineno), name, earlier_exercises(exercise_id))
