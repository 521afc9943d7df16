"""The end-of-notebook quizzes: a few numeric or multiple-choice questions per notebook.

A quiz is answered by a function returning a dict, e.g. ``def quiz_01(): return {"q1": 0, ...}``
(a function, so that the learner's stub raises NotImplementedError like every exercise). Each
question is a group of its own: one point each, with its own feedback.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from checks.answers import Answer, NotAnAnswer, as_number, plain_answers
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem
from reference import quizzes as ref

DEFAULT_DECIMALS = 4


@dataclass(frozen=True)
class Slip:
    """A known wrong answer to one question, and what to tell the learner who gives it.

    ``answer`` is a number, matched at the question's decimals as the right answer is, a rounding
    difference included (at 2 decimals the answers 69.39, 69.389 and 69.4 are the slip 69.39), or
    a letter of a multiple-choice question.
    ``name`` names the slip: it is the diagnosis' name (``failure["mistake"]``, the grader's
    report, the mutant catalogue). ``message`` replaces the question's explanation for
    that answer: it says what the answer is, never what the right one is.
    """

    answer: float | str
    name: str
    message: str


@dataclass(frozen=True)
class Question:
    """One question: its key in the answers dict, its text, and what to say to a wrong answer.

    ``choices`` holds the letters of a multiple-choice question. A numeric question is right
    when it rounds to the exact answer at ``decimals`` decimals (which the text states), "close"
    when it is off by a rounding (at most ten units of the last decimal, and 5 %).
    ``slips`` name known wrong answers: a wrong answer that is a slip's (a number that would be
    right or close if the slip's value were the answer, or the slip's letter) gets the slip's
    message and diagnosis instead of the generic ``explanation``.
    """

    key: str
    text: str
    explanation: str
    choices: tuple[str, ...] = ()
    decimals: int = DEFAULT_DECIMALS
    section: str = ""           # where the notebook answers it, e.g. "section 2", for the hint
    slips: tuple[Slip, ...] = ()

    def mistake(self, slip: Slip) -> Mistake:
        """The diagnosis of ``slip``: named after the question, found by the question's judge."""
        return Mistake(f"{self.key}: {slip.name}", slip.message)

    def slip_for(self, letter: str | None = None, number: float | None = None) -> Slip | None:
        """The slip a wrong letter or number is, if any."""
        for slip in self.slips:
            if isinstance(slip.answer, str) and slip.answer == letter:
                return slip
            if (not isinstance(slip.answer, str) and number is not None
                    and grade_number(number, float(slip.answer), self.decimals) != "wrong"):
                return slip
        return None


def choice_letter(given: Answer) -> str | None:
    """The letter an answer names, in the usual spellings: "b", "B", " b ", "(b)", "b)", "b.",
    or "(b) a larger learning rate"; None if it names no single letter."""
    if not isinstance(given, str):
        return None
    match = re.fullmatch(r"\(?([a-z])\s*(?:[).:]\s*.*|\s+.*)?", given.strip().lower(), flags=re.DOTALL)
    if match is None:
        return None
    rest = given.strip()[1:].lstrip("). :")
    if given.strip()[:1] != "(" and rest and given.strip()[1:2] == " " and rest[:1].islower():
        return None                          # "a larger rate": words, not a letter
    return match.group(1)


def number_of(given: Answer) -> float | None:
    """A numeric answer: a number, or text such as "0.25", " 0.25 ", "1/4" or "1e-3"."""
    number = as_number(given)
    if number is None and isinstance(given, str) and "/" in given:
        try:
            number = float(Fraction(given.strip().replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            return None
    return number if number is not None and math.isfinite(number) else None


def grade_number(number: float, right: float, decimals: int) -> str:
    """"right", "close" (a rounding difference) or "wrong"."""
    unit = 10.0 ** -decimals
    error = abs(number - right)
    if error <= 0.5 * unit * (1 + 1e-9):
        return "right"
    if error <= 10 * unit and error <= 0.05 * abs(right):
        return "close"
    return "wrong"


def shown(given: Answer, limit: int = 40) -> str:
    """An answer as a message quotes it: its repr, cut short when it is long (a 4001-digit number)."""
    text = repr(given)
    return text if len(text) <= limit else f"{text[:limit // 2]}... ({len(text)} characters)"


def _judge(question: Question):
    def judge(calls: list[Call], outcomes: list[Outcome], expected: list[Any]) -> list[Problem]:
        call, outcome = calls[0], outcomes[0]

        def problem(what: str, kind: str = "value", mistake: Mistake | None = None) -> list[Problem]:
            return [Problem(call.label, what, kind, mistake=mistake, call=call, outcome=outcome)]

        if outcome.timed_out or outcome.error is not None:
            return problem("did not finish" if outcome.timed_out else f"raised {outcome.error}",
                           "timeout" if outcome.timed_out else "error")
        try:
            answers = plain_answers(outcome.value)
        except NotAnAnswer as refused:
            return problem(str(refused), "type")
        if question.key not in answers:
            return problem(f"has no answer for {question.key!r}", "type")
        given, right = answers[question.key], expected[0][question.key]
        if question.choices:
            letter = choice_letter(given)
            if letter not in question.choices:
                return problem(f"answered {shown(given)}: choose one of " + ", ".join(question.choices))
            if letter == right:
                return []
            slip = question.slip_for(letter=letter)
        else:
            number = number_of(given)
            if number is None and isinstance(given, (int, float)) and not isinstance(given, bool):
                return problem(f"answered {shown(given)}, which is not a finite number of a size "
                               "a float can hold")
            if number is None:
                return problem(f"answered {shown(given)}, which is not a number")
            verdict = grade_number(number, float(right), question.decimals)
            if verdict == "right":
                return []
            if verdict == "close":
                return problem(f"answered {shown(given)}: close: give {question.decimals} decimals, "
                               "rounded")
            slip = question.slip_for(number=number)
        if slip is not None:
            return problem(f"answered {shown(given)}, which is not right. {slip.message}",
                           mistake=question.mistake(slip))
        return problem(f"answered {shown(given)}, which is not right. {question.explanation}")
    return judge


QUESTIONS: dict[str, tuple[Question, ...]] = {}          # quiz id -> its questions


def quiz(number: int, notebook: str, questions: tuple[Question, ...]) -> Exercise:
    """A quiz exercise: one group, worth one point, per question."""
    name = f"quiz_{number:02d}"
    QUESTIONS[name] = questions
    return Exercise(
        id=name, notebook=notebook, points=len(questions),
        description=f"Quiz on notebook {number:02d}: {len(questions)} questions",
        signature=f"{name}()", reference=getattr(ref, name), output="answers",
        mistakes=tuple(q.mistake(slip) for q in questions for slip in q.slips),
        groups=tuple(Group(f"{q.key}: {q.text}", lambda rng, q=q: [Call((), label=q.key)],
                           judge=_judge(q)) for q in questions),
        hint="Each question is answered by a section of the notebook: look for the cell that "
             "computes it, or work it out from the formula the question names."
             + "".join(f" {q.key}: {q.section}." for q in questions if q.section),
        hints=("Return a dict with one entry per question: a number for a numeric question "
               "(with the decimals it asks for) and the letter of your choice for a "
               "multiple-choice one, e.g. {\"q1\": 0.5, \"q2\": \"b\"}.",))


ABC = ("a", "b", "c")

QUIZ_01 = quiz(1, "01_relu", (
    Question("q1", "relu(-2) (1 decimal)", "ReLU outputs 0 for every z <= 0.", decimals=1,
             section="section 2, the source's examples"),
    Question("q2", "relu_grad(0.0) in this course and in PyTorch (1 decimal)",
             "At z = 0 the convention is the subgradient 0.", decimals=1,
             section="section 2, \"What happens at z = 0?\""),
    Question("q3", "the central difference (relu(h) - relu(-h)) / (2h) at z = 0 (2 decimals)",
             "It averages the left slope 0 and the right slope 1.", decimals=2,
             section="section 2, \"What happens at z = 0?\""),
    Question("q4", "the fraction of exactly-zero ReLU outputs for N(0, 1) pre-activations: "
             "(a) about 10 %, (b) about 50 %, (c) about 90 %",
             "How much of a symmetric distribution lies below 0?", choices=ABC,
             section="section 7, sparse activation"),
    Question("q5", "a one-hidden-layer ReLU network with one input x, weights w = (1, -2, 0.5), biases "
             "b = (-1, 1, 0.5), output weights v = (2, 1, -3) and output bias 0.5 computes "
             "g(x) = 0.5 + sum_j v_j relu(w_j x + b_j): what is g(1.5)? (2 decimals)",
             "Compute each unit's z_j = w_j x + b_j at x = 1.5, zero the negative ones (ReLU), weight "
             "them by v_j, then add the output bias.", decimals=2,
             section="section 6, a one-hidden-layer network",
             slips=(Slip(-2.75, "the output bias left out",
                         "That is the weighted sum of the units alone: g(x) also has the output bias."),
                    Slip(-4.25, "ReLU skipped on unit 2",
                         "That adds unit 2's negative pre-activation as it is: ReLU turns every z_j <= 0 "
                         "into 0 before the output weights multiply it."))),
    Question("q6", "the input x at which relu(w x + b) has its kink, for w = -1.45 and b = 3.3 (2 decimals)",
             "The kink is where the pre-activation w x + b crosses 0.", decimals=2,
             section="section 3, one neuron",
             slips=(Slip(-2.28, "the kink at b / w",
                         "That is b / w: the sign is off. Solve w x + b = 0 for x, and put your x back "
                         "into w x + b to see it gives 0."),
                    Slip(-0.44, "the kink at w / b",
                         "That is w / b, the ratio upside down. Solve w x + b = 0 for x, and put your x "
                         "back into w x + b to see it gives 0."))),
    Question("q7", "the fraction of exactly-zero ReLU outputs for pre-activations drawn from N(1, 1), "
             "mean 1 and std 1 (2 decimals; simulate a million samples as section 7 does, or use the "
             "normal CDF)",
             "ReLU outputs 0 where z <= 0: how much of N(1, 1) lies below 0, one standard deviation "
             "under its mean?", decimals=2, section="section 7, sparse activation",
             slips=(Slip(0.84, "the fraction of non-zeros",
                         "That is the fraction of outputs that are NOT zero, P(z > 0): the question asks "
                         "for the exact zeros."),
                    Slip(0.5, "N(0, 1)'s fraction",
                         "That is the fraction for N(0, 1), centred on 0: here the mean is 1, so less "
                         "than half of the distribution lies below 0."),
                    Slip(16, "a percentage",
                         "That looks like a percentage: give the fraction, a number between 0 and 1."))
             + tuple(Slip(value, f"a small simulation ({value:.2f})",
                          "Too far from the exact fraction for 2 decimals: a simulation of a thousand "
                          "samples is off by about 0.01 or more. Use a million samples, as section 7 "
                          "does, or the normal CDF.")
                     for value in (0.13, 0.14, 0.15, 0.17, 0.18, 0.19))),
))

QUIZ_02 = quiz(2, "02_why_relu", (
    Question("q1", "the largest value of the sigmoid's derivative (2 decimals)",
             "s(1 - s) is largest where s = 1/2.", decimals=2, section="section 1, the derivatives"),
    Question("q2", "the smallest whole number n of sigmoid layers for which the bound (1/4)^n on "
             "the product of their derivatives is at most 1/1000 (0 decimals: a whole number)",
             "Find the smallest whole n with (1/4)^n <= 1/1000: compare 4^n with 1000.", decimals=0,
             section="section 2, where the shrinking happens"),
    Question("q3", "what kept tanh with Xavier's small weights on a plateau in section 5: "
             "(a) saturation, |z| large, (b) a nearly linear network, |z| small, (c) dead units",
             "Section 5 measured |z| and how linear the trained network was.", choices=ABC,
             section="section 5, the plateau of an unfair race"),
    Question("q4", "which claim notebook 02 did NOT reproduce: (a) sigmoid gradients vanish over "
             "20 layers, (b) with tuned gains and rates, ReLU reaches a loss of 0.1 on the spirals "
             "before the sigmoid on most seeds, (c) the six-fold speed-up over tanh of a four-layer "
             "network on CIFAR-10 (Krizhevsky et al. 2012)",
             "Section 6 cites one result it cannot reproduce.", choices=ABC,
             section="section 6, the published record"),
    Question("q5", "the sigmoid's derivative at z = 1.5 (3 decimals)",
             "sigma'(z) = s (1 - s), with s = sigma(z) = 1 / (1 + e^-z).", decimals=3,
             section="section 1, the derivatives",
             slips=(Slip(0.818, "sigma itself, not sigma'",
                         "That is sigma(1.5), the sigmoid itself: the question asks for its derivative "
                         "there."),)),
    Question("q6", "by the bound sigma' <= 1/4, by at least what factor do the derivative factors "
             "alone shrink the gradient on its way from hidden layer 8 back to hidden layer 1 of a "
             "sigmoid network? (0 decimals: a whole number)",
             "Count the steps from layer 8 back to layer 1 (section 2 counted 19 from layer 20); "
             "each divides the gradient by at least 4.", decimals=0,
             section="section 2, where the shrinking happens",
             slips=(Slip(65536, "8 steps",
                         "That counts 8 steps: count the steps between layers, not the layers, as "
                         "section 2 counted 19 steps back from layer 20 to layer 1."),
                    Slip(6.1e-05, "the multiplier instead of the factor",
                         "That is (about) the number the gradient is multiplied by, below 1: the "
                         "question asks for the factor it is divided by, a whole number above 1."),
                    Slip(28, "4 x 7",
                         "That adds up the steps' factors: each step multiplies the gradient by its own "
                         "factor, so the steps' factors multiply."))),
    Question("q7", "the quiz figure shows ||dL/dz_l|| / ||dL/dz_16|| at each hidden layer l of three "
             "fresh 16-layer networks, one sigmoid, one tanh and one ReLU, each with section 2's fan-in init: which "
             "curve is the tanh network? (a) curve A, (b) curve B, (c) curve C",
             "Section 2: through sigmoid layers the gradient vanishes, through a fresh tanh network "
             "it grows from the last layer back to the first, through ReLU layers with He's gain it "
             "stays within a small factor.", choices=ABC,
             section="section 2, vanishing gradients measured, and its explorer"),
))

QUIZ_03 = quiz(3, "03_dying_relu", (
    Question("q1", "the probability that a width-5, depth-40 ReLU network with zero biases is dead "
             "for one input (3 decimals; section 4)",
             "Two slips to check: (1 - 2^-N)^L is the probability that the network is alive, not "
             "dead; and L 2^-N is the small-p approximation, which holds only while it is much "
             "smaller than 1 (a probability is never above 1).", decimals=3,
             section="section 4, networks born dead",
             slips=(Slip(0.281, "P(alive), (1 - 2^-N)^L",
                         "That is (1 - 2^-N)^L, the probability that no layer is dead: the network is "
                         "alive. The question asks for the opposite event."),
                    Slip(1.25, "the small-p approximation L 2^-N",
                         "That is L 2^-N, the small-p approximation: it holds only while it is much "
                         "smaller than 1, and a probability is never above 1. Use the exact formula."))),
    Question("q2", "the value of every entry of the gradient of the loss with respect to a dead "
             "unit's incoming weights (1 decimal)",
             "What is relu_grad on every input of a dead unit?", decimals=1,
             section="section 2, a dead unit gets no gradient"),
    Question("q3", "which makes dying more likely: (a) a smaller learning rate, (b) a larger "
             "learning rate, (c) He initialization",
             "Large updates can push a unit's z below 0 for every input.", choices=ABC,
             section="sections 3b and 3c, one large update and a learning rate set too high"),
    Question("q4", "a ReLU unit with weights w = (1, 2) and bias b = 0 sees the inputs (1, 0), "
             "(0, 1) and (1, 1); one gradient step uses dL/dw = (0.3, 0.2) and dL/db = 0.1: the "
             "smallest learning rate at which this step kills the unit, z <= 0 on all three inputs "
             "(2 decimals; section 3b)",
             "After a step of size lr, z(x) = (w - lr dL/dw) . x + (b - lr dL/db) on each input: "
             "each z falls linearly with lr, and the unit is dead only once all three are <= 0. "
             "If you got 2.5, that is where the first input switches off, not the last; 5, the "
             "input with the largest z before the step, (1, 1), which is not the last to switch "
             "off; 10, the bias left unchanged (the step moves it too).", decimals=2,
             section="section 3b, one large update"),
))

QUIZ_04 = quiz(4, "04_leaky_relu", (
    Question("q1", "leaky_relu(-2) with alpha = 0.01 (3 decimals)", "For z <= 0 the output is alpha * z.",
             decimals=3),
    Question("q2", "leaky_relu_grad(-2) with alpha = 0.01 (3 decimals)", "The slope for z <= 0 is alpha.",
             decimals=3),
    Question("q3", "max(alpha * z, z) with alpha = 2 at z = 3 (1 decimal)",
             "Compare alpha * z with z at z = 3: which is larger?", decimals=1),
    Question("q4", "the fraction of exact zeros in a Leaky ReLU layer (alpha = 0.01) on continuous "
             "data: (a) about half, (b) essentially none, (c) all",
             "alpha * z is 0 only where z is exactly 0.", choices=ABC),
    Question("q5", "the mean of leaky_relu_grad(z, alpha=0.05) over z = [-3, -0.5, 0, 0.2, 1.5, 4] "
             "(3 decimals)", "The slope is 1 where z > 0 and alpha where z <= 0, z = 0 included "
             "(this course's convention); average the six slopes.", decimals=3,
             section="section 1, the derivative and its value at 0",
             slips=(Slip(0.683, "slope 1 at z = 0",
                         "That gives z = 0 the slope 1: this course's convention gives z = 0 the "
                         "negative side's slope, alpha."),
                    Slip(0.604, "central difference at 0",
                         "That gives z = 0 the central difference's slope, (1 + alpha) / 2: this "
                         "course's convention gives z = 0 the negative side's slope, alpha."),
                    Slip(0.5, "ReLU's slopes",
                         "Those are ReLU's slopes, 0 for z <= 0: Leaky ReLU's slope there is alpha."),
                    Slip(0.921, "mean of the values, not the slopes",
                         "That is the mean of leaky_relu(z) itself: the question asks for the mean "
                         "of its derivative, the slopes."))),
    Question("q6", "a Leaky ReLU unit (alpha = 0.1) with weights w = (2, -1) and bias -1 receives "
             "x = (0.7, 2.8) and the upstream gradient dL/df = -3: dL/dw_1, w_1 being the weight "
             "of x_1 = 0.7 (3 decimals)",
             "First find z = w . x + b and which slope applies there; then "
             "dL/dw_1 = dL/df * f'(z) * x_1.", decimals=3,
             section="section 4, the gradient of an inactive unit",
             slips=(Slip(-2.1, "slope 1: z is negative",
                         "That uses the slope 1: work out z = w . x + b first; its sign decides "
                         "which slope f'(z) is."),
                    Slip(0.0, "that is ReLU's",
                         "That is what a dead ReLU unit gets: Leaky ReLU's slope is never 0, on "
                         "either side."),
                    Slip(0.21, "sign",
                         "Check the sign of each factor of dL/df * f'(z) * x_1."),
                    Slip(-0.84, "x2 used",
                         "That multiplies by x_2 = 2.8: the weight w_1 multiplies x_1, so dz/dw_1 "
                         "is x_1."),
                    Slip(-0.3, "x1 left out",
                         "That stops at dL/dz: the chain rule goes one step further, from z to "
                         "w_1."))),
    Question("q7", "a Leaky ReLU network (alpha = 0.05) in which three layers have every unit on the "
             "alpha side for an input: by what factor do those layers scale the signal going "
             "forward, compared with the same layers if their units had slope 1 (6 decimals)",
             "Each such layer computes alpha W a, a linear map scaled by alpha; three of them "
             "multiply the signal by alpha three times.", decimals=6,
             section="section 4, never born dead, but attenuated",
             slips=(Slip(0.0025, "two layers",
                         "That scales by alpha in two layers: count every layer whose units are all "
                         "on the alpha side."),
                    Slip(0.15, "3 alpha",
                         "That adds the layers' factors: each layer multiplies the signal by its "
                         "factor, so the factors multiply."),
                    Slip(0.000001, "alpha = 0.01",
                         "That uses alpha = 0.01, the usual default: this network's slope is given "
                         "in the question."))),
))

QUIZ_05 = quiz(5, "05_he_init", (
    Question("q1", "He's standard deviation for a Leaky ReLU layer with fan_in = 200 and alpha = 0.2 "
             "(4 decimals)", "He's std is sqrt(2 / ((1 + alpha^2) fan_in)).", decimals=4,
             slips=(Slip(0.1, "the (1 + alpha^2) correction left out",
                         "That is ReLU's He std, sqrt(2 / fan_in): for Leaky ReLU the variance is also "
                         "divided by (1 + alpha^2)."),
                    Slip(0.0096, "the variance, not the std",
                         "That is He's variance, 2 / ((1 + alpha^2) fan_in): the question asks for the "
                         "standard deviation."),
                    Slip(0.0913, "alpha not squared",
                         "That divides by (1 + alpha), not (1 + alpha^2): the negative side's slope "
                         "enters squared."))),
    Question("q2", "which init keeps a 50-layer ReLU stack's activations stable: (a) std 0.01, "
             "(b) sqrt(1 / fan_in), (c) sqrt(2 / fan_in)",
             "Which one makes up for the half of the signal that ReLU zeroes?", choices=ABC),
    Question("q3", "PyTorch's nn.Linear default weight variance as a fraction of He's (4 decimals)",
             "Compare PyTorch's variance 1 / (3 fan_in) with He's 2 / fan_in.", decimals=4),
    Question("q4", "for z = W x + b with W of shape (fan_out, fan_in), He's std uses (a) fan_in, "
             "(b) fan_out, (c) fan_in + fan_out",
             "The forward pass sums over the inputs of each unit.", choices=ABC),
    Question("q5", "Leaky ReLU with alpha = 0.5 and He's std without the (1 + alpha^2) correction: by "
             "which factor does std(z) grow from layer 1 to layer 20, in theory (2 decimals)",
             "Each layer after the first multiplies the std by sqrt(1 + alpha^2); count the steps "
             "from layer 1 to layer 20.", decimals=2,
             slips=(Slip(9.31, "20 steps instead of 19",
                         "That multiplies by sqrt(1 + alpha^2) 20 times: from layer 1 to layer 20 "
                         "there is one step fewer than there are layers."),
                    Slip(69.39, "the variance's growth",
                         "That is how much the variance grows, (1 + alpha^2) per step: the std grows by "
                         "the square root of that."),
                    Slip(1.12, "one layer's factor",
                         "That is one layer's factor, sqrt(1 + alpha^2): it multiplies the std at every "
                         "step from layer 1 to layer 20."),
                    Slip(47.08, "alpha not squared",
                         "That uses (1 + alpha) per step: each layer multiplies the variance by "
                         "(1 + alpha^2), the slope squared."))),
))

QUIZ_06 = quiz(6, "06_in_practice", (
    Question("q1", "a 2-32-32-32-1 ReLU network ends training with 0, 6 and 3 inactive units in "
             "hidden layers 1, 2 and 3: what fraction of its hidden units is inactive, counted over "
             "the whole network? (3 decimals)",
             "Over the whole network means every hidden layer's units together, not one layer at "
             "a time as section 2's alarm looks at them.", decimals=3,
             section="section 2, the monitor",
             slips=(Slip(0.188, "one layer's fraction",
                         "0.188 is layer 2's own fraction, 6 of its 32 units: what section 2's alarm "
                         "reads for one layer, not the whole network's."),
                    Slip(0.018, "another network's units",
                         "0.018 divides by 512 units, the hidden units of a 16-layer network; this "
                         "one has three hidden layers."),
                    Slip(0.023, "the capstone's units",
                         "0.023 divides by the capstone's 384 hidden units; this network has three "
                         "hidden layers."),
                    Slip(0.141, "layer 1 left out",
                         "0.141 leaves layer 1 out: its units count too, though none of them is "
                         "inactive."))),
    Question("q2", "at a high learning rate your loss becomes NaN at epoch 2, and from then on the "
             "monitor reads 0 % inactive units in every layer: (a) the units came back, the network "
             "recovered, (b) the monitor means nothing after a NaN: lower the learning rate, "
             "(c) switch to Leaky ReLU at the same rate, its units cannot die",
             "After a NaN, z <= 0 is false everywhere, so no unit counts as inactive; section 2 saw "
             "both ReLU and Leaky ReLU diverge at learning rate 2.", choices=ABC,
             section="section 2, when the monitor goes silent"),
    Question("q3", "a weight whose loss gradient stays 0 is trained with weight decay 0.03 at "
             "learning rate 0.02 for 1000 full-batch steps (section 4's update): by what factor has "
             "it been multiplied? (3 decimals)",
             "Section 4's update takes a fixed fraction of what is left at every step.", decimals=3,
             section="section 4, weight decay",
             slips=(Slip(0.4, "the linear guess",
                         "0.4 takes the same amount off at every step, as if the steps did not "
                         "compound: each step takes a fraction of what is left."),
                    Slip(0.999, "one step only", "0.999 is one step's factor, not 1000 steps'."),
                    Slip(0.0, "the learning rate left out",
                         "0 leaves the learning rate out of the shrinkage: the step is lr times "
                         "lambda times the weight."))),
    Question("q4", "at learning rate 0.3, PReLU started at 0.25 or at 0.01 diverged on some seeds, "
             "Leaky ReLU with alpha fixed at 0.25 on none: what does that single out? (a) the "
             "starting value of alpha, (b) learning alpha at the weights' learning rate, (c) a "
             "slope of 0.25 is too large",
             "Section 3's controls: the same slope, fixed, trained; a learned slope diverged from "
             "either start.", choices=ABC, section="section 3, PReLU"),
))

EXERCISES = (QUIZ_01, QUIZ_02, QUIZ_03, QUIZ_04, QUIZ_05, QUIZ_06)
