"""The capstone (notebook 06): choose activation, alpha, init and learning rate so that the
network that dies with ReLU at learning rate 2 reaches the target with few inactive units.

The learner's ``capstone()`` returns a configuration dict; the check trains it (deterministic,
cached per configuration, well under a second) and judges the trained network.
"""

from __future__ import annotations

import math
from typing import Any

from checks.answers import NotAnAnswer, as_number, plain_answers
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem
from reference import capstone as ref
from reference.network import ACTIVATIONS, INITS

INVALID = Mistake("not a valid configuration", "The configuration cannot be trained as it is.",
                  hint='Return {"activation": ..., "alpha": ..., "init": ..., "lr": ...} with an '
                       f"activation in {ACTIVATIONS}, 0 <= alpha <= 1, an init in {INITS} and "
                       "0 < lr <= 10.")
BASELINE = Mistake("the dying baseline", "That is the baseline that dies: ReLU, He init, "
                   "learning rate 2.", hint="Change the learning rate, the activation, or both.")
STILL_DYING = Mistake("units still die", "Too many hidden units end up inactive (z <= 0 on every "
                      "training input): the updates are still large enough to push units below 0.",
                      hint="Lower the learning rate, or give negative inputs a slope with Leaky ReLU "
                           "(alpha about 0.2) at a moderately high rate (about 1).")
DIVERGED = Mistake("training diverged", "The loss became NaN or infinite: the learning rate is "
                   "far too high for this activation. A diverged network fails both criteria: after a "
                   "NaN no z is <= 0, so it would count no inactive unit at all.",
                   hint="Try a learning rate 4 to 10 times smaller.")
TOO_SLOW = Mistake("learning rate too small", "The network is still learning when the 60 epochs "
                   "end: the learning rate is too small for this budget.",
                   hint="Between 0.1 and 0.5 is a good range for this task.")
SYMMETRIC = Mistake("all-zero weights", "With all weights zero every unit of a layer computes the "
                    "same thing and gets the same update: symmetry is never broken.",
                    hint="Use He initialization (notebook 05).")
VANISHING = Mistake("weights too small", "With weights of std 0.01 the signal shrinks about 10x per "
                    "layer, so the network barely learns in 60 epochs.",
                    hint="Use He initialization (notebook 05).")
EXPLODING = Mistake("weights too large", "With weights far larger than He's, the pre-activations are "
                    "huge from the first step: the first updates push units below 0 for good (or the "
                    "loss overflows), whatever the learning rate.",
                    hint="Use He initialization (notebook 05), not a lower learning rate.")
SATURATING = Mistake("the sigmoid", "The sigmoid's derivative is at most 1/4, so the gradient "
                     "shrinks layer by layer (notebook 02) and three sigmoid layers learn too slowly "
                     "for 60 epochs. (The sigmoid has no inactive state: only rectifiers are counted.)",
                     hint="Use a rectifier with He initialization (or tanh with Xavier).")


def _configuration(outcome: Outcome) -> tuple[dict[str, Any] | None, str | None]:
    """The learner's configuration, normalized, or None and what is wrong with it."""
    if outcome.timed_out or outcome.error is not None:
        return None, "did not finish" if outcome.timed_out else f"raised {outcome.error}"
    try:
        answers = plain_answers(outcome.value)
    except NotAnAnswer as refused:
        return None, str(refused)
    missing = [k for k in ref.KEYS if k not in answers]
    if missing:
        return None, f"has no {', '.join(map(repr, missing))} in its configuration"
    activation, init = answers["activation"], answers["init"]
    alpha, lr = as_number(answers["alpha"]), as_number(answers["lr"])
    if activation not in ACTIVATIONS:
        return None, f"asks for activation {activation!r}; choose one of {ACTIVATIONS}"
    if init not in INITS:
        return None, f"asks for init {init!r}; choose one of {INITS}"
    if alpha is None or not 0 <= alpha <= 1:
        return None, f"has alpha = {answers['alpha']!r}; use a number from 0 to 1"
    if lr is None or not 0 < lr <= 10:
        return None, f"has lr = {answers['lr']!r}; use a number above 0 and at most 10"
    return {"activation": activation, "alpha": alpha, "init": init, "lr": lr}, None


def _judge_valid(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    config, why = _configuration(outcomes[0])
    if config is None:
        return [Problem(calls[0].label, why, mistake=INVALID, call=calls[0], outcome=outcomes[0])]
    return []


def _result_problem(call: Call, outcome: Outcome, criterion: str) -> Problem | None:
    config, why = _configuration(outcome)
    if config is None:
        return Problem(call.label, why, mistake=INVALID, call=call, outcome=outcome)
    result = ref.train_configuration(**config)
    inactive = (f"{result.inactive_fraction:.1%} of the hidden units inactive"
                if config["activation"] in ref.RECTIFIERS
                else f"no inactive units counted ({config['activation']} is not a rectifier)")
    summary = (f"training diverged (final loss {result.final_loss:.3g})" if result.diverged else
               f"test accuracy {result.test_accuracy:.1%}, {inactive}, final loss {result.final_loss:.3g}")
    if result.few_inactive if criterion == "inactive" else result.accurate:
        return None
    if config == {**ref.BASELINE, "alpha": config["alpha"]} and config["activation"] == "relu":
        mistake = BASELINE
    elif result.diverged:
        mistake = DIVERGED
    elif config["init"] == "zeros":
        mistake = SYMMETRIC
    elif config["init"] == "small":
        mistake = VANISHING
    elif config["init"] == "large":
        mistake = EXPLODING
    elif config["activation"] == "sigmoid":
        mistake = SATURATING
    elif result.inactive_fraction > ref.MAX_INACTIVE:
        mistake = STILL_DYING
    elif config["lr"] < 0.1:
        mistake = TOO_SLOW
    else:
        mistake = None
    return Problem(call.label, f"trained to {summary}", expected=(
        f"test accuracy >= {ref.TARGET_ACCURACY:.0%} with at most {ref.MAX_INACTIVE:.1%} of the hidden "
        "units inactive (the whole network's), without diverging"),
        actual=summary, mistake=mistake, call=call, outcome=outcome)


def _judge(criterion: str):
    def judge(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
        problem = _result_problem(calls[0], outcomes[0], criterion)
        return [problem] if problem else []
    return judge


def _one_call(label: str):
    return lambda rng: [Call((), label=label)]


CAPSTONE = Exercise(
    id="capstone", notebook="06_in_practice", points=5,
    description="Fix the network that dies: test accuracy >= 95 % with <= 10 % inactive units "
                "(whole network)",
    signature="capstone()", reference=ref.capstone, output="answers",
    groups=(
        Group("a valid configuration", _one_call("your configuration"), judge=_judge_valid),
        Group(f"at most {ref.MAX_INACTIVE:.0%} of the hidden units inactive after training, "
              "without diverging",
              _one_call("your configuration, trained"), judge=_judge("inactive"), weight=2.0),
        Group(f"test accuracy of at least {ref.TARGET_ACCURACY:.0%} after {ref.EPOCHS} epochs",
              _one_call("your configuration, trained"), judge=_judge("accuracy"), weight=2.0),
    ),
    hint="Two roads lead there: keep ReLU and lower the learning rate, or give negative inputs a "
         "slope (Leaky ReLU) at a moderately high rate (about 1; at 2 it diverges). Try a few "
         "configurations with reference.capstone.train_configuration(...) first.",
    mistakes=(INVALID, BASELINE, STILL_DYING, DIVERGED, TOO_SLOW, SYMMETRIC, VANISHING, EXPLODING,
              SATURATING),
)

EXERCISES = (CAPSTONE,)
