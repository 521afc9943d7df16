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
    if not isinstance(value, (np.ndarray, np.generic, numbers.Number)) or isinstance(value, complex):
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


def values_agree(expected: np.ndarray, actual: np.ndarray, rtol: float, atol: float,
                 mask: np.ndarray | None = None) -> bool:
    """Same shape, and equal within tolerance where ``mask`` is True (all entries if None)."""
    if expected.shape != actual.shape:
        return False
    close = _isclose(actual.astype(np.float64), expected.astype(np.float64),
                     rtol=rtol, atol=atol, equal_nan=True)
    return bool(_all(close if mask is None else close[mask]))


def finite_mask(args: tuple, shape: tuple) -> np.ndarray | None:
    """Where the first argument is finite (None when it is not an array of that shape)."""
    first = _asarray(args[0]) if args else None
    if first is None or first.dtype.kind not in "biuf" or first.shape != shape:
        return None
    return _isfinite(first)


def tolerances(expected: np.ndarray, actual: np.ndarray, args: tuple,
               rtol: float, atol: float) -> tuple[float, float]:
    """(rtol, atol) for comparing answers; looser when either side is float32.

    float32 carries about 7 significant digits, and formulas that cancel (relu(x + 1) - 2 relu(x))
    lose a few ulps of the input's magnitude, hence an atol scaled by the largest finite input.
    """
    if np.float32 not in (expected.dtype.type, actual.dtype.type):
        return rtol, atol
    first = _asarray(args[0]) if args else _asarray(0.0)
    scale = 1.0
    if first.dtype.kind in "biuf" and first.size:
        finite = first[_isfinite(first)]
        scale += float(np.max(np.abs(finite))) if finite.size else 0.0
    return max(rtol, 1e-5), max(atol, 1e-6 * scale)
