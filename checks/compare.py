"""Comparing a learner's answer with the reference answer, without trusting the answer.

Nothing here calls a method of the learner's object: an answer is first turned into a plain
NumPy array (or refused), and only then compared. NumPy's functions are bound at import, so a
notebook that reassigns ``np.allclose`` cannot change a verdict.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

_asarray, _isfinite, _isclose, _all = np.asarray, np.isfinite, np.isclose, np.all
_array2string = np.array2string
_type_mro = type.__dict__["__mro__"].__get__       # a class's own bases, whatever its metaclass says


class NotAnArray(Exception):
    """The answer is not a number, a boolean or a numeric NumPy array."""


class Refused:
    """An answer the grader's sandbox could not send, standing for it with the sandbox's reason.

    The sandbox sends answers as plain data (numbers, arrays, lists, dicts, type names), rebuilt
    in the grader; an object that breaks when read crosses as a ``Refused``, which
    ``as_plain_array`` (and ``checks.answers.plain_answers``) refuse with its reason.
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


def _is_number(value: Any) -> bool:
    """Whether ``value``'s class derives from int, float, complex or ``numbers.Number``, read from
    its real bases: ``isinstance(value, numbers.Number)`` would ask the ABC's registry, where a
    class registered by the learner answers with its metaclass's code."""
    return any(base is number for base in _type_mro(type(value))
               for number in (int, float, complex, numbers.Number))


def as_plain_array(value: Any) -> np.ndarray:
    """The answer as a base-class ndarray of a numeric or boolean dtype, or NotAnArray."""
    if isinstance(value, Refused):
        raise NotAnArray(value.reason)
    if value is None:
        raise NotAnArray("returned None: did you forget the `return` statement?")
    if callable(value) and not isinstance(value, np.ndarray):
        raise NotAnArray("returned a function instead of calling it and returning its result")
    if isinstance(value, (list, tuple)):
        raise NotAnArray(f"returned a Python {type(value).__name__}; return a NumPy array "
                         "(NumPy functions such as np.maximum or np.where already do)")
    if not (isinstance(value, (np.ndarray, np.generic)) or _is_number(value)) or isinstance(value, complex):
        raise NotAnArray(f"returned an object of type {type(value).__name__!r}, "
                         "not a number or a NumPy array")
    array = _asarray(value)
    if array.dtype.kind not in "biuf":
        raise NotAnArray(f"returned an array of dtype {array.dtype}, not of numbers")
    return array.view(np.ndarray) if type(array) is not np.ndarray else array


def show(value: Any, limit: int = 8) -> str:
    """A short, readable rendering of a value for feedback."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        array = _asarray(value)
        text = _array2string(array, threshold=limit, edgeitems=3, precision=6,
                             separator=", ", max_line_width=100)
        if array.ndim:
            return f"{text} (shape {array.shape}, dtype {array.dtype})"
        return f"{text} ({array.dtype})"
    return repr(value)


def close_elements(expected: np.ndarray, actual: np.ndarray, rtol: float,
                   atol: float | np.ndarray) -> np.ndarray:
    """Element by element: |actual - expected| <= atol + rtol |expected| (NaN equals NaN, and
    an infinity only itself). ``atol`` may be an array: a slack per element."""
    return _isclose(actual.astype(np.float64), expected.astype(np.float64),
                    rtol=rtol, atol=atol, equal_nan=True)


def values_agree(expected: np.ndarray, actual: np.ndarray, rtol: float, atol: float | np.ndarray,
                 mask: np.ndarray | None = None) -> bool:
    """Same shape, and equal within tolerance where ``mask`` is True (all entries if None)."""
    if expected.shape != actual.shape:
        return False
    close = close_elements(expected, actual, rtol, atol)
    return bool(_all(close if mask is None else close[mask]))


def first_mismatch(expected: np.ndarray, actual: np.ndarray, rtol: float, atol: float | np.ndarray,
                   mask: np.ndarray | None = None) -> tuple[int, ...] | None:
    """The index of the first element that differs (within tolerance), or None."""
    if expected.shape != actual.shape:
        return None
    wrong = ~close_elements(expected, actual, rtol, atol)
    if mask is not None:
        wrong &= mask
    found = np.argwhere(wrong)
    return tuple(int(i) for i in found[0]) if found.size else None


def graded_mask(args: tuple, shape: tuple) -> np.ndarray | None:
    """Where an element-wise answer is graded: everywhere but at NaN inputs (None when the first
    argument is not an array of the answer's shape). Infinities are graded: relu(-inf) is 0."""
    first = _asarray(args[0]) if args else None
    if first is None or first.dtype.kind not in "biuf" or first.shape != shape:
        return None
    return ~np.isnan(first) if first.dtype.kind == "f" else None


def tolerances(expected: np.ndarray, actual: np.ndarray, args: tuple, rtol: float, atol: float,
               cancels: bool = False) -> tuple[float, float | np.ndarray]:
    """(rtol, atol) for comparing answers element by element, relative to the expected value.

    Each element may differ by atol + rtol |expected|: rtol and the absolute floor atol (for
    values near 0) are the exercise's, looser when either side is float32 (7 significant digits:
    1e-5 and 1e-6). Nothing scales with the largest input, so a wrong answer cannot hide behind
    a huge element of the same call. ``cancels``: for float32, a formula that subtracts large
    terms loses a few ulps of each input element, so each element also gets 4 ulps of its input.
    """
    if np.float32 not in (expected.dtype.type, actual.dtype.type):
        return rtol, atol
    rtol, atol = max(rtol, 1e-5), max(atol, 1e-6)
    first = _asarray(args[0]) if args else None
    if cancels and first is not None and first.dtype.kind == "f" and first.shape == expected.shape:
        with np.errstate(all="ignore"):
            slack = 4 * float(np.finfo(np.float32).eps) * np.abs(first.astype(np.float64))
        return rtol, atol + np.where(_isfinite(slack), slack, 0.0)
    return rtol, atol
