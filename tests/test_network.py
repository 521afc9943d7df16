"""The reference network: backward pass against finite differences, learning, determinism."""

import math

import numpy as np
import pytest

from reference import data, network
from reference.network import ACTIVATIONS, MLP, train


def numerical_gradient(net, X, y, param, eps=1e-6):
    grad = np.zeros_like(param)
    for idx in np.ndindex(param.shape):
        old = param[idx]
        param[idx] = old + eps
        up = net.loss(X, y)
        param[idx] = old - eps
        down = net.loss(X, y)
        param[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "prelu", "sigmoid", "tanh"])
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_backward_matches_finite_differences(activation, loss):
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(16, 3)), (rng.random(16) > 0.5).astype(float)
    net = MLP((3, 5, 4, 1), activation=activation, alpha=0.2, bias=0.1, loss=loss, rng=4)
    _, grads = net.loss_and_grads(X, y)
    for W, dW, b, db in zip(net.weights, grads["W"], net.biases, grads["b"]):
        np.testing.assert_allclose(dW, numerical_gradient(net, X, y, W), rtol=1e-4, atol=1e-8)
        np.testing.assert_allclose(db, numerical_gradient(net, X, y, b), rtol=1e-4, atol=1e-8)
    if activation == "prelu":
        for layer, dalpha in enumerate(grads["alpha"]):
            alpha = np.array(net.alphas[layer])
            net.alphas[layer] = alpha  # a 0-d array the helper can perturb in place
            expected = numerical_gradient(net, X, y, alpha)
            net.alphas[layer] = float(alpha)
            assert dalpha == pytest.approx(float(expected), rel=1e-4)


def test_zero_weights_cannot_learn():
    X, y = data.circles(200, rng=0)
    net = MLP((2, 10, 5, 1), init="zeros", rng=0)
    history = train(net, X, y, epochs=200, lr=0.5)
    assert history.loss[-1] == pytest.approx(math.log(2), abs=1e-9)
    assert history.accuracy[-1] == 0.5


def test_he_init_learns_circles():
    X, y = data.circles(300, rng=0)
    net = MLP((2, 10, 5, 1), init="he", rng=1)
    history = train(net, X, y, epochs=1000, lr=0.5)
    assert history.accuracy[-1] >= 0.95


def test_training_is_deterministic_under_a_seed():
    X, y = data.moons(200, rng=0)

    def run():
        net = MLP((2, 16, 16, 1), rng=5)
        return train(net, X, y, epochs=20, lr=0.1, batch_size=32, dropout=0.2).loss

    assert run() == run()


def test_large_negative_bias_kills_every_relu_unit():
    X, y = data.moons(200, rng=0)
    net = MLP((2, 32, 1), bias=-10.0, rng=0)
    assert net.dead_units(X).all()
    history = train(net, X, y, epochs=50, lr=0.5)
    assert history.dead_fraction[-1] == 1.0


def test_dead_unit_weights_never_change():
    X, y = data.moons(200, rng=0)
    net = MLP((2, 16, 1), rng=0)
    net.biases[0][:4] = -50.0          # kill units 0-3
    before = net.weights[0][:4].copy()
    train(net, X, y, epochs=100, lr=0.5)
    np.testing.assert_array_equal(net.weights[0][:4], before)


def test_weight_decay_shrinks_weights():
    X, y = data.moons(200, rng=0)
    norms = []
    for wd in (0.0, 0.05):
        net = MLP((2, 32, 1), rng=0)
        train(net, X, y, epochs=200, lr=0.3, weight_decay=wd)
        norms.append(sum(np.sum(W**2) for W in net.weights))
    assert norms[1] < 0.7 * norms[0]


def test_prelu_learns_alpha():
    X, y = data.spirals(200, rng=0)
    net = MLP((2, 32, 32, 1), activation="prelu", alpha=0.25, rng=0)
    history = train(net, X, y, epochs=100, lr=0.3)
    assert history.alphas[-1] != history.alphas[0]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="activation"):
        MLP((2, 3, 1), activation="relu6")
    with pytest.raises(ValueError, match="init"):
        MLP((2, 3, 1), init="kaiming")


# ----------------------------------------------------------------------------- the batched loop

def _sgd_by_hand(net, X, y, lr, weight_decay):
    """One full-batch step from the layer pairs (forward/backward), checked by finite differences above."""
    _, grads = net.loss_and_grads(X, y)
    for W, b, dW, db in zip(net.weights, net.biases, grads["W"], grads["b"]):
        W -= lr * (dW + weight_decay * W)
        b -= lr * db
    if net.activation == "prelu":
        net.alphas = [a - lr * da for a, da in zip(net.alphas, grads["alpha"])]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_the_training_loop_takes_the_steps_the_layer_pairs_give(activation, loss):
    X, y = data.moons(40, rng=3)
    trained = MLP((2, 6, 5, 1), activation=activation, alpha=0.2, loss=loss, rng=4)
    by_hand = MLP((2, 6, 5, 1), activation=activation, alpha=0.2, loss=loss, rng=4)
    train(trained, X, y, epochs=3, lr=0.3, weight_decay=0.01)
    for _ in range(3):
        _sgd_by_hand(by_hand, X, y, 0.3, 0.01)
    for W, W_hand in zip(trained.weights + trained.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(W, W_hand, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(trained.alphas, by_hand.alphas, rtol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_copy_of_a_stack_trains_exactly_like_its_own_network(activation):
    X, y = data.spirals(90, rng=1)
    X_test, y_test = data.spirals(40, rng=2)
    seeds, lrs, alphas, dropouts = [7, 8, 9], [0.5, 0.1, 0.5], [0.3, 0.1, 0.0], [0.2, 0.0, 0.1]
    stack = network.Stack.of((2, 16, 8, 1), seeds, activation, alpha=alphas)
    stacked = network.train_stack(stack, X, y, 4, lr=lrs, batch_size=20, dropout=dropouts,
                                  weight_decay=0.001, X_test=X_test, y_test=y_test)
    for i, (seed, lr, alpha, dropout) in enumerate(zip(seeds, lrs, alphas, dropouts)):
        net = MLP((2, 16, 8, 1), activation=activation, alpha=alpha, rng=seed)
        history = train(net, X, y, epochs=4, lr=lr, batch_size=20, dropout=dropout,
                        weight_decay=0.001, X_test=X_test, y_test=y_test)
        for W, W_stack in zip(net.weights + net.biases, stack.weights + stack.biases):
            assert np.array_equal(W, W_stack[i])                        # bit for bit
        copy = stacked.of(i)
        assert np.array_equal(history.dead_matrix, copy.dead_matrix)
        assert history.loss == copy.loss and history.test_accuracy == copy.test_accuracy
        assert history.alphas == copy.alphas


def test_a_stack_evaluates_in_slices_as_each_network_does():
    X, y = data.moons(300, rng=2)
    stack = network.Stack.of((2, 32, 32, 1), [0, 1, 2, 3], "leaky_relu", alpha=[0.0, 0.01, 0.2, 0.0])
    network.train_stack(stack, X, y, 3, 1.0, 25, record=())
    for i in range(stack.size):
        net = stack.net(i)
        assert stack.accuracy(X, y)[i] == net.accuracy(X, y)
        assert np.isclose(stack.loss(X, y)[i], net.loss(X, y), rtol=1e-12)
        assert np.array_equal(stack.inactive(X)[i], net.dead_units(X))
        zeros = np.mean(np.concatenate(net.hidden_activations(X), axis=1) == 0)
        assert np.isclose(stack.zero_fraction(X)[i], zeros)
    assert not stack.dead(X)[1:3].any()                            # alpha > 0: never dead
    assert np.array_equal(stack.dead(X)[[0, 3]], stack.inactive(X)[[0, 3]])
    assert stack.net(0).activation == "relu" and stack.net(1).activation == "leaky_relu"


def test_a_stack_refuses_networks_of_different_activations_unless_told_which():
    nets = [MLP((2, 3, 1), activation="relu", rng=0), MLP((2, 3, 1), activation="tanh", rng=0)]
    with pytest.raises(ValueError, match="one activation"):
        network.Stack.from_nets(nets)
    assert network.Stack.from_nets(nets, activation="tanh").activation == "tanh"


def test_a_network_without_hidden_layers_trains_and_records_no_units():
    X, y = data.circles(100, rng=0)
    history = train(MLP((2, 1), rng=0), X, y, epochs=5, lr=0.5)
    assert len(history.loss) == 6 and history.dead_matrix.shape == (6, 0)
    assert np.all(history.dead_fraction == 0)


def test_prelu_slopes_take_their_own_step_when_alpha_lr_is_given():
    X, y = data.spirals(90, rng=1)
    seeds, alpha_lrs = [7, 8, 9], [0.3, 0.01, 0.0]
    stack = network.Stack.of((2, 16, 8, 1), seeds, "prelu", alpha=0.2)
    stacked = network.train_stack(stack, X, y, 3, lr=0.3, batch_size=20, alpha_lr=alpha_lrs)
    for i, (seed, alpha_lr) in enumerate(zip(seeds, alpha_lrs)):
        net = MLP((2, 16, 8, 1), activation="prelu", alpha=0.2, rng=seed)
        history = train(net, X, y, epochs=3, lr=0.3, batch_size=20, alpha_lr=alpha_lr)
        for W, W_stack in zip(net.weights + net.biases, stack.weights + stack.biases):
            assert np.array_equal(W, W_stack[i])                        # bit for bit
        assert history.alphas == stacked.of(i).alphas
    default = MLP((2, 16, 8, 1), activation="prelu", alpha=0.2, rng=7)
    train(default, X, y, epochs=3, lr=0.3, batch_size=20)               # alpha_lr = lr by default
    assert default.alphas == list(stack.alphas[0]) and all(a != 0.2 for a in default.alphas)
    fixed = MLP((2, 16, 8, 1), activation="leaky_relu", alpha=0.2, rng=9)
    train(fixed, X, y, epochs=3, lr=0.3, batch_size=20)                 # alpha_lr = 0: a fixed slope
    assert np.all(stack.alphas[2] == 0.2)
    for W, W_stack in zip(fixed.weights + fixed.biases, stack.weights + stack.biases):
        assert np.array_equal(W, W_stack[2])
    by_hand, one_step = (MLP((2, 6, 5, 1), activation="prelu", alpha=0.2, rng=4) for _ in range(2))
    _, grads = by_hand.loss_and_grads(X, y)                             # one full-batch step
    train(one_step, X, y, epochs=1, lr=0.3, alpha_lr=0.05)
    np.testing.assert_allclose(one_step.alphas, [a - 0.05 * g for a, g in zip(by_hand.alphas, grads["alpha"])],
                               rtol=1e-12)
    np.testing.assert_allclose(one_step.weights[0], by_hand.weights[0] - 0.3 * grads["W"][0], rtol=1e-12)


def _trained_with(functions, activation="relu", epochs=5):
    """A 2-8-8-1 stack of 3 seeds trained on the circles with ``functions``: weights and record."""
    X, y = data.circles(100, rng=0)
    stack = network.Stack.of((2, 8, 8, 1), [0, 1, 2], activation=activation, alpha=0.1,
                             functions=functions)
    history = network.train_stack(stack, X, y, epochs=epochs, lr=0.5, batch_size=20)
    return [W.copy() for W in stack.weights + stack.biases], history


def test_running_the_reference_activation_as_given_functions_trains_bit_for_bit_the_same():
    from reference import activations as act
    weights, history = _trained_with(None)
    given, given_history = _trained_with((act.relu, act.relu_grad))
    assert all(np.array_equal(a, b) for a, b in zip(weights, given))
    assert np.array_equal(history.loss, given_history.loss)
    assert np.array_equal(history.inactive, given_history.inactive)
    leaky, _ = _trained_with(None, "leaky_relu")
    leaky_given, _ = _trained_with((act.leaky_relu, act.leaky_relu_grad), "leaky_relu")
    assert all(np.array_equal(a, b) for a, b in zip(leaky, leaky_given))


@pytest.mark.parametrize("wrong", ["derivative", "function"])
def test_a_wrong_given_function_changes_training(wrong):
    from reference import activations as act
    weights, history = _trained_with(None)
    functions = ((act.relu, lambda z: act.leaky_relu_grad(z, 0.1)) if wrong == "derivative"
                 else (lambda z: act.leaky_relu(z, 0.1), act.relu_grad))
    changed, changed_history = _trained_with(functions)
    assert not np.array_equal(weights[0], changed[0])
    assert not np.array_equal(history.loss, changed_history.loss)


def test_train_runs_a_single_network_with_the_functions_given():
    from reference import activations as act
    X, y = data.circles(100, rng=0)
    calls = []

    def counted_relu(z):
        calls.append(z.shape)
        return act.relu(z)
    plain, given = MLP((2, 8, 1), rng=3), MLP((2, 8, 1), rng=3)
    train(plain, X, y, epochs=3, lr=0.5, batch_size=25)
    train(given, X, y, epochs=3, lr=0.5, batch_size=25, functions=(counted_relu, act.relu_grad))
    assert all(np.array_equal(a, b) for a, b in zip(plain.weights, given.weights))
    assert len(calls) >= 3 * 4                                   # every step's forward pass


def test_an_init_function_draws_exactly_what_its_name_draws():
    from reference import init
    sizes = (2, 16, 16, 8, 1)
    for activation, alpha in (("relu", 0.01), ("leaky_relu", 0.2)):
        named = MLP(sizes, activation, alpha, init="he", rng=5)
        given = MLP(sizes, activation, alpha, init=init.he_normal, rng=5)
        assert all(np.array_equal(a, b) for a, b in zip(named.weights, given.weights))
        assert named.rng.random() == given.rng.random()          # the same draws, in the same order
    stack = network.Stack.of(sizes, [0, 1, 2], init=init.he_normal)
    named_stack = network.Stack.of(sizes, [0, 1, 2])
    assert all(np.array_equal(a, b) for a, b in zip(named_stack.weights, stack.weights))
    calls = []

    def lecun_counted(fan_in, fan_out, alpha, rng):
        calls.append((fan_in, fan_out, alpha))
        return init.lecun_normal(fan_in, fan_out, rng)
    other = MLP(sizes, "leaky_relu", 0.2, init=lecun_counted, rng=5)
    assert calls == [(2, 16, 0.2), (16, 16, 0.2), (16, 8, 0.2), (8, 1, 0.2)]   # fan_in, fan_out, alpha
    assert not np.array_equal(other.weights[0], MLP(sizes, "leaky_relu", 0.2, rng=5).weights[0])


def test_an_init_function_of_the_wrong_shape_is_refused():
    from reference import init
    with pytest.raises(ValueError, match=r"init returned shape \(2, 16\), expected"):
        MLP((2, 16, 1), init=lambda fan_in, fan_out, alpha, rng: init.he_normal(fan_out, fan_in, alpha, rng))
