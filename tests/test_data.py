"""The generated data sets: seeded, balanced, the right shapes."""

import numpy as np
import pytest

from reference import data


@pytest.mark.parametrize("make", [data.circles, data.moons, data.spirals])
def test_classification_sets_are_seeded_and_balanced(make):
    X, y = make(101, rng=3)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert abs(np.mean(y) - 0.5) < 0.01
    np.testing.assert_array_equal(make(101, rng=3)[0], X)
    assert not np.array_equal(make(101, rng=4)[0], X)


def test_regression_and_split():
    X, y = data.regression_1d(50, rng=0)
    assert X.shape == (50, 1) and y.shape == (50,)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_fraction=0.2, rng=0)
    assert len(X_te) == 10 and len(X_tr) == 40
    assert sorted(np.concatenate([y_tr, y_te])) == sorted(y)
