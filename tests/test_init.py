"""The reference initializers: formulas, statistics, reproducibility, and deep-stack behaviour."""

import math

import numpy as np
import pytest

from reference import init
from reference.activations import relu


def test_he_std_formula():
    assert init.he_std(512) == pytest.approx(math.sqrt(2 / 512))
    assert init.he_std(100, alpha=0.1) == pytest.approx(math.sqrt(2 / (1.01 * 100)))


@pytest.mark.parametrize("maker", [init.he_normal, init.he_uniform])
def test_he_sample_std_within_two_percent(maker):
    W = maker(1000, 800, rng=0)
    assert W.shape == (800, 1000)
    assert W.std() == pytest.approx(init.he_std(1000), rel=0.02)
    assert abs(W.mean()) < 0.01 * init.he_std(1000)


def test_he_uniform_bound_is_sqrt3_std():
    W = init.he_uniform(300, 300, rng=0)
    assert np.abs(W).max() <= math.sqrt(3) * init.he_std(300)


@pytest.mark.parametrize("maker", [init.he_normal, init.he_uniform,
                                   init.xavier_normal, init.lecun_normal])
def test_reproducible_and_independent_of_global_state(maker):
    np.random.seed(1)
    a = maker(30, 20, rng=7)
    np.random.seed(2)
    b = maker(30, 20, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(maker(30, 20, rng=7), maker(30, 20, rng=8))


def test_bad_fans_are_refused():
    with pytest.raises(ValueError):
        init.he_std(0)
    with pytest.raises(ValueError):
        init.he_normal(0, 5)


def activation_scale_per_layer(std_of, depth=50, width=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1000, width))
    scales = []
    for _ in range(depth):
        W = rng.normal(0.0, std_of(width), size=(width, width))
        x = relu(x @ W.T)
        scales.append(np.sqrt(np.mean(x**2)))
    return np.array(scales)


def test_he_keeps_a_50_layer_relu_stack_stable_while_001_collapses():
    he = activation_scale_per_layer(init.he_std)
    assert np.all(he / he[0] < 3) and np.all(he / he[0] > 1 / 3)
    small = activation_scale_per_layer(lambda n: 0.01)
    assert small[-1] < 1e-30
