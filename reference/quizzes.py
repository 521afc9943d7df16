"""The answer key of the end-of-notebook quizzes: constants, worked out in the comments.

Each ``quiz_NN()`` returns the answers as the learner gives them: a dict mapping each question's
key to a number or to the letter of a choice. The questions are in the notebooks and in
``checks/exercises/quizzes.py``. The answers are constants (or arithmetic on constants): a model
solution that called ``relu`` would, pasted into a notebook, call the learner's own ``relu``;
``tests/test_check_quizzes.py`` checks them against the reference code.
"""

from __future__ import annotations


def quiz_01() -> dict:
    # relu(-2) = 0; relu_grad(0) = 0 (the subgradient convention); (h - 0) / 2h = 1/2
    # q5: z = (1.5 - 1, -3 + 1, 0.75 + 0.5) = (0.5, -2, 1.25), relu -> (0.5, 0, 1.25),
    #     g = 0.5 + 2 * 0.5 + 1 * 0 - 3 * 1.25 = -2.25
    # q6: -1.45 x + 3.3 = 0 at x = 3.3 / 1.45 = 2.275862 (2 decimals: 2.28)
    # q7: P(z <= 0) for z ~ N(1, 1) = Phi(-1) = 0.158655 (2 decimals: 0.16)
    return {"q1": 0.0, "q2": 0.0, "q3": 0.5, "q4": "b", "q5": -2.25, "q6": 2.28, "q7": 0.16}


def quiz_02() -> dict:
    # max s(1 - s) = 1/4 at s = 1/2; (1/4)^4 = 1/256 > 1/1000 >= (1/4)^5 = 1/1024
    # q5: s = 1 / (1 + e^-1.5) = 0.817574, s (1 - s) = 0.149146 (3 decimals: 0.149)
    # q6: layer 8 back to layer 1 is 7 steps, each at least 4x: 4^7 = 16384
    # q7: the quiz figure (reference.explorers.why_relu.MYSTERY_CURVES) draws ReLU as A, tanh as B
    #     (its gradient grows about 8x back to layer 1), the sigmoid as C
    return {"q1": 0.25, "q2": 5, "q3": "b", "q4": "c", "q5": 0.149, "q6": 16384, "q7": "b"}


def quiz_03() -> dict:
    # 1 - (1 - 2^-5)^40 = 1 - (31/32)^40 = 0.7192 (3 decimals: 0.719); a dead unit's gradient is 0
    # q4: after a step lr, w = (1 - 0.3 lr, 2 - 0.2 lr), b = -0.1 lr, so z = 1 - 0.4 lr on (1, 0),
    #     2 - 0.3 lr on (0, 1), 3 - 0.6 lr on (1, 1): all <= 0 from lr = max(2.5, 20/3, 5) = 20/3
    #     = 6.667 on (z = 0 counts as dead; 2 decimals: 6.67)
    return {"q1": 0.719, "q2": 0.0, "q3": "b", "q4": 6.67}


def quiz_04() -> dict:
    # leaky_relu(-2) = 0.01 * -2; its slope there is alpha; max(2 * 3, 3) = 6
    # q5: slopes 0.05, 0.05, 0.05 (z = 0 takes alpha), 1, 1, 1: mean (0.15 + 3) / 6 = 0.525
    # q6: z = 2 * 0.7 - 1 * 2.8 - 1 = -2.4 <= 0, slope 0.1: dL/dw_1 = -3 * 0.1 * 0.7 = -0.21
    # q7: three layers each scaled by alpha: 0.05^3 = 0.000125
    return {"q1": -0.02, "q2": 0.01, "q3": 6.0, "q4": "b", "q5": 0.525, "q6": -0.21, "q7": 0.000125}


def quiz_05() -> dict:
    # sqrt(2 / (1.04 * 200)) = sqrt(1 / 104) = 0.098058; PyTorch's variance 1 / (3 n) over He's
    # 2 / n is 1/6; 19 steps from layer 1 to layer 20, each times sqrt(1.25): 1.25^9.5 = 8.3300
    return {"q1": 0.0981, "q2": "c", "q3": 0.1667, "q4": "a", "q5": 8.33}


def quiz_06() -> dict:
    # (0 + 6 + 3) / 96 = 0.09375 (3 decimals: 0.094; the alarm fires in layer 2, 6/32 > 10 %, the
    # whole network passes); (1 - 0.02 * 0.03)^1000 = 0.9994^1000 = exp(1000 ln 0.9994) = 0.5487
    return {"q1": 0.094, "q2": "b", "q3": 0.549, "q4": "b"}
