"""Notebook 05's experiment helpers: deep stacks against He et al.'s theory, PyTorch's default, fans."""

import math

import numpy as np
import pytest

from reference import he_init as H
from reference.explorers import he_init as explorer
from reference.init import he_std

N = 256


def test_he_keeps_the_std_of_a_50_layer_stack_within_a_factor_2_of_theory_forward_and_backward():
    run = H.normal_stack(he_std(N), backward=True)
    ratio = run.z_std / H.theory_z_std(he_std(N))
    assert np.all((0.5 < ratio) & (ratio < 2))
    assert np.all((0.5 < run.grad_std / run.grad_std[-1]) & (run.grad_std / run.grad_std[-1] < 2))
    assert np.all((0.4 < run.zero_fraction) & (run.zero_fraction < 0.6))


@pytest.mark.parametrize("std", [math.sqrt(1 / N), 0.01, 2 / N])
def test_a_stack_differs_from_he_only_by_its_scale_layer_by_layer(std):
    he = H.normal_stack(he_std(N), backward=True)
    other = H.normal_stack(std, backward=True)
    c = std / he_std(N)
    layers = np.arange(1, H.DEPTH + 1)
    np.testing.assert_allclose(other.z_std, he.z_std * c**layers, rtol=1e-9)
    np.testing.assert_allclose(other.grad_std, he.grad_std * c ** (H.DEPTH - layers), rtol=1e-9)
    np.testing.assert_array_equal(other.zero_fraction, he.zero_fraction)


def test_layer_factor_and_theory():
    assert H.layer_factor(he_std(N), N) == pytest.approx(1.0)
    assert H.layer_factor(he_std(N, 0.1), N, 0.1) == pytest.approx(1.0)
    assert H.layer_factor(math.sqrt(1 / N), N) == pytest.approx(math.sqrt(0.5))
    theory = H.theory_z_std(0.01, depth=3, width=N)
    np.testing.assert_allclose(theory, math.sqrt(N * 1e-4) * math.sqrt(N * 1e-4 / 2) ** np.arange(3))


def test_leaky_uncorrected_drifts_by_exactly_1_plus_alpha_squared_per_layer():
    alpha = 0.1
    corrected = H.normal_stack(he_std(N, alpha), alpha=alpha)
    uncorrected = H.normal_stack(he_std(N), alpha=alpha)
    np.testing.assert_allclose(uncorrected.z_std / corrected.z_std,
                               (1 + alpha**2) ** (np.arange(1, H.DEPTH + 1) / 2), rtol=1e-9)


def test_float32_001_stack_underflows_to_exactly_zero_and_he_does_not():
    small = H.normal_stack(0.01, dtype=np.float32)
    assert small.all_zero[-1] and small.z_std[-1] == 0.0 and not small.all_zero[0]
    he32 = H.normal_stack(he_std(N), dtype=np.float32)
    assert he32.z_std[-1] == pytest.approx(H.normal_stack(he_std(N)).z_std[-1], rel=1e-3)


def test_varying_widths_and_the_fan_rules():
    widths = (64, 32, 16, 8)
    by_in = H.normal_stack(lambda fan_in, fan_out: he_std(fan_in), widths, backward=True)
    by_out = H.normal_stack(lambda fan_in, fan_out: he_std(fan_out), widths, backward=True)
    assert len(by_in.samples) == 3 and by_in.samples[-1].size == H.HISTOGRAM_ROWS * 8
    assert by_out.z_std[-1] / by_in.z_std[-1] == pytest.approx(math.sqrt(64 / 8), rel=1e-9)


def test_torch_linear_default_matches_pytorchs_formula():
    W, b = H.torch_linear_default(300, 200, rng=0)
    assert W.shape == (200, 300) and b.shape == (200,)
    assert np.abs(W).max() <= 1 / math.sqrt(300) and np.abs(b).max() <= 1 / math.sqrt(300)
    assert W.std() == pytest.approx(1 / math.sqrt(3 * 300), rel=0.01)
    assert W.var() / he_std(300) ** 2 == pytest.approx(1 / 6, rel=0.02)
    np.testing.assert_array_equal(W, H.torch_linear_default(300, 200, rng=0)[0])


def test_torch_default_stack_settles_at_the_bias_fixed_point_and_forgets_its_input():
    plain = H.torch_default_stack(with_bias=False)
    biased = H.torch_default_stack(with_bias=True)
    ratio = plain.z_std / H.theory_z_std(1 / math.sqrt(3 * N))
    assert np.all((0.5 < ratio) & (ratio < 2))
    assert biased.z_std[-1] == pytest.approx(math.sqrt(2 / (5 * N)), rel=0.1)
    assert biased.signal_std[-1] < 1e-12 * biased.signal_std[0]


def test_fans_in_both_layouts():
    W = np.zeros((128, 784))
    assert H.fans(W, "out_in") == (784, 128)
    assert H.fans(W.T, "in_out") == (784, 128)
    with pytest.raises(ValueError):
        H.fans(W, "rows")


def test_explorer_weight_stds_and_curves():
    assert explorer.weight_std("He", 64, 0.5) == pytest.approx(he_std(64, 0.5))
    assert explorer.weight_std("PyTorch nn.Linear default", 64, 0.0) == pytest.approx(1 / math.sqrt(192))
    assert explorer.weight_std("variance 2/n used as std", 64, 0.0) == pytest.approx(2 / 64)
    curves = explorer.stack_curves("He", 64, "ReLU")
    assert curves["measured"].shape == curves["theory"].shape == (H.DEPTH,)
    assert curves["sizes"].shape[0] == H.DEPTH
