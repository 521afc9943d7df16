"""The capstone (notebook 06): choose activation, alpha, init and learning rate so that a 12-layer
network reaches the target on the spirals within its epoch budget, without losing units.

The learner's ``capstone()`` returns a configuration dict; the check trains it from each of the
weight seeds ``reference.capstone.SEEDS`` at once (one stack, deterministic, cached per
configuration, well under a second) and judges it by its WORST seed. Points (5):
- a valid configuration: 0 points (it is the entry ticket, not a merit);
- test accuracy of every seed at least 80 %: 1 point; at least 90 %, 95 %, 97 %: 1 more each;
- at most MAX_LOST of the hidden units lost in training (inactive after minus before; rectifiers
  only) on every seed, no seed diverged, and every seed at 80 % or more: 1 point.
Copying the baseline (ReLU, He, lr 0.3) earns 0; a sigmoid that learns nothing earns 0.
Keys other than the four are ignored, and the feedback names them (no points lost).

Its feedback gives the numbers behind the verdict, seed by seed: the test accuracy, the inactive
units before -> after training (rectifiers only), the epoch a loss became NaN, and for the worst
seed the loss curve's trend and its big jumps; then it names the mistake.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from checks.answers import NotAnAnswer, plain_answers
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem
from reference import capstone as ref
from reference.network import ACTIVATIONS, INITS

INVALID = Mistake("not a valid configuration", "The configuration cannot be trained as it is.",
                  hint='Return {"activation": ..., "alpha": ..., "init": ..., "lr": ...} with an '
                       f"activation in {ACTIVATIONS}, alpha 0 or a number from {ref.MIN_ALPHA} to 1, an "
                       f"init in {INITS} and lr a number from {ref.MIN_LR} to 10.")
BASELINE = Mistake("the baseline", "That is the baseline: ReLU with He initialization at learning "
                   "rate 0.3, the higher rate that trained section 2's three-layer network. Twelve "
                   "layers do not take it: steps that large push units below 0 on every input "
                   "(notebook 03), the network loses many of them, and the loss jumps instead of "
                   "settling.", hint="Change the learning rate, the activation, or both; the "
                   "workbench shows the curves.")
DIVERGED = Mistake("training diverged", "The loss became NaN or infinite: the learning rate is far "
                   "too high for this network. A diverged network fails every criterion: after a "
                   "NaN no z is <= 0, so it would count no inactive unit at all.",
                   hint="Try a learning rate 2 to 10 times smaller.")
STILL_DYING = Mistake("units die", "Too many hidden units were lost in training (inactive after "
                      "training, z <= 0 on every training input, that were not before): the updates "
                      "are large enough to push whole units below 0.",
                      hint="Lower the learning rate, or give negative inputs a slope (Leaky ReLU, "
                           "with He's (1 + alpha^2) correction).")
TOO_HIGH = Mistake("learning rate too high", "The training loss went back up, or a jump knocked it "
                   "back and it was still recovering when the epochs were spent (the loss above "
                   "names the jump), and the network is short of the target. The steps are too "
                   "large for this depth, at least at times, so it jumps instead of settling; a "
                   "loss still falling after such a jump is recovering, not held back by steps "
                   "too small.",
                   hint="Lower the learning rate by a factor of 1.5 to 10 and compare the curves; "
                        "raising it would make the jumps larger.")
TOO_SLOW = Mistake("learning rate too small", "The training loss was still falling when the epochs "
                   "were spent, and the network is short of the target: the learning rate is too "
                   "small for this budget.",
                   hint="Raise the learning rate step by step (x1.5 or x2) and watch the inactive "
                        "units as you go.")
SYMMETRIC = Mistake("all-zero weights", "With all weights zero every unit of a layer computes the "
                    "same thing and gets the same update: symmetry is never broken.",
                    hint="Use He initialization (notebook 05).")
VANISHING = Mistake("weights too small", "With weights of std 0.01 each layer shrinks the signal: "
                    f"after {ref.DEPTH} layers nothing is left, and neither is the gradient.",
                    hint="Use He initialization (notebook 05).")
EXPLODING = Mistake("weights too large", "With weights 10 times N(0, 1), far larger than He's, each "
                    "layer multiplies the signal's std: the loss overflows at the first steps, "
                    "whatever the learning rate.",
                    hint="Use He initialization (notebook 05), not a lower learning rate.")
HALF_VARIANCE = Mistake("not He's variance", "Xavier's and LeCun's variance (1/n here) is less than "
                        "He's 2 / ((1 + alpha^2) n): each rectifier layer then shrinks the variance "
                        "of the signal, and the deep layers start almost silent (notebook 05).",
                        hint="Use He initialization for a rectifier (notebook 05).")
SATURATING = Mistake("a saturating activation", "The loss stayed at ln 2 = 0.693, a constant "
                     f"output of 1/2: the sigmoid's derivative is at most 1/4, so over {ref.DEPTH} layers the "
                     "gradient vanishes (notebook 02) and nothing is learned. (It has no inactive "
                     "state: only rectifiers are counted.)",
                     hint="Use a rectifier with He initialization.")
SHORT = Mistake("short of the target", "The loss stopped falling, near the lowest value it "
                "reached, short of the target: this configuration settles where it is.",
                hint="Compare a few learning rates spaced by a factor of 2, or another activation.")
UNKNOWN_KEY = Mistake("unknown key", "The check reads only the four keys; the others are ignored "
                      "(they cost no points).")


def _gain(activation: str, alpha: float) -> float:
    """What a rectifier layer keeps of the signal's second moment, per unit of weight variance
    times fan_in: (1 + alpha^2) / 2 (ReLU: 1/2)."""
    return (1 + (alpha if activation in ("leaky_relu", "prelu") else 0.0) ** 2) / 2


def _worded(mistake: Mistake, config: dict[str, Any]) -> Mistake:
    """The mistake's message in the configuration's own terms (its activation, its alpha)."""
    activation, alpha = config["activation"], config["alpha"]
    name = {"relu": "ReLU", "leaky_relu": f"Leaky ReLU ({alpha:g})", "prelu": "PReLU",
            "sigmoid": "sigmoid", "tanh": "tanh"}[activation]
    rectifier = activation in ref.RECTIFIERS
    message = mistake.message
    if mistake.name == STILL_DYING.name and activation != "relu":
        message += (f" ({name} units still pass alpha times their gradient and can come back, "
                    "but these had not by the last epoch.)")
    if (activation == "tanh" and config["init"] in ("xavier", "lecun")
            and mistake.name in (TOO_SLOW.name, TOO_HIGH.name, SHORT.name)):
        message += (" Whatever the rate, though: tanh with Xavier's or LeCun's variance (1/n here) "
                    "ended short of the target at every rate from 0.005 to 0.3, and with He's (2/n) "
                    f"it reached it: for this {ref.DEPTH}-layer network tanh needs a larger "
                    "initialization than Xavier's.")
    if mistake.name == HALF_VARIANCE.name:
        gain = _gain(activation, alpha)                    # Xavier's variance over He's
        message = (f"Xavier's and LeCun's variance (1/n here) is {1 / gain:.3g} times smaller than "
                   f"He's 2 / ((1 + alpha^2) n) for {name}: each layer then multiplies the "
                   f"variance of the signal by {gain:.3g}, so after {ref.DEPTH} layers it "
                   f"is {gain ** -ref.DEPTH:.3g} times smaller (notebook 05), and the deep "
                   "layers start almost silent.")
    if mistake.name == VANISHING.name and rectifier:
        factor = 0.01 * math.sqrt(ref.WIDTH * _gain(activation, alpha))
        message = (f"With weights of std 0.01 each {name} layer multiplies the signal's std by "
                   f"0.01 * sqrt({ref.WIDTH} * {_gain(activation, alpha):.3g}) = {factor:.3g}: "
                   f"after {ref.DEPTH} layers nothing is left, and neither is the gradient.")
    if mistake.name == EXPLODING.name:
        if rectifier:
            factor = 10 * math.sqrt(ref.WIDTH * _gain(activation, alpha))
            message = (f"With weights 10 times N(0, 1), far larger than He's, each {name} layer "
                       f"multiplies the signal's std by 10 * sqrt({ref.WIDTH} * "
                       f"{_gain(activation, alpha):.3g}) = {factor:.3g}: the loss overflows at the "
                       "first steps, whatever the learning rate.")
        else:
            message = (f"With weights 10 times N(0, 1), far larger than {name} can take, every unit "
                       "is driven deep into saturation, where the derivative is 0: nothing is "
                       "learned, whatever the learning rate.")
    return dataclasses.replace(mistake, message=message) if message != mistake.message else mistake


# As declared (and as a ReLU configuration reads them): the numbers for ReLU.
VANISHING, EXPLODING, HALF_VARIANCE = (_worded(m, {"activation": "relu", "alpha": 0.0})
                                       for m in (VANISHING, EXPLODING, HALF_VARIANCE))


def _number(value: Any) -> float | None:
    """A plain int or float (not a bool, not a string) that is finite, as a float."""
    if type(value) not in (int, float):
        return None
    try:
        number = float(value)
    except OverflowError:                    # an int such as 10**400
        return None
    return number if math.isfinite(number) else None


def configuration(value: Any) -> tuple[dict[str, Any] | None, str | None, tuple[str, ...]]:
    """The learner's configuration normalized (alpha 0.0 where the activation ignores it, -0.0
    read as 0.0, numbers as floats: the cache's key), or None and what is wrong with it; and the
    keys it ignored (whatever their values: a note such as {"notes": ["tried 0.05"]} costs nothing)."""
    unknown: tuple[str, ...] = ()
    if type(value) is dict:                 # a snapshot: keys and values are plain data
        unknown = tuple(sorted(str(k) for k in value if k not in ref.KEYS))
        value = {k: v for k, v in value.items() if k in ref.KEYS}
    try:
        answers = plain_answers(value)
    except NotAnAnswer as refused:
        return None, str(refused), unknown
    missing = [k for k in ref.KEYS if k not in answers]
    if missing:
        return None, f"has no {', '.join(map(repr, missing))} in its configuration", unknown
    activation, init = answers["activation"], answers["init"]
    alpha, lr = _number(answers["alpha"]), _number(answers["lr"])
    if type(activation) is not str or activation not in ACTIVATIONS:
        return None, f"asks for activation {activation!r}; choose one of {ACTIVATIONS}", unknown
    if type(init) is not str or init not in INITS:
        return None, f"asks for init {init!r}; choose one of {INITS}", unknown
    if alpha is None or not (alpha == 0 or ref.MIN_ALPHA <= alpha <= 1):
        return None, (f"has alpha = {answers['alpha']!r}; use 0 or a number (int or float) from "
                      f"{ref.MIN_ALPHA} to 1"), unknown
    if lr is None or not ref.MIN_LR <= lr <= 10:
        return None, (f"has lr = {answers['lr']!r}; use a number (int or float) from {ref.MIN_LR} "
                      "to 10"), unknown
    return ref.normalized(activation, alpha, init, lr), None, unknown


def _configuration(outcome: Outcome) -> tuple[dict[str, Any] | None, str | None, tuple[str, ...]]:
    if outcome.timed_out or outcome.error is not None:
        return None, "did not finish" if outcome.timed_out else f"raised {outcome.error}", ()
    return configuration(outcome.value)


def diagnosis(config: dict[str, Any], trial: ref.Trial) -> Mistake | None:
    """The mistake that happened, for a configuration that does not pass, read on its worst
    seed (or the seed that lost the most units, when units died)."""
    rectifier = config["activation"] in ref.RECTIFIERS
    worst = trial.worst
    if config == ref.BASELINE:
        found = BASELINE
    elif config["init"] == "zeros":
        found = SYMMETRIC
    elif config["init"] == "small":
        found = VANISHING
    elif config["init"] == "large":
        found = EXPLODING
    elif trial.diverged:
        found = DIVERGED
    elif rectifier and trial.most_lost.lost > ref.MAX_LOST:
        found = STILL_DYING
    elif rectifier and config["init"] in ("xavier", "lecun") and not trial.reaches(ref.TARGET_ACCURACY):
        found = HALF_VARIANCE
    elif not rectifier and worst.stuck_at_chance:
        found = SATURATING
    elif worst.regressed:
        found = TOO_HIGH
    elif worst.trend == "flat" or (worst.trend == "still falling" and not worst.knocked_back):
        found = TOO_SLOW
    elif worst.trend == "still falling":
        found = TOO_HIGH                       # knocked back by jumps, still recovering
    else:
        found = SHORT
    return _worded(found, config)


CRITERIA = {
    "accuracy 80": lambda trial: trial.reaches(ref.TIERS[0]),
    "accuracy 90": lambda trial: trial.reaches(ref.TIERS[1]),
    "accuracy 95": lambda trial: trial.reaches(ref.TIERS[2]),
    "accuracy 97": lambda trial: trial.reaches(ref.TIERS[3]),
    "few lost": lambda trial: trial.few_lost,
}
EXPECTED = (f"on every seed {ref.SEEDS}: test accuracy >= {ref.TARGET_ACCURACY:.0%}, at most "
            f"{ref.MAX_LOST:.0%} of the hidden units lost in training (inactive after minus "
            "before), no divergence")


def _result_problem(call: Call, outcome: Outcome, criterion: str) -> Problem | None:
    config, why, _ = _configuration(outcome)
    if config is None:
        return Problem(call.label, why, mistake=INVALID, call=call, outcome=outcome)
    trial = ref.train_configuration(**config)
    if CRITERIA[criterion](trial):
        return None
    first_failed = next(name for name, met in CRITERIA.items() if not met(trial))
    what = ref.summary(config, trial)
    if criterion == first_failed:
        told = f"trained to {what}"
    elif criterion == "few lost":
        most = trial.most_lost
        told = (f"lost up to {100 * most.lost:+.1f} points of its hidden units (seed {most.seed}), "
                f"and the worst seed's test accuracy is {_accuracy(trial.worst)} (see above)")
    else:
        told = f"has a worst seed at {_accuracy(trial.worst)} (seed {trial.worst.seed}; see above)"
    return Problem(call.label, told, expected=EXPECTED, actual=what,
                   mistake=diagnosis(config, trial), call=call, outcome=outcome)


def _accuracy(run: ref.CapstoneResult) -> str:
    return "diverged" if run.diverged else f"{100 * run.test_accuracy:.1f}%"


def _judge_valid(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    config, why, _ = _configuration(outcomes[0])
    if config is None:
        return [Problem(calls[0].label, why, mistake=INVALID, call=calls[0], outcome=outcomes[0])]
    return []


def _judge_keys(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    _, _, unknown = _configuration(outcomes[0])
    if unknown:
        return [Problem(calls[0].label, f"has keys the check ignores: {', '.join(map(repr, unknown))} "
                        f"(only {', '.join(map(repr, ref.KEYS))} are read; no points lost)",
                        mistake=UNKNOWN_KEY, call=calls[0], outcome=outcomes[0])]
    return []


def _judge(criterion: str):
    def judge(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
        problem = _result_problem(calls[0], outcomes[0], criterion)
        return [problem] if problem else []
    return judge


def _one_call(label: str):
    return lambda rng: [Call((), label=label)]


SEEDS_TEXT = f"every seed ({', '.join(map(str, ref.SEEDS))})"
CAPSTONE = Exercise(
    id="capstone", notebook="06_in_practice", points=5,
    description=f"Train an {ref.DEPTH}-layer network on the spirals in {ref.EPOCHS} epochs: test "
                f"accuracy >= {ref.TARGET_ACCURACY:.0%} on every seed, <= {ref.MAX_LOST:.0%} of "
                "the hidden units lost in training",
    signature="capstone()", reference=ref.capstone, output="answers",
    groups=(
        Group("a valid configuration (no points by itself)", _one_call("your configuration"),
              judge=_judge_valid, weight=0.0),
        Group("only the four keys", _one_call("your configuration"), judge=_judge_keys,
              note_only=True),
        Group(f"test accuracy of at least {ref.TIERS[0]:.0%} on {SEEDS_TEXT}",
              _one_call("your configuration, trained"), judge=_judge("accuracy 80"), weight=1.0),
        Group(f"test accuracy of at least {ref.TIERS[1]:.0%} on {SEEDS_TEXT}",
              _one_call("your configuration, trained"), judge=_judge("accuracy 90"), weight=1.0),
        Group(f"test accuracy of at least {ref.TIERS[2]:.0%} on {SEEDS_TEXT}",
              _one_call("your configuration, trained"), judge=_judge("accuracy 95"), weight=1.0),
        Group(f"test accuracy of at least {ref.TIERS[3]:.0%} on {SEEDS_TEXT}",
              _one_call("your configuration, trained"), judge=_judge("accuracy 97"), weight=1.0),
        Group(f"at most {ref.MAX_LOST:.0%} of the hidden units lost in training on {SEEDS_TEXT}, "
              f"none diverged, each at {ref.TIERS[0]:.0%} or more",
              _one_call("your configuration, trained"), judge=_judge("few lost"), weight=1.0),
    ),
    hint="Run the baseline in the workbench first and read its curves: do units get lost "
         "(inactive before -> after), does the loss jump, is it still falling at the end (too "
         "slow)? The levers are the ones this course taught: the learning rate, the activation "
         "(and its alpha), the initialization.",
    hints=("With ReLU and He initialization, a rate between the one that is too slow and the one "
           "that kills units does exist: try a few rates spaced by a factor of 2 or 3 below the "
           "baseline's.",
           "Leaky ReLU (He's init includes the (1 + alpha^2) correction) keeps a gradient for "
           "inactive units; PReLU needs a small rate (section 3 above).",
           "For example: Leaky ReLU, alpha 0.3, He, lr 0.03 (it passed on every seed tried, and "
           "at rates from 0.02 to 0.1); or ReLU, He, lr 0.05 (it passes here, but not on every "
           "seed: neighbouring rates can differ by one bad epoch of one seed, so read the curves, "
           "not only the score)."),
    mistakes=(INVALID, BASELINE, DIVERGED, STILL_DYING, TOO_HIGH, TOO_SLOW, SHORT, SYMMETRIC,
              VANISHING, EXPLODING, HALF_VARIANCE, SATURATING, UNKNOWN_KEY),
)

EXERCISES = (CAPSTONE,)
