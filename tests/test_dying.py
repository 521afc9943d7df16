"""Notebook 03's helpers: the weight gradient, the born-dead formula, the experiments' runs."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reference import dying  # noqa: E402
from reference.explorers import dying as explorer  # noqa: E402
from reference.network import MLP, Stack, bce_with_logits  # noqa: E402


def test_relu_weight_grad_is_the_networks_first_layer_gradient():
    X, y = dying.MOONS
    net = MLP((2, 16, 1), bias=-0.5, rng=3)
    _, grads = net.loss_and_grads(X, y)
    _, dout = bce_with_logits(net.forward(X)[0], y)
    Z = net.pre_activations(X)[0]
    np.testing.assert_allclose(dying.relu_weight_grad(X, Z, dout @ net.weights[1]), grads["W"][0],
                               rtol=1e-12, atol=1e-15)


def test_relu_weight_grad_gives_dead_units_exact_zero_rows():
    rng = np.random.default_rng(0)
    X, Z, dA = rng.normal(size=(30, 4)), rng.normal(size=(30, 5)), rng.normal(size=(30, 5))
    Z[:, [1, 3]] = -np.abs(Z[:, [1, 3]])
    dW = dying.relu_weight_grad(X, Z, dA)
    assert dW.shape == (5, 4)
    assert np.all(dW[[1, 3]] == 0) and np.all(dW[[0, 2, 4]] != 0)


def test_relu_weight_grad_uses_the_subgradient_0_at_0():
    assert np.all(dying.relu_weight_grad(np.ones((3, 2)), np.zeros((3, 4)), np.ones((3, 4))) == 0)


@pytest.mark.parametrize("width, depth, expected", [(2, 10, 0.944), (3, 10, 0.737), (1, 1, 0.5)])
def test_born_dead_reference_points(width, depth, expected):
    assert round(float(dying.born_dead_probability(width, depth)), 3) == expected


def test_born_dead_formula_is_accurate_for_wide_layers():
    # the naive 1 - (1 - 2^-N)^L loses every digit here; expm1/log1p keeps them
    assert np.isclose(dying.born_dead_probability(60, 10), 10 * 2.0**-60, rtol=1e-9)


def test_born_dead_monte_carlo_agrees_with_the_formula():
    simulated = dying.born_dead_monte_carlo(3, 12, trials=4000, rng=7)
    p = dying.born_dead_probability(3, np.arange(1, 13))
    assert np.all(np.abs(simulated - p) <= 4 * np.sqrt(p * (1 - p) / 4000))
    assert np.all(np.diff(simulated) >= 0)            # dead stays dead


def test_activation_rms_scales_exactly_like_gain_to_the_depth():
    base, scaled = dying.activation_rms(1.0, depth=10), dying.activation_rms(1.3, depth=10)
    np.testing.assert_allclose(scaled / base, 1.3 ** np.arange(1, 11), rtol=1e-9)
    assert np.all(dying.activation_rms(5.0, depth=10, activation="tanh") <= 1)


def test_relu_grad_convention_only_changes_the_value_at_zero():
    z = np.array([-1.0, 0.0, 2.0])
    assert dying.relu_grad_convention(z, 0.0).tolist() == [0.0, 0.0, 1.0]
    assert dying.relu_grad_convention(z, 1.0).tolist() == [0.0, 1.0, 1.0]


def test_training_with_either_convention_learns_and_is_identical_without_zeros():
    X, y = dying.MOONS
    a = dying.train_one_hidden_layer(X, y, steps=100, at_zero=0.0)
    b = dying.train_one_hidden_layer(X, y, steps=100, at_zero=1.0)
    assert a["loss"][-1] < 0.5 * a["loss"][0]
    assert np.array_equal(a["loss"], b["loss"]) and a["zeros"].sum() == 0


def test_descent_steps_is_slower_for_uncentred_inputs():
    rng = np.random.default_rng(0)
    A = np.maximum(rng.normal(size=(500, 16)), 0)
    w = rng.normal(size=16)
    centred = A - A.mean(axis=0)
    assert dying.descent_steps(A, A @ w) > 3 * dying.descent_steps(centred, centred @ w)


def test_dying_run_is_cached_and_deaths_are_permanent():
    first = dying.dying_run(5.0, 0.0)
    assert dying.dying_run(5.0, 0.0) is first
    dead = first.dead_matrix
    assert dead.shape == (dying.EPOCHS + 1, dying.WIDTH)
    assert np.all(dead[1:] >= dead[:-1])              # one hidden layer: a dead unit stays dead


def test_death_order_puts_units_in_the_order_they_died():
    dead = np.array([[0, 0, 0], [0, 1, 0], [1, 1, 0]], dtype=bool)
    assert explorer.death_order(dead).tolist() == [1, 0, 2]


def test_the_explorer_trains_a_setting_when_first_chosen_then_reuses_it():
    before = dying.dying_run.cache_info()
    for _ in range(2):
        explorer.draw_dying(lr=3.0, bias=-1.5, seed=9)    # a setting no other test trains
        plt.close("all")
    after = dying.dying_run.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


# ----------------------------------------------------------------------------- batched sweeps

def test_sweep_copies_end_exactly_where_their_own_runs_end():
    swept = dying.sweep((1.0, 5.0), (0.0, -1.0), seeds=(0, 3))
    assert swept["dead"].shape == (2, 2, 2, dying.EPOCHS + 1)
    for i, lr in enumerate((1.0, 5.0)):
        for j, bias in enumerate((0.0, -1.0)):
            for k, seed in enumerate((0, 3)):
                alone = dying.dying_run(lr, bias, seed)
                assert np.array_equal(swept["dead"][i, j, k], alone.dead_fraction)
                assert np.array_equal(swept["accuracy"][i, j, k], alone.accuracy)
    assert swept["revivals"].sum() == 0               # one hidden layer, plain SGD


# ----------------------------------------------------------------------------- optimizers with memory

def test_sgd_step_moves_nothing_on_a_zero_gradient():
    w = np.array([1.0, -2.0])
    dying.sgd_step(w, np.zeros(2), {}, lr=10.0)
    assert w.tolist() == [1.0, -2.0]


def test_momentum_step_keeps_moving_geometrically_after_the_gradient_stops():
    w, state = np.zeros(2), {}
    dying.momentum_step(w, np.array([1.0, -1.0]), state, lr=0.5, beta=0.9)
    assert w.tolist() == [-0.5, 0.5]
    steps = []
    for _ in range(5):                                # zero gradient from now on
        before = w.copy()
        dying.momentum_step(w, np.zeros(2), state, lr=0.5, beta=0.9)
        steps.append(np.linalg.norm(w - before))
    np.testing.assert_allclose(np.array(steps[1:]) / steps[:-1], 0.9, rtol=1e-12)
    np.testing.assert_allclose(steps[0], 0.9 * 0.5 * np.sqrt(2), rtol=1e-12)


def test_adam_step_follows_kingma_and_ba():
    w, state = np.array([1.0]), {}
    g1, g2, lr = 0.3, -0.1, 0.01
    dying.adam_step(w, np.array([g1]), state, lr)
    np.testing.assert_allclose(w, 1.0 - lr * g1 / (abs(g1) + 1e-8), rtol=1e-12)  # first step: lr sign(g)
    dying.adam_step(w, np.array([g2]), state, lr)
    m = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9**2)
    v = (0.999 * 0.001 * g1**2 + 0.001 * g2**2) / (1 - 0.999**2)
    np.testing.assert_allclose(w, 1.0 - lr * g1 / (abs(g1) + 1e-8) - lr * m / (np.sqrt(v) + 1e-8), rtol=1e-12)
    assert state["t"] == 2


def test_train_one_hidden_layer_records_deaths_and_steps():
    X, y = dying.MOONS
    r = dying.train_one_hidden_layer(X, y, width=16, lr=10.0, steps=40, optimizer="sgd", rng=0)
    assert r["dead"].shape == (41, 16) and r["moved"].shape == (40, 16)
    np.testing.assert_array_equal(r["dead"][-1], np.all(X @ r["W1"].T + r["b1"] <= 0, axis=0))
    assert np.all(r["moved"][r["dead"][:-1]] == 0)    # plain SGD: a dead unit takes no step at all
    killed = ~r["dead"][:-1] & r["dead"][1:]          # the step that killed a unit lowered z somewhere
    assert killed.any() and r["lowered"].shape == (40, 16)
    assert not np.any(r["lowered"] & (r["moved"] == 0))   # a unit that did not move lowered nothing
    with pytest.raises(KeyError):
        dying.train_one_hidden_layer(X, y, steps=1, optimizer="rmsprop")


def test_after_death_of_a_hand_made_run():
    dead = np.array([[0, 1, 0], [1, 1, 0], [1, 1, 1], [0, 1, 1], [0, 1, 1]], dtype=bool)
    moved = np.array([[1.0, 0, 1], [0.5, 0, 1], [0.25, 0, 0.5], [1.0, 0, 0.25]])
    lowered = np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], dtype=bool)
    fate = dying.after_death({"dead": dead, "moved": moved, "lowered": lowered})
    assert fate["unit"].tolist() == [0, 2]            # unit 1 was dead from the start
    assert fate["died_at"].tolist() == [1, 2]
    assert fate["revived"].tolist() == [True, False]
    np.testing.assert_allclose(fate["distance"], [0.5 + 0.25, 0.5 + 0.25])
    np.testing.assert_allclose(fate["step_ratio"], [0.5, 0.5])
    assert fate["killed_by_lowering"].tolist() == [True, True]   # the steps before each death
    still = dying.after_death({"dead": dead, "moved": np.zeros((4, 3)), "lowered": ~lowered})
    assert still["killed_by_lowering"].tolist() == [False, False]
    assert np.all(still["distance"] == 0) and np.all(np.isnan(still["step_ratio"]))


def test_momentum_units_coast_after_dying_and_sgd_units_do_not():
    X, y = dying.MOONS
    sgd = dying.after_death(dying.train_one_hidden_layer(X, y, width=64, lr=10.0, steps=60, rng=1))
    mom = dying.after_death(dying.train_one_hidden_layer(X, y, width=64, lr=1.0, steps=60,
                                                         optimizer="momentum", rng=1))
    assert len(sgd["unit"]) > 10 and np.all(sgd["distance"] == 0) and not sgd["revived"].any()
    assert len(mom["unit"]) > 10 and np.all(mom["distance"] > 0)
    ratio = mom["step_ratio"][~np.isnan(mom["step_ratio"])]
    np.testing.assert_allclose(ratio, 0.9, rtol=1e-9)


# ----------------------------------------------------------------------------- weight decay, depth

def test_decay_while_dead_revives_only_a_positive_undecayed_bias():
    X = np.array([[2.0, 1.0], [3.0, 0.5]])
    w = np.array([-1.0, -1.0])                        # w . x at most -3
    weights_only = dying.decay_while_dead(w, 1.0, X, lr=1.0, weight_decay=0.1, steps=30)
    np.testing.assert_allclose(weights_only, 0.9 ** np.arange(31) * -3.0 + 1.0)
    assert np.argmax(weights_only > 0) == int(np.ceil(np.log(1 / 3) / np.log(0.9)))
    assert np.all(dying.decay_while_dead(w, 1.0, X, 1.0, 0.1, 300, decay_bias=True) < 0)
    assert np.all(dying.decay_while_dead(w, -0.5, X, 1.0, 0.1, 300) < -0.5)


def test_relu_second_moment_matches_sampling_and_its_condition_number():
    M = dying.relu_second_moment(6)
    a = np.maximum(np.random.default_rng(0).standard_normal((400_000, 6)), 0)
    np.testing.assert_allclose(M, a.T @ a / len(a), atol=0.005)
    np.testing.assert_allclose(dying.relu_second_moment(6, centred=True), np.cov(a.T, bias=True), atol=0.005)
    e = np.linalg.eigvalsh(dying.relu_second_moment(64))
    np.testing.assert_allclose(e[-1] / e[0], 1 + 64 / (np.pi - 1), rtol=1e-12)
    e = np.linalg.eigvalsh(dying.relu_second_moment(64, centred=True))
    np.testing.assert_allclose(e[-1] / e[0], 1.0, rtol=1e-12)


def test_revival_in_depth_only_deeper_units_come_back_and_by_their_inputs():
    r = dying.revival_in_depth(weight_decays=(0.0, 0.01), seeds=(0, 1, 2, 3))
    width = 32
    assert r["dead_at_switch"][:, :width].any() and r["dead_at_switch"][:, width:].any()
    assert not r["revived"][:, :, :width].any()        # first layer: never
    assert r["revived"][0][:, width:].any()           # second layer: some come back
    assert np.all(r["by_input"][0][r["revived"][0]])  # with the weights they had when they died
    assert r["by_input"].shape == (2, 4, 64) and not r["by_input"][:, :, :width].any()
    dead_first = r["dead_at_switch"][:, :width]
    assert np.all(r["shrink"][0][dead_first] == 1.0)
    np.testing.assert_allclose(r["shrink"][1][dead_first], (1 - 0.3 * 0.01) ** 400, rtol=1e-9)
    assert np.all(r["revived"] <= r["dead_at_switch"][None])


# ----------------------------------------------------------------------------- what lr 10 leaves behind

def test_first_layer_gradient_norm_is_the_networks_own():
    X, y = dying.MOONS
    nets = [MLP((2, 8, 1), rng=s) for s in (0, 1)]
    stack = Stack.from_nets(nets)
    expected = [np.linalg.norm(net.loss_and_grads(X, y)[1]["W"][0]) for net in nets]
    for rows in (7, 20, len(X)):                      # uneven, default and one slice
        np.testing.assert_allclose(dying.first_layer_gradient_norm(stack, X, y, rows), expected, rtol=1e-12)


def test_sweep_records_the_gradient_and_keeps_the_trained_stack():
    swept = dying.sweep((1.0, 5.0), (0.0, -1.0), seeds=(0, 3))
    assert swept["gradient"].shape == (2, 2, 2, dying.EPOCHS + 1)
    assert np.all(swept["gradient"] >= 0) and swept["stack"].size == 8
    alone = MLP((2, dying.WIDTH, 1), bias=-1.0, rng=3)
    dying.train(alone, *dying.MOONS, epochs=dying.EPOCHS, lr=5.0, batch_size=dying.BATCH)
    np.testing.assert_array_equal(swept["stack"].weights[0][(1 * 2 + 1) * 2 + 1], alone.weights[0])


def test_coverage_of_a_hand_made_layer():
    X, y = dying.MOONS
    net = MLP((2, 3, 1), rng=0)
    net.weights[0][:] = [[1.0, 0.0], [-1.0, 0.0], [0.0, 0.0]]     # x1 > 0, x1 < 0, dead
    net.biases[0][:] = [-10.0, 0.0, 0.0]                           # unit 0 off everywhere too
    stack = Stack.from_nets([net])
    c = dying.coverage(stack, X)
    off = X[:, 0] >= 0                                             # only unit 1 is ever on
    assert c["alive"].tolist() == [1] and c["uncovered"][0] == np.mean(off)
    assert c["median_share"][0] == np.mean(X[:, 0] < 0)
    minority = min(np.sum(off & (y == 1)), np.sum(off & (y == 0)))
    assert c["best_accuracy"][0] == 1 - minority / len(y)


def test_aftermath_keeps_the_dead_units_and_the_cap_holds():
    after = dying.aftermath(10.0, 1.0)
    assert after["same_dead"].all()                                # plain SGD, one hidden layer
    assert np.all(after["accuracy"] <= after["after"]["best_accuracy"])
    np.testing.assert_array_equal(after["fresh_alive"], after["before"]["alive"])   # as many live units
    assert after["fresh_accuracy"].mean() > after["accuracy"].mean()


def test_binomial_p_value_matches_exact_small_cases():
    assert dying.binomial_p_value(5, 10, 0.5) == pytest.approx(1.0)
    assert dying.binomial_p_value(0, 10, 0.5) == pytest.approx(2 * 0.5**10)
    assert dying.binomial_p_value(1, 10000, 4e-6) == pytest.approx(1 - (1 - 4e-6) ** 10000, rel=1e-6)
    assert dying.binomial_p_value(3, 4, 0.1) == pytest.approx(4 * 0.1**3 * 0.9 + 0.1**4)


# ----------------------------------------------------------------------------- quiz 03

def _step_kills(lr: float) -> bool:
    """Quiz 03 q4's unit, w = (1, 2), b = 0, after one step of lr with dW = (0.3, 0.2), db = 0.1:
    is z <= 0 on all of (1, 0), (0, 1), (1, 1)?"""
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    w, b = np.array([1.0, 2.0]) - lr * np.array([0.3, 0.2]), 0.0 - lr * 0.1
    return bool(np.all(X @ w + b <= 1e-12))


def test_quiz_03s_q4_is_the_smallest_learning_rate_whose_step_kills_the_unit():
    from reference import quizzes
    smallest = 20 / 3                                        # z on (0, 1) = 2 - 0.3 lr is the last to reach 0
    assert _step_kills(smallest) and not _step_kills(smallest - 1e-6)
    assert not _step_kills(5.0) and _step_kills(10.0)        # lr 5: z = (-1, 0.5, 0); lr 10: (-3, -1, -3)
    rates = np.arange(0, 1001) / 100                         # 0.00 to 10.00: the first that kills, rounded up
    assert rates[[_step_kills(lr) for lr in rates].index(True)] == 6.67
    assert quizzes.quiz_03()["q4"] == round(smallest, 2)


def test_quiz_03s_computed_answers_are_printed_nowhere_in_notebook_03():
    """q1 (the born-dead probability for N = 5, L = 40) and q4 (the smallest learning rate whose
    step kills a given unit) must be computed, not read off an output or the text."""
    import re
    from pathlib import Path

    import nbformat

    from reference import quizzes

    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / "03_dying_relu.ipynb", as_version=4)
    texts = [cell.source for cell in nb.cells]
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts.extend(v for k, v in output.get("data", {}).items() if k.startswith("text/"))
    text = "\n".join(texts)
    q1 = f"{quizzes.quiz_03()['q1']:.3f}"                          # as the question asks: 3 decimals
    assert q1 == f"{float(dying.born_dead_probability(5, 40)):.3f}"
    q4 = f"{quizzes.quiz_03()['q4']:.2f}"                          # 2 decimals, and its exact forms
    spellings = [q1, q4, f"{20 / 3:.3f}", f"{20 / 3:.4f}"]
    def pattern(answer: str) -> str:
        return r"(?<![\d.,])" + re.escape(answer) + r"(?!\d)"
    assert all(re.search(pattern(answer), "lr = " + answer) for answer in spellings)   # would be found
    for answer in spellings:
        found = re.search(pattern(answer), text)
        assert found is None, (answer, text[max(0, found.start() - 80):found.end() + 80])
    assert not re.search(r"20\s*/\s*3(?!\d)", text)
