"""Notebook 05's experiment helpers: deep stacks against He et al.'s theory, PyTorch's default, fans."""

import dataclasses
import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from reference import data
from reference import he_init as H
from reference.explorers import he_init as explorer
from reference.init import he_std
from reference.network import MLP, Stack, layer_gradient_norms, train

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
    curves = explorer.stack_curves("He", 64, "ReLU", 0)
    assert curves["measured"].shape == curves["theory"].shape == (H.DEPTH,)
    assert curves["sizes"].shape[0] == H.DEPTH


def test_log_growth_is_normal_stacks_measurement_seed_by_seed_across_chunks():
    growth = H.log_growth(16, seeds=[0, 3, 7], chunk=2)
    for value, seed in zip(growth, (0, 3, 7)):
        z_std = H.normal_stack(he_std(16), (16,) * (H.DEPTH + 1), seed=seed).z_std
        assert value == pytest.approx(math.log(z_std[-1] / z_std[0]), rel=1e-9)
    assert H.drift_estimate(16) == pytest.approx(-5 * 49 / 64)
    leaky = H.log_growth(64, seeds=[0, 2], n=64, alpha=0.5)
    for value, seed in zip(leaky, (0, 2)):
        z_std = H.normal_stack(he_std(64, 0.5), (64,) * (H.DEPTH + 1), alpha=0.5, n=64, seed=seed).z_std
        assert value == pytest.approx(math.log(z_std[-1] / z_std[0]), rel=1e-9)
    assert H.drift_estimate(256, depth=11) == pytest.approx(-5 * 10 / 1024)


def test_mean_cosine_over_pairs_of_different_rows():
    assert H.mean_cosine(np.ones((5, 3))) == pytest.approx(1.0)
    assert H.mean_cosine(np.eye(4)) == pytest.approx(0.0)
    A = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    expected = (1 / math.sqrt(2) + 0.0 + 1 / math.sqrt(2)) / 3
    assert H.mean_cosine(A) == pytest.approx(expected)
    with_zero_row = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 0.0]])      # pairs: 1, 0, 0
    assert H.mean_cosine(with_zero_row) == pytest.approx(1 / 3)
    batched = H.mean_cosine(np.stack([A, np.ones((3, 2))]))
    np.testing.assert_allclose(batched, [expected, 1.0])


def test_relu_cosine_map_endpoints_and_monte_carlo():
    np.testing.assert_allclose(H.relu_cosine_map([-1.0, 0.0, 1.0]), [0.0, 1 / math.pi, 1.0], atol=1e-12)
    rng = np.random.default_rng(0)
    for c in (-0.5, 0.3, 0.8):
        g1, g2 = rng.standard_normal((2, 400_000))
        z, z2 = g1, c * g1 + math.sqrt(1 - c**2) * g2
        a, a2 = np.maximum(z, 0), np.maximum(z2, 0)
        measured = np.mean(a * a2) / math.sqrt(np.mean(a**2) * np.mean(a2**2))
        assert H.relu_cosine_map(c) == pytest.approx(measured, abs=0.005)


def test_alignment_by_layer_matches_each_copys_own_pre_activations():
    X, _ = data.circles(120, rng=0)
    sizes = (2,) + (32,) * 6 + (1,)
    stack = Stack.of(sizes, [0, 1], init="he")
    found = H.alignment_by_layer(stack, X)
    assert found.inactive.shape == found.input_cosine.shape == (2, 6)
    for copy, seed in enumerate((0, 1)):
        net = MLP(sizes, init="he", rng=seed)
        zs = net.pre_activations(X)
        np.testing.assert_allclose(found.inactive[copy], [np.all(z <= 0, axis=0).mean() for z in zs])
        inputs = [X] + [np.maximum(z, 0) for z in zs[:-1]]
        np.testing.assert_allclose(found.input_cosine[copy], [H.mean_cosine(a) for a in inputs])
    assert np.all(found.inactive[:, 0] == 0)        # circles around 0: no line through 0 has them all on one side
    predicted = H.predicted_input_cosine(X, 6)
    assert predicted[0] == pytest.approx(H.mean_cosine(X))
    assert np.all(np.diff(predicted) > 0) and predicted[1] > 1 / math.pi - 0.05


def test_born_dead_probability_reference_points():
    assert H.born_dead_probability(2, 10) == pytest.approx(0.9437, abs=1e-4)
    assert H.born_dead_probability(3, 10) == pytest.approx(0.7369, abs=1e-4)
    assert 2e-9 < H.born_dead_probability(32, 10) < 2.5e-9


def test_lr_grid_copies_end_where_train_ends_and_best_lr_skips_divergence():
    X, y = data.circles(40, rng=0)
    sizes = (2, 6, 4, 1)
    runs = H.lr_grid(sizes, ("he", "small"), (0.05, 0.5), (0, 1), X, y, epochs=4, batch_size=10,
                     X_test=X[:10], y_test=y[:10])
    assert runs.loss.shape == runs.accuracy.shape == runs.inactive.shape == (2, 2, 2)
    assert runs.loss_curve.shape == (2, 2, 2, 5) and runs.gradient.shape == (2, 2)
    net = MLP(sizes, init="small", rng=1)
    gradient = layer_gradient_norms(net, X, y)[0]
    history = train(net, X, y, epochs=4, lr=0.5, batch_size=10, X_test=X[:10], y_test=y[:10])
    assert runs.gradient[1, 1] == gradient
    np.testing.assert_array_equal(runs.loss_curve[1, 1, 1], history.loss)
    assert runs.accuracy[1, 1, 1] == history.accuracy[-1]
    assert runs.test_accuracy[1, 1, 1] == history.test_accuracy[-1]
    assert runs.inactive[1, 1, 1] == history.dead_fraction[-1]
    for trained, ours in zip(runs.net(1, 1, 1).weights + runs.net(1, 1, 1).biases, net.weights + net.biases):
        np.testing.assert_array_equal(trained, ours)
    fast = H.lr_grid(sizes, ("he",), (0.05,), (0,), X, y, epochs=2, curves=False)
    assert fast.loss_curve.shape == (1, 1, 1, 0) and np.isnan(fast.test_accuracy).all()
    made_up = dataclasses.replace(runs, loss=np.array([[[0.3, 0.5], [0.2, np.nan]],
                                                       [[0.6, 0.6], [0.7, 0.4]]]))
    np.testing.assert_array_equal(made_up.best_lr(), [0, 1])      # [1] has a NaN: infinite
    np.testing.assert_array_equal(made_up.at_best(made_up.loss), [[0.3, 0.5], [0.7, 0.4]])


def test_lr_grid_with_he_normal_as_a_function_gives_the_numbers_of_he_by_name():
    from reference.init import he_normal
    X, y = data.circles(40, rng=0)
    calls = []

    def learners_he_normal(fan_in, fan_out, alpha=0.0, rng=None):   # as notebook 05's exercise
        calls.append((fan_in, fan_out))
        std = math.sqrt(2 / ((1 + alpha**2) * fan_in))
        return np.random.default_rng(rng).normal(0.0, std, (fan_out, fan_in))
    sizes = (2,) + (8,) * 6 + (1,)
    grid = dict(lrs=(0.05, 0.3), seeds=(0, 1), X=X, y=y, epochs=3, batch_size=10)
    by_name = H.lr_grid(sizes, ("he", "lecun"), **grid)
    by_function = H.lr_grid(sizes, (learners_he_normal, "lecun"), **grid)
    assert len(calls) >= 7 * 2 * 2                       # every layer of every He network
    for field in ("loss", "accuracy", "inactive", "gradient", "loss_curve"):
        np.testing.assert_array_equal(getattr(by_function, field), getattr(by_name, field), err_msg=field)
    assert not np.array_equal(H.lr_grid(sizes, (he_normal,), (0.05,), (0,), X, y, epochs=1).gradient,
                              H.lr_grid(sizes, ("lecun",), (0.05,), (0,), X, y, epochs=1).gradient)


@pytest.mark.parametrize("values", [
    dict(depth=50, width=256, init="He", activation="ReLU", seed=0),            # flat, near sqrt(2)
    dict(depth=2, width=64, init="√(1/n) (LeCun)", activation="ReLU", seed=3),   # two points
    dict(depth=50, width=16, init="He", activation="ReLU", seed=5),             # wanders over decades
    dict(depth=50, width=256, init="0.01", activation="ReLU", seed=0),          # down to 1e-48
    dict(depth=50, width=256, init="PyTorch nn.Linear default", activation="ReLU", seed=1)])
def test_the_explorer_std_axis_is_log_with_at_least_three_plain_labels_and_every_point_inside(values):
    fig = explorer.draw_init_stack(**values)
    ax = fig.axes[0]
    fig.canvas.draw()
    low, high = ax.get_ylim()
    labels = [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    assert ax.get_yscale() == "log" and len(labels) >= 3 and "1e+00" not in labels
    assert all("$" not in label for label in labels)                   # plain text, not typeset
    assert high / low >= 10 * (1 - 1e-9)                               # a flat curve looks flat
    for line in ax.lines:
        y = np.asarray(line.get_ydata())
        assert np.all((low < y[y > 0]) & (y[y > 0] < high)), line.get_label()
    plt.close(fig)


def test_the_explorer_keeps_the_legend_off_the_points():
    growing = explorer.draw_init_stack(depth=50, width=64, init="He without the α correction",
                                       activation="Leaky ReLU α = 0.5")
    assert growing.axes[0].get_legend()._loc == 2          # upper left: the points start lower left
    shrinking = explorer.draw_init_stack(depth=50, width=256, init="0.01", activation="ReLU")
    assert shrinking.axes[0].get_legend()._loc == 3        # lower left: the points start upper left
    plt.close("all")


def test_log_limits_pad_to_a_decade_and_keep_a_margin():
    low, high = explorer.log_limits(1.0, 2.0)
    assert high / low == pytest.approx(10) and low < 1 and high > 2 and low * high == pytest.approx(2)
    low, high = explorer.log_limits(1e-48, 1.0)
    assert low < 1e-48 and high > 1 and high / 1.0 == pytest.approx(1e-48 / low)


def test_uncached_draws_are_the_cached_ones_and_are_not_kept():
    cached = H.normal_stack(0.3, (16,) * 6, seed=4)
    before = H.standard_draws.cache_info().currsize
    fresh = H.normal_stack(0.3, (16,) * 6, seed=11, cached=False)
    assert H.standard_draws.cache_info().currsize == before
    np.testing.assert_array_equal(H.normal_stack(0.3, (16,) * 6, seed=4, cached=False).z_std, cached.z_std)
    np.testing.assert_array_equal(fresh.z_std, H.normal_stack(0.3, (16,) * 6, seed=11).z_std)


def test_the_pytorch_default_stack_is_fed_normal_stacks_inputs():
    X, _ = H.standard_draws((32,) * 4, 16, 5)
    W, _ = H.torch_linear_default(32, 32, np.random.default_rng(105))
    run = H.torch_default_stack(3, 32, with_bias=False, n=16, seed=5)
    assert run.z_std[0] == pytest.approx((X @ W.T).std(), rel=1e-12)


def test_the_explorer_says_when_its_stack_is_born_dead():
    run = H.normal_stack(he_std(8), (8,) * (H.DEPTH + 1), seed=52)
    assert run.all_zero.any() and not run.all_zero[0]             # seed 52 at width 8 dies on the way
    first = int(np.argmax(run.all_zero)) + 1
    fig = explorer.draw_init_stack(depth=50, width=8, seed=52)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == [f"born dead: every z is 0\nfrom layer {first} on"]
    # the histograms: a dead layer draws nothing and says why in the legend
    assert first <= 25
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend == ["layer 1", "layer 25: every z = 0", "layer 50: every z = 0"]
    assert len(fig.axes[1].patches) == 1                          # one histogram: layer 1's
    assert len(explorer.draw_init_stack(depth=first - 1, width=8, seed=52).axes[0].texts) == 0
    assert len(explorer.draw_init_stack(depth=50, width=16, seed=0).axes[0].texts) == 0
    plt.close("all")


def test_the_explorer_ticks_layers_on_whole_numbers():
    fig = explorer.draw_init_stack(depth=2, width=16, seed=0)
    ticks = fig.axes[0].get_xticks()
    shown = ticks[(ticks >= 1) & (ticks <= 2)]
    assert len(shown) >= 2 and np.all(shown == np.round(shown))
    plt.close("all")


def test_quiz_05s_predictive_answers_are_printed_nowhere_in_notebook_05_and_state_their_decimals():
    import json
    from pathlib import Path

    import nbformat

    from checks.exercises.quizzes import QUESTIONS
    from reference.quizzes import quiz_05

    nb = nbformat.read(Path(__file__).resolve().parent.parent / "notebooks" / "05_he_init.ipynb", as_version=4)
    everything = json.dumps([cell.get("outputs", []) for cell in nb.cells]) + " ".join(c.source for c in nb.cells)
    questions = {q.key: q for q in QUESTIONS["quiz_05"]}
    for key in ("q1", "q5"):                    # a new fan_in and alpha; a new depth: computed, not read
        assert f"({questions[key].decimals} decimals)" in questions[key].text
        shown = f"{quiz_05()[key]:.{questions[key].decimals}f}"
        assert shown not in everything, (key, shown)
