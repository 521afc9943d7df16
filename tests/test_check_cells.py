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


def test_the_functions_of_earlier_exercises_of_the_notebook_are_allowed():
    assert cells.earlier_exercises("he_normal") == {"he_std"}
    assert cells.earlier_exercises("quiz_01") == {"relu", "relu_grad", "hat"}
    assert cells.earlier_exercises("relu") == set()
    assert "leaky_relu" not in cells.earlier_exercises("quiz_03")


@pytest.mark.parametrize("name", list(CASES))
def test_check_says_the_cases_message(name):
    key, before, cell, message = CASES[name]
    namespace = {"np": np, "math": math}
    for _, source in before:
        exec(source, namespace)  # noqa: S102 - our own cases (from reference imports too)
    if "def " in cell:
        function = define(cell, EXERCISES[key].name, namespace)
    else:
        exec(cell, namespace)  # noqa: S102
        function = namespace[EXERCISES[key].name]
    result = check(key, function, record=False)
    if message is None:
        assert result.passed, str(result)
    else:
        assert result.score == 0 and result.messages == [message], str(result)
