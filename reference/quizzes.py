"""The answer key of the end-of-notebook quizzes, computed with the reference code.

Each ``quiz_NN()`` returns the answers as the learner gives them: a dict mapping each question's
key to a number or to the letter of a choice. The questions are in the notebooks and in
``checks/exercises/quizzes.py``.
"""

from __future__ import annotations

import math

from reference.activations import leaky_relu, leaky_relu_grad, relu, relu_grad
from reference.init import he_std


def quiz_01() -> dict:
    return {"q1": float(relu(-2.0)), "q2": float(relu_grad(0.0)), "q3": 0.5, "q4": "b"}


def quiz_02() -> dict:
    layers_for_1000x = math.ceil(math.log(1000) / math.log(4))      # (1/4)^n <= 1/1000
    return {"q1": 0.25, "q2": layers_for_1000x, "q3": "b", "q4": "c"}


def quiz_03() -> dict:
    born_dead = 1 - (1 - 2.0**-2) ** 10                                # width 2, depth 10
    return {"q1": round(born_dead, 3), "q2": 0.0, "q3": "b", "q4": "a"}


def quiz_04() -> dict:
    return {"q1": float(leaky_relu(-2.0, 0.01)), "q2": float(leaky_relu_grad(-2.0, 0.01)),
            "q3": float(max(2.0 * 3.0, 3.0)), "q4": "b"}


def quiz_05() -> dict:
    pytorch_default_variance = 1 / (3 * 512)                           # std 1 / sqrt(3 fan_in)
    return {"q1": he_std(512), "q2": "c", "q3": round(pytorch_default_variance / he_std(512) ** 2, 4),
            "q4": "a"}


def quiz_06() -> dict:
    return {"q1": "b", "q2": "b", "q3": "c", "q4": "a"}
