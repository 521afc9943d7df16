"""Building blocks shared by the exercise declarations: inputs, labels, and mistake detectors."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import numpy as np

from checks.compare import NotAnArray, as_plain_array, values_agree
from checks.core import Call, Group, Mistake, Outcome
from checks.runner import materialize

EDGE_VALUES = np.array([0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, 1e300, -1e300, 1.0, -1.0])
INFINITIES = np.array([np.inf, -np.inf, 1.0, -1.0, 0.5])


def label(value: Any, name: str = "z") -> str:
    """How an input is shown to the learner: the value itself when small, else its shape."""
    if isinstance(value, np.ndarray):
        if value.size > 12:
            return f"{name} = an array of shape {value.shape} ({value.dtype})"
        text = np.array2string(value, separator=", ", precision=4)
        return f"{name} = np.array({text}) (shape {value.shape}, {value.dtype})"
    if isinstance(value, np.generic):
        return f"{name} = {value.item()!r}"
    return f"{name} = {value!r} (a Python {type(value).__name__})"


def elementwise_call(z: Any, *extra: Any, label_extra: str = "", name: str = "z") -> Call:
    return Call((z, *extra), label=label(z, name) + label_extra)


def seed_examples(*values: float, extra: tuple = ()) -> Group:
    """The source document's own examples, as NumPy float64 scalars."""
    suffix = "".join(f", alpha = {e}" for e in extra)
    return Group("the source text's examples", lambda rng: [
        elementwise_call(np.float64(v), *extra, label_extra=suffix) for v in values])


def elementwise_groups(extra: tuple = (), python_scalars_graded: bool = True,
                       name: str = "z", infinities: str = "graded") -> tuple[Group, ...]:
    """Edge values, shapes and dtypes, Python scalars, fresh random inputs, and infinities.

    ``extra`` holds arguments passed after z (alpha). Python-scalar inputs are graded for
    activations; for derivatives they are a note, since ``(z > 0).astype(float)``, a correct
    array solution, cannot take a Python float. ``infinities``: "graded" where the reference's
    value at ±inf is the function's limit and correct forms reach it (relu(-inf) = 0), "note"
    where textbook forms overflow there, "skip" where the reference itself gives NaN.
    Every group holds inputs on which a constant, zeros or the input unchanged are wrong.
    """
    suffix = "".join(f", alpha = {e}" for e in extra)

    def call(z: Any) -> Call:
        return elementwise_call(z, *extra, label_extra=suffix, name=name)

    def shapes(rng: np.random.Generator) -> list[Call]:
        return [call(np.array(-1.5)), call(np.array(2.5)),
                call(np.array([-2.0, -0.5, 0.5, 2.0])),
                call(np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])),
                call(np.zeros((0,))),
                call(np.array([[-1.5, 0.0], [0.25, 3.0]], dtype=np.float32)),
                call(rng.normal(0, 2, (2, 3, 4)))]

    def python_scalars(rng: np.random.Generator) -> list[Call]:
        return [call(-2.0), call(0.5), call(3.0)]

    groups = (
        Group("edge values: 0, -0.0, tiny and huge numbers of both signs", lambda rng: [
            call(np.float64(0.0)), call(EDGE_VALUES.copy())]),
        Group("shapes and dtypes: 0-d, 1-D, 2-D, 3-D, empty, float32", shapes),
        Group("Python scalars", python_scalars, note_only=not python_scalars_graded),
        Group("fresh random inputs", lambda rng: [
            call(rng.normal(0, 3, 50)), call(rng.normal(0, 3, (7, 9)).astype(np.float32))]),
    )
    if infinities == "skip":
        return groups
    return groups + (Group("infinities: inf and -inf", lambda rng: [call(INFINITIES.copy())],
                           note_only=infinities == "note"),)


def raises(*fragments: str) -> Callable[[Call, Outcome], bool]:
    """A detector: the call raised an error whose text contains one of ``fragments``."""
    return lambda call, outcome: outcome.error is not None and any(f in outcome.error for f in fragments)


def returns(impl: Callable[..., Any], rtol: float = 1e-6,
            atol: float = 1e-12) -> Callable[[Call, Outcome], bool]:
    """A detector: the answer equals ``impl``'s on the same call (compared on plain arrays)."""
    def detect(call: Call, outcome: Outcome) -> bool:
        try:
            actual = as_plain_array(outcome.value)
        except NotAnArray:
            return False
        with np.errstate(all="ignore"):
            wrong = np.asarray(impl(*map(materialize, call.args)))
        return values_agree(wrong, actual, rtol, atol)
    return detect


def either(*detectors: Callable[[Call, Outcome], bool]) -> Callable[[Call, Outcome], bool]:
    return lambda call, outcome: any(d(call, outcome) for d in detectors)


SCALAR_ONLY = Mistake(
    "works only on single numbers",
    "Your function uses Python's `if`, `max` or `min` on z, which work on one number at a time; "
    "on an array NumPy cannot tell whether the whole array is 'greater than 0'.",
    hint="Use NumPy's element-wise functions: np.maximum, np.where, or a comparison such as "
         "(z > 0), which act on every element at once, for any shape.",
    detect=raises("truth value of an array"), kinds=("error",))

ONE_DIMENSIONAL_ONLY = Mistake(
    "works only on one shape",
    "Your function fails for some shapes (a single number, a 0-d or a 2-D array): a loop over "
    "z or indexing like z[i] assumes a 1-D array.",
    hint="Avoid loops and indexing: np.maximum(z, 0) or np.where(z > 0, ...) work element-wise "
         "on arrays of any shape, and on single numbers.",
    detect=raises("not iterable", "iteration over a 0-d array", "too many indices",
                  "object of type", "has no len", "invalid index", "only integer scalar arrays"),
    kinds=("error",))


def wrong_default(reference: Callable[..., Any], name: str, default: float) -> Mistake:
    """A mistake recognised when a call without alpha answers as if alpha had another value."""
    def detect(call: Call, outcome: Outcome) -> bool:
        if len(call.args) != 1 or call.kwargs:
            return False
        actual = as_plain_array(outcome.value)
        z = np.asarray(call.args[0], dtype=float)
        return any(values_agree(np.asarray(reference(z, alpha)), actual, 1e-9, 0.0)
                   for alpha in (0.0, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0, 0.001, 0.02, 0.05)
                   if alpha != default)
    return Mistake(
        f"wrong default alpha in {name}",
        f"Called without alpha, your {name} uses another alpha than the default, {default}.",
        hint=f"Give alpha its default in the signature: alpha={default}.",
        detect=detect)


def zero_in_every_group(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """The groups, each graded one holding z = 0 among its inputs: the mistake a rectifier's
    derivative exercise is about, slope 1 at z = 0 (z >= 0), then fails every group and scores 0."""
    def has_zero(call) -> bool:
        z = call.args[0]
        return isinstance(z, (np.ndarray, np.generic)) and bool(np.any(np.asarray(z) == 0))

    def with_zero(group: Group) -> Group:
        if group.note_only or any(map(has_zero, group.make_calls(np.random.default_rng(0)))):
            return group
        return replace(group, name=f"{group.name}, and z = 0",
                       make_calls=lambda rng: [*group.make_calls(rng), elementwise_call(np.float64(0.0))])
    return tuple(with_zero(g) for g in groups)
