"""``use``: an experiment runs the learner's function only once that very function has passed its
check in this kernel, and is fast enough; otherwise the reference, saying why in one line."""

import numpy as np
import pytest

from checks import EXERCISES, api, check, experiments, use
from reference import activations


@pytest.fixture(autouse=True)
def fresh_kernel(monkeypatch):
    """No check has passed yet and nothing has been timed, as in a new kernel."""
    monkeypatch.setattr(api, "_passed", {})
    monkeypatch.setattr(experiments, "_speed", {})
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(api, "under_nbgrader", lambda: False)


def relu(z):
    return np.maximum(z, 0)


def relu_grad(z):
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else float)


def dead_fraction(Z):
    return float(np.mean(np.all(np.asarray(Z) <= 0, axis=0)))


def relu_where(z):                       # vectorised, a little slower than the reference
    z = np.asarray(z)
    return np.where(z > 0, z, np.zeros_like(z))


def relu_loop(z):                        # right, but a Python loop over the elements
    z = np.asarray(z)
    out = np.empty_like(z)
    for index in np.ndindex(z.shape):
        out[index] = z[index] if z[index] > 0 else 0
    return out


def dead_fraction_loop(Z):
    Z = np.asarray(Z)
    dead = [True] * Z.shape[1]
    for i in range(Z.shape[0]):
        for j in range(Z.shape[1]):
            if Z[i, j] > 0:
                dead[j] = False
    return sum(dead) / len(dead)


def dead_fraction_by_unit(Z):            # a loop over the units only: vectorised enough
    Z = np.asarray(Z)
    return float(np.mean([np.all(Z[:, j] <= 0) for j in range(Z.shape[1])]))


def used(capsys, exercise_id, function):
    """What ``use`` returns and the one line it prints."""
    chosen = use(exercise_id, function)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    return chosen, lines[0]


def test_a_function_not_yet_checked_gives_the_reference(capsys):
    chosen, line = used(capsys, "relu", relu)
    assert chosen is activations.relu
    assert line == "using the reference `relu`: yours has not passed its check yet"


def test_a_stub_that_failed_its_check_gives_the_reference(capsys):
    def stub(z):
        raise NotImplementedError()
    check("relu", stub)
    capsys.readouterr()
    assert used(capsys, "relu", stub) == (activations.relu, "using the reference `relu`: yours has not passed its check yet")


@pytest.mark.parametrize("exercise_id, function", [("relu", relu), ("relu", relu_where),
                                                   ("relu_grad", relu_grad), ("dead_fraction", dead_fraction),
                                                   ("dead_fraction", dead_fraction_by_unit)])
def test_a_function_that_passed_its_check_is_used(capsys, exercise_id, function):
    assert check(exercise_id, function).passed
    capsys.readouterr()
    chosen, line = used(capsys, exercise_id, function)
    assert chosen is function and line == f"using your `{EXERCISES[exercise_id].name}`"


def test_a_function_defined_again_after_its_check_is_not_used(capsys):
    assert check("relu", relu).passed
    redefined = eval("lambda z: np.maximum(z, 0)", {"np": np})      # the same code, a new object
    chosen, line = used(capsys, "relu", redefined)
    assert chosen is activations.relu
    assert line == ("using the reference `relu`: this one was defined again after its check "
                    "passed: run its check cell again")
    assert used(capsys, "relu", relu)[0] is relu                     # the one that passed still is


def test_a_later_failed_check_takes_the_pass_back(capsys):
    assert check("relu", relu).passed
    assert not check("relu", lambda z: z).passed
    capsys.readouterr()
    assert used(capsys, "relu", relu)[0] is activations.relu


def test_a_demonstration_check_changes_nothing(capsys):
    assert check("relu", relu, record=False).passed
    assert used(capsys, "relu", relu)[0] is activations.relu
    assert check("relu", relu).passed and not check("relu", lambda z: z, record=False).passed
    capsys.readouterr()
    assert used(capsys, "relu", relu)[0] is relu


def test_under_nbgrader_a_pass_counts_too(capsys, monkeypatch):
    monkeypatch.setattr(api, "under_nbgrader", lambda: True)
    score = check("relu", relu)
    assert isinstance(score, float) and score == EXERCISES["relu"].points
    capsys.readouterr()
    assert used(capsys, "relu", relu) == (relu, "using your `relu`")
    assert check("relu", lambda z: z) < EXERCISES["relu"].points
    capsys.readouterr()
    assert used(capsys, "relu", relu)[0] is activations.relu


@pytest.mark.parametrize("exercise_id, slow", [("relu", relu_loop), ("dead_fraction", dead_fraction_loop)])
def test_a_python_loop_that_passed_falls_back_to_the_reference_saying_why(capsys, exercise_id, slow):
    assert check(exercise_id, slow).passed
    capsys.readouterr()
    chosen, line = used(capsys, exercise_id, slow)
    assert chosen is EXERCISES[exercise_id].reference
    assert line.startswith(f"using the reference `{exercise_id}`: yours passed its check but is too slow "
                           "for this experiment: over ")
    assert "a Python loop over the elements?" in line


def test_speed_is_measured_once_per_function(capsys, monkeypatch):
    timed = []
    real = experiments._best_time
    monkeypatch.setattr(experiments, "_best_time", lambda f, *a: timed.append(f) or real(f, *a))
    assert check("relu", relu).passed
    for _ in range(3):
        assert use("relu", relu) is relu
    assert timed.count(relu) == 1
    assert check("relu", relu_where).passed and use("relu", relu_where) is relu_where
    assert timed.count(relu_where) == 1


def test_a_function_that_raises_on_the_timed_input_falls_back(capsys):
    def small_only(z):                   # right on the check's inputs, fails on larger ones
        if np.size(z) > 1000:
            raise MemoryError("too big")
        return np.maximum(z, 0)
    assert check("relu", small_only).passed
    capsys.readouterr()
    chosen, line = used(capsys, "relu", small_only)
    assert chosen is activations.relu
    assert line.startswith("using the reference `relu`: yours passed its check but raised MemoryError: too big")


def test_the_timed_input_is_an_exercise_case_made_experiment_sized():
    call = experiments.sample_call(EXERCISES["dead_fraction"])
    (Z,) = call.args
    assert Z.shape[1] == 30 and Z.size >= experiments.SAMPLE_SIZE
    assert np.array_equal(Z[:200], Z[200:400])                       # the (200, 30) case, repeated
    assert experiments.sample_call(EXERCISES["relu"]).args[0].dtype == np.float32


def test_an_unknown_exercise_is_a_clear_error():
    with pytest.raises(KeyError, match="no exercise called 'relux'"):
        use("relux", relu)
