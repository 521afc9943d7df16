"""The reference activations: the source text's examples, the conventions, the gradients."""

import numpy as np
import pytest

from reference import activations as act

GRADIENT_PAIRS = [
    (act.relu, act.relu_grad),
    (lambda z: act.leaky_relu(z, 0.01), lambda z: act.leaky_relu_grad(z, 0.01)),
    (lambda z: act.leaky_relu(z, 2.5), lambda z: act.leaky_relu_grad(z, 2.5)),
    (act.sigmoid, act.sigmoid_grad),
    (act.tanh, act.tanh_grad),
]


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def test_seed_document_examples():
    assert act.relu(3) == 3
    assert act.relu(-2) == 0
    assert act.leaky_relu(3, 0.01) == 3
    assert act.leaky_relu(-2, 0.01) == pytest.approx(-0.02)
    assert act.leaky_relu_grad(-2, 0.01) == pytest.approx(0.01)


@pytest.mark.parametrize("f, grad", GRADIENT_PAIRS)
def test_gradients_match_finite_differences_away_from_the_kink(f, grad):
    z = np.random.default_rng(0).normal(0, 3, 1000)
    z = z[np.abs(z) > 1e-3]
    np.testing.assert_allclose(grad(z), central_difference(f, z), rtol=1e-5, atol=1e-8)


def test_gradient_at_zero_follows_pytorch():
    assert act.relu_grad(0.0) == 0.0
    assert act.relu_grad(-0.0) == 0.0
    assert act.leaky_relu_grad(0.0, 0.2) == pytest.approx(0.2)


def test_leaky_relu_is_piecewise_for_alpha_above_one():
    z = np.array([-1.0, 2.0])
    np.testing.assert_allclose(act.leaky_relu(z, 3.0), [-3.0, 2.0])
    np.testing.assert_allclose(act.leaky_relu_grad(z, 3.0), [3.0, 1.0])
    # the max form disagrees for positive z
    assert np.maximum(3.0 * z, z)[1] == 6.0


def test_nan_and_infinities():
    assert np.isnan(act.relu(np.nan))
    assert np.isnan(act.leaky_relu(np.nan))
    assert act.relu(-np.inf) == 0
    assert act.relu(np.inf) == np.inf
    assert act.leaky_relu(-np.inf, 0.01) == -np.inf


@pytest.mark.parametrize("f", [act.relu, act.relu_grad, act.leaky_relu, act.leaky_relu_grad,
                               act.sigmoid, act.sigmoid_grad, act.tanh, act.tanh_grad])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_and_dtype_are_kept(f, dtype):
    z = np.linspace(-2, 2, 12, dtype=dtype).reshape(3, 4)
    out = f(z)
    assert out.shape == (3, 4) and out.dtype == dtype
    assert np.ndim(f(np.float32(1.5))) == 0 and np.ndim(f(np.array(-1.0))) == 0
    assert f(np.zeros((0, 3), dtype)).shape == (0, 3)


@pytest.mark.parametrize("f", [act.relu, act.relu_grad, act.leaky_relu, act.leaky_relu_grad])
def test_input_is_not_modified(f):
    z = np.array([-2.0, 0.0, 3.0])
    f(z)
    np.testing.assert_array_equal(z, [-2.0, 0.0, 3.0])


def test_sigmoid_never_overflows():
    with np.errstate(all="raise"):
        s = act.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0])
    assert act.sigmoid_grad(0.0) == pytest.approx(0.25)


def test_prelu_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    z, upstream, alpha = rng.normal(size=(20, 7)), rng.normal(size=(20, 7)), 0.25
    dz, dalpha = act.prelu_backward(upstream, z, alpha)

    def loss(alpha):
        return np.sum(upstream * act.prelu(z, alpha))

    assert dalpha == pytest.approx(central_difference(loss, alpha), rel=1e-6)
    np.testing.assert_allclose(dz, upstream * act.leaky_relu_grad(z, alpha))


def test_relus_build_abs_and_hat():
    from reference import piecewise
    x = np.linspace(-3, 3, 601)
    np.testing.assert_allclose(piecewise.abs_from_relus(x), np.abs(x))
    np.testing.assert_allclose(piecewise.hat(x), np.maximum(0, 1 - np.abs(x)), atol=1e-12)


def test_more_relus_fit_a_curve_better():
    from reference import piecewise
    x = np.linspace(-3, 3, 300)
    y = np.sin(2 * x)
    errors = []
    for k in (1, 2, 4, 8, 16):
        knots, c = piecewise.fit_relu_sum(x, y, k)
        errors.append(np.sqrt(np.mean((piecewise.relu_features(x, knots) @ c - y) ** 2)))
    assert all(b < a for a, b in zip(errors, errors[1:]))
