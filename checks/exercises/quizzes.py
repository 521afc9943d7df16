"""The end-of-notebook quizzes: a few numeric or multiple-choice questions per notebook.

A quiz is answered by a function returning a dict, e.g. ``def quiz_01(): return {"q1": 0, ...}``
(a function, so that the learner's stub raises NotImplementedError like every exercise). Each
question is a group of its own: one point each, with its own feedback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from checks.answers import NotAnAnswer, as_number, plain_answers
from checks.core import Call, Exercise, Group, Outcome, Problem
from reference import quizzes as ref


@dataclass(frozen=True)
class Question:
    """One question: its key in the answers dict, its text, and what to say to a wrong answer.

    ``choices`` holds the letters of a multiple-choice question; a numeric question is right
    within relative tolerance ``rtol``.
    """

    key: str
    text: str
    explanation: str
    choices: tuple[str, ...] = ()
    rtol: float = 1e-3


def _judge(question: Question):
    def judge(calls: list[Call], outcomes: list[Outcome], expected: list[Any]) -> list[Problem]:
        call, outcome = calls[0], outcomes[0]
        if outcome.timed_out or outcome.error is not None:
            what = "did not finish" if outcome.timed_out else f"raised {outcome.error}"
            return [Problem(call.label, what, call=call, outcome=outcome)]
        try:
            answers = plain_answers(outcome.value)
        except NotAnAnswer as refused:
            return [Problem(call.label, str(refused), call=call, outcome=outcome)]
        if question.key not in answers:
            return [Problem(call.label, f"has no answer for {question.key!r}", call=call, outcome=outcome)]
        given, right = answers[question.key], expected[0][question.key]
        if question.choices:
            letter = str(given).strip().lower().rstrip(")")
            if letter not in question.choices:
                return [Problem(call.label, f"answered {given!r}: choose one of "
                                + ", ".join(question.choices), call=call, outcome=outcome)]
            ok = letter == right
        else:
            number = as_number(given)
            if number is None:
                return [Problem(call.label, f"answered {given!r}, which is not a number",
                                call=call, outcome=outcome)]
            ok = math.isclose(number, right, rel_tol=question.rtol, abs_tol=1e-9)
        if ok:
            return []
        return [Problem(call.label, f"answered {given!r}, which is not right. {question.explanation}",
                        call=call, outcome=outcome)]
    return judge


def quiz(number: int, notebook: str, questions: tuple[Question, ...]) -> Exercise:
    """A quiz exercise: one group, worth one point, per question."""
    name = f"quiz_{number:02d}"
    return Exercise(
        id=name, notebook=notebook, points=len(questions),
        description=f"Quiz on notebook {number:02d}: {len(questions)} questions",
        signature=f"{name}()", reference=getattr(ref, name), output="answers",
        groups=tuple(Group(f"{q.key}: {q.text}", lambda rng, q=q: [Call((), label=q.key)],
                           judge=_judge(q)) for q in questions),
        hint="Return a dict with one entry per question, numbers as numbers and choices as a "
             "letter, e.g. {\"q1\": 0.5, \"q2\": \"b\"}. Each notebook's cells hold the answers.")


ABC = ("a", "b", "c")

QUIZ_01 = quiz(1, "01_relu", (
    Question("q1", "relu(-2)", "ReLU outputs 0 for every z <= 0."),
    Question("q2", "relu_grad(0.0) in this course (and in PyTorch)",
             "At z = 0 the convention is the subgradient 0."),
    Question("q3", "the central difference (relu(h) - relu(-h)) / (2h) at z = 0",
             "It averages the left slope 0 and the right slope 1."),
    Question("q4", "the fraction of exactly-zero ReLU outputs for N(0, 1) pre-activations: "
             "(a) about 10 %, (b) about 50 %, (c) about 90 %",
             "How much of a symmetric distribution lies below 0?", choices=ABC),
))

QUIZ_02 = quiz(2, "02_why_relu", (
    Question("q1", "the largest value of the sigmoid's derivative",
             "s(1 - s) is largest where s = 1/2."),
    Question("q2", "the smallest number of sigmoid layers n for which the product of their "
             "derivatives, each at most 1/4, can be 1000 times smaller than 1",
             "Find the smallest whole n with (1/4)^n <= 1/1000."),
    Question("q3", "which is about as fast as np.maximum(z, 0) in NumPy: (a) 1 / (1 + np.exp(-z)), "
             "(b) np.tanh(z), (c) neither", "Look again at the timings of section 3.",
             choices=ABC),
    Question("q4", "which claim notebook 02 did NOT reproduce: (a) sigmoid gradients vanish over "
             "20 layers, (b) ReLU converges faster on the spirals, (c) AlexNet's six-fold speed-up",
             "Section 6 cites one result it cannot reproduce.", choices=ABC),
))

QUIZ_03 = quiz(3, "03_dying_relu", (
    Question("q1", "P(dead) = 1 - (1 - 2^-N)^L for a width N = 2, depth L = 10 ReLU network with "
             "zero biases and one input (3 decimals)", "Compute 1 - (1 - 1/4)^10.", rtol=1e-3),
    Question("q2", "the value of every entry of the gradient of the loss with respect to a dead "
             "unit's incoming weights",
             "What is relu_grad on every input of a dead unit?"),
    Question("q3", "which makes dying more likely: (a) a smaller learning rate, (b) a larger "
             "learning rate, (c) He initialization",
             "Large updates can push a unit's z below 0 for every input.", choices=ABC),
    Question("q4", "a unit's pre-activations on the whole data set are [-1, 0, -3, 0]: is it dead? "
             "(a) yes, (b) no", "z <= 0 on every input: it outputs 0 and gets no gradient.",
             choices=("a", "b")),
))

QUIZ_04 = quiz(4, "04_leaky_relu", (
    Question("q1", "leaky_relu(-2) with alpha = 0.01", "For z <= 0 the output is alpha * z."),
    Question("q2", "leaky_relu_grad(-2) with alpha = 0.01", "The slope for z <= 0 is alpha."),
    Question("q3", "max(alpha * z, z) with alpha = 2 at z = 3",
             "Compare alpha * z with z at z = 3: which is larger?"),
    Question("q4", "the fraction of exact zeros in a Leaky ReLU layer (alpha = 0.01) on continuous "
             "data: (a) about half, (b) essentially none, (c) all",
             "alpha * z is 0 only where z is exactly 0.", choices=ABC),
))

QUIZ_05 = quiz(5, "05_he_init", (
    Question("q1", "He's standard deviation for fan_in = 512", "He's std is sqrt(2 / fan_in)."),
    Question("q2", "which init keeps a 50-layer ReLU stack's activations stable: (a) std 0.01, "
             "(b) sqrt(1 / fan_in), (c) sqrt(2 / fan_in)",
             "Which one makes up for the half of the signal that ReLU zeroes?", choices=ABC),
    Question("q3", "PyTorch's nn.Linear default weight variance as a fraction of He's (4 decimals)",
             "Compare PyTorch's variance 1 / (3 fan_in) with He's 2 / fan_in.", rtol=1e-3),
    Question("q4", "for z = W x + b with W of shape (fan_out, fan_in), He's std uses (a) fan_in, "
             "(b) fan_out, (c) fan_in + fan_out",
             "The forward pass sums over the inputs of each unit.", choices=ABC),
))

QUIZ_06 = quiz(6, "06_in_practice", (
    Question("q1", "45 % of your ReLU units are dead during training; first try: (a) a larger "
             "learning rate, (b) a smaller learning rate or Leaky ReLU, (c) more layers",
             "Dying comes from large updates; Leaky ReLU keeps a gradient.", choices=ABC),
    Question("q2", "which regularizer shrinks the weights directly: (a) dropout, (b) weight decay, "
             "(c) ReLU", "Which one subtracts lr * lambda * W at every step?", choices=ABC),
    Question("q3", "common values of Leaky ReLU's alpha: (a) 0.5 or 1, (b) 1 to 10, (c) 0.01 or 0.1",
             "See the source's tips on tuning alpha.", choices=ABC),
    Question("q4", "the source's default for hidden layers: (a) ReLU, (b) Leaky ReLU, (c) sigmoid",
             "See the source's 'When to use ReLU'.", choices=ABC),
))

EXERCISES = (QUIZ_01, QUIZ_02, QUIZ_03, QUIZ_04, QUIZ_05, QUIZ_06)
