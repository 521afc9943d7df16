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


# ----------------------------------------------------------------------------- quizzes 01 and 02
# Their predictive questions (q5 to q7): the key agrees with the reference code, and no answer is
# printed in its notebook (stored outputs, markdown or code), so it has to be worked out.

PREDICTIVE = {"quiz_01": ("01_relu", ("q5", "q6", "q7")), "quiz_02": ("02_why_relu", ("q5", "q6", "q7"))}


def _notebook_text(stem: str) -> str:
    import nbformat
    from pathlib import Path

    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / f"{stem}.ipynb", as_version=4)
    texts = []
    for cell in nb.cells:
        texts.append(cell.source)
        for output in cell.get("outputs", []):
            texts.append(output.get("text", ""))
            texts.extend(v for k, v in output.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(texts)


def _spellings(value: float, decimals: int) -> set[str]:
    """How a cell could print the answer: rounded to the question's decimals, with a thousands
    separator, in scientific notation."""
    forms = {f"{abs(value):.{decimals}f}", f"{abs(value):,.{decimals}f}"}
    if decimals == 0:
        forms |= {f"{abs(value):.1e}", f"{abs(value):.2e}", f"{abs(value):g}"}
    return forms


@pytest.mark.parametrize("quiz", list(PREDICTIVE))
def test_the_predictive_answers_are_not_printed_in_their_notebook(quiz):
    import re

    from checks.exercises.quizzes import QUESTIONS
    from reference import quizzes

    stem, keys = PREDICTIVE[quiz]
    text, key = _notebook_text(stem), getattr(quizzes, quiz)()
    questions = {q.key: q for q in QUESTIONS[quiz]}
    for k in keys:
        if questions[k].choices:
            continue                                  # a letter: see the quiz figure's test
        for form in _spellings(key[k], questions[k].decimals):
            found = re.search(r"(?<![\d.,])" + re.escape(form) + r"(?![\d])", text)
            assert found is None, (quiz, k, form, text[max(0, found.start() - 80):found.end() + 20])


def test_the_spelling_search_finds_a_printed_answer():
    import re

    printed = "fraction of zeros: 0.16\n"                # what the test above must catch
    assert any(re.search(r"(?<![\d.,])" + re.escape(f) + r"(?![\d])", printed) for f in _spellings(0.16, 2))
    assert not any(re.search(r"(?<![\d.,])" + re.escape(f) + r"(?![\d])", "0.1612")
                   for f in _spellings(0.16, 2))


def test_quiz_01_predictive_answers_agree_with_the_reference_code():
    from reference import quizzes
    from reference.activations import relu

    key = quizzes.quiz_01()
    w, b, v = np.array([1.0, -2.0, 0.5]), np.array([-1.0, 1.0, 0.5]), np.array([2.0, 1.0, -3.0])
    assert key["q5"] == round(0.5 + v @ relu(w * 1.5 + b), 2)
    kink, (w, b) = key["q6"], (-1.45, 3.3)
    assert w * kink + b == pytest.approx(0, abs=0.01) and relu(w * (kink + 0.01) + b) == 0 < relu(w * (kink - 0.01) + b)
    assert kink == round(-b / w, 2)
    assert key["q7"] == round(0.5 * math.erfc(1 / math.sqrt(2)), 2)        # Phi(-1)
    for seed in range(100, 110):                        # section 7's simulation gives it too
        z = np.random.default_rng(seed).normal(1.0, 1.0, size=1_000_000)
        assert round(float(np.mean(relu(z) == 0)), 2) == key["q7"]


def test_quiz_01_q6_asks_about_a_neuron_the_explorer_cannot_show():
    """The neuron explorer's sliders (a 0.1 grid on [-3, 3]) print the kink in their legend: no
    setting of them reaches q6's w and b, nor a kink that rounds to q6's answer."""
    from reference import quizzes
    from reference.explorers.relu import neuron_explorer

    explorer = neuron_explorer()
    sliders = {child.description: child for child in explorer.children if hasattr(child, "step")}
    w_slider, b_slider = sliders["weight w"], sliders["bias b"]
    grid = {name: np.round(np.arange(s.min, s.max + s.step / 2, s.step), 10) for name, s in
            (("w", w_slider), ("b", b_slider))}
    assert -1.45 not in grid["w"] and 3.3 not in grid["b"]
    kinks = {f"{-b / w:.2f}" for w in grid["w"] if w != 0 for b in grid["b"] if abs(b / w) <= 3}
    assert f"{quizzes.quiz_01()['q6']:.2f}" not in kinks


def test_quiz_02_predictive_answers_agree_with_the_reference_code():
    from reference import quizzes
    from reference.activations import sigmoid_grad

    key = quizzes.quiz_02()
    assert key["q5"] == round(float(sigmoid_grad(1.5)), 3)
    factors = why_relu.backward_factors(why_relu.fan_in_mlp((2,) + (32,) * 8 + (1,), "sigmoid", 0), *MOONS)
    assert len(factors.derivative_factors) == 7                             # layer 8 back to 1: 7 steps
    assert key["q6"] == 4 ** 7 and np.prod(factors.derivative_factors) <= 1 / key["q6"]


def test_the_quiz_figure_hides_the_names_and_its_key_is_the_tanh_curve():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reference import quizzes
    from reference.explorers import why_relu as explorer

    curves = explorer.mystery_curves()
    tanh = quizzes.quiz_02()["q7"].upper()
    assert explorer.MYSTERY_CURVES[tanh] == "tanh" and sorted(explorer.MYSTERY_CURVES.values()) == ["relu", "sigmoid", "tanh"]
    norms = explorer.hidden_gradient_norms("tanh", explorer.MYSTERY_DEPTH, 32, explorer.MYSTERY_SEED)
    assert np.allclose(curves[tanh], norms / norms[-1])
    fig = explorer.draw_mystery_curves()
    words = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text)).lower()
    plt.close(fig)
    assert not any(name in words for name in ("sigmoid", "tanh", "relu"))
    assert "MYSTERY_CURVES" not in _notebook_text("02_why_relu")


def test_the_quiz_figure_styles_name_no_activation_and_it_zooms_on_the_two_top_curves():
    """No curve of the quiz figure wears an activation's colour, marker or line style from the
    explorer (tanh is dashed with squares there), so only the shapes tell them apart; the right
    panel shows 0.1 to 30, where tanh's curve stands clear of ReLU's (at least 5x at layer 1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reference.explorers import why_relu as explorer

    used = {part for style in explorer.LINE_STYLES.values() for part in style}
    fig = explorer.draw_mystery_curves()
    whole, zoom = fig.axes
    curves = [line for line in whole.lines if line.get_label().startswith("curve")]
    plt.close(fig)
    assert len(curves) == 3 and len({line.get_marker() for line in curves}) == 3
    for line in curves:
        assert not {line.get_color(), line.get_marker(), line.get_linestyle()} & used, line.get_label()
    assert len({(line.get_color(), line.get_linestyle()) for line in curves}) == 1
    assert zoom.get_ylim() == pytest.approx((0.1, 30.0)) and zoom.get_yscale() == "log"
    first = {name: (n := explorer.hidden_gradient_norms(name, explorer.MYSTERY_DEPTH, 32, explorer.MYSTERY_SEED))[0] / n[-1]
             for name in ("tanh", "relu")}
    assert first["tanh"] >= 5 * first["relu"] and 0.1 < first["relu"] and first["tanh"] < 30


def test_a_thousand_sample_simulation_of_quiz_01_q7_gets_the_small_simulation_slip():
    """The learner who simulates q7 with 1,000 samples (seeds 0-9, 100-109) is right by luck or
    told the simulation was too small: never the generic explanation."""
    from checks.core import Call, Outcome
    from checks.exercises.quizzes import QUESTIONS, _judge
    from reference import quizzes

    q7 = next(q for q in QUESTIONS["quiz_01"] if q.key == "q7")
    verdicts = set()
    for seed in list(range(10)) + list(range(100, 110)):
        zeros = float(np.mean(np.maximum(np.random.default_rng(seed).normal(1.0, 1.0, 1000), 0) == 0))
        problems = _judge(q7)([Call((), label="q7")], [Outcome(value={"q7": round(zeros, 2)})], [quizzes.quiz_01()])
        if problems:
            assert problems[0].mistake is not None and "small simulation" in problems[0].mistake.name, (seed, zeros)
        verdicts.add(problems[0].mistake.name if problems else "right")
    assert len(verdicts) >= 2                              # the seeds do scatter outside 0.16


@pytest.mark.parametrize("seed", [7] + list(range(100, 110)))
def test_the_quiz_figure_can_be_read_as_section_2_teaches_on_other_seeds_too(seed):
    """Back at layer 1: the sigmoid's gradient has vanished, tanh's has grown several times,
    ReLU's is within a small factor (and well below tanh's)."""
    from reference.explorers.why_relu import MYSTERY_DEPTH, hidden_gradient_norms

    first_over_last = {name: (n := hidden_gradient_norms(name, MYSTERY_DEPTH, 32, seed))[0] / n[-1]
                       for name in ("sigmoid", "tanh", "relu")}
    assert first_over_last["sigmoid"] < 1e-6
    assert first_over_last["tanh"] > 3 and first_over_last["tanh"] > 2 * first_over_last["relu"]
    assert 0.2 < first_over_last["relu"] < 2.5
