"""The reference network: backward pass against finite differences, learning, determinism."""

import math

import numpy as np
import pytest

from reference import data
from reference.network import MLP, train


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
