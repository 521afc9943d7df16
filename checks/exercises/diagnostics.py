"""Exercises on dead units (notebook 03)."""

from __future__ import annotations

import numpy as np

from checks.core import Call, Exercise, Group, Mistake
from checks.exercises.common import label
from reference import diagnostics as ref

# 4 samples x 5 units: unit 0 is negative everywhere (dead), unit 1 is alive on one sample,
# unit 2 is exactly 0 everywhere (dead too), unit 3 is positive everywhere, unit 4 is
# negative or zero (dead). Dead fraction 3/5; every known mistake gives another number.
SEED_Z = np.array([[-1.0, -2.0, 0.0, 1.0, -1.0],
                   [-3.0, -1.0, 0.0, 2.0, 0.0],
                   [-2.0, 0.5, 0.0, 3.0, -2.0],
                   [-0.5, -1.0, 0.0, 0.1, -4.0]])


def _Z(Z: np.ndarray, note: str = "") -> Call:
    return Call((Z,), label=label(Z, "Z") + note)


def _random_layer(rng: np.random.Generator, n_samples: int, n_units: int) -> np.ndarray:
    """Pre-activations where a random subset of units is pushed far below zero (dead), and one
    dead unit is exactly 0 on about half of the samples (still dead: z <= 0, not z < 0)."""
    Z = rng.normal(0, 1, (n_samples, n_units))
    dead = rng.random(n_units) < rng.uniform(0.2, 0.6)
    stuck = rng.integers(n_units)
    dead[stuck] = True
    Z[:, dead] -= 10.0
    Z[rng.random(n_samples) < 0.5, stuck] = 0.0
    Z[0, stuck] = 0.0
    return Z


DEAD_FRACTION = Exercise(
    id="dead_fraction", notebook="03_dying_relu", points=3,
    description="The fraction of dead units in Z (n_samples, n_units): z <= 0 on every sample",
    signature="dead_fraction(Z)", reference=ref.dead_fraction, output="scalar",
    groups=(
        Group("a small layer worked by hand", lambda rng: [
            _Z(SEED_Z.copy(), " (4 samples x 5 units, 3 of them dead)")]),
        Group("edge cases: all alive, all dead, one sample, a unit stuck at exactly 0", lambda rng: [
            _Z(np.ones((3, 4))), _Z(-np.ones((3, 4))), _Z(np.array([[1.0, -1.0, 0.0]])),
            _Z(np.array([[0.0, 2.0], [0.0, -1.0], [0.0, 3.0]]))]),
        Group("shapes and dtypes: one unit, many units, float32, integers", lambda rng: [
            _Z(np.array([[-1.0], [-2.0], [0.5]])), _Z(_random_layer(rng, 2, 50)),
            _Z(SEED_Z.astype(np.float32)), _Z(SEED_Z.astype(int) * 2)]),
        Group("fresh random layers", lambda rng: [
            _Z(_random_layer(rng, 200, 30)), _Z(_random_layer(rng, 50, 64))]),
    ),
    hint="A unit is a column of Z. Decide for each unit whether it is dead (z <= 0 on every "
         "sample, z = 0 included), then take the fraction of units that are.",
    hints=("np.all(..., axis=0) asks 'for every row' about each column; the mean of a boolean "
           "array is the fraction of True.", "return np.mean(np.all(Z <= 0, axis=0))"),
    mistakes=(
        Mistake("zero activations counted instead of dead units",
                "You returned the fraction of *entries* of Z that are <= 0 (how sparse the layer "
                "is), not the fraction of *units* that are <= 0 on every sample.",
                hint="Decide per unit (per column) first with np.all(..., axis=0), then average.",
                impl=lambda Z: np.mean(np.asarray(Z) <= 0)),
        Mistake("wrong axis",
                "You looked along the wrong axis: rows of Z are samples, columns are units.",
                hint="Use axis=0 to ask 'for every sample' about each unit.",
                impl=lambda Z: np.mean(np.all(np.asarray(Z) <= 0, axis=1))),
        Mistake("< instead of <=",
                "A unit whose z is never positive, exactly 0 on some samples (or all), outputs 0 "
                "on every sample and gets no gradient: it is dead too. You used z < 0.",
                hint="Use Z <= 0.",
                impl=lambda Z: np.mean(np.all(np.asarray(Z) < 0, axis=0))),
        Mistake("divided by the number of samples",
                "You divided the number of dead units by the number of samples (rows); the "
                "fraction is over units (columns).",
                hint="Divide by Z.shape[1], or take the mean of the per-unit mask.",
                impl=lambda Z: np.sum(np.all(np.asarray(Z) <= 0, axis=0)) / np.shape(Z)[0]),
        Mistake("a count instead of a fraction",
                "You returned how many units are dead; the exercise asks for the fraction.",
                hint="Divide by the number of units, or take the mean of the boolean mask.",
                impl=lambda Z: np.sum(np.all(np.asarray(Z) <= 0, axis=0))),
        Mistake("the alive fraction", "You returned the fraction of units that are *alive*.",
                hint="Dead means z <= 0 on every sample.",
                impl=lambda Z: 1 - ref.dead_fraction(Z)),
        Mistake("any instead of all",
                "You counted a unit as dead if it is <= 0 on *some* sample. A dead unit is <= 0 on "
                "*every* sample: one positive z and it still learns.", hint="np.all, not np.any.",
                impl=lambda Z: np.mean(np.any(np.asarray(Z) <= 0, axis=0))),
        Mistake("mostly off counted as dead",
                "You counted units that are off on most samples; dead means off on every sample.",
                hint="np.all(Z <= 0, axis=0), not a majority.",
                impl=lambda Z: np.mean(np.mean(np.asarray(Z) <= 0, axis=0) > 0.5)),
        Mistake("the mask instead of the fraction",
                "You returned one boolean per unit (which units are dead); the exercise asks for "
                "one number, their fraction.", hint="Take the mean of your mask.",
                detect=lambda call, o: np.shape(o.value) == (np.shape(call.args[0])[1],),
                kinds=("shape",)),
        Mistake("the whole layer dead or not",
                "You returned whether *every* entry of Z is <= 0 (the whole layer dead), not the "
                "fraction of dead units.", hint="Decide per column with axis=0, then average.",
                impl=lambda Z: float(np.all(np.asarray(Z) <= 0))),
    ),
)

EXERCISES = (DEAD_FRACTION,)
