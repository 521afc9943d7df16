"""The data an exercise is declared with: calls to make, mistakes to recognise, points to give.

An exercise is data. The engine (``checks.engine``) runs its calls on a learner's function,
compares each answer with the reference, names the known mistake that explains a wrong answer,
and scores the groups of calls that passed. Adding an exercise adds one ``Exercise`` entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class Rng:
    """An argument that stands for ``numpy.random.default_rng(seed)``, made where the call runs.

    Calls travel to a sandbox as plain data; a Generator is built on arrival from its seed.
    ``as_int`` passes the plain int seed instead of a Generator.
    """

    seed: int
    as_int: bool = False

    def make(self) -> np.random.Generator | int:
        return self.seed if self.as_int else np.random.default_rng(self.seed)


@dataclass(frozen=True)
class Call:
    """One call of the learner's function: ``f(*args, **kwargs)``, described by ``label``.

    ``global_seed`` seeds NumPy's global random state just before the call (to catch functions
    that use it instead of their ``rng`` argument).
    """

    args: tuple
    kwargs: dict = field(default_factory=dict)
    label: str = ""
    global_seed: int | None = None


@dataclass
class Outcome:
    """What one call did: its return value, or the error it raised, and what else it did."""

    value: Any = None
    error: str | None = None            # "ValueError: the message"
    not_implemented: bool = False       # raised NotImplementedError: the stub is untouched
    timed_out: bool = False
    args_after: tuple = ()              # the arguments after the call, to catch in-place edits
    printed: str = ""                   # what it printed (stdout and stderr, capped)
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None and not self.timed_out and not self.not_implemented


KINDS = ("timeout", "error", "type", "in_place", "shape", "dtype", "value")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what to tell the learner who gives it.

    Recognised either by ``impl`` (a function making the same mistake: the learner's output
    equals ``impl``'s on the failing call) or by ``detect(call, outcome)``, and only on a
    failure of one of its ``kinds`` (see ``Problem.kind``): a mistake that explains wrong values
    never explains an exception, a changed input or a wrong dtype. ``kinds`` defaults to
    ("value", "shape") for an ``impl`` and ("value",) for a ``detect``.
    """

    name: str
    message: str
    hint: str = ""
    impl: Callable[..., Any] | None = None
    detect: Callable[[Call, Outcome], bool] | None = None
    kinds: tuple[str, ...] = ()

    @property
    def explains_kinds(self) -> tuple[str, ...]:
        if self.kinds:
            return self.kinds
        return ("value", "shape") if self.impl is not None else ("value",)


@dataclass(frozen=True)
class Group:
    """A group of calls scored together: partial credit is given group by group.

    ``make_calls(rng)`` builds the calls (random ones drawn from ``rng``, fresh each run).
    A group with ``note_only`` never fails; what it finds is reported as a note.
    ``judge(calls, outcomes, expected) -> list of Problem``, when given, replaces the call-by-call
    comparison with the reference (e.g. for random initializers, judged by their statistics).
    """

    name: str
    make_calls: Callable[[np.random.Generator], list[Call]]
    weight: float = 1.0
    note_only: bool = False
    judge: Callable[[list[Call], list[Outcome], list[Any]], list["Problem"]] | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course.

    ``output`` says how answers are compared: ``"activation"`` (same shape, same float dtype
    as a float input), ``"derivative"`` (same shape; any numeric or boolean dtype, noted), or
    ``"scalar"`` (one number).

    ``hint`` is the first of the hints (the idea, without code); ``hints`` the more specific
    ones that follow (a pointer, then the key line); ``show_solution`` comes after them.
    ``dtype_tip`` is how this exercise keeps its input's dtype (for the derivative's note).
    ``cancels``: the reference's formula cancels large terms (relu(x + 1) - 2 relu(x) ...), so
    float32 answers get an absolute slack of a few ulps of each input element.
    """

    id: str
    notebook: str
    description: str
    signature: str
    points: float
    reference: Callable[..., Any]
    groups: tuple[Group, ...]
    mistakes: tuple[Mistake, ...] = ()
    hint: str = ""
    hints: tuple[str, ...] = ()
    output: str = "activation"
    rtol: float = 1e-6
    atol: float = 1e-12
    dtype_tip: str = ""
    cancels: bool = False

    @property
    def name(self) -> str:
        return self.signature.split("(")[0]

    @property
    def hint_levels(self) -> tuple[str, ...]:
        """Every hint, from the idea (level 1) to the key line (the last level)."""
        return tuple(h for h in (self.hint, *self.hints) if h)


@dataclass
class Problem:
    """A failed call, as the learner will read it."""

    label: str
    what: str                       # one sentence: what went wrong
    kind: str = "value"             # one of KINDS: what sort of failure it is
    expected: str | None = None
    actual: str | None = None
    mistake: Mistake | None = None
    call: Call | None = None
    outcome: Outcome | None = None
