"""A check never raises because of the candidate, never hangs, and never lets it cheat."""

import json
import re
import time

import numpy as np
import pytest

from checks import EXERCISES, check, hint, progress, show_solution
from checks import api, engine, progress_store
from checks.runner import run_calls
from mutants import define
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
