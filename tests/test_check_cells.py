"""The cell analysis (checks.cells): which names a function reads from outside its exercise
cell, read from the source alone, and what check says about it (tests/cross_cell_cases.py)."""

import math

import numpy as np
import pytest

from checks import EXERCISES, cells, check
from cross_cell_cases import CASES
from mutants import define


def outside(source: str, name: str = "f") -> tuple[str, ...]:
    return cells.analyse(source, name).outside


@pytest.mark.parametrize("source, names", [
    ("def f(z):\n    return np.maximum(z, 0) + math.pi + abs(z)\n", ()),
    ("def f(z):\n    return g(z)\n", ("g",)),
    ("def g(z):\n    return h(z)\n\ndef f(z):\n    return g(z)\n", ("h",)),            # through a helper
    ("def g(z):\n    return h(z)\n\ndef f(z):\n    return z\n", ()),                    # an unused helper
    ("def f(z):\n    def inner(y):\n        return k * y\n    return inner(z)\n", ("k",)),
    ("def f(z):\n    return [w * v for v in z]\n", ("w",)),
    ("def f(z):\n    return (lambda y: y * c)(z)\n", ("c",)),
    ("def f(z, a=A):\n    return z\n", ("A",)),
    ("@deco\ndef f(z):\n    return z\n", ("deco",)),
    ("def f(z: ArrayLike) -> Out:\n    return z\n", ("ArrayLike", "Out")),
    ("from __future__ import annotations\ndef f(z: ArrayLike):\n    return z\n", ()),
    ("import numpy\nC = 2\ndef f(z):\n    return numpy.abs(z) * C\n", ()),
    ("def f(z):\n    global seen\n    seen = True\n    return z\n", ()),
    ("def f(z):\n    return seen\n\ndef g():\n    global seen\n    seen = 1\n", ()),
    ("from numpy import *\ndef f(z):\n    return maximum(z, 0)\n", ()),               # cannot tell: allowed
    ("%timeit 1\ndef f(z):\n    return z * q\n", ("q",)),                              # magics are skipped
    ("files = !ls\ndef f(z):\n    return files\n", ()),                                 # IPython syntax is read
    ("def f(z):\n    display(z)\n    return get_ipython()\n", ()),                      # the grader has both
])
def test_the_names_a_function_reads_from_other_cells(source, names):
    assert outside(source) == names


def test_what_the_analysis_cannot_read():
    assert cells.analyse("def f(z)\n    return z\n", "f") is None                      # a syntax error
    assert cells.analyse("x = 1\n", "f").found is False
    assert cells.facts_of(lambda z: z, "f") is None                                     # no cell source
    assert cells.facts_of(np.maximum, "f") is None
    assert cells.facts_of(math.sqrt, "f") is None
    assert cells.facts_of(test_what_the_analysis_cannot_read, "f") is None              # a module file


def test_math_functions_and_course_imports():
    facts = cells.analyse("from math import exp as e\nimport reference.init\ndef f(z):\n"
                          "    return math.sqrt(e(z))\n", "f")
    assert facts.math_functions == ("sqrt", "exp") and facts.course_imports == ("reference",)


def test_a_cell_is_read_as_ipython_runs_it():
    assert cells.python_source("def f(z):\n    return z\n\nnp.maximum?\n").endswith(
        "get_ipython().run_line_magic('pinfo', 'np.maximum')\n")
    assert cells.python_source("files = !ls\n") == "files = get_ipython().getoutput('ls')\n"
    assert cells.python_source('x = """\n%d\n"""\n') == 'x = """\n%d\n"""\n'             # strings are left alone
    assert cells.python_source("def f(:\n") == "def f(:\n"                               # Python words the error
    assert cells.analyse("def f(z):\n    return z\n\nnp.maximum?\n", "f").found


@pytest.mark.parametrize("magic", ["%%time", "%%capture", "%%capture out --no-stdout", "%%prun -q"])
def test_a_cell_magic_that_runs_its_body_is_read_as_its_body(magic):
    """Security re-attack, parity: ``%%time`` above a correct def passed in the notebook and
    the grader (whose shell runs no cell magic) said it does not define it."""
    body = "def f(z):\n    files = !ls\n    return g(z)\n"
    assert cells.python_source(f"{magic}\n{body}") == cells.python_source(body)
    assert cells.python_source(f"%%capture\n{magic}\n{body}") == cells.python_source(body)
    assert cells.analyse(f"{magic}\n{body}", "f").outside == ("g",)
    assert "run_cell_magic('timeit'" in cells.python_source(f"%%timeit\n{body}")   # its body runs in a function


@pytest.mark.parametrize("source, modules", [
    ('import importlib\nimportlib.import_module("matplotlib")\ndef f(z):\n    return z\n', ("matplotlib",)),
    ('__import__("matplotlib.pyplot")\ndef f(z):\n    return z\n', ("matplotlib",)),
    ('from importlib import import_module\ndef f(z):\n    return import_module("pandas").x\n', ("pandas",)),
    ('import importlib\nimportlib.import_module("json")\nimportlib.import_module(".x", "p")\ndef f(z):\n    return z\n', ()),
])
def test_an_import_by_call_of_a_module_the_grader_lacks_is_found(source, modules):
    """Security re-attack, parity: ``importlib.import_module("matplotlib")`` passed in the notebook
    and failed in the grader with ModuleNotFoundError."""
    assert cells.analyse(source, "f").foreign_imports == modules


@pytest.mark.parametrize("source, modules", [
    ("import matplotlib.pyplot as plt\ndef f(z):\n    return z\n", ("matplotlib",)),
    ("def f(z):\n    import pandas as pd\n    from scipy.special import expit\n    return z\n", ("pandas", "scipy")),
    ("def g():\n    import torch\n\ndef f(z):\n    return z\n", ("torch",)),           # anywhere in the cell
    ("try:\n    import sklearn\nexcept ImportError:\n    pass\ndef f(z):\n    return z\n", ("sklearn",)),
    ("import numpy.typing, math, functools, os.path\nfrom collections import abc\ndef f(z):\n    return z\n", ()),
    ("from __future__ import annotations\nimport reference\nimport checks\ndef f(z):\n    return z\n", ()),
])
def test_the_modules_the_grader_does_not_have(source, modules):
    assert cells.analyse(source, "f").foreign_imports == modules
    assert cells.analyse(source, "other").foreign_imports == modules                     # the whole cell


def test_a_module_the_grader_lacks_is_refused_in_the_same_words_everywhere():
    facts = cells.analyse("import matplotlib.pyplot as plt\nimport seaborn\ndef relu(z):\n    return z\n", "relu")
    assert cells.refusal(facts, "relu") == cells.foreign_import_message(("matplotlib", "seaborn"), "relu")
    assert cells.refusal_for("relu", "import pandas\nrelu = lambda z: z\n", "relu") == \
        cells.foreign_import_message(("pandas",), "relu")
    assert "`relu`'s cell imports `matplotlib`, which the grader does not have" in \
        cells.foreign_import_message(("matplotlib",), "relu")
    assert cells.refusal(cells.analyse("import reference\nimport pandas\ndef relu(z):\n    return z\n", "relu"),
                         "relu") == cells.answer_key_message("relu")


def test_the_functions_of_earlier_exercises_of_the_notebook_are_allowed():
    assert cells.earlier_exercises("he_normal") == {"he_std"}
    assert cells.earlier_exercises("quiz_01") == {"relu", "relu_grad", "hat"}
    assert cells.earlier_exercises("relu") == set()
    assert "leaky_relu" not in cells.earlier_exercises("quiz_03")


class QuietShell:
    """``get_ipython()`` for these cells: magics, shell commands and help do nothing."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


@pytest.mark.parametrize("name", list(CASES))
def test_check_says_the_cases_message(name):
    """Each cell run as IPython runs it: transformed, under ``__main__``, with ``display``."""
    key, before, cell, message = CASES[name]
    shell = QuietShell()
    namespace = {"np": np, "math": math, "__name__": "__main__", "get_ipython": lambda: shell,
                 "display": lambda *args: None}
    for _, source in before:
        exec(source, namespace)  # noqa: S102 - our own cases (from reference imports too)
    if "def " in cell:
        function = define(cells.python_source(cell), EXERCISES[key].name, namespace)
    else:
        exec(cell, namespace)  # noqa: S102
        function = namespace[EXERCISES[key].name]
    result = check(key, function, record=False)
    if message is None:
        assert result.passed, str(result)
    else:
        assert result.score == 0 and result.messages == [message], str(result)


def test_cells_are_parsed_safely_from_several_threads_at_once():
    """The grader judges on several threads, and CPython 3.11 keeps the AST builder's recursion
    depth in shared state (python/cpython#106905): without the lock in cells._parse, a thread
    switch inside ast.parse (here forced by finalizers that sleep) raises SystemError."""
    import gc
    import time
    from concurrent.futures import ThreadPoolExecutor

    class SwitchesThreads:
        def __init__(self):
            self.cycle = self                  # collected by the garbage collector, mid-parse

        def __del__(self):
            time.sleep(0)

    nested = "x = " + "(" * 30 + "1" + "[a, {c: d}]" * 10 + ")" * 30 + "\n"

    def parse_many(_):
        for _ in range(100):
            SwitchesThreads()
            try:
                cells._parse(nested)
            except SystemError as error:
                return str(error)
        return None

    threshold = gc.get_threshold()
    gc.set_threshold(10, 1, 1)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            errors = [e for e in pool.map(parse_many, range(24)) if e]
    finally:
        gc.set_threshold(*threshold)
    assert errors == []
