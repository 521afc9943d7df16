"""Notebook 03's helpers: the weight gradient, the born-dead formula, the experiments' runs."""

import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from reference import dying  # noqa: E402
from reference.explorers import dying as explorer  # noqa: E402
from reference.network import MLP, bce_with_logits  # noqa: E402


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


def test_the_explorer_updates_quickly_once_its_run_is_cached():
    explorer.draw_dying(lr=3.0, bias=-1.0)
    plt.close("all")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        explorer.draw_dying(lr=3.0, bias=-1.0).savefig(io.BytesIO(), format="png")
        times.append(time.perf_counter() - start)
        plt.close("all")
    assert min(times) < 0.5                           # < 100 ms on a quiet machine; wide margin here
