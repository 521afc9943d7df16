"""A check never raises because of the candidate, never hangs, and never lets it cheat."""

import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from checks import EXERCISES, check, hint, progress, show_solution
from checks import api, engine, progress_store
from checks.compare import Refused
from checks.core import Call
from checks.grader import sandbox, wire
from checks.grader.protocol import decode_outcome, decode_value, encode_call, parse
from checks.runner import PRINT_LIMIT, call_once, run_calls, snapshot
from cross_cell_cases import VALUE_ATTACKS
from mutants import define
import reference
from reference import relu

correct_relu = define("def relu(z):\n    return np.maximum(z, 0)\n")


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        raise AssertionError("the check must not convert an unknown object")


class ArrayThatLies(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)


def raises_value_error(z):
    raise ValueError("boom")


def loops_forever(z):
    while True:
        pass


def exits(z):
    raise SystemExit(3)


def recurses(z):
    return recurses(z)


def prints_and_warns(z):
    print("debugging", z)
    import warnings
    warnings.warn("careful")
    return np.maximum(z, 0)


@pytest.mark.parametrize("candidate, fragment", [
    (raises_value_error, "raised ValueError: boom"),
    (lambda z: None, "returned None"),
    (lambda z: AlwaysEqual(), "object of type 'AlwaysEqual'"),
    (lambda z: np.zeros(np.shape(z)).view(ArrayThatLies), "returned a wrong value"),
    (lambda z: [0.0], "returned a Python list"),
    (lambda z: correct_relu, "returned a function"),
    (lambda z: "0", "object of type 'str'"),
    (exits, "SystemExit"),
    (recurses, "RecursionError"),
])
def test_bad_candidates_fail_with_a_clear_message(candidate, fragment):
    result = check("relu", candidate)
    assert not result.passed and result.score == 0.0
    assert fragment in str(result)


def test_non_callable_is_refused_clearly():
    result = check("relu", 42)
    assert not result.passed and "Expected a function `relu(z)`, got a int" in str(result)


def test_an_infinite_loop_is_interrupted_within_the_time_limit():
    start = time.monotonic()
    result = check("relu", loops_forever, time_limit=0.5)
    assert time.monotonic() - start < 0.5 + 1.0
    assert not result.passed and "time limit" in str(result)


def test_a_stub_is_not_attempted_yet():
    def stub(z):
        raise NotImplementedError()
    result = check("relu", stub)
    assert result.status == "not attempted" and result.score == 0.0
    assert "Not attempted yet" in result.messages[0]


def test_prints_and_warnings_are_captured_not_leaked(capsys, recwarn):
    result = check("relu", prints_and_warns)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "" and len(recwarn) == 0
    assert result.passed and any("debugging" in n for n in result.notes)


def test_the_global_numpy_random_state_is_left_alone():
    np.random.seed(5)
    expected = np.random.random()
    np.random.seed(5)
    check("he_normal", define(api.solution_code("he_normal"), "he_normal",
                              {"np": np, "he_std": EXERCISES["he_std"].reference}))
    assert np.random.random() == expected


def test_candidate_gets_copies_of_the_checks_inputs():
    calls = [c for group in engine.plan(EXERCISES["relu"], seed=0) for c in group]
    originals = [np.array(c.args[0], copy=True) for c in calls]
    received = []

    def hoarder(z):
        received.append(z)
        if isinstance(z, np.ndarray):
            z[...] = 123.0
        return np.maximum(z, 0)

    run_calls(hoarder, calls, budget=2.0)
    assert not any(r is c.args[0] for r in received for c in calls if isinstance(r, np.ndarray))
    for call, original in zip(calls, originals):
        np.testing.assert_array_equal(call.args[0], original)


def test_monkeypatching_numpy_in_the_notebook_cannot_pass_a_wrong_answer(monkeypatch):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda a, b, **k: np.ones(np.shape(a), bool))
    monkeypatch.setattr(np, "array_equal", lambda *a, **k: True)
    assert not check("relu", lambda z: np.abs(z)).passed


def test_nbgrader_mode_returns_a_plain_float(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    score = check("relu_grad", lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0).tolist())   # a list: partly right
    assert type(score) is float and 0 < score < EXERCISES["relu_grad"].points
    assert shown and not shown[0].passed


def test_partial_credit_by_groups():
    result = check("relu_grad", lambda z: np.where(np.asarray(z) > 0, 1.0, 0.0).tolist())   # a list
    assert 0 < result.score < result.max_score
    assert ("the source text's examples, and z = 0", True) in result.groups


def test_html_and_text_rendering():
    result = check("relu_grad", lambda z: (np.asarray(z) >= 0).astype(float))
    page = result._repr_html_()
    assert "First failing input" in page and "Diagnosis" in page and "expected" in page
    assert str(result).startswith("relu_grad: not yet right")
    assert json.loads(json.dumps(result.to_dict()))["max_score"] == 2.0


def test_hints_nudge_before_they_tell(monkeypatch):
    monkeypatch.setattr(api, "_hints_shown", {})
    for key, exercise in EXERCISES.items():
        levels = exercise.hint_levels
        first = hint(key)._repr_markdown_()
        assert not re.search(r"np\.|math\.|\breturn\b|`|\.astype", levels[0]), \
            (key, levels[0])                                       # the idea, without code
        if key not in ("capstone",) and not key.startswith("quiz"):
            assert len(levels) == 3, key
            assert "return" in levels[2], key                      # the key line
            assert f'hint("{key}", 2)' in first
        assert f'show_solution("{key}")' in hint(key, len(levels))._repr_markdown_()
    with pytest.raises(KeyError, match="the exercises are"):
        hint("sigmoid_of_doom")
    with pytest.raises(ValueError):
        hint("relu", 0)


def test_a_failed_check_suggests_the_next_hint_level_not_code(monkeypatch):
    monkeypatch.setattr(api, "_hints_shown", {})
    wrong = define("def relu(z):\n    return np.abs(z) + 1\n")
    result = check("relu", wrong, record=False)
    assert result.next_step == 'Stuck? `hint("relu")` gives a nudge.'
    assert "np.maximum" not in str(result)
    hint("relu")
    assert 'hint("relu", 2)' in check("relu", wrong, record=False).next_step
    hint("relu", 3)
    assert 'show_solution("relu")' in check("relu", wrong, record=False).next_step
    assert check("relu", correct_relu, record=False).next_step == ""


@pytest.mark.parametrize("key", list(EXERCISES))
def test_show_solution_prints_code_that_runs_pasted_into_a_notebook(key):
    text = show_solution(key)._repr_markdown_()
    code = text.split("```python\n", 1)[1].rsplit("```", 1)[0]
    earlier = {e.name: e.reference for e in EXERCISES.values()
               if e.notebook == EXERCISES[key].notebook and e.id != key}
    namespace = {"np": np, **earlier}            # what a notebook has when the cell runs
    function = define(code, EXERCISES[key].name, namespace)
    assert check(key, function, record=False).passed


def test_the_answer_key_itself_is_refused():
    result = check("relu", relu, record=False)
    assert not result.passed and result.score == 0 and "answer key" in str(result)


def test_progress_is_recorded_atomically_and_survives_corruption(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv(progress_store.ENV_VAR, str(path))
    path.write_text("{ not json")
    assert progress().passed == 0
    check("relu", correct_relu)
    check("relu", lambda z: z)            # a later failure does not undo a pass
    report = progress()
    assert report.passed == 1 and ("01_relu", "relu", "passed", 2.0, 2.0) in report.rows
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]   # no temp file left
    assert "1 of" in report._repr_html_()


def test_every_exercise_is_declared_once_with_points_and_a_hint():
    for exercise in EXERCISES.values():
        assert exercise.points > 0 and exercise.hint and exercise.description
        assert exercise.signature.startswith(exercise.id + "(") or exercise.id.startswith("quiz")


def test_progress_goes_to_the_learners_own_jupyter_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(progress_store.ENV_VAR)
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    path = progress_store.progress_path()
    assert path == tmp_path / "jupyter-data" / "relu-course" / "progress.json"
    check("relu", correct_relu)               # the folder does not exist yet: it is made
    assert progress().passed == 1 and path.exists()
    monkeypatch.setenv(progress_store.ENV_VAR, str(tmp_path / "elsewhere.json"))
    assert progress_store.progress_path() == tmp_path / "elsewhere.json"


def test_a_read_only_progress_folder_never_breaks_a_check(tmp_path, monkeypatch):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv(progress_store.ENV_VAR, str(folder / "sub" / "progress.json"))
    try:
        assert check("relu", correct_relu).passed
    finally:
        folder.chmod(0o700)


# ----------------------------------------------------------------------------- one verdict: the answer read once, as the grader reads it
# Each value attack of tests/cross_cell_cases.py (the full check-against-grader comparison is in
# test_check_parity.py): `check` keeps what the sandbox sends (runner.snapshot), read inside the
# time limit, so in this process already the two paths give the same outcome, and `check` says why.

ATTACK_WORDS = {
    "a float subclass whose __float__ lies": "the answer to 'lr' is a F; answers are numbers",
    "an int subclass whose __int__ and __index__ lie": "the answer to 'alpha' is a I; answers are numbers",
    "a str subclass whose __str__ lies": "the answer to 'activation' is a S; answers are numbers",
    # the stand-in key is one the check ignores (noted), so the real "lr": 7.0 is trained: it diverges
    "a str subclass key whose __str__ is lr": "keys the check ignores: '<K object>'",
    "a float given as a string over MAX_TEXT, cut to 0.16":
        "returned a string of 10001 characters, more than the 10000 the grader reads",
    "a float given as a string over MAX_TEXT that is 0.16 whole":
        "returned a string of 10007 characters, more than the 10000 the grader reads",
    "a dict over MAX_ITEMS": "returned lists, tuples or dicts of more than 10000 items in all",
    "a list nested deeper than MAX_DEPTH": "returned lists, tuples or dicts nested more than 20 levels deep",
    "an int too long to print": "returned an int of more than 4300 digits, more than the grader reads",
    "an int too long to print, as a quiz answer": "returned an int of more than 4300 digits",
    "an error whose __str__ raises": "raised Oops",
    "an error whose __str__ never ends": "did not finish",
    "an error whose __str__ raises SystemExit": "raised Oops",
    "an exit code whose __str__ raises": "raised SystemExit",
    "an error that is not an Exception": "raised GeneratorExit: stop",
    "a warning whose text never ends the second time": "did not finish",
    "an ndarray subclass whose methods lie": None,                 # its data: a right answer
    "a float32 answer in Fortran order": "dtype float32",
    "an np.float64 subclass whose item lies": "the answer to 'lr' is a G; answers are numbers",
    "an np.int64 subclass whose __int__ and __index__ lie": "the answer to 'alpha' is a J; answers are numbers",
    "an np.str_ subclass whose __str__ lies": "the answer to 'activation' is a T; answers are numbers",
    "an np.bytes_ subclass whose __bytes__ lies": "returned an object of type 'Y', not a number",
    "a metaclass that claims to be a number": "returned an object of type 'R', not a number",
    "NaN dict keys, each its own object": "returned an object of type 'dict', not a number",
    "a KeyboardInterrupt raised by the code itself": "relu raised KeyboardInterrupt.",
    "an array bigger than the grader reads":
        "returned an array of 56000000 bytes, more than the grader reads (limit 8388608)",
}


def _attack(name: str):
    key, cell = VALUE_ATTACKS[name]
    namespace = {"np": np, "math": math, "__name__": "__main__"}
    exec(compile(cell, f"<{name}>", "exec"), namespace)  # noqa: S102 - the test's own cells
    return key, namespace[EXERCISES[key].name]


def _as_sent(value) -> str:
    """An outcome's answer as comparable text: its wire form (a refusal by its reason)."""
    return f"refused: {value.reason}" if isinstance(value, Refused) else \
        json.dumps(sandbox.encode_answer(value), sort_keys=True)


def test_every_value_attack_has_its_words():
    assert set(ATTACK_WORDS) == set(VALUE_ATTACKS)


@pytest.mark.parametrize("name", list(VALUE_ATTACKS))
def test_a_value_attack_gets_the_sandboxs_outcome_in_check(name):
    key, function = _attack(name)
    call = engine.plan(EXERCISES[key], seed=0)[0][0]
    in_check = call_once(function, call, 0.5)
    frame = {"phase": "calls", "outcome": sandbox._call_once(function, encode_call(call), 0.5, PRINT_LIMIT)}
    in_grader = decode_outcome(parse(json.dumps(frame).encode())["outcome"], call)   # as the grader reads a frame
    assert _as_sent(in_check.value) == _as_sent(in_grader.value)
    for field in ("error", "timed_out", "not_implemented", "warnings", "printed"):
        assert getattr(in_check, field) == getattr(in_grader, field), field
    assert len(in_check.args_after) == len(in_grader.args_after)
    for mine, theirs in zip(in_check.args_after, in_grader.args_after):
        assert type(mine) is type(theirs) and np.array_equal(mine, theirs)
        assert not isinstance(mine, np.ndarray) or (mine.dtype, mine.strides) == (theirs.dtype, theirs.strides)


@pytest.mark.parametrize("name", list(VALUE_ATTACKS))
def test_a_value_attack_gets_its_words_from_check_without_raising_or_hanging(name):
    key, function = _attack(name)
    start = time.monotonic()
    result = check(key, function, time_limit=0.5, record=False)
    assert time.monotonic() - start < 0.5 + 3.0            # (the capstone trains its answer)
    words = ATTACK_WORDS[name]
    if words is None:
        assert result.passed, str(result)
    else:
        assert result.score == 0 and words in str(result), str(result)


class _Watched:
    """Records every method of the learner's that reading an answer calls."""
    calls: list = []


class _IntThatLies(np.int64):
    def __int__(self):
        _Watched.calls.append("__int__")
        return 0

    def __index__(self):
        _Watched.calls.append("__index__")
        return 0


class _StrThatLies(np.str_):
    def __str__(self):
        _Watched.calls.append("__str__")
        return "x"


class _BytesThatLie(np.bytes_):
    def __bytes__(self):
        _Watched.calls.append("__bytes__")
        return b"x"


class _FloatThatLies(np.float64):
    def __float__(self):
        _Watched.calls.append("__float__")
        return 0.0

    def item(self, *args):
        _Watched.calls.append("item")
        return 0.05


class _ClaimsToBeANumber(type):
    def __subclasscheck__(cls, other):
        _Watched.calls.append("__subclasscheck__")
        return False

    def __instancecheck__(cls, other):
        _Watched.calls.append("__instancecheck__")
        return False

    def __eq__(cls, other):
        _Watched.calls.append("__eq__")
        return False

    def __hash__(cls):
        _Watched.calls.append("__hash__")
        return 1


class _Registered(metaclass=_ClaimsToBeANumber):
    pass


@pytest.mark.parametrize("value", [_IntThatLies(5), _StrThatLies("a"), _BytesThatLie(b"a"), _FloatThatLies(7.0)],
                         ids=lambda v: type(v).__name__)
def test_a_numpy_scalar_subclass_is_sent_as_its_type_name_alone(value):
    """As a float subclass: none of its methods runs, and the answer is a stand-in named like it
    (the same words as for a float subclass), not the value its __int__ or item would give."""
    _Watched.calls.clear()
    for mine in (snapshot(value), snapshot([value])[0], snapshot({"lr": value})["lr"]):
        assert type(mine).__name__ == type(value).__name__ and not isinstance(mine, np.generic)
    assert sandbox.encode_value(value)["t"] == "object"
    assert _Watched.calls == []
    for exact in (np.int64(5), np.str_("a"), np.bytes_(b"a"), np.float64(7.0), np.bool_(True), np.void(b"ab")):
        assert type(snapshot(exact)) is type(exact) and sandbox.encode_value(exact)["t"] == "scalar"


def test_whether_an_object_is_a_number_comes_from_its_bases_not_from_an_abc():
    """numbers.Number.register and a metaclass's __subclasscheck__ are never consulted."""
    import fractions
    import numbers
    numbers.Number.register(_Registered)
    _Watched.calls.clear()
    for value in (_Registered(), [_Registered()], {"a": _Registered()}, {_Registered(): 1}):
        sandbox.encode_answer(value)
        snapshot(value)
    assert _Watched.calls == []
    assert sandbox.encode_value(_Registered()) == {"t": "object", "type": "_Registered", "number": False}
    assert sandbox.is_number_type(fractions.Fraction) and sandbox.is_number_type(_FloatThatLies)
    assert not sandbox.is_number_type(str)


def test_an_array_over_the_grader_limit_is_refused_in_both_paths_and_no_answer_comes_near_it():
    too_big = np.zeros(sandbox.MAX_ARRAY_BYTES // 8 + 1)
    words = f"returned an array of {too_big.nbytes} bytes, more than the grader reads (limit {sandbox.MAX_ARRAY_BYTES})"
    for value in (too_big, too_big.view(ArrayThatLies), np.zeros(1, dtype=f"V{sandbox.MAX_ARRAY_BYTES + 1}")[0]):
        assert snapshot(value).reason == words.replace(str(too_big.nbytes), str(np.asarray(value).nbytes))
        assert sandbox.encode_answer(value) == {"t": "refused", "reason": snapshot(value).reason}
    at_limit = np.zeros(sandbox.MAX_ARRAY_BYTES // 8)
    assert np.array_equal(snapshot(at_limit), at_limit)
    # the limit leaves room: a job's output (64 MB) holds 4 answers at the limit, base64 included
    from checks.grader.protocol import Limits
    assert 4 * sandbox.MAX_ARRAY_BYTES * 4 // 3 < Limits().output_bytes
    # he_normal returns the largest arrays of any exercise's planned calls: 1.6 MB, 5 times below
    largest = 0
    for key, exercise in EXERCISES.items():
        reference_function = getattr(reference, exercise.name, None)
        for group in engine.plan(exercise, seed=0) if callable(reference_function) else ():
            for call in group:
                try:
                    answer = call_once(reference_function, call, 5.0).value
                except Exception:  # noqa: BLE001 - only the sizes matter here
                    continue
                if isinstance(answer, np.ndarray):
                    largest = max(largest, answer.nbytes)
    assert 1_000_000 < largest <= sandbox.MAX_ARRAY_BYTES // 5


def test_the_answer_is_read_once_when_returned_not_later():
    """A dict or array the learner's code changes after the return (a thread, say) is judged as
    it was returned: `check` reads a copy, as the grader does."""
    answer = {"lr": 0.05, "weights": np.zeros(3)}
    outcome = call_once(lambda: answer, Call(()), 1.0)
    answer["lr"], answer["weights"][:] = 7.0, 1.0
    assert outcome.value is not answer and outcome.value["lr"] == 0.05
    assert np.array_equal(outcome.value["weights"], np.zeros(3))
    array = np.zeros(3)
    outcome = call_once(lambda: array, Call(()), 1.0)
    array[:] = 1.0
    assert np.array_equal(outcome.value, np.zeros(3))


def test_array_answers_keep_the_dtype_shape_and_order_the_grader_sees():
    base = np.random.default_rng(0).normal(size=(4, 6))
    arrays = []
    for dtype in ("f8", "f4", "f2", ">f8", "i1", "u2", ">i4", "?", "c16", "i8", "M8[s]", "U3"):
        a = base.astype(dtype) if dtype != "?" else base > 0
        arrays += [a, a.T, a[:, ::2], a[::2].T, np.asfortranarray(a), a[0], a[:0], np.array(a[0, 0]), a[:, :1]]
    arrays.append(np.zeros(3, dtype=[("x", "f8"), ("y", "i4")]))
    for array in arrays:
        mine = snapshot(array)
        theirs = decode_value(json.loads(json.dumps(sandbox.encode_answer(array))))
        assert type(mine) is type(theirs) is np.ndarray and mine is not array
        assert (mine.dtype.str, mine.shape, mine.strides, mine.flags.writeable) == \
            (theirs.dtype.str, theirs.shape, theirs.strides, theirs.flags.writeable)
        assert np.array_equal(mine, theirs) and np.array_equal(mine, array)


def test_importing_the_checks_leaves_the_kernels_environment_alone():
    """`check` uses the sandbox's own encoding; importing it does not set up a worker (threads
    setting, preloaded modules)."""
    code = ("import os, sys\nos.environ.pop('OMP_NUM_THREADS', None)\nimport checks\n"
            "print(os.environ.get('OMP_NUM_THREADS'), 'statistics' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["None", "False"]


def test_the_sandbox_sends_a_long_int_even_after_a_cell_lowered_the_digit_limit():
    """A cell may call sys.set_int_max_str_digits(640); an int answer of up to 4300 digits is
    still sent (it once ended the grading process: exit 70)."""
    read, write = os.pipe()
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        sandbox._send(write, {"value": sandbox.encode_value(-(10 ** 4299))})
        assert sys.get_int_max_str_digits() == 640                  # the cell's setting, kept
    finally:
        sys.set_int_max_str_digits(limit)
        os.close(write)
    with os.fdopen(read, "rb") as stream:
        assert decode_value(json.loads(wire.read_frame(stream))["value"]) == -(10 ** 4299)


def test_answers_that_cannot_be_put_in_a_frame_are_said_too_large_not_a_crash(monkeypatch):
    """A calls frame that runs out of memory while being made (json.dumps of a huge answer) is
    replaced by one saying so: the grader reads "too large", not the child's exit code."""
    sent = []

    def send(message):
        if message["phase"] == "calls" and "failed" not in sent:
            sent.append("failed")
            raise MemoryError()
        sent.append(message)

    job = {"limits": {"exercise_seconds": 5.0, "call_seconds": 1.0, "print_chars": PRINT_LIMIT},
           "skip": [], "start": 0,
           "steps": [{"source": "def relu(z):\n    return np.maximum(z, 0)\n", "cell": 1, "name": "relu",
                      "calls": [encode_call(Call((np.array([1.0, -1.0]),)))]}]}
    sandbox._run_steps(job, send)
    assert sent[0]["phase"] == "cell" and sent[1] == "failed"
    frame = json.loads(json.dumps(sent[2]))
    outcome = decode_outcome(frame["outcomes"][0], Call((np.array([1.0, -1.0]),)))
    assert isinstance(outcome.value, Refused) and outcome.value.reason == sandbox.TOO_LARGE
    assert outcome.error is None and not outcome.timed_out


def test_nan_dict_keys_stay_as_many_as_the_learner_returned():
    """JSON's reader gives every NaN one object, which made 3 NaN keys 2 in the grader."""
    answer = {float("nan"): 1, float("nan"): 2, np.float64("nan"): 3, "x": [math.nan, -math.inf]}
    in_check = snapshot(answer)
    in_grader = decode_value(parse(json.dumps({"phase": "calls", "v": sandbox.encode_answer(answer)}).encode())["v"])
    assert len(answer) == len(in_check) == len(in_grader) == 4
    assert sorted(map(str, in_grader.values())) == sorted(map(str, in_check.values()))
    assert in_grader["x"][1] == -math.inf and math.isnan(in_grader["x"][0])


def _interrupt_soon(seconds: float = 0.2) -> threading.Timer:
    """SIGINT to this process after ``seconds``, as the notebook's stop button sends it."""
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def _swallows_interrupts(z):
    try:
        while True:
            pass
    except BaseException:  # noqa: BLE001 - the learner's code swallows the interrupt
        return np.maximum(z, 0)


@pytest.mark.parametrize("function", [loops_forever, _swallows_interrupts])
def test_the_stop_button_still_stops_check_and_the_sigint_handler_is_restored(function):
    before = signal.getsignal(signal.SIGINT)
    timer = _interrupt_soon()
    try:
        with pytest.raises(KeyboardInterrupt):
            call_once(function, Call((np.array([1.0, -1.0]),)), 5.0)
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGINT) is before


def test_a_keyboard_interrupt_the_code_raises_is_its_error_in_the_graders_words():
    def raises_it(z):
        raise KeyboardInterrupt

    call = Call((np.array([1.0, -1.0]),))
    in_check = call_once(raises_it, call, 1.0)
    in_grader = sandbox._call_once(raises_it, encode_call(call), 1.0, PRINT_LIMIT)
    assert in_check.error == in_grader["error"] == "KeyboardInterrupt"
    assert "raised KeyboardInterrupt." in str(check("relu", raises_it, record=False))
