"""Mutant catalogue of the quizzes: right answers in several spellings, and wrong answer sets.

Built from the answer key, so it follows the key: each question answered wrong alone, all
wrong, a missing answer, a choice that does not exist, words for a number, and answers that are
not a dict.
"""

from checks.exercises.quizzes import QUESTIONS
from reference import quizzes


def _source(name: str, answers: dict) -> str:
    return f"def {name}():\n    return {answers!r}\n"


def _wrong(value):
    if isinstance(value, str):
        return {"a": "b", "b": "c", "c": "a"}[value]
    return value * 2 + 1


# Wrong answers a learner is likely to give, beside the generic ones built from the key: the
# changed answers, or (the changed answers, the name of the diagnosis the check must give: a
# question's Slip, named "<key>: <slip name>").
PLAUSIBLE = {
    "quiz_01": {
        "q5: no ReLU, the units' z added as they are": ({"q5": -4.25}, "q5: ReLU skipped on unit 2"),
        "q5: the output bias left out": ({"q5": -2.75}, "q5: the output bias left out"),
        "q5: ReLU applied after the output weights, relu(v_j z_j)": {"q5": 1.5},
        "q6: the kink at b / w": ({"q6": -2.28}, "q6: the kink at b / w"),
        "q6: the kink at w / b, unrounded": ({"q6": -0.4394}, "q6: the kink at w / b"),
        "q6: the kink at -w / b": {"q6": 0.44},
        "q6: the old question's kink, 2 / 1.6": {"q6": 1.25},
        "q7: the mean ignored, half as for N(0, 1)": ({"q7": 0.5}, "q7: N(0, 1)'s fraction"),
        "q7: the wrong side, P(z > 0)": ({"q7": 0.84}, "q7: the fraction of non-zeros"),
        "q7: a percentage, 15.87": {"q7": 15.87},
        "q7: a percentage, 16": ({"q7": 16}, "q7: a percentage"),
        "q7: a 1,000-sample simulation, 0.15": ({"q7": 0.15}, "q7: a small simulation (0.15)"),
        "q7: a 1,000-sample simulation, 0.171": ({"q7": 0.171}, "q7: a small simulation (0.17)"),
        "q7: a 1,000-sample simulation, 0.139": ({"q7": 0.139}, "q7: a small simulation (0.14)"),
        "q7: a 1,000-sample simulation, 0.184": ({"q7": 0.184}, "q7: a small simulation (0.18)"),
        "q7: both tails, P(|z - 1| > 1)": {"q7": 0.32},
    },
    "quiz_02": {
        "q2: 4 layers ((1/4)^4 = 1/256 is not yet 1/1000)": {"q2": 4},
        "q2: read as 'can be 1000 times smaller', 1 layer": {"q2": 1},
        "q3: saturation, the explanation the measurement refuted": {"q3": "a"},
        "q4: the spirals race, which section 5 reproduced": {"q4": "b"},
        "q5: the sigmoid itself, not its derivative": ({"q5": 0.818}, "q5: sigma itself, not sigma'"),
        "q5: tanh's derivative 1 - tanh(z)^2": {"q5": 0.181},
        "q5: the bound 1/4, as if it held with equality": {"q5": 0.25},
        "q6: 8 layers counted as 8 steps, 4^8": ({"q6": 65536}, "q6: 8 steps"),
        "q6: 4 times 7 steps": ({"q6": 28}, "q6: 4 x 7"),
        "q6: the bound itself, (1/4)^7": ({"q6": 6.1e-05}, "q6: the multiplier instead of the factor"),
        "q6: the bound itself, (1/4)^7 rounded to 0": ({"q6": 0}, "q6: the multiplier instead of the factor"),
        "q6: 4^6, one step too few": {"q6": 4096},
        "q7: the flat curve, which is ReLU": {"q7": "a"},
        "q7: the vanishing curve, which is the sigmoid": {"q7": "c"},
    },
    "quiz_03": {
        "q1: P(alive), (1 - 2^-N)^L": ({"q1": 0.281}, "q1: P(alive), (1 - 2^-N)^L"),
        "q1: the small-p approximation L 2^-N": ({"q1": 1.25}, "q1: the small-p approximation L 2^-N"),
        "q4: the first input to switch off, (1, 0)": {"q4": 2.5},
        "q4: the input with the largest z before the step, (1, 1)": {"q4": 5.0},
        "q4: the bias left unchanged, max(1/0.3, 2/0.2, 3/0.5)": {"q4": 10.0},
        "q4: the sum of the three z reaching 0": {"q4": 4.62},
    },
    "quiz_06": {
        "q1: the layer the alarm sees, 6/32": ({"q1": 0.188}, "q1: one layer's fraction"),
        "q1: the mean of the three layers' fractions rounded first": {"q1": 0.1},
        "q1: layers 2 and 3 only, 9/64": ({"q1": 0.141}, "q1: layer 1 left out"),
        "q1: over a 16-layer network's 512 units, 9/512": ({"q1": 0.018}, "q1: another network's units"),
        "q1: over the capstone's 384 units, 9/384": ({"q1": 0.0234}, "q1: the capstone's units"),
        "q2: the units came back": {"q2": "a"},
        "q2: Leaky ReLU at the same rate, which diverged too": {"q2": "c"},
        "q3: the linear guess 1 - 1000 * lr * lambda": ({"q3": 0.4}, "q3: the linear guess"),
        "q3: one step only": ({"q3": 0.999}, "q3: one step only"),
        "q3: lambda alone, 0.97^1000 read as 0": ({"q3": 0.0}, "q3: the learning rate left out"),
        "q4: the starting value": {"q4": "a"},
        "q4: the slope's size": {"q4": "c"},
    },
    "quiz_04": {
        "q5: slope 1 at z = 0": ({"q5": 0.683}, "q5: slope 1 at z = 0"),
        "q5: the central difference's slope 0.525 at z = 0": ({"q5": 0.604}, "q5: central difference at 0"),
        "q5: ReLU's derivative, alpha forgotten": ({"q5": 0.5}, "q5: ReLU's slopes"),
        "q5: the mean of leaky_relu(z), not of its slopes": ({"q5": 0.921}, "q5: mean of the values, not the slopes"),
        "q5: the values' mean with a digit more": ({"q5": 0.9208}, "q5: mean of the values, not the slopes"),
        "q5: the sum, not the mean": {"q5": 3.15},
        "q6: no gradient, as if the unit were a dead ReLU unit": ({"q6": 0.0}, "q6: that is ReLU's"),
        "q6: slope 1, the sign of z not checked": ({"q6": -2.1}, "q6: slope 1: z is negative"),
        "q6: the upstream gradient left out": {"q6": 0.07},
        "q6: the upstream gradient's sign dropped": ({"q6": 0.21}, "q6: sign"),
        "q6: x_2 instead of x_1": ({"q6": -0.84}, "q6: x2 used"),
        "q6: x_1 left out, dL/dz": ({"q6": -0.3}, "q6: x1 left out"),
        "q7: alpha times the number of layers": ({"q7": 0.15}, "q7: 3 alpha"),
        "q7: one layer too few, alpha^2": ({"q7": 0.0025}, "q7: two layers"),
        "q7: the default slope 0.01, 0.01^3": ({"q7": 1e-06}, "q7: alpha = 0.01"),
        "q5 and q7 both slips: the first one is the diagnosis": ({"q5": 0.683, "q7": 0.15}, "q5: slope 1 at z = 0"),
    },
    "quiz_05": {
        "q1: alpha left out, sqrt(2 / 200)": ({"q1": 0.1}, "q1: the (1 + alpha^2) correction left out"),
        "q1: alpha not squared, sqrt(2 / (1.2 * 200))": ({"q1": 0.0913}, "q1: alpha not squared"),
        "q1: the variance, 2 / (1.04 * 200)": ({"q1": 0.0096}, "q1: the variance, not the std"),
        "q1: the variance with a digit more": ({"q1": 0.00962}, "q1: the variance, not the std"),
        "q5: 20 steps instead of 19": ({"q5": 9.31}, "q5: 20 steps instead of 19"),
        "q5: the variance's growth, 1.25^19": ({"q5": 69.39}, "q5: the variance's growth"),
        "q5: one layer, sqrt(1.25)": ({"q5": 1.12}, "q5: one layer's factor"),
        "q5: alpha not squared, 1.5^9.5": ({"q5": 47.08}, "q5: alpha not squared"),
        "q1 and q5 both slips: the first one is the diagnosis": ({"q1": 0.1, "q5": 9.31},
                                                                 "q1: the (1 + alpha^2) correction left out"),
    },
}


def _catalogue(name: str) -> tuple[dict, dict]:
    key = getattr(quizzes, name)()
    choices = [k for k, v in key.items() if isinstance(v, str)]
    numbers = [k for k, v in key.items() if not isinstance(v, str)]
    decimals = {q.key: q.decimals for q in QUESTIONS[name]}

    def spelled(form: str) -> str:
        return _source(name, {k: form.format(v) if k in choices else v for k, v in key.items()})

    correct = {
        "the key": _source(name, key),
        "capital letters": _source(name, {k: v.upper() if isinstance(v, str) else v for k, v in key.items()}),
        "numbers as strings": _source(name, {k: str(v) if k in numbers else v for k, v in key.items()}),
        "choices as (b)": spelled("({})"),
        "choices as b)": spelled("{})"),
        "choices padded, ' B '": _source(name, {k: f" {v.upper()} " if k in choices else v for k, v in key.items()}),
        "numbers with a digit more": _source(name, {k: v + 0.3 * 10.0 ** -decimals[k] if k in numbers else v
                                                    for k, v in key.items()}),
    }
    mutants = {f"{k} wrong": (_source(name, {**key, k: _wrong(v)}), None) for k, v in key.items()}
    mutants.update({
        "all wrong": (_source(name, {k: _wrong(v) for k, v in key.items()}), None),
        "first answer missing": (_source(name, {k: v for k, v in list(key.items())[1:]}), None),
        "a choice that does not exist": (_source(name, {**key, (choices or numbers)[0]: "d"}), None),
        "words for a number": (_source(name, {**key, (numbers or choices)[0]: "about half"}), None),
        "words for a choice": (_source(name, {**key, (choices or numbers)[0]: "all of them"}), None),
        "a list": (f"def {name}():\n    return {list(key.values())!r}\n", None),
        "forgot return": (f"def {name}():\n    {key!r}\n", None),
    })
    for label, entry in PLAUSIBLE.get(name, {}).items():
        change, diagnosis = entry if isinstance(entry, tuple) else (entry, None)
        mutants[label] = (_source(name, {**key, **change}), diagnosis)
    return correct, mutants


CATALOGUE = {name: _catalogue(name) for name in
             ("quiz_01", "quiz_02", "quiz_03", "quiz_04", "quiz_05", "quiz_06")}
