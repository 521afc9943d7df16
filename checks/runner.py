"""Calling a learner's function safely, in this process: time-limited, quiet, on copies.

Used by ``check`` in a learner's own kernel. A call gets deep copies of the inputs (so the
checks' inputs cannot be changed through it), its prints and warnings are captured (nothing
reaches the notebook's stderr), and a call still running when the time budget is spent is
interrupted (a Python loop stops at once; a single long NumPy operation at its end).
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

PRINT_LIMIT = 2000


class _TimeUp(BaseException):
    """Raised inside the learner's function when its time is up (a BaseException, so that a
    bare ``except Exception`` in the learner's code cannot swallow it)."""


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


def materialize(value: Any) -> Any:
    """A fresh copy of a call's argument, with ``Rng`` placeholders made into Generators."""
    return value.make() if isinstance(value, Rng) else copy.deepcopy(value)


def call_once(function: Callable[..., Any], call: Call, seconds: float) -> Outcome:
    """Call ``function`` on fresh copies of ``call``'s arguments within ``seconds``."""
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
            with time_limit(seconds):
                outcome.value = function(*args, **kwargs)
        except NotImplementedError:
            outcome.not_implemented = True
        except _TimeUp:
            outcome.timed_out = True
        except RecursionError:
            outcome.error = "RecursionError: maximum recursion depth exceeded"
        except Exception as error:  # noqa: BLE001 - any error of the learner's is reported
            outcome.error = f"{type(error).__name__}: {error}"[:500]
        except SystemExit as error:
            outcome.error = f"SystemExit: the function called exit({error.code})"
        finally:
            np.random.set_state(state)
    outcome.args_after = args
    outcome.printed = printed.getvalue()[:PRINT_LIMIT]
    outcome.warnings = tuple(f"{w.category.__name__}: {w.message}" for w in caught[:5])
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
