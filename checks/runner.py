"""Calling a learner's function safely, in this process: time-limited, quiet, on copies.

Used by ``check`` in a learner's own kernel. A call gets deep copies of the inputs (so the
checks' inputs cannot be changed through it), its prints and warnings are captured (nothing
reaches the notebook's stderr), and a call still running when the time budget is spent is
interrupted (a Python loop stops at once; a single long NumPy operation at its end).

One verdict: the answer kept is not the learner's live object but what the grader's sandbox
sends for it (``snapshot``: the sandbox's own ``encode_answer``, rebuilt by the grader's
``decode_value``), read once, inside the time limit, with no method of the learner's called;
the error's text and the warnings are worded by the sandbox's own functions, in time too. So a
float subclass that lies, a 20,000-character string or a dict a thread changes after the
return get the same verdict, in the same words, from ``check`` and from the grader.
A KeyboardInterrupt the learner's code raises is its error, as in the grader; the notebook's
stop button (a real SIGINT, ``watching_interrupts``) still stops ``check``.
"""

from __future__ import annotations

import contextlib
import copy
import io
import signal
import threading
import time
import warnings
from typing import Any, Callable, Iterator

import numpy as np

from checks.core import Call, Outcome, Rng
from checks.grader import sandbox
from checks.grader.wire import pack_array, unpack_array

PRINT_LIMIT = 2000

# Raised inside the learner's function when its time is up: a BaseException, so that a bare
# ``except Exception`` in the learner's code cannot swallow it; the sandbox's own, which its
# ``error_text`` lets through.
_TimeUp = sandbox.TimeUp


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with _TimeUp (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def watching_interrupts() -> Iterator[list[bool]]:
    """During the block, SIGINT (the notebook's stop button) raises KeyboardInterrupt as usual
    and is recorded: the yielded list holds True once a real interrupt came. A KeyboardInterrupt
    the learner's code raises itself is then told apart from one. Main thread only (elsewhere
    the list stays empty and signals are left alone)."""
    interrupted: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def on_interrupt(signum: int, frame: Any) -> None:
        interrupted.append(True)
        raise KeyboardInterrupt()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def materialize(value: Any) -> Any:
    """A fresh copy of a call's argument, with ``Rng`` placeholders made into Generators."""
    return value.make() if isinstance(value, Rng) else copy.deepcopy(value)


def snapshot(value: Any) -> Any:
    """``value`` exactly as the grader receives it from the sandbox: plain data, arrays with
    their dtype, shape and memory order, any other object a stand-in of its type's name, or
    ``Refused``. An array of numbers, the usual answer, is copied as ``npy_copy`` says."""
    if type(value) is np.ndarray and _copies_exactly(value.dtype) and value.nbytes <= sandbox.MAX_ARRAY_BYTES:
        return npy_copy(value)
    from checks.grader.protocol import decode_value     # not at the top: protocol imports this module
    return decode_value(sandbox.encode_answer(value))


def _copies_exactly(dtype: np.dtype) -> bool:
    """Whether ``npy_copy`` rebuilds an array of ``dtype`` as the wire does: plain numbers or
    booleans (no fields, no metadata)."""
    return dtype.kind in "biufc" and dtype.names is None and dtype.metadata is None


def npy_copy(array: np.ndarray) -> np.ndarray:
    """What ``wire.unpack_array(wire.pack_array(array))`` gives for a base ndarray of numbers,
    without the base64 text (16 ms of 17 for 3 MB): a new array of the same dtype, shape and
    values, in Fortran order when the array is Fortran- and not C-contiguous (as ``.npy``
    stores it), else in C order."""
    if not _copies_exactly(array.dtype) or array.size == 0:    # (empty: NumPy's strides differ)
        return unpack_array(pack_array(array))
    fortran = array.flags.f_contiguous and not array.flags.c_contiguous
    return np.array(array, dtype=array.dtype, order="F" if fortran else "C", copy=True)


def call_once(function: Callable[..., Any], call: Call, seconds: float) -> Outcome:
    """Call ``function`` on fresh copies of ``call``'s arguments within ``seconds``, as the
    sandbox does (``sandbox._call_once``); its answer and arguments as the grader gets them."""
    args = tuple(materialize(a) for a in call.args)
    kwargs = {k: materialize(v) for k, v in call.kwargs.items()}
    printed = io.StringIO()
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"), \
            contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        warnings.simplefilter("always")
        state = np.random.get_state()
        if call.global_seed is not None:
            np.random.seed(call.global_seed)
        try:
            with time_limit(seconds), watching_interrupts() as interrupted:   # answer and error read in time too
                try:
                    outcome.value = snapshot(function(*args, **kwargs))
                except NotImplementedError:
                    outcome.not_implemented = True
                except _TimeUp:
                    raise
                except BaseException as error:  # noqa: BLE001 - any error of the learner's is reported
                    if interrupted:             # the notebook's stop button stops `check` too
                        raise
                    outcome.error = sandbox.error_text(error)   # (a KeyboardInterrupt raised by the code: its error)
                outcome.warnings = tuple(sandbox.warning_texts(caught, readable=True))
            if interrupted:                     # an interrupt the learner's code caught and swallowed
                raise KeyboardInterrupt()
        except _TimeUp:
            outcome = Outcome(timed_out=True, warnings=tuple(sandbox.warning_texts(caught, readable=False)))
        finally:
            np.random.set_state(state)
    outcome.args_after = tuple(npy_copy(after) if isinstance(after, np.ndarray) else before
                               for before, after in zip(call.args, args))
    outcome.printed = printed.getvalue()[:PRINT_LIMIT]
    return outcome


def run_calls(function: Callable[..., Any], calls: list[Call], budget: float) -> list[Outcome]:
    """Run every call within a total time budget; once it is spent, the rest are timed out."""
    deadline = time.monotonic() + budget
    outcomes = []
    for call in calls:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcomes.append(Outcome(timed_out=True))
            continue
        outcome = call_once(function, call, remaining)
        outcomes.append(outcome)
        if outcome.not_implemented:       # a stub: no need to call it again
            outcomes.extend(Outcome(not_implemented=True) for _ in calls[len(outcomes):])
            break
    return outcomes
