"""Notebook 06's experiments: the batched runs are the networks they claim to be, and the
measures compute what their docstrings say."""

import numpy as np
import pytest

from reference import capstone, practice
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
    assert cosines.shape == inactive.shape == (3, len(capstone.SIZES) - 2)
    assert np.all(np.diff(cosines, axis=1) > 0)
    assert np.all(inactive[:, 0] == 0) and inactive[:, 1:].max() > 0
    net = MLP(capstone.SIZES, rng=2)                                        # copy 2 is seed 2's MLP
    X = capstone.task()[0]
    dead = net.dead_units(X)
    np.testing.assert_allclose(inactive[2], practice.inactive_per_layer(dead, capstone.SIZES[1:-1]))


def test_monitor_runs_are_the_networks_train_gives_one_by_one():
    runs = practice.monitor_runs()
    assert runs.inactive.shape == (len(practice.MONITOR_RATES), len(practice.SEEDS),
                                   capstone.EPOCHS + 1, 3)
    X_train, X_test, y_train, y_test = capstone.task()
    for lr, seed in ((2.0, 5), (0.1, 3)):
        net = MLP(capstone.SIZES, rng=seed)
        history = train(net, X_train, y_train, epochs=capstone.EPOCHS, lr=lr,
                        batch_size=capstone.BATCH_SIZE)
        row = runs.at(lr)
        np.testing.assert_allclose(runs.inactive[row, seed],
                                   practice.inactive_per_layer(history.dead_matrix, capstone.SIZES[1:-1]))
        assert runs.test_accuracy[row, seed] == net.accuracy(X_test, y_test)
        assert runs.loss[row, seed] == pytest.approx(net.loss(X_train, y_train))
        assert runs.zero_fraction[row, seed] == pytest.approx(
            np.mean(np.concatenate([a.ravel() for a in net.hidden_activations(X_test)]) == 0))


def test_final_runs_keep_rates_and_seeds_apart_and_flag_divergence():
    runs = practice.final_runs("prelu", practice.PRELU_START, (0.1, 0.3))
    assert runs.loss.shape == runs.test_accuracy.shape == (2, len(practice.SEEDS))
    assert runs.alphas.shape == (2, len(practice.SEEDS), 3)
    X_train, X_test, y_train, y_test = capstone.task()
    net = MLP(capstone.SIZES, activation="prelu", alpha=0.25, rng=1)
    with np.errstate(all="ignore"):
        train(net, X_train, y_train, epochs=capstone.EPOCHS, lr=0.3, batch_size=capstone.BATCH_SIZE)
        loss = net.loss(X_train, y_train)
    assert runs.diverged[1, 1] == (not np.isfinite(loss))
    np.testing.assert_allclose(runs.alphas[1, 1], net.alphas)
    assert runs.test_accuracy[1, 1] == net.accuracy(X_test, y_test)
    assert not runs.diverged[0].any() and runs.diverged[1].any()


def test_regularization_runs_match_single_networks_with_weight_decay_and_with_dropout():
    runs = practice.regularization_runs()
    assert runs.test.shape == (len(practice.SETTINGS), len(practice.SEEDS),
                               practice.REGRESSION_EPOCHS // practice.CHECKPOINT)
    X, y = practice.REGRESSION_TRAIN
    for setting, seed in ((("weight decay", 0.03), 4), (("dropout", 0.1), 7), (("none", 0.0), 0)):
        i = practice.SETTINGS.index(setting)
        options = {"weight_decay": setting[1]} if setting[0] == "weight decay" else \
            {"dropout": setting[1]} if setting[0] == "dropout" else {}
        net = MLP(practice.REGRESSION_SIZES, loss="mse", rng=seed)
        train(net, X, y, epochs=practice.REGRESSION_EPOCHS, lr=practice.REGRESSION_LR, **options)
        assert runs.test[i, seed, -1] == pytest.approx(net.loss(*practice.REGRESSION_TEST))
        assert runs.validation[i, seed, -1] == pytest.approx(net.loss(*practice.REGRESSION_VALIDATION))
        assert runs.weight_norm[i, seed] == pytest.approx(sum(np.sum(W**2) for W in net.weights))
        largest = max(a.max() for a in net.hidden_activations(practice.WIDE))
        assert runs.max_activation[i, seed] == pytest.approx(largest)
        np.testing.assert_allclose(runs.fits[i, seed], net.predict(practice.PLOT_X).ravel(), rtol=1e-9)


def test_chosen_picks_the_lowest_mean_validation_error_of_its_kind_never_the_test_error():
    n, s = len(practice.SETTINGS), len(practice.SEEDS)
    validation = np.ones((n, s, 1))
    test = np.ones((n, s, 1))
    decays = [i for i, (name, _) in enumerate(practice.SETTINGS) if name == "weight decay"]
    validation[decays[1]] = 0.5                     # best on validation
    test[decays[2]] = 0.1                           # best on test: must not be chosen
    runs = practice.RegularizationRuns(np.array([1]), validation, validation, test,
                                       np.ones((n, s)), np.ones((n, s)), np.ones((n, s, 1)))
    assert runs.chosen("weight decay") == decays[1]
    assert practice.SETTINGS[runs.chosen("none")] == ("none", 0.0)
