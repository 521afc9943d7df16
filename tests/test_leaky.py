"""Notebook 04's code: PReLU's slope gradient, ELU and the max-form trap are what the notebook
says they are; the dying and revival experiments compare what they claim to compare."""

import numpy as np
import pytest

from checks.exercises.leaky import finite_difference
from reference import activations, data, diagnostics, leaky


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
