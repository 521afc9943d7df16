"""The capstone (notebook 06): choose activation, alpha, init and learning rate so that a
16-layer network reaches the target on the spirals within 30 epochs, with few inactive units.

The learner's ``capstone()`` returns a configuration dict; the check trains it (deterministic,
cached per configuration, well under a second) and judges the trained network. Its feedback
gives the numbers behind the verdict: test and training accuracy, the inactive units (whole
network and the worst layer, for rectifiers only), the epoch a loss became NaN, and whether the
training loss was still falling, no longer falling or rising when the budget ended.
"""

from __future__ import annotations

from typing import Any

from checks.answers import NotAnAnswer, as_number, plain_answers
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem
from reference import capstone as ref
from reference.network import ACTIVATIONS, INITS

INVALID = Mistake("not a valid configuration", "The configuration cannot be trained as it is.",
                  hint='Return {"activation": ..., "alpha": ..., "init": ..., "lr": ...} with an '
                       f"activation in {ACTIVATIONS}, 0 <= alpha <= 1, an init in {INITS} and "
                       "0 < lr <= 10.")
BASELINE = Mistake("the baseline", "That is the baseline: ReLU with He initialization at learning "
                   "rate 0.1, the rate that trained section 2's three-layer network. Sixteen layers "
                   "do not take it: the loss jumps up again and again instead of settling, and the "
                   "network ends no better than chance.", hint="Change the learning rate, the activation, or both; the "
                   "workbench shows the curves.")
DIVERGED = Mistake("training diverged", "The loss became NaN or infinite: the learning rate is far "
                   "too high for this network. A diverged network fails both criteria: after a NaN "
                   "no z is <= 0, so it would count no inactive unit at all.",
                   hint="Try a learning rate 10 to 100 times smaller.")
STILL_DYING = Mistake("units die", "Too many hidden units end up inactive (z <= 0 on every training "
                      "input): the updates are large enough to push whole units below 0 for good.",
                      hint="Lower the learning rate, or give negative inputs a slope (Leaky ReLU, "
                           "with He's (1 + alpha^2) correction).")
TOO_HIGH = Mistake("learning rate too high", "The training loss jumped up during training and the "
                   "network ends short of the target: the steps are too large for 16 layers, so it "
                   "jumps around instead of settling.",
                   hint="Lower the learning rate by a factor of 2 to 10 and compare the curves.")
TOO_SLOW = Mistake("learning rate too small", "The training loss went down epoch after epoch, "
                   "but too slowly: the network is still short of the target when the 30 epochs "
                   "are spent. The learning rate is too small for this budget.",
                   hint="Raise the learning rate step by step (x1.5 or x2) and watch the inactive "
                        "units as you go.")
SYMMETRIC = Mistake("all-zero weights", "With all weights zero every unit of a layer computes the "
                    "same thing and gets the same update: symmetry is never broken (with ReLU, z = 0 "
                    "everywhere and no gradient at all).", hint="Use He initialization (notebook 05).")
VANISHING = Mistake("weights too small", "With weights of std 0.01 each ReLU layer multiplies the "
                    "signal's std by 0.01 * sqrt(32 / 2) = 0.04: after 16 layers nothing is left, "
                    "and neither is the gradient.",
                    hint="Use He initialization (notebook 05).")
EXPLODING = Mistake("weights too large", "With weights 10 times N(0, 1), far larger than He's, each "
                    "ReLU layer multiplies the signal's std by 10 * sqrt(32 / 2) = 40: the loss "
                    "overflows at the first steps, whatever the learning rate.",
                    hint="Use He initialization (notebook 05), not a lower learning rate.")
HALF_VARIANCE = Mistake("not He's variance", "Xavier's and LeCun's variance (1/n here) is half of "
                        "He's 2/n: each ReLU layer then halves the variance of the signal, so "
                        "after 16 layers it is 2^16 (about 65 000) times smaller (notebook 05), and "
                        "the deep layers start almost silent.",
                        hint="Use He initialization for a rectifier (notebook 05).")
SATURATING = Mistake("a saturating activation", "The sigmoid's derivative is at most 1/4 and tanh's "
                     "falls to 0 where it saturates, so over 16 layers the gradient shrinks "
                     "(notebook 02) and the network does not reach the target in 30 epochs. (They "
                     "have no inactive state: only rectifiers are counted.)",
                     hint="Use a rectifier with He initialization.")


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


def diagnosis(config: dict[str, Any], result: ref.CapstoneResult) -> Mistake | None:
    """The mistake that happened, for a configuration that does not pass."""
    rectifier = config["activation"] in ref.RECTIFIERS
    if config == {**ref.BASELINE, "alpha": config["alpha"]}:
        return BASELINE
    if config["init"] == "zeros":
        return SYMMETRIC
    if config["init"] == "small":
        return VANISHING
    if config["init"] == "large":
        return EXPLODING
    if result.diverged:
        return DIVERGED
    if not rectifier:
        return SATURATING
    if config["init"] in ("xavier", "lecun") and not result.accurate:
        return HALF_VARIANCE
    if result.inactive_fraction > ref.MAX_INACTIVE:
        return STILL_DYING
    if result.jumps:
        return TOO_HIGH
    return TOO_SLOW


def _result_problem(call: Call, outcome: Outcome, criterion: str) -> Problem | None:
    config, why = _configuration(outcome)
    if config is None:
        return Problem(call.label, why, mistake=INVALID, call=call, outcome=outcome)
    result = ref.train_configuration(**config)
    if result.few_inactive if criterion == "inactive" else result.accurate:
        return None
    what = ref.summary(config, result)
    return Problem(call.label, f"trained to {what}", expected=(
        f"test accuracy >= {ref.TARGET_ACCURACY:.0%} with at most {ref.MAX_INACTIVE:.0%} of the hidden "
        "units inactive (the whole network's), without diverging"),
        actual=what, mistake=diagnosis(config, result), call=call, outcome=outcome)


def _judge(criterion: str):
    def judge(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
        problem = _result_problem(calls[0], outcomes[0], criterion)
        return [problem] if problem else []
    return judge


def _one_call(label: str):
    return lambda rng: [Call((), label=label)]


CAPSTONE = Exercise(
    id="capstone", notebook="06_in_practice", points=5,
    description=f"Train a 16-layer network on the spirals in {ref.EPOCHS} epochs: test accuracy "
                f">= {ref.TARGET_ACCURACY:.0%} with <= {ref.MAX_INACTIVE:.0%} inactive units "
                "(whole network)",
    signature="capstone()", reference=ref.capstone, output="answers",
    groups=(
        Group("a valid configuration", _one_call("your configuration"), judge=_judge_valid),
        Group(f"at most {ref.MAX_INACTIVE:.0%} of the hidden units inactive after training, "
              "without diverging",
              _one_call("your configuration, trained"), judge=_judge("inactive"), weight=1.0),
        Group(f"test accuracy of at least {ref.TARGET_ACCURACY:.0%} after {ref.EPOCHS} epochs",
              _one_call("your configuration, trained"), judge=_judge("accuracy"), weight=3.0),
    ),
    hint="Run the baseline in the workbench first and read its curves: is the loss still "
         "falling at the end (too slow), jumping up (too fast), and which layers lose units? The "
         "levers are the ones this course taught: the learning rate, the activation (and its "
         "alpha), the initialization.",
    hints=("With ReLU and He initialization, a rate between the one that is too slow and the one "
           "that makes the loss jump does exist: try a few rates spaced by a factor of 2 or 3 "
           "below the baseline's.",
           "Leaky ReLU with a larger slope (alpha 0.2 to 0.3, He's init includes the (1 + alpha^2) "
           "correction) keeps fewer units inactive and tolerates a somewhat higher rate than ReLU; "
           "PReLU needs a small rate (notebook 04, section 3 above).",
           "For example: ReLU, He, lr between 0.01 and 0.05; or Leaky ReLU, alpha 0.3, He, lr 0.05."),
    mistakes=(INVALID, BASELINE, DIVERGED, STILL_DYING, TOO_HIGH, TOO_SLOW, SYMMETRIC, VANISHING,
              EXPLODING, HALF_VARIANCE, SATURATING),
)

EXERCISES = (CAPSTONE,)
