"""Which function an experiment runs: the learner's, once it has passed its check, or the reference.

In a notebook, after an exercise and its check cell::

    from checks import use
    relu_fn = use("relu", relu)      # prints one line: whose relu the experiment below runs

The rule, for ``use(exercise_id, function)``:

* ``function`` is the exact object that passed the last ``check(exercise_id, ...)`` of this
  kernel (``checks.api.passed_function``; under nbgrader too, where ``check`` returns a float)
  and is fast enough: ``use`` returns it, and says "using your `relu`".
* Otherwise it returns the exercise's reference and says why: the function has not passed its
  check yet (a stub, a failed check, never checked), it was defined again after it passed (run
  its check cell again), or it is too slow for an experiment.

"Too slow" is measured once per function (cached): on the largest input among the exercise's
own check cases, its arrays repeated along their first axis to at least ``SAMPLE_SIZE`` numbers
(the size experiments call it on), the best of ``REPEATS`` runs must stay within
``max(SLOWER * reference's best, FLOOR)`` seconds. There a vectorised answer takes 5 to 100 us,
a few times the reference at worst; a Python loop over the elements takes milliseconds, 80 to
800 times the reference. The best of several runs, the wide ratio and the floor, 5 times the
slowest vectorised answer, keep a busy machine from ever rejecting a vectorised answer.
"""

from __future__ import annotations

import contextlib
import io
import math
import time
import warnings
from typing import Any, Callable

import numpy as np

from checks import engine
from checks.api import _exercise, passed_function
from checks.core import Call, Exercise
from checks.runner import _TimeUp, materialize, time_limit

SAMPLE_SIZE = 20_000     # numbers in each array argument of the timed call
REPEATS = 5
SLOWER = 20.0            # allowed: this many times the reference's time...
FLOOR = 5e-4             # ...or this many seconds, whichever is larger
_speed: dict[str, tuple[Callable[..., Any], str | None]] = {}   # id -> (function, why too slow)


def use(exercise_id: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The function an experiment should run for ``exercise_id``: ``function`` itself once it
    has passed its check in this kernel and is fast enough, else the exercise's reference.
    Prints one line saying which, and why. Raises KeyError for an unknown exercise id."""
    exercise = _exercise(exercise_id)
    passed = passed_function(exercise.id)
    if function is not passed:
        why = ("this one was defined again after its check passed: run its check cell again"
               if passed is not None else "yours has not passed its check yet")
        print(f"using the reference `{exercise.name}`: {why}")
        return exercise.reference
    unfit = _unfit(exercise, function)
    if unfit is not None:
        print(f"using the reference `{exercise.name}`: yours passed its check but {unfit}")
        return exercise.reference
    print(f"using your `{exercise.name}`")
    return function


def _unfit(exercise: Exercise, function: Callable[..., Any]) -> str | None:
    """Why ``function`` is unfit for an experiment (too slow, or it raised on the timed input),
    or None; measured once per function."""
    cached = _speed.get(exercise.id)
    if cached is not None and cached[0] is function:
        return cached[1]
    call = sample_call(exercise)
    reference = _best_time(exercise.reference, call)
    allowed = max(SLOWER * reference, FLOOR)
    verdict = None
    try:
        slow = _best_time(function, call, allowed) > allowed
    except Exception as error:  # noqa: BLE001 - the learner's error, reported
        slow, verdict = False, f"raised {type(error).__name__}: {str(error)[:200]} on {_describe(call)}"
    if slow:
        verdict = (f"is too slow for this experiment: over {allowed * 1e3:.1f} ms a call on "
                   f"{_describe(call)}, where the reference takes {reference * 1e3:.2f} ms "
                   "(a Python loop over the elements? NumPy's element-wise operations are faster)")
    _speed[exercise.id] = (function, verdict)
    return verdict


def sample_call(exercise: Exercise) -> Call:
    """The timed call: the exercise's case with the most array elements (seed 0, graded groups
    only), each array argument repeated along its first axis to at least SAMPLE_SIZE numbers."""
    calls = [call for group, calls in zip(exercise.groups, engine.plan(exercise, seed=0))
             if not group.note_only for call in calls]
    largest = max(calls, key=lambda c: sum(a.size for a in c.args if isinstance(a, np.ndarray)))

    def enlarged(value: Any) -> Any:
        if not isinstance(value, np.ndarray) or value.ndim == 0 or value.size == 0:
            return value
        return np.concatenate([value] * math.ceil(SAMPLE_SIZE / value.size), axis=0)
    return Call(tuple(enlarged(a) for a in largest.args),
                {k: enlarged(v) for k, v in largest.kwargs.items()}, largest.label)


def _describe(call: Call) -> str:
    shapes = [f"an array of shape {a.shape}" for a in call.args if isinstance(a, np.ndarray)]
    return " and ".join(shapes) or call.label


def _best_time(function: Callable[..., Any], call: Call, limit: float | None = None) -> float:
    """The fastest of REPEATS runs of ``function`` on ``call``, in seconds, its prints and
    warnings swallowed. With a ``limit``, a run still going after 1.5 ``limit`` is stopped
    (``math.inf``), and the first run within ``limit`` ends the timing. Errors propagate."""
    best = math.inf
    for _ in range(REPEATS):
        args = tuple(materialize(a) for a in call.args)
        kwargs = {k: materialize(v) for k, v in call.kwargs.items()}
        stop = time_limit(1.5 * limit + 1e-3) if limit is not None else contextlib.nullcontext()
        start = time.perf_counter()
        try:
            with stop, np.errstate(all="ignore"), warnings.catch_warnings(), \
                    contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                warnings.simplefilter("ignore")
                function(*args, **kwargs)
        except _TimeUp:
            continue
        best = min(best, time.perf_counter() - start)
        if limit is not None and best <= limit:
            break
    return best
