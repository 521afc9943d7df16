"""reference.why_relu: the backward factors, the fair race's pieces, and the plateau's measures."""

import math
import time

import numpy as np
import pytest

from reference import data, why_relu
from reference.network import MLP, Stack, train_stack

MOONS = data.moons(64, rng=0)


def test_fan_in_init_has_the_gain_over_root_fan_in():
    net = why_relu.fan_in_mlp((200, 400, 1), "tanh", seed=0)
    assert net.weights[0].std() == pytest.approx(5 / 3 / math.sqrt(200), rel=0.02)
    relu = why_relu.fan_in_mlp((200, 400, 1), "relu", seed=0)
    assert relu.weights[0].std() == pytest.approx(math.sqrt(2 / 200), rel=0.02)   # He's rule


def test_fan_in_stack_copies_are_the_fan_in_mlps():
    stack = why_relu.fan_in_stack((2, 8, 1), [3, 4], "sigmoid", gain=2.0)
    for i, seed in enumerate([3, 4]):
        net = why_relu.fan_in_mlp((2, 8, 1), "sigmoid", seed, gain=2.0)
        assert all(np.array_equal(W[i], V) for W, V in zip(stack.weights, net.weights))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_backward_factors_multiply_to_the_measured_steps(activation):
    net = why_relu.fan_in_mlp((2, 16, 16, 16, 16, 1), activation, seed=1)
    found = why_relu.backward_factors(net, *MOONS)
    assert found.delta_norms.shape == (4,) and found.weight_factors.shape == (3,)
    np.testing.assert_allclose(found.delta_norms[:-1] / found.delta_norms[1:], found.steps, rtol=1e-10)


def test_delta_norms_are_those_of_backpropagation_written_out():
    net = why_relu.fan_in_mlp((2, 8, 8, 1), "tanh", seed=2)
    X, y = MOONS
    z1 = X @ net.weights[0].T + net.biases[0]
    z2 = np.tanh(z1) @ net.weights[1].T + net.biases[1]
    s = (np.tanh(z2) @ net.weights[2].T + net.biases[2]).ravel()
    dout = ((1 / (1 + np.exp(-s)) - y) / len(y))[:, None]           # binary cross-entropy
    delta2 = (dout @ net.weights[2]) * (1 - np.tanh(z2) ** 2)
    delta1 = (delta2 @ net.weights[1]) * (1 - np.tanh(z1) ** 2)
    found = why_relu.backward_factors(net, X, y)
    np.testing.assert_allclose(found.delta_norms, [np.linalg.norm(delta1), np.linalg.norm(delta2)])
    assert found.weight_factors[0] == pytest.approx(np.linalg.norm(delta2 @ net.weights[1]) / np.linalg.norm(delta2))


def test_the_sigmoid_derivative_factor_never_exceeds_a_quarter():
    net = why_relu.fan_in_mlp((2,) + (32,) * 10 + (1,), "sigmoid", seed=0)
    found = why_relu.backward_factors(net, *MOONS)
    assert found.derivative_factors.max() <= 0.25
    relu = why_relu.backward_factors(why_relu.fan_in_mlp((2,) + (32,) * 10 + (1,), "relu", seed=0), *MOONS)
    assert relu.derivative_factors.max() > 0.25                 # a bound that is the sigmoid's, not everyone's


def test_epochs_to_reach():
    curves = np.array([[1.0, 0.5, 0.09, 0.2], [1.0, 0.9, 0.8, 0.7], [0.05, 1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(why_relu.epochs_to_reach(curves, 0.1), [2, np.inf, 0])


def test_loss_curves_are_the_stacks_own_training():
    X, y = MOONS
    curves, stack = why_relu.loss_curves("relu", X, y, [0.1, 0.5], seeds=[0, 1], epochs=3)
    assert curves.shape == (2, 2, 4) and stack.size == 4
    alone = why_relu.fan_in_stack((2, 32, 32, 1), [1], "relu")
    history = train_stack(alone, X, y, 3, lr=0.5, batch_size=20, record=("loss",))
    np.testing.assert_allclose(curves[1, 1], history.loss[0])
    xavier, _ = why_relu.loss_curves("tanh", X, y, 0.1, seeds=[0], epochs=1, init="xavier")
    reference = Stack.of((2, 32, 32, 1), [0], activation="tanh", init="xavier")
    np.testing.assert_allclose(xavier[0, 0, 0], reference.loss(X, y)[0])


def test_linear_share_is_one_for_a_linear_network_and_less_for_relu():
    X, _ = MOONS
    linear = MLP((2, 1), rng=0)
    assert why_relu.linear_share(linear, X) == pytest.approx(1.0)
    relu = MLP((2, 64, 1), activation="relu", rng=0)
    assert why_relu.linear_share(relu, X) < 0.99


def test_pre_activation_sizes():
    X, _ = MOONS
    small = MLP((2, 16, 1), activation="tanh", init=0.01, rng=0)
    mean_abs, saturated = why_relu.pre_activation_sizes(small, X)
    assert mean_abs[0] < 0.05 and saturated[0] == 0
    large = MLP((2, 16, 1), activation="tanh", init=100.0, rng=0)
    assert why_relu.pre_activation_sizes(large, X)[1][0] > 0.9


def test_fastest_is_the_minimum_per_call():
    calls = []
    seconds = why_relu.fastest(lambda: calls.append(time.sleep(0)), number=3, repeat=2)
    assert len(calls) == 6 and 0 <= seconds < 0.01


def test_fan_in_stack_takes_one_gain_per_copy():
    stack = why_relu.fan_in_stack((2, 8, 1), [3, 3], "relu", gain=[1.0, 4.0])
    np.testing.assert_allclose(stack.weights[0][1], 4 * stack.weights[0][0])


def test_tuning_best_prefers_speed_then_final_loss():
    table = why_relu.Tuning((1.0, 2.0), (0.1, 1.0), np.array([[np.inf, 30.0], [20.0, 20.0]]),
                            np.array([[0.5, 0.01], [0.02, 0.01]]))
    assert table.best() == (2.0, 1.0)
    never = why_relu.Tuning((1.0,), (0.1, 1.0, 2.0), np.full((1, 3), np.inf), np.array([[0.5, 0.2, 0.9]]))
    assert never.best() == (1.0, 1.0)                                  # ties: the lowest final loss


def test_race_tuning_tables_have_their_shape_and_picks():
    tables = why_relu.race_tuning()
    assert set(tables) == {"sigmoid", "tanh", "relu"}
    for table in tables.values():
        assert table.epochs.shape == table.final.shape == (len(why_relu.RACE_GAINS), len(why_relu.RACE_LRS))
    assert {name: t.best() for name, t in tables.items()} == {
        "sigmoid": (16.0, 4.0), "tanh": (4.0, 1.0), "relu": (8.0, 0.25)}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_stored_race_tuning_is_what_tune_computes(activation):
    """Recompute the picked cell and its two neighbours in learning rate (all nine tuning seeds)."""
    stored = why_relu.race_tuning()[activation]
    gain, lr = stored.best()
    row, column = stored.gains.index(gain), stored.lrs.index(lr)
    columns = [column - 1, column, column + 1]
    X, y = data.spirals(200, rng=0)
    found = why_relu.tune(activation, X, y, [gain], [stored.lrs[c] for c in columns],
                          why_relu.RACE_TUNING_SEEDS, why_relu.RACE_EPOCHS, why_relu.RACE_TARGET)
    np.testing.assert_array_equal(found.epochs[0], stored.epochs[row, columns])
    np.testing.assert_allclose(found.final[0], stored.final[row, columns], rtol=2e-3)
