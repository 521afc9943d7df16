"""Exercise on building functions from ReLUs (notebook 01)."""

from __future__ import annotations

import numpy as np

from checks.compare import as_plain_array, values_agree
from checks.core import Exercise, Group, Mistake
from checks.exercises.common import ONE_DIMENSIONAL_ONLY, SCALAR_ONLY, elementwise_call, elementwise_groups
from reference import piecewise as ref


def _relu(x):
    return np.maximum(x, 0)


WORKED_POINTS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)

HAT = Exercise(
    id="hat", notebook="01_relu", points=2,
    description="The hat function 1 - |x| on [-1, 1] (0 outside), built from three ReLUs",
    signature="hat(x)", reference=ref.hat, output="activation",
    groups=(Group("the worked points x = -2, -1, -0.5, 0, 0.5, 1, 2", lambda rng: [
        elementwise_call(np.array(WORKED_POINTS), name="x")]),
        *elementwise_groups(name="x", infinities="skip")),
    cancels=True,
    hint="Follow the hat's slope from left to right: 0, then +1 from x = -1, then -1 from x = 0, "
         "then 0 again from x = 1. A ReLU with its kink at t changes the slope by its "
         "coefficient from t on.",
    hints=("The coefficient of each ReLU is the change of slope at its kink: from 0 to +1 at "
           "x = -1, from +1 to -1 at x = 0, from -1 to 0 at x = 1. relu(x - t) is "
           "np.maximum(x - t, 0).",
           "return np.maximum(x + 1, 0) - 2 * np.maximum(x, 0) + np.maximum(x - 1, 0)"),
    mistakes=(
        Mistake("missing factor 2", "Your function is relu(x + 1) - relu(x) + relu(x - 1): with "
                "-1 times relu(x) the slope only drops from +1 to 0 at x = 0, so it never comes down.",
                hint="At x = 0 the slope must go from +1 to -1: a change of -2.",
                impl=lambda x: _relu(x + 1) - _relu(x) + _relu(x - 1)),
        Mistake("last term subtracted", "Your function subtracts relu(x - 1): after x = 1 the "
                "slope becomes -2 instead of 0, so it keeps falling.",
                hint="At x = 1 the slope must go from -1 back to 0: add relu(x - 1).",
                impl=lambda x: _relu(x + 1) - 2 * _relu(x) - _relu(x - 1)),
        Mistake("last term missing", "Your function has no relu(x - 1) term: after x = 1 it keeps "
                "falling with slope -1 and goes negative.",
                hint="A third ReLU at x = 1 flattens the function back to 0.",
                impl=lambda x: _relu(x + 1) - 2 * _relu(x)),
        Mistake("shifted by one", "Your hat peaks at x = 1 (or x = -1) instead of x = 0.",
                hint="The kinks are at x = -1, 0 and 1: relu(x + 1), relu(x), relu(x - 1).",
                detect=lambda call, o: any(values_agree(ref.hat(np.asarray(call.args[0], float) + s),
                                                        as_plain_array(o.value), 1e-6, 1e-9)
                                           for s in (-1.0, 1.0))),
        Mistake("1 - |x| not clipped", "Your function is 1 - |x| everywhere, which goes negative "
                "outside [-1, 1]; the hat is 0 there.", hint="Clip at 0: relu(1 - |x|) works too.",
                impl=lambda x: 1 - np.abs(x)),
        Mistake("a box, not a hat", "Your function is 1 on (-1, 1) and 0 outside: a box. The hat "
                "falls linearly from 1 at x = 0 to 0 at x = ±1.", hint="Use ReLUs, whose pieces are lines.",
                impl=lambda x: (np.abs(x) < 1).astype(float)),
        Mistake("twice as tall", "Your hat is 2 high; it should peak at 1.",
                hint="Check the value at x = 0.", impl=lambda x: 2 * ref.hat(x)),
        Mistake("ReLU of the sum", "Your function takes relu of (x + 1) - 2x + (x - 1), which is "
                "relu(0) = 0 everywhere: the ReLUs must be applied to each term before adding.",
                hint="relu(x + 1) - 2 * relu(x) + relu(x - 1): three separate ReLUs.",
                impl=lambda x: np.zeros_like(np.asarray(x, dtype=float))),
        SCALAR_ONLY, ONE_DIMENSIONAL_ONLY,
    ),
)

EXERCISES = (HAT,)
