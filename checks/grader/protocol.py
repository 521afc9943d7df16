"""The grader's side of the sandbox protocol: jobs going out, plain data coming back, checked.

A job is one notebook: its exercise cells in order (``Step``), which of them to grade with
which calls, and the limits. What comes back is read as untrusted input: every frame must be
JSON of the expected shape, arrays are read without unpickling, text is capped, and anything
else is ``Malformed``. The child's side is ``sandbox.py``; the two are tested together.
"""

from __future__ import annotations

import json
import numbers
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from checks.api import TIME_LIMIT
from checks.compare import Refused
from checks.core import Call, Exercise, Outcome, Rng
from checks.grader.wire import MAX_DEPTH, MAX_ITEMS, WireError, pack_array, unpack_array
from checks.runner import PRINT_LIMIT

COURSE_PACKAGES = ["checks", "reference"]       # never importable in the sandbox


class Malformed(Exception):
    """The sandbox sent something the protocol does not allow."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Wall-clock limits are enforced by the sandbox worker, the
    others by the kernel (``setrlimit``) in the child."""

    exercise_seconds: float = 10.0      # wall clock for one exercise's cell, and again for its calls
    submission_seconds: float = 60.0    # wall clock for a whole submission, every notebook in it
    call_seconds: float = TIME_LIMIT    # all the calls of one exercise, as `check` in a notebook
    memory_mb: int = 1024               # address space beyond the worker's own
    file_mb: int = 16                   # the largest file the child may write
    output_bytes: int = 64 << 20        # everything the child sends for one job
    print_chars: int = PRINT_LIMIT      # printed text kept per call

    @classmethod
    def for_timeout(cls, seconds: float) -> "Limits":
        """Limits for ``--timeout SECONDS`` per exercise: a submission gets six times as long."""
        return cls(exercise_seconds=seconds, submission_seconds=6 * seconds,
                   call_seconds=min(TIME_LIMIT, seconds / 2))


@dataclass(frozen=True)
class Step:
    """One exercise cell to run. ``exercise`` is set when this cell's function is graded;
    an earlier duplicate of a graded cell still runs, for what it defines."""

    source: str
    cell: int                                   # its number in the notebook, from 1
    exercise: Exercise | None = None
    calls: tuple[dict, ...] = ()                # the encoded calls, when graded


def encode_argument(value: Any) -> dict:
    """An argument of a planned call as plain data (see ``sandbox._argument`` for the way back)."""
    if isinstance(value, Rng):
        return {"kind": "rng", "seed": value.seed, "as_int": value.as_int}
    if isinstance(value, np.ndarray):
        return {"kind": "array", "npy": pack_array(value)}
    if isinstance(value, np.generic):
        return {"kind": "scalar", "npy": pack_array(np.asarray(value))}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"kind": "plain", "value": value}
    raise TypeError(f"a call's argument of type {type(value).__name__} cannot go to the sandbox")


def encode_call(call: Call) -> dict:
    return {"args": [encode_argument(a) for a in call.args],
            "kwargs": {key: encode_argument(v) for key, v in call.kwargs.items()},
            "global_seed": call.global_seed}


def job(steps: list[Step], start: int, skip: set[int], limits: Limits, seconds: float) -> bytes:
    """The job for the sandbox worker: run every step but ``skip``, reporting from ``start``."""
    limit_fields = asdict(limits) | {"total_seconds": seconds}
    return json.dumps({
        "steps": [{"source": s.source, "cell": s.cell, "name": s.exercise.name if s.exercise else None,
                   "calls": list(s.calls)} for s in steps],
        "start": start, "skip": sorted(skip), "limits": limit_fields, "blocked": COURSE_PACKAGES,
    }).encode()


def expected_frames(steps: list[Step], start: int, skip: set[int]) -> list[tuple[int, str]]:
    """The (step, phase) of each frame a job sends after ``ready``, in order."""
    order = []
    for index in range(start, len(steps)):
        if index not in skip:
            order.append((index, "cell"))
            if steps[index].exercise is not None:
                order.append((index, "calls"))
    return order


def _fresh_float(constant: str) -> float:
    """NaN, Infinity or -Infinity as a new float object each time. JSON's own reader gives every
    NaN one shared object, which makes NaN dict keys that are distinct in the learner's dict (and
    in ``check``, which keeps each NaN's object) one key: a NaN is not equal to itself, so a dict
    tells NaN keys apart by their identity."""
    return float(constant)


def parse(payload: bytes) -> dict:
    """A frame from the sandbox as a dict with a ``phase``, or Malformed."""
    try:
        data = json.loads(payload, parse_constant=_fresh_float)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Malformed("a frame that is not JSON, or too deeply nested") from None
    if not isinstance(data, dict) or not isinstance(data.get("phase"), str):
        raise Malformed("a frame without a phase")
    return data


def text(data: dict, key: str, limit: int) -> str | None:
    """``data[key]``: None or a string, cut to ``limit`` characters."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise Malformed(f"{key} is not text")
    return None if value is None else value[:limit]


def flag(data: dict, key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise Malformed(f"{key} is not true or false")
    return value


def _array(packed: Any) -> np.ndarray:
    if not isinstance(packed, str):
        raise Malformed("an array that is not text")
    try:
        return unpack_array(packed)
    except WireError as error:
        raise Malformed(str(error)) from None


def _returned_function(*args: Any, **kwargs: Any) -> None:
    """Stands for a function that a learner's function returned."""
    raise TypeError("a function returned by a submission is not called by the grader")


def _stand_in(type_name: str, number: bool) -> object:
    """An object of a class named like the learner's, and nothing more: what a check reads of
    an object that is neither data nor a function is its type's name (and whether it is a number)."""
    bases = (numbers.Number,) if number else ()
    name = "".join(character for character in type_name if character.isprintable()) or "object"
    return type(name, bases, {"__slots__": (), "__repr__": lambda self: f"<{name} object>"})()


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise Malformed(what)


def decode_value(data: Any, depth: int = 0) -> Any:
    """The value that ``sandbox.encode_value`` sent, rebuilt from plain data only."""
    _check(isinstance(data, dict) and depth <= MAX_DEPTH, "a value that is not an object")
    kind = data.get("t")
    plain = {"none": type(None), "bool": bool, "int": int, "float": (float, int), "str": str}
    if kind in plain:
        value = data.get("v")
        _check(isinstance(value, plain[kind]) and (kind == "bool" or type(value) is not bool),
               f"a {kind} value of another type")
        return float(value) if kind == "float" else value
    if kind in ("array", "scalar"):
        array = _array(data.get("npy"))
        _check(kind == "array" or array.ndim == 0, "a scalar that is an array")
        return array if kind == "array" else array[()]
    if kind == "objects":
        shape = data.get("shape")
        _check(isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)
               and len(shape) <= 32, "an object array's shape")
        return np.broadcast_to(np.empty((), dtype=object), tuple(shape))
    if kind == "complex":
        _check(all(type(data.get(k)) in (int, float) for k in ("re", "im")), "a complex number")
        return complex(data["re"], data["im"])
    if kind in ("list", "tuple", "dict"):
        items = data.get("items")
        _check(isinstance(items, list) and len(items) <= MAX_ITEMS, "a container's items")
        if kind != "dict":
            decoded = [decode_value(item, depth + 1) for item in items]
            return decoded if kind == "list" else tuple(decoded)
        _check(all(isinstance(pair, list) and len(pair) == 2 for pair in items), "a dict's items")
        try:
            return {decode_value(k, depth + 1): decode_value(v, depth + 1) for k, v in items}
        except TypeError:
            raise Malformed("a dict key that cannot be a key") from None
    if kind == "function":
        return _returned_function
    if kind == "object":
        _check(isinstance(data.get("type"), str) and isinstance(data.get("number"), bool), "an object")
        return _stand_in(data["type"][:100], data["number"])
    if kind == "refused":
        return Refused(text(data, "reason", 500) or "returned a value that could not be read")
    raise Malformed("a value of an unknown kind")


def decode_outcome(data: Any, call: Call) -> Outcome:
    """One call's outcome, its answer rebuilt as plain data."""
    _check(isinstance(data, dict), "an outcome that is not an object")
    value = None if data.get("value") is None else decode_value(data["value"])
    after = data.get("args_after")
    _check(isinstance(after, list) and len(after) <= len(call.args),
           "arguments after the call that do not match the call")
    warnings = data.get("warnings")
    _check(isinstance(warnings, list) and all(isinstance(w, str) for w in warnings),
           "warnings that are not a list of text")
    return Outcome(
        value=value, error=text(data, "error", 500), not_implemented=flag(data, "not_implemented"),
        timed_out=flag(data, "timed_out"),
        args_after=tuple(original if packed is None else _array(packed)
                         for packed, original in zip(after, call.args)),
        printed=text(data, "printed", PRINT_LIMIT) or "", warnings=tuple(w[:300] for w in warnings[:5]))


def decode_outcomes(frame: dict, calls: list[Call]) -> list[Outcome]:
    """The outcome of each call, or Malformed: whatever fails in reading them is the sender's fault."""
    outcomes = frame.get("outcomes")
    if not isinstance(outcomes, list) or len(outcomes) != len(calls):
        raise Malformed("not one outcome per call")
    try:
        return [decode_outcome(data, call) for data, call in zip(outcomes, calls)]
    except Malformed:
        raise
    except Exception as error:  # noqa: BLE001 - e.g. an array shape too large to exist
        raise Malformed(f"an outcome that cannot be read ({type(error).__name__})") from None
