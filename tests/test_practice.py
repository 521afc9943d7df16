"""Notebook 06's experiments: the batched runs are the networks they claim to be, and the
measures compute what their docstrings say."""

import numpy as np
import pytest

from reference import practice
from reference.network import MLP, train


def test_inactive_per_layer_averages_each_layer_separately():
    inactive = np.array([[True, False, True, True, False],
                         [False, False, False, True, True]])
    np.testing.assert_allclose(practice.inactive_per_layer(inactive, (2, 3)),
                               [[0.5, 2 / 3], [0.0, 2 / 3]])


def test_mean_cosine_against_pairs_counted_by_hand():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(7, 4))
    by_hand = np.mean([a[i] @ a[j] / np.linalg.norm(a[i]) / np.linalg.norm(a[j])
                       for i in range(7) for j in range(7) if i != j])
    assert practice.mean_cosine(a) == pytest.approx(by_hand)
    assert practice.mean_cosine(np.ones((5, 3))) == pytest.approx(1.0)       # all aligned
    assert practice.mean_cosine(np.eye(4)) == pytest.approx(0.0)             # orthogonal
    with_zero = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])              # zero row: cosine 0
    assert practice.mean_cosine(with_zero) == pytest.approx(2 / 6)
    np.testing.assert_allclose(practice.mean_cosine(np.stack([a, np.ones((7, 4))])),
                               [by_hand, 1.0])


def test_alignment_at_init_grows_with_depth_and_the_first_layer_is_never_born_inactive():
    cosines, inactive = practice.alignment_at_init((0, 1, 2))
    assert cosines.shape == inactive.shape == (3, len(practice.SIZES) - 2)
    assert np.all(np.diff(cosines, axis=1) > 0)
    assert np.all(inactive[:, 0] == 0) and inactive[:, 1:].max() > 0
    net = MLP(practice.SIZES, rng=2)                                        # copy 2 is seed 2's MLP
    X = practice.task()[0]
    dead = net.dead_units(X)
    np.testing.assert_allclose(inactive[2], practice.inactive_per_layer(dead, practice.SIZES[1:-1]))


def test_monitor_runs_are_the_networks_train_gives_one_by_one():
    runs = practice.monitor_runs()
    assert runs.inactive.shape == (len(practice.MONITOR_RATES), len(practice.SEEDS),
                                   practice.EPOCHS + 1, 3)
    X_train, X_test, y_train, y_test = practice.task()
    for lr, seed in ((2.0, 5), (0.1, 3)):
        net = MLP(practice.SIZES, rng=seed)
        history = train(net, X_train, y_train, epochs=practice.EPOCHS, lr=lr,
                        batch_size=practice.BATCH_SIZE)
        row = runs.at(lr)
        np.testing.assert_allclose(runs.inactive[row, seed],
                                   practice.inactive_per_layer(history.dead_matrix, practice.SIZES[1:-1]))
        assert runs.test_accuracy[row, seed] == net.accuracy(X_test, y_test)
        assert runs.loss[row, seed] == pytest.approx(net.loss(X_train, y_train))
        assert runs.zero_fraction[row, seed] == pytest.approx(
            np.mean(np.concatenate([a.ravel() for a in net.hidden_activations(X_test)]) == 0))


def test_final_runs_keep_rates_and_seeds_apart_and_flag_divergence():
    runs = practice.final_runs("prelu", practice.PRELU_START, (0.1, 0.3))
    assert runs.loss.shape == runs.test_accuracy.shape == (2, len(practice.SEEDS))
    assert runs.alphas.shape == (2, len(practice.SEEDS), 3)
    X_train, X_test, y_train, y_test = practice.task()
    net = MLP(practice.SIZES, activation="prelu", alpha=0.25, rng=1)
    with np.errstate(all="ignore"):
        train(net, X_train, y_train, epochs=practice.EPOCHS, lr=0.3, batch_size=practice.BATCH_SIZE)
        loss = net.loss(X_train, y_train)
    assert runs.diverged[1, 1] == (not np.isfinite(loss))
    np.testing.assert_allclose(runs.alphas[1, 1], net.alphas)
    assert runs.test_accuracy[1, 1] == net.accuracy(X_test, y_test)
    assert not runs.diverged[0].any() and runs.diverged[1].any()


def test_regularization_runs_match_single_networks_with_weight_decay_and_with_dropout():
    samples, seeds = (2, 5), (0, 3)
    runs = practice.regularization_runs(samples, seeds)
    assert runs.test.shape == (len(samples), len(practice.SETTINGS), len(seeds))
    X_test = practice.REGRESSION_TEST[0]
    for s, setting, k in ((1, ("weight decay", 0.03), 1), (0, ("dropout", 0.05), 0), (1, ("none", 0.0), 0)):
        i = practice.SETTINGS.index(setting)
        options = {"weight_decay": setting[1]} if setting[0] == "weight decay" else \
            {"dropout": setting[1]} if setting[0] == "dropout" else {}
        X, y = practice.training_sample(samples[s])
        net = MLP(practice.REGRESSION_SIZES, loss="mse", rng=seeds[k])
        train(net, X, y, epochs=practice.REGRESSION_EPOCHS, lr=practice.REGRESSION_LR, **options)
        assert runs.train[s, i, k] == pytest.approx(net.loss(X, y))
        assert runs.test[s, i, k] == pytest.approx(net.loss(*practice.REGRESSION_TEST))
        assert runs.validation[s, i, k] == pytest.approx(net.loss(*practice.REGRESSION_VALIDATION))
        assert runs.miss_train[s, i, k] == pytest.approx(np.mean((net.predict(X).ravel() - practice.target(X[:, 0])) ** 2))
        assert runs.miss_test[s, i, k] == pytest.approx(
            np.mean((net.predict(X_test).ravel() - practice.target(X_test[:, 0])) ** 2))
        assert runs.weight_norm[s, i, k] == pytest.approx(sum(np.sum(W**2) for W in net.weights))
        largest = max(a.max() for a in net.hidden_activations(practice.WIDE))
        assert runs.max_activation[s, i, k] == pytest.approx(largest)
        np.testing.assert_allclose(runs.fits[s, i, k], net.predict(practice.PLOT_X).ravel(), rtol=1e-9)


def _runs_with(validation: np.ndarray, test: np.ndarray) -> practice.RegularizationRuns:
    ones = np.ones(validation.shape)
    return practice.RegularizationRuns((2, 5), (0,), ones, validation, test, ones, ones, ones, ones,
                                       ones[..., None])


def test_chosen_picks_the_lowest_mean_validation_error_of_its_kind_per_sample_never_the_test_error():
    n = len(practice.SETTINGS)
    validation, test = np.ones((2, n, 1)), np.ones((2, n, 1))
    decays = [i for i, (name, _) in enumerate(practice.SETTINGS) if name == "weight decay"]
    validation[0, decays[1]] = 0.5                  # best on validation, sample 0
    validation[1, decays[3]] = 0.5                  # best on validation, sample 1
    test[0, decays[2]] = 0.1                        # best on test: must not be chosen
    runs = _runs_with(validation, test)
    assert runs.chosen("weight decay", 0) == decays[1] and runs.chosen("weight decay", 1) == decays[3]
    assert practice.SETTINGS[runs.chosen("none", 0)] == ("none", 0.0)
    test[1, decays[3]] = np.nan                     # a blown-up test run is the worst result
    np.testing.assert_array_equal(_runs_with(validation, test).test_of("weight decay"), [[1.0], [np.inf]])


def test_a_blown_up_setting_is_never_chosen():
    n = len(practice.SETTINGS)
    validation = np.ones((2, n, 2))
    drops = [i for i, (name, _) in enumerate(practice.SETTINGS) if name == "dropout"]
    validation[:, drops[0]] = [0.1, np.nan]         # best mean if the NaN were skipped
    assert _runs_with(validation, np.ones((2, n, 2))).chosen("dropout", 0) != drops[0]


def test_early_runs_are_relu_at_rate_2_and_a_nan_silences_the_inactive_count():
    runs = practice.early_runs()
    assert runs.loss.shape == runs.inactive.shape == (len(practice.EXTRA_SEEDS), practice.EARLY_EPOCHS + 1)
    X_train, _, y_train, _ = practice.task()
    k = int(np.flatnonzero(runs.diverged)[0])
    net = MLP(practice.SIZES, rng=practice.EXTRA_SEEDS[k])
    with np.errstate(all="ignore"):
        history = train(net, X_train, y_train, epochs=practice.EARLY_EPOCHS, lr=2.0,
                        batch_size=practice.BATCH_SIZE)
    np.testing.assert_allclose(runs.inactive[k], history.dead_fraction)
    assert not np.isfinite(history.loss[-1]) and history.dead_fraction[-1] == 0.0
    assert runs.first_nan_epoch()[0] == int(np.argmax(~np.isfinite(history.loss)))


def test_quiz_06_key_is_the_arithmetic_of_the_notebook():
    from reference import quizzes
    key = quizzes.quiz_06()
    assert key["q1"] == round((0 + 6 + 3) / sum(practice.SIZES[1:-1]), 3)
    assert 6 / practice.SIZES[2] > practice.ALARM >= key["q1"]           # the alarm fires, the whole network does not
    assert practice.REGRESSION_LR == 0.02 and 0.03 in practice.WEIGHT_DECAYS
    assert key["q3"] == round((1 - practice.REGRESSION_LR * 0.03) ** 1000, 3)



def test_quiz_06_computed_answers_and_their_slips_are_printed_nowhere_in_06():
    """q1 and q3 are computed by the learner: neither their answers nor the slips' values appear in
    06's prose, code or stored outputs; q1 no longer points at the capstone."""
    from pathlib import Path
    import nbformat
    from checks.exercises.quizzes import QUESTIONS
    from reference import quizzes
    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / "06_in_practice.ipynb", as_version=4)
    quiz_cell = next(i for i, c in enumerate(nb.cells) if "## Quiz" in c.source)
    text = "".join(c.source + "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                                      for o in c.get("outputs", []))
                   for i, c in enumerate(nb.cells) if i != quiz_cell)
    key = quizzes.quiz_06()
    for answer in (key["q1"], key["q3"], 0.0938, 0.5487):
        assert f"{answer}" not in text, answer
    q1 = next(q for q in QUESTIONS["quiz_06"] if q.key == "q1")
    assert "capstone" not in q1.text and "96" not in q1.explanation
    assert all(q.section for q in QUESTIONS["quiz_06"])
    for question in QUESTIONS["quiz_06"]:
        for slip in question.slips:
            assert f"{key[question.key]}" not in slip.message
