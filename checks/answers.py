"""Answers given as a dict (quizzes, the capstone's configuration), turned into plain data.

Like ``as_plain_array`` for arrays: nothing of the learner's object is trusted, and no method
of it is called. The answer must be a real dict with string keys and numbers, strings or
booleans as values (of exactly those types: a subclass of float may say anything about itself);
NumPy scalars are converted by NumPy. Anything else is refused with a message saying what was
expected. ``check`` and the grader both pass it the answer as the sandbox sends it
(``checks.runner.snapshot``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from checks.compare import Refused

Answer = bool | int | float | str


class NotAnAnswer(Exception):
    """The value is not a dict of plain answers."""


def plain_answers(value: Any) -> dict[str, Answer]:
    """A plain copy of the learner's answers, or NotAnAnswer saying what is wrong."""
    if isinstance(value, Refused):
        raise NotAnAnswer(value.reason)
    if value is None:
        raise NotAnAnswer("returned None: did you forget the `return` statement?")
    if type(value) is not dict:
        raise NotAnAnswer(f"returned a {type(value).__name__}; return a dict such as "
                          "{\"q1\": 0.5, \"q2\": \"b\"}")
    plain: dict[str, Answer] = {}
    for key, item in value.items():
        if type(key) is not str:
            plain = type(key) in (bool, int, float, type(None))
            shown = repr(key) if plain else f"of type {type(key).__name__}"
            raise NotAnAnswer(f"the key {shown} is not a string: use \"q1\", \"q2\", ...")
        if isinstance(item, np.generic):
            item = np.asarray(item)[()].item()          # NumPy's item, not a subclass's
        if type(item) not in (bool, int, float, str):
            raise NotAnAnswer(f"the answer to {key!r} is a {type(item).__name__}; answers are "
                              "numbers, strings or booleans")
        plain[key] = item
    return plain


def as_number(answer: Answer) -> float | None:
    """A numeric answer as a float (a string such as "0.5" too); None if it is not a number."""
    if isinstance(answer, bool):
        return None
    try:
        number = float(answer)
    except (ValueError, OverflowError):          # OverflowError: an int such as 10**4000
        return None
    return number if math.isfinite(number) else None
