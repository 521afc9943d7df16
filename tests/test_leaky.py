"""Notebook 04's code: PReLU's slope gradient, ELU and the max-form trap are what the notebook
says they are; the dying and revival experiments compare what they claim to compare."""

import numpy as np
import pytest

from checks.exercises.leaky import finite_difference
from reference import activations, data, diagnostics, dying, leaky, network


def test_the_branch_free_leaky_relu_is_the_piecewise_one():
    z = np.concatenate([np.random.default_rng(0).normal(size=1000), [0.0, -0.0, 1e-300, -1e-300]])
    for alpha in (0.0, 0.01, 0.3, 2.0):
        assert np.array_equal(activations.leaky_relu(z, alpha), np.where(z > 0, z, alpha * z))
    assert diagnostics.zero_fraction(activations.leaky_relu(z, 0.0)) == diagnostics.zero_fraction(activations.relu(z))


def test_prelu_alpha_grad_is_the_finite_difference_and_the_network_gradient():
    rng = np.random.default_rng(3)
    upstream, z = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    expected = leaky.prelu_alpha_grad(upstream, z)
    for alpha in (0.25, 0.0, 1.5):
        assert np.isclose(finite_difference(upstream, z, alpha), expected, rtol=1e-8)
        assert np.isclose(activations.prelu_backward(upstream, z, alpha)[1], expected)
    assert leaky.prelu_alpha_grad(np.ones(2), np.array([3.0, -2.0])) == -2.0


def test_max_form_is_leaky_relu_exactly_when_alpha_at_most_one():
    z = np.linspace(-4, 4, 801)
    for alpha in (-2.0, -0.3, 0.0, 0.01, 0.5, 1.0):
        assert np.array_equal(leaky.max_form(z, alpha), activations.leaky_relu(z, alpha))
    for alpha in (1.001, 1.5, 3.0):
        assert not np.array_equal(leaky.max_form(z, alpha), activations.leaky_relu(z, alpha))


def test_elu():
    z = np.array([-30.0, -2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(leaky.elu(z), np.where(z > 0, z, np.exp(z) - 1), atol=1e-15)
    np.testing.assert_allclose(leaky.elu(z, 2.0)[:3], 2 * (np.exp(z[:3]) - 1))
    h, points = 1e-6, np.array([-3.0, -0.7, 0.4, 2.0])
    numeric = (leaky.elu(points + h) - leaky.elu(points - h)) / (2 * h)
    np.testing.assert_allclose(leaky.elu_grad(points), numeric, rtol=1e-6)
    assert leaky.elu_grad(-1e-300) == 1.0 == leaky.elu_grad(1e-300)      # smooth at 0 for alpha = 1
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert leaky.elu(-1e4) == -1.0 and leaky.elu_grad(-1e4) == 0.0


def test_revival_compares_the_same_networks_on_the_same_batches():
    result = leaky.revival(alphas=(0.0, 0.01), epochs=3)
    assert result["revived"].shape[:2] == (2, len(leaky.DYING_SEEDS))
    assert result["weight_change"][0] == 0.0                       # ReLU: dead units frozen
    assert result["revived_first_layer"][0].sum() == 0
    assert np.all(result["revived"] <= result["dead_at_switch"].sum(axis=1)[None, :, None])


def test_a_switch_to_alpha_zero_changes_nothing_and_a_switch_to_leaky_relu_changes_the_function():
    result = leaky.revival(alphas=(0.0, 0.1), epochs=2)
    assert np.array_equal(result["accuracy_at_switch"][0], result["accuracy_before"])
    assert not np.array_equal(result["accuracy_at_switch"][1], result["accuracy_before"])


def test_leaky_relu_is_never_born_dead_where_relu_is():
    relu = dying.born_dead_monte_carlo(2, 10, trials=3000, rng=0)
    assert np.array_equal(relu, dying.born_dead_monte_carlo(2, 10, trials=3000, rng=0, alpha=0.0))
    p = dying.born_dead_probability(2, 10)
    assert abs(relu[-1] - p) < 4 * np.sqrt(p * (1 - p) / 3000)
    assert np.all(dying.born_dead_monte_carlo(2, 10, trials=3000, rng=0, alpha=0.01) == 0.0)


SMALL = {"sizes": (2, 6, 1), "epochs": 3, "batch_size": 10}


def small_splits():
    X, y = data.moons(60, noise=0.2, rng=0)
    return (X[:30], y[:30], X[30:45], y[30:45], X[45:], y[45:])


def trained(method, lr, seed, X, y):
    """One network of ``method`` trained alone with ``train``, to compare with the batched runs."""
    net = network.MLP(SMALL["sizes"], method.activation, method.alpha, rng=seed)
    network.train(net, X, y, SMALL["epochs"], lr, SMALL["batch_size"])
    return net


def test_tuned_comparison_gives_each_method_its_best_rate_and_pairs_the_seeds():
    splits = small_splits()
    X_train, y_train, X_val, y_val, X_test, y_test = splits
    methods = (leaky.RELU, leaky.LEAKY, leaky.PRELU)
    lrs = (0.05, 0.5, 1e9)                                  # the last one diverges
    result = leaky.tuned_comparison(SMALL["sizes"], splits, methods, lrs, SMALL["epochs"],
                                    SMALL["batch_size"], tune_seeds=(3, 4), seeds=(3, 4, 7))
    for m in methods:
        r = result[m.name]
        assert r["validation_by_lr"][2] == np.inf or r["validation_by_lr"][2] > 1e3
        means = [np.mean([trained(m, lr, s, X_train, y_train).loss(X_val, y_val) for s in (3, 4)])
                 for lr in lrs[:2]]
        np.testing.assert_allclose(r["validation_by_lr"][:2], means)
        assert r["lr"] == lrs[int(np.argmin(means))]
        assert r["test_accuracy"].shape == (3,)
        for k, seed in enumerate((3, 4, 7)):                # entry k is seed k's own run at r["lr"]
            net = trained(m, r["lr"], seed, X_train, y_train)
            assert np.isclose(net.accuracy(X_test, y_test), r["test_accuracy"][k])
            assert np.isclose(net.loss(X_val, y_val), r["validation_loss"][k])
    with pytest.raises(ValueError, match="start with"):
        leaky.tuned_comparison(SMALL["sizes"], splits, methods, lrs, 1, 10, tune_seeds=(0, 1), seeds=(1, 0))


def test_all_negative_layers_are_the_layers_that_scale_signal_by_alpha():
    depth, trials, alpha = 6, 300, 0.01
    k = leaky.all_negative_layers(2, depth, trials, rng=5, alpha=alpha)
    g = np.random.default_rng(5)                                   # the same draws, by hand
    a = g.standard_normal((trials, 2))
    as_identity = a.copy()                                         # all-negative layers passed through as z
    for _ in range(depth):
        W = g.standard_normal((trials, 2, 2))
        z, z_id = (W @ a[:, :, None])[:, :, 0], (W @ as_identity[:, :, None])[:, :, 0]
        a = activations.leaky_relu(z, alpha)
        all_negative = np.all(z <= 0, axis=1, keepdims=True)
        as_identity = np.where(all_negative, z_id, activations.leaky_relu(z_id, alpha))
    assert k.min() == 0 and 2 < k.max() <= depth                     # both kinds of network occur
    np.testing.assert_allclose(a, alpha ** k[:, None] * as_identity, rtol=1e-9)   # scaled by alpha^k


def test_prelu_with_its_own_step_is_compared_with_that_step():
    splits = small_splits()
    X_train, y_train, X_val, y_val, X_test, y_test = splits
    result = leaky.tuned_comparison(SMALL["sizes"], splits, (leaky.PRELU, leaky.PRELU_SLOW), (0.5,),
                                    SMALL["epochs"], SMALL["batch_size"], tune_seeds=(3,), seeds=(3,))
    for method in (leaky.PRELU, leaky.PRELU_SLOW):
        net = network.MLP(SMALL["sizes"], "prelu", 0.25, rng=3)
        network.train(net, X_train, y_train, SMALL["epochs"], 0.5, SMALL["batch_size"], alpha_lr=0.5 * method.alpha_step)
        assert np.isclose(net.loss(X_val, y_val), result[method.name]["validation_loss"][0])
    assert result[leaky.PRELU.name]["validation_loss"][0] != result[leaky.PRELU_SLOW.name]["validation_loss"][0]


def test_longer_training_continues_the_comparison_runs():
    method = leaky.ALPHA_SWEEP[3]
    found = leaky.longer_training(method, 0.4, epochs=(2, 5), seeds=(0, 1))
    X_train, y_train, _, _, X_test, y_test = leaky.task_splits("spirals")
    for k, seed in enumerate((0, 1)):
        for row, epochs in enumerate((2, 5)):
            net = network.MLP(leaky.TASK["sizes"], "leaky_relu", method.alpha, rng=seed)
            network.train(net, X_train, y_train, epochs, 0.4, leaky.TASK["batch_size"])
            assert net.accuracy(X_test, y_test) == found[row, k]


def test_longer_training_from_the_comparisons_trained_networks_gives_the_same_numbers():
    method, splits = leaky.ALPHA_SWEEP[3], leaky.task_splits("spirals")
    compared = leaky.tuned_comparison(SMALL["sizes"], splits, (method,), (0.4, 0.8), 2, leaky.TASK["batch_size"],
                                      tune_seeds=(0,), seeds=(0, 1))
    lr, nets = compared[method.name]["lr"], compared[method.name]["nets"]
    kept = [net.rng.bit_generator.state for net in nets]
    scratch = leaky.tuned_comparison(SMALL["sizes"], splits, (method,), (lr,), 5, leaky.TASK["batch_size"],
                                     tune_seeds=(0,), seeds=(0, 1))[method.name]["test_accuracy"]
    X_train, y_train, _, _, X_test, y_test = splits
    stack = network.Stack.from_nets([network.MLP(SMALL["sizes"], "leaky_relu", method.alpha, rng=s) for s in (0, 1)])
    network.train_stack(stack, X_train, y_train, 5, lr, leaky.TASK["batch_size"], record=())
    assert np.array_equal(stack.accuracy(X_test, y_test), scratch)
    continued = leaky.longer_training(method, lr, epochs=(2, 5), seeds=(0, 1), trained=nets)
    assert np.array_equal(continued[0], compared[method.name]["test_accuracy"])
    assert np.array_equal(continued[1], scratch)                           # 2 + 3 epochs = 5 from scratch
    assert [net.rng.bit_generator.state for net in nets] == kept          # the cached runs untouched
    with pytest.raises(ValueError):
        leaky.longer_training(method, lr, epochs=(2, 5), seeds=(0, 1, 2), trained=nets)


def test_revival_on_other_seeds_and_nothing_in_the_first_layer_comes_back_at_the_switch():
    result = leaky.revival(alphas=(0.0, 0.1), epochs=1, seeds=(4, 5))
    assert result["dead_at_switch"].shape[0] == 2
    assert result["revived_first_layer_at_switch"].sum() == 0       # its inputs, X, did not change
    assert result["revived"][1, :, 0].sum() > 0                      # the second layer's did


def test_revival_on_a_learners_leaky_relu_gives_the_reference_runs_numbers():
    calls = {"f": 0, "f_prime": 0}

    def learners_leaky_relu(z, alpha=0.01):                # written otherwise than the reference
        calls["f"] += 1
        return np.where(z > 0, z, alpha * z)

    def learners_leaky_relu_grad(z, alpha=0.01):
        calls["f_prime"] += 1
        return np.where(z > 0, 1.0, alpha)
    reference = leaky.revival()                            # the notebook's run (cached)
    theirs = leaky.revival(functions=(learners_leaky_relu, learners_leaky_relu_grad))
    assert calls["f"] > 0 and calls["f_prime"] > 0         # run, not read from the cache
    assert theirs is not reference and set(theirs) == set(reference)
    for key in reference:
        assert np.array_equal(theirs[key], reference[key]), key
    assert leaky.revival(functions=(activations.leaky_relu, activations.leaky_relu_grad)) is reference


def test_revival_runs_the_functions_given_so_a_wrong_derivative_changes_its_numbers():
    def no_slope_grad(z, alpha=0.01):                      # ReLU's derivative: dead units stay frozen
        return (z > 0).astype(float)
    reference = leaky.revival(alphas=(0.0, 0.1), epochs=2)
    wrong = leaky.revival(alphas=(0.0, 0.1), epochs=2, functions=(activations.leaky_relu, no_slope_grad))
    assert wrong["weight_change"][1] == 0.0 < reference["weight_change"][1]
    assert np.array_equal(wrong["weight_change"][:1], reference["weight_change"][:1])


def test_dying_course_trains_the_networks_of_the_dying_set_up_epoch_by_epoch():
    course = leaky.dying_course(0.01, 3)
    epochs = leaky.DYING["epochs"]
    assert course["inactive"].shape == course["accuracy"].shape == (2, epochs + 1)
    stack, _ = leaky.dying_runs()
    X, y = leaky.dying_data()
    seeds = len(leaky.DYING_SEEDS)
    for row, alpha in enumerate((0.0, 0.01)):          # the same copies as dying_runs', at the end
        i = leaky.ALPHA_GRID.index(alpha) * seeds + 3
        assert course["inactive"][row, -1] == stack.inactive(X)[i].mean()
        assert course["accuracy"][row, -1] == stack.accuracy(X, y)[i]
    net = network.MLP(leaky.DYING["sizes"], "leaky_relu", 0.05, rng=3)   # and epoch by epoch
    history = network.train(net, X, y, epochs, leaky.DYING["lr"], leaky.DYING["batch_size"])
    assert np.array_equal(leaky.dying_course(0.05, 3)["accuracy"][1], history.accuracy)
    assert not np.array_equal(leaky.dying_course(0.05, 3)["inactive"][1], course["inactive"][1])


QUIZ_04_NEW = ("q5", "q6", "q7")


def test_quiz_04s_new_answers_are_what_the_reference_code_computes():
    from reference import quizzes
    key = quizzes.quiz_04()
    z = np.array([-3, -0.5, 0, 0.2, 1.5, 4])
    assert key["q5"] == round(float(activations.leaky_relu_grad(z, 0.05).mean()), 3)
    w, b, x, upstream = np.array([2.0, -1.0]), -1.0, np.array([0.7, 2.8]), -3.0
    zz = w @ x + b
    assert zz <= 0 and key["q6"] == round(float(upstream * activations.leaky_relu_grad(zz, 0.1) * x[0]), 3)
    assert key["q7"] == round(0.05 ** 3, 6)
    # the attenuation is what a layer with every unit on the alpha side does: f(z) = alpha z there
    rng = np.random.default_rng(0)
    a = rng.normal(size=4)
    W = -np.abs(rng.normal(size=(4, 4))) * np.sign(a)       # z <= 0 for every unit
    assert np.all(W @ a <= 0) and np.allclose(activations.leaky_relu(W @ a, 0.05), 0.05 * (W @ a))


def test_quiz_04s_new_answers_are_printed_nowhere_in_notebook_04():
    """A predictive question's answer must be worked out, not read off an output or the prose."""
    import re

    import nbformat

    from checks.exercises.quizzes import QUESTIONS
    from reference import quizzes
    decimals = {q.key: q.decimals for q in QUESTIONS["quiz_04"]}
    nb = nbformat.read("notebooks/04_leaky_relu.ipynb", as_version=4)
    text = "\n".join([cell.source for cell in nb.cells]                     # prose and code
                     + [output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                        for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs])
    for question in QUIZ_04_NEW:
        answer = quizzes.quiz_04()[question]
        spellings = {f"{answer:g}", f"{answer:.{decimals[question]}f}", f"{answer:.2e}", f"{answer:e}",
                     f"{answer:g}".replace("-", "−"), f"{100 * answer:g} %", f"{100 * answer:g}%"}
        for spelling in spellings:
            assert not re.search(rf"(?<![\d.]){re.escape(spelling)}(?!\d)", text), (question, spelling)


def test_a_diverged_run_is_drawn_up_to_its_last_finite_epoch_and_its_title_says_so():
    """Alpha 0.3, seed 1: the Leaky run's loss is NaN from epoch 3 on (inf-like before); after
    that z is NaN, no unit counts as inactive, and '0 % inactive' would be a lie."""
    import matplotlib.pyplot as plt

    from reference.explorers.leaky import draw_alpha
    course = leaky.dying_course(0.3, 1)
    assert course["diverged_at"].tolist() == [-1, 3]
    assert np.isfinite(course["loss"][1, :3]).all() and not np.isfinite(course["loss"][1, 3:]).any()
    assert course["inactive"][1, -1] == 0.0                         # what the old figure showed
    fig = draw_alpha(0.3, 1)
    for ax in fig.axes:
        relu_line, leaky_line = ax.lines[:2]
        assert len(relu_line.get_xdata()) == 21 and list(leaky_line.get_xdata()) == [0, 1, 2]
        assert "Leaky ReLU" in ax.get_title() and "(dashed) diverged (NaN) at epoch 3" in ax.get_title()
    assert "% inactive" not in fig.axes[0].get_title()
    never = draw_alpha(0.01, 1)
    assert leaky.dying_course(0.01, 1)["diverged_at"].tolist() == [-1, -1] and "NaN" not in never.axes[0].get_title()
    with pytest.raises(ValueError, match="ReLU itself"):
        draw_alpha(0.0, 1)                                           # two identical lines: not offered
    plt.close("all")


def test_the_explorers_runs_that_diverge_are_the_eleven_at_alpha_0_1_and_above():
    """Of the explorer's 180 Leaky settings (alpha, seed) at learning rate 3, the ones whose loss is
    not finite after 20 epochs, trained in one stack; the explorer's own runs agree."""
    from reference.explorers.leaky import ALPHAS, SEEDS
    assert 0.0 not in ALPHAS
    stack, _ = leaky.dying_runs(ALPHAS, SEEDS)
    X, y = leaky.dying_data()
    with np.errstate(over="ignore", invalid="ignore"):
        broken = ~np.isfinite(stack.loss(X, y)).reshape(len(ALPHAS), len(SEEDS))
    found = [(ALPHAS[a], SEEDS[s]) for a, s in zip(*np.nonzero(broken))]
    assert found == [(0.1, 108), (0.2, 5), (0.2, 108), (0.3, 1), (0.3, 3), (0.3, 5), (0.3, 6), (0.3, 9),
                     (0.3, 101), (0.3, 105), (0.3, 108)]
    for alpha, seed in found[:3]:
        assert leaky.dying_course(alpha, seed)["diverged_at"][1] > 0
