"""Exercises on He initialization (notebook 05)."""

from __future__ import annotations

import math

import numpy as np

from checks.compare import NotAnArray, as_plain_array, show
from checks.core import Call, Exercise, Group, Mistake, Outcome, Problem, Rng
from checks.exercises.common import wrong_default
from reference import init as ref


def _std_call(fan_in: int, *alpha: float) -> Call:
    return Call((fan_in, *alpha), label=f"fan_in = {fan_in}" + "".join(f", alpha = {a}" for a in alpha))


HE_STD = Exercise(
    id="he_std", notebook="05_he_init", points=2,
    description="He's standard deviation sqrt(2 / ((1 + alpha^2) fan_in))",
    signature="he_std(fan_in, alpha=0.0)", reference=ref.he_std, output="scalar", rtol=1e-9,
    groups=(
        Group("ReLU layers (alpha = 0)", lambda rng: [
            _std_call(512), _std_call(2), _std_call(1), _std_call(int(rng.integers(3, 5000)))]),
        Group("Leaky ReLU layers (alpha = 0.01, 0.1, 0.5, 1.5)", lambda rng: [
            _std_call(100, 0.01), _std_call(256, 0.1), _std_call(64, 0.5), _std_call(30, 1.5),
            _std_call(int(rng.integers(3, 5000)), float(np.round(rng.uniform(0.05, 0.9), 2)))]),
    ),
    hint="He et al. choose the weights' variance so that Var[z] stays the same from layer to "
         "layer: ReLU zeroes half of the signal, Leaky ReLU keeps alpha^2 of the negative half. "
         "The function returns a standard deviation, not a variance.",
    hints=("Var[w] = 2 / ((1 + alpha^2) fan_in); the standard deviation is its square root.",
           "return math.sqrt(2 / ((1 + alpha**2) * fan_in))"),
    mistakes=(
        Mistake("variance instead of std",
                "You returned the variance 2 / ((1 + alpha^2) fan_in), not its square root.",
                hint="Take math.sqrt of the variance.",
                impl=lambda n, a=0.0: 2 / ((1 + a**2) * n)),
        Mistake("LeCun's sqrt(1 / fan_in)",
                "You returned sqrt(1 / fan_in), the LeCun/Xavier scale for tanh-like units. ReLU "
                "zeroes half of its inputs, so it needs twice the variance: 2 / fan_in.",
                hint="The 2 in sqrt(2 / fan_in) makes up for the half that ReLU zeroes.",
                impl=lambda n, a=0.0: math.sqrt(1 / n)),
        Mistake("alpha ignored", "Your std is sqrt(2 / fan_in) whatever alpha is: the (1 + alpha^2) "
                "correction for Leaky ReLU is missing.",
                hint="Divide by (1 + alpha**2) inside the square root.",
                impl=lambda n, a=0.0: math.sqrt(2 / n)),
        Mistake("alpha not squared", "You used (1 + alpha) where the formula has (1 + alpha^2).",
                hint="E[f(z)^2] = (1 + alpha^2) Var[z] / 2 for Leaky ReLU: alpha is squared.",
                impl=lambda n, a=0.0: math.sqrt(2 / ((1 + a) * n))),
        Mistake("sqrt(2) / fan_in", "You returned sqrt(2) / fan_in: the square root must cover fan_in too.",
                hint="sqrt(2 / fan_in), not sqrt(2) / fan_in.",
                impl=lambda n, a=0.0: math.sqrt(2 / (1 + a**2)) / n),
        Mistake("correction upside down", "You multiplied by (1 + alpha^2) instead of dividing.",
                hint="A leaky unit passes more variance, so its weights must be smaller.",
                impl=lambda n, a=0.0: math.sqrt(2 * (1 + a**2) / n)),
        Mistake("correction outside the square root",
                "You divided the std by (1 + alpha^2); the variance is divided, so the std is "
                "divided by sqrt(1 + alpha^2).", hint="Put (1 + alpha**2) inside the square root.",
                impl=lambda n, a=0.0: math.sqrt(2 / n) / (1 + a**2)),
        Mistake("Xavier's sqrt(2 / (fan_in + fan_out))",
                "You used Xavier/Glorot's formula with fan_out = fan_in, which is sqrt(1 / fan_in).",
                hint="He's formula depends on fan_in only.",
                impl=lambda n, a=0.0: math.sqrt(2 / (n + n))),
        wrong_default(lambda n, a: ref.he_std(int(n), a), "he_std", 0.0),
    ),
)

# ------------------------------------------------------------------------------ he_normal

SHAPE_CALLS = ((3, 5), (1, 1), (64, 10))
STATS_FAN_IN, STATS_FAN_OUT = 500, 400          # 200,000 draws: std known to ~0.16 %


def _draws(outcome: Outcome) -> np.ndarray | None:
    try:
        return as_plain_array(outcome.value).astype(np.float64)
    except NotAnArray:
        return None


def _first_problem(call: Call, outcome: Outcome) -> Problem | None:
    if outcome.timed_out:
        return Problem(call.label, "did not finish within the time limit", "timeout", call=call, outcome=outcome)
    if outcome.error is not None:
        return Problem(call.label, f"raised {outcome.error}", "error", call=call, outcome=outcome)
    try:
        W = as_plain_array(outcome.value)
    except NotAnArray as refused:
        return Problem(call.label, str(refused), "type", call=call, outcome=outcome)
    if W.size > 1 and bool(np.all(W == W.flat[0])):
        return Problem(call.label, f"returned weights that are all equal ({show(W.flat[0])}): they must "
                       "be drawn at random", "value", call=call, outcome=outcome)
    return None


TRANSPOSED = Mistake(
    "transposed shape", "Your matrix has shape (fan_in, fan_out). For z = W x + b, W has one row "
    "per output unit: shape (fan_out, fan_in), as PyTorch's Linear.weight.",
    hint="size=(fan_out, fan_in).")


def _judge_shapes(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    problems = []
    for call, outcome, (fan_in, fan_out) in zip(calls, outcomes, SHAPE_CALLS):
        problem = _first_problem(call, outcome)
        if problem is None:
            shape = np.shape(outcome.value)
            if shape != (fan_out, fan_in):
                problem = Problem(call.label, f"returned shape {shape}, expected ({fan_out}, {fan_in})",
                                  "shape", mistake=TRANSPOSED if shape == (fan_in, fan_out) else None,
                                  call=call, outcome=outcome)
        if problem:
            problems.append(problem)
    return problems


STD_MISTAKES = {
    "variance": Mistake("variance instead of std", "Your weights' spread is the variance "
                        "2 / fan_in used as a standard deviation: far too small.",
                        hint="rng.normal(0, std, size) takes the std, sqrt(2 / fan_in)."),
    "lecun": Mistake("LeCun's sqrt(1 / fan_in)", "Your weights have std sqrt(1 / fan_in) (LeCun), "
                     "too small for ReLU by a factor sqrt(2).", hint="Use he_std: sqrt(2 / fan_in)."),
    "fan_out": Mistake("fan_out instead of fan_in", "Your weights' std follows fan_out, not fan_in.",
                       hint="The forward pass sums fan_in terms: the variance is 2 / fan_in."),
    "no_alpha": Mistake("alpha ignored", "Your weights' std ignores alpha: the (1 + alpha^2) "
                        "correction for Leaky ReLU is missing.", hint="Use he_std(fan_in, alpha)."),
    "uniform": Mistake("uniform instead of normal", "Your weights are uniformly distributed; "
                       "he_normal draws from a normal distribution.",
                       hint="rng.normal(0, std, size=(fan_out, fan_in))."),
    "mean": Mistake("not centred", "Your weights' mean is not 0.", hint="Draw from N(0, std^2)."),
    "truncated": Mistake("truncated normal, std not corrected", "Your weights look like a normal "
                         "truncated at 2 std (no weight beyond 2 He std), with He's std before the "
                         "cut: the cut removes the tails, so the std falls to 0.88 of He's. This "
                         "exercise asks for the plain normal N(0, he_std^2).",
                         hint="rng.normal(0, std, size=(fan_out, fan_in)), with no redrawing."),
    "truncated_corrected": Mistake("truncated normal", "Your weights have He's std but no tails: "
                                   "they look like a truncated normal (as Keras' he_normal draws). "
                                   "This exercise asks for the plain normal N(0, he_std^2).",
                                   hint="rng.normal(0, std, size=(fan_out, fan_in)), with no redrawing."),
}
TRUNCATED_STD = 0.8796256610342398      # std of N(0, 1) truncated to [-2, 2] (Keras' correction)
NORMAL_TAIL = 3.5                        # 200,000 normal draws reach 3.5 std with probability 1 - e^-93


def _std_candidates(fan_in: int, fan_out: int, alpha: float, W: np.ndarray) -> dict[str, float]:
    """The std each known wrong formula gives for this call (the truncated normal only when no
    weight lies beyond 2 He std, as its cut leaves none)."""
    he = ref.he_std(fan_in, alpha)
    candidates = {"variance": he**2, "lecun": math.sqrt(1 / fan_in),
                  "fan_out": ref.he_std(fan_out, alpha), "no_alpha": ref.he_std(fan_in)}
    if float(np.abs(W).max()) <= 2 * he * (1 + 1e-9):
        candidates["truncated"] = TRUNCATED_STD * he
    return candidates


def _explaining_every_call(calls: list[Call], draws: list[np.ndarray | None]) -> Mistake | None:
    """The std mistake whose formula gives the measured std on every call of the group (within
    2 %), so that the one named explains the failure shown, whichever call it is; None if no
    single formula does (for example a mistake that matches one input by coincidence)."""
    measured = [(call, W) for call, W in zip(calls, draws) if W is not None]
    if not measured:
        return None
    names = None
    for call, W in measured:
        std = float(W.std())
        matching = {name for name, value in _std_candidates(*call.args, W).items()
                    if abs(std / value - 1) < 0.02}
        names = matching if names is None else names & matching
    return next((STD_MISTAKES[name] for name in STD_MISTAKES if name in names), None)


def _judge_statistics(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    problems = []
    draws = [None if _first_problem(call, outcome) else _draws(outcome) for call, outcome in zip(calls, outcomes)]
    draws = [W if W is not None and W.shape == (call.args[1], call.args[0]) else None
             for call, W in zip(calls, draws)]
    std_mistake = _explaining_every_call(calls, draws)
    for call, outcome in zip(calls, outcomes):
        fan_in, fan_out, alpha = call.args
        problem = _first_problem(call, outcome)
        W = _draws(outcome) if problem is None else None
        if W is not None and W.shape != (fan_out, fan_in):
            problem = Problem(call.label, f"returned shape {W.shape}, expected {(fan_out, fan_in)}",
                              "shape", call=call, outcome=outcome)
        elif W is not None:
            target = ref.he_std(fan_in, alpha)
            std, mean = float(W.std()), float(W.mean())
            kurtosis = float(np.mean((W - mean) ** 4) / max(std, 1e-300) ** 4 - 3)
            what, mistake = None, None
            if abs(std / target - 1) > 0.02:
                what = f"drew weights with std {std:.4g}; He's std is {target:.4g}"
                mistake = std_mistake
            elif abs(mean) > 0.02 * target:
                what, mistake = f"drew weights with mean {mean:.4g}, not 0", STD_MISTAKES["mean"]
            elif kurtosis < -0.9:
                what, mistake = "drew weights that are not normally distributed", STD_MISTAKES["uniform"]
            elif float(np.abs(W - mean).max()) < NORMAL_TAIL * std:
                what, mistake = ("drew weights with no tails (none beyond {:.1f} std): not normally "
                                 "distributed".format(float(np.abs(W - mean).max()) / std),
                                 STD_MISTAKES["truncated_corrected"])
            if what:
                problem = Problem(call.label, what, "value", expected=f"std {target:.6g}, mean 0, normal",
                                  actual=f"std {std:.6g}, mean {mean:.3g}, excess kurtosis {kurtosis:.2f}",
                                  mistake=mistake, call=call, outcome=outcome)
        if problem:
            problems.append(problem)
    return problems


GLOBAL_RNG = Mistake(
    "NumPy's global random state instead of rng",
    "Your weights change with NumPy's global seed and not with the rng you were given: the "
    "function uses np.random.* (the global state) instead of its rng argument.",
    hint="rng = np.random.default_rng(rng) accepts a Generator, a seed or None; then draw with "
         "rng.normal(...).")
RNG_IGNORED = Mistake(
    "rng ignored", "The same rng (or seed) gave different weights: the function does not draw "
    "from the rng it was given.", hint="Draw with rng.normal(...) from np.random.default_rng(rng).")
FIXED_SEED = Mistake(
    "fixed seed instead of rng", "Two different seeds gave the same weights: the function draws "
    "from a generator of its own with a fixed seed (such as np.random.default_rng(0)), not from "
    "the rng it was given.", hint="Make the generator from the argument: "
                                  "np.random.default_rng(rng), not a constant seed.")


def _judge_reproducibility(calls: list[Call], outcomes: list[Outcome], expected: list) -> list[Problem]:
    """Calls 0-2 share one Generator seed under global seeds 1, 2, 1; calls 3-4 share an int seed."""
    for call, outcome in zip(calls, outcomes):
        if (problem := _first_problem(call, outcome)) is not None:
            return [problem]
    a, b, c, d, e = (_draws(o) for o in outcomes)

    def same(x: np.ndarray, y: np.ndarray) -> bool:
        return x.shape == y.shape and bool(np.array_equal(x, y))

    def problem(i: int, what: str, mistake: Mistake) -> list[Problem]:
        return [Problem(calls[i].label, what, "value", mistake=mistake, call=calls[i], outcome=outcomes[i])]

    if not same(a, b):
        if same(a, c):
            return problem(1, "gave other weights for the same rng once NumPy's global seed "
                              "changed", GLOBAL_RNG)
        return problem(1, "gave other weights for the same rng", RNG_IGNORED)
    if not same(d, e):
        return problem(4, "gave other weights for the same int seed", RNG_IGNORED)
    if same(a, d):
        return problem(3, "gave the same weights for two different seeds", FIXED_SEED)
    return []


def _reproducibility_calls(rng: np.random.Generator) -> list[Call]:
    s = int(rng.integers(1_000_000))
    return [Call((20, 30), {"rng": Rng(s)}, f"fan_in = 20, fan_out = 30, rng = default_rng({s})", 1),
            Call((20, 30), {"rng": Rng(s)}, f"the same rng, after np.random.seed(2)", 2),
            Call((20, 30), {"rng": Rng(s)}, f"the same rng, after np.random.seed(1)", 1),
            Call((20, 30), {"rng": Rng(s + 1, as_int=True)}, f"rng = {s + 1} (an int seed)", 3),
            Call((20, 30), {"rng": Rng(s + 1, as_int=True)}, f"rng = {s + 1} again", 4)]


HE_NORMAL = Exercise(
    id="he_normal", notebook="05_he_init", points=4,
    description="He normal weights of shape (fan_out, fan_in), drawn from the rng given",
    signature="he_normal(fan_in, fan_out, alpha=0.0, rng=None)", reference=ref.he_normal,
    output="array",
    groups=(
        Group("shape (fan_out, fan_in), as in z = W x + b", lambda rng: [
            Call((fan_in, fan_out), {"rng": Rng(i)}, f"fan_in = {fan_in}, fan_out = {fan_out}")
            for i, (fan_in, fan_out) in enumerate(SHAPE_CALLS)], judge=_judge_shapes),
        Group("statistics: mean 0, He's std, normal (200,000 draws)", lambda rng: [
            Call((STATS_FAN_IN, STATS_FAN_OUT, 0.0), {"rng": Rng(int(rng.integers(1 << 30)))},
                 f"fan_in = {STATS_FAN_IN}, fan_out = {STATS_FAN_OUT}"),
            Call((STATS_FAN_OUT, STATS_FAN_IN, 0.5), {"rng": Rng(int(rng.integers(1 << 30)))},
                 f"fan_in = {STATS_FAN_OUT}, fan_out = {STATS_FAN_IN}, alpha = 0.5")],
            judge=_judge_statistics, weight=2.0),
        Group("reproducible with the same rng, independent of NumPy's global state",
              _reproducibility_calls, judge=_judge_reproducibility),
    ),
    hint="Draw every weight from a normal distribution of mean 0 and He's standard deviation, "
         "as a matrix with one row per unit (fan_out rows), using only the generator made from "
         "the rng argument.",
    hints=("np.random.default_rng(rng) turns a seed, a Generator or None into a Generator; its "
           "normal(mean, std, size) draws the whole matrix. Your he_std gives the std.",
           "return np.random.default_rng(rng).normal(0.0, he_std(fan_in, alpha), "
           "size=(fan_out, fan_in))"),
    mistakes=(TRANSPOSED, *STD_MISTAKES.values(), GLOBAL_RNG, RNG_IGNORED, FIXED_SEED),
)

EXERCISES = (HE_STD, HE_NORMAL)
