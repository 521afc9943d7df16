"""The capstone (notebook 06): a task the notebook has not solved, several ways to solve it, and
feedback that names what went wrong in numbers."""

import numpy as np
import pytest

from reference import capstone
from reference.network import MLP, train

# Every configuration notebook 06 trains before its capstone (sections 1-3, on the moons).
TRAINED_EARLIER = (("relu", 0.0, 0.1), ("relu", 0.0, 0.3), ("relu", 0.0, 2.0),
                   ("leaky_relu", 0.1, 0.3), ("leaky_relu", 0.1, 2.0), ("leaky_relu", 0.25, 0.3),
                   ("prelu", 0.25, 0.1), ("prelu", 0.25, 0.3), ("prelu", 0.01, 0.3))


def _check(config: dict):
    from checks import check
    from mutants import define
    return check("capstone", define("def capstone():\n    return " + repr(config) + "\n"), record=False)


def test_a_configuration_is_the_network_train_gives_and_its_measures_add_up():
    result = capstone.train_configuration("relu", 0.0, "he", 0.03)
    X_train, X_test, y_train, y_test = capstone.task()
    assert len(X_train) == 420 and len(X_test) == 180
    net = MLP(capstone.SIZES, activation="relu", alpha=0.0, init="he", rng=capstone.SEED)
    history = train(net, X_train, y_train, epochs=capstone.EPOCHS, lr=0.03,
                    batch_size=capstone.BATCH_SIZE, X_test=X_test, y_test=y_test)
    np.testing.assert_allclose(result.loss, history.loss)
    np.testing.assert_allclose(result.test_accuracy_curve, history.test_accuracy)
    assert result.inactive_fraction == pytest.approx(history.dead_fraction[-1])
    per_layer = history.dead_matrix[-1].reshape(capstone.DEPTH, capstone.WIDTH).mean(axis=1)
    np.testing.assert_allclose(result.inactive_per_layer, per_layer)


def test_the_baseline_fails_and_no_configuration_trained_earlier_passes():
    baseline = capstone.train_configuration(**capstone.BASELINE)
    assert not baseline.passed and not baseline.accurate and baseline.jumps > 0
    for activation, alpha, lr in TRAINED_EARLIER:
        assert not capstone.train_configuration(activation, alpha, "he", lr).passed, (activation, alpha, lr)


@pytest.mark.parametrize("activation, alpha, rates", [
    ("relu", 0.0, (0.01, 0.02, 0.03, 0.05)),                  # ReLU + He: a window below 0.07
    ("leaky_relu", 0.2, (0.01, 0.02, 0.03, 0.05, 0.07, 0.1)),  # Leaky: a wider one, up to 0.1
    ("leaky_relu", 0.3, (0.02, 0.03, 0.05, 0.1)),
    ("prelu", 0.25, (0.02, 0.03, 0.05)),
])
def test_each_family_passes_over_a_window_of_rates_not_one_lucky_point(activation, alpha, rates):
    for lr in rates:
        assert capstone.train_configuration(activation, alpha, "he", lr).passed, lr


def test_small_rates_underfit_and_large_ones_kill_units_or_jump():
    slow = capstone.train_configuration("relu", 0.0, "he", 0.005)
    assert slow.still_falling and slow.jumps == 0 and not slow.accurate
    dying = capstone.train_configuration("relu", 0.0, "he", 0.3)
    assert dying.inactive_fraction > capstone.MAX_INACTIVE and not dying.few_inactive
    assert capstone.train_configuration("leaky_relu", 0.2, "he", 0.1).passed     # where ReLU fails
    assert not capstone.train_configuration("relu", 0.0, "he", 0.1).passed


def test_the_solution_passes_and_is_not_a_configuration_trained_earlier():
    config = capstone.capstone()
    assert capstone.train_configuration(**config).passed
    assert (config["activation"], config["alpha"], config["lr"]) not in TRAINED_EARLIER


def test_a_diverged_run_fails_both_criteria_and_says_at_which_epoch():
    config = {"activation": "leaky_relu", "alpha": 0.1, "init": "he", "lr": 2.0}
    result = capstone.train_configuration(**config)
    assert result.diverged and result.inactive_fraction == 0.0     # NaN: no z <= 0 anywhere
    assert result.nan_epoch == 1 and not result.few_inactive and not result.accurate
    checked = _check(config)
    assert checked.score == 1.0 and checked.max_score == 5.0, str(checked)  # only "a valid configuration"
    assert "the loss became NaN or infinite at epoch 1 of 30" in str(checked)


def test_the_feedback_gives_inactive_units_to_one_decimal_and_the_worst_layer():
    config = {"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.3}
    result = capstone.train_configuration(**config)
    worst = int(np.argmax(result.inactive_per_layer))
    checked = _check(config)
    assert (f"{100 * result.inactive_fraction:.1f}% of the hidden units inactive (the most in layer "
            f"{worst + 1}: {100 * result.inactive_per_layer[worst]:.1f}%)") in checked.failure["what"]
    assert checked.failure["mistake"] == "units die"


def test_underfitting_and_jumping_are_told_apart_by_the_loss_curve():
    slow = _check({"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.005})
    assert slow.failure["mistake"] == "learning rate too small"
    assert "(still falling); it went down epoch after epoch" in slow.failure["what"]
    fast = _check({"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.07})
    assert fast.failure["mistake"] == "learning rate too high"
    assert "it jumped up (by more than 5%) after" in fast.failure["what"]


def test_inactive_units_are_counted_for_rectifiers_only():
    for activation, init, lr in (("sigmoid", "xavier", 0.5), ("tanh", "xavier", 0.05)):
        result = capstone.train_configuration(activation, 0.0, init, lr)
        assert result.inactive_fraction == 0.0 and not result.rectifier
    assert "not a rectifier" in str(_check({"activation": "tanh", "alpha": 0.0, "init": "xavier",
                                            "lr": 0.05}))


def test_the_hints_name_configurations_that_pass():
    from checks.exercises.capstone import CAPSTONE
    last = CAPSTONE.hint_levels[-1]
    assert "between 0.01 and 0.05" in last and "alpha 0.3, He, lr 0.05" in last
    for lr in (0.01, 0.05):
        assert capstone.train_configuration("relu", 0.0, "he", lr).passed
    assert capstone.train_configuration("leaky_relu", 0.3, "he", 0.05).passed


def test_the_workbench_runs_given_activation_functions_as_the_check_runs_the_reference(capsys):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from reference.activations import leaky_relu, leaky_relu_grad
    from reference.explorers.practice import workbench
    config = {"activation": "leaky_relu", "alpha": 0.2, "init": "he", "lr": 0.05}
    cached = workbench(**config)
    assert cached is capstone.train_configuration(**config)
    mine = workbench(**config, functions=(leaky_relu, leaky_relu_grad))
    assert mine is not cached and mine == cached                  # the same numbers, run again
    printed = capsys.readouterr().out
    assert capstone.summary(config, cached) in printed and "-> passes" in printed
    wrong = capstone.train_runs(**config, functions=(leaky_relu, lambda z, a: leaky_relu_grad(z, 0.0)))[0]
    assert wrong != cached                                         # a wrong derivative shows
    plt.close("all")


def test_notebook_06_prints_no_configuration_that_passes():
    import ast
    import re
    from pathlib import Path
    import nbformat
    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / "06_in_practice.ipynb", as_version=4)
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                   for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", []))
    shown = [ast.literal_eval(m) for m in re.findall(r"\{'activation': [^}]*\}", text)]
    assert shown, "the baseline is shown"
    for config in shown:
        assert not capstone.train_configuration(**config).passed, config


def test_the_solution_is_no_seed_lottery():
    config = capstone.capstone()
    runs = capstone.train_runs(**config, seeds=(0, 1, 2, 3, 4, 5))
    assert sum(run.passed for run in runs) >= 5                   # measured: 6 of 6
    relu = capstone.train_runs("relu", 0.0, "he", 0.03, seeds=(0, 1, 2, 3, 4, 5))
    assert sum(run.passed for run in relu) >= 4                   # measured: 5 of 6


def test_copying_the_baseline_earns_little_and_accuracy_weighs_most():
    baseline = _check(dict(capstone.BASELINE))
    assert baseline.failure["mistake"] == "the baseline"
    assert baseline.score == 2.0 and baseline.max_score == 5.0, str(baseline)   # valid, few inactive
    dying = _check({"activation": "relu", "alpha": 0.0, "init": "he", "lr": 0.3})
    assert dying.score == 1.0, str(dying)                                        # fails both criteria
    assert _check(capstone.capstone()).score == 5.0
