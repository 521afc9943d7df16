"""No partial credit for a trivial answer: a constant, zeros, the input unchanged, None or
NotImplemented score 0 on every exercise (every group holds inputs on which they fail)."""

import pytest

from checks import EXERCISES, check
from mutants import define


def _first_parameter(signature: str) -> str | None:
    inside = signature.split("(", 1)[1].rstrip(")")
    return inside.split(",")[0].strip() or None


def trivial_answers(key: str) -> dict[str, str]:
    """Source of each trivial answer to exercise ``key``."""
    exercise = EXERCISES[key]
    head = f"def {exercise.signature}:\n    return "
    answers = {"None": "None", "NotImplemented": "NotImplemented", "0.0": "0.0", "1.0": "1.0",
               "0.25": "0.25", "-1": "-1", "an empty dict": "{}", "'a'": "'a'"}
    first = _first_parameter(exercise.signature)
    if first is not None:
        answers.update({
            "the input unchanged": first,
            "zeros": f"np.zeros_like(np.asarray({first}, dtype=float))",
            "ones": f"np.ones_like(np.asarray({first}, dtype=float))",
            "float32 zeros": f"np.zeros(np.shape({first}), dtype=np.float32)",
        })
    return {name: head + body + "\n" for name, body in answers.items()}


CASES = [(key, name, source) for key in EXERCISES for name, source in trivial_answers(key).items()]


@pytest.mark.parametrize("key, name, source", CASES, ids=[f"{k}:{n}" for k, n, _ in CASES])
def test_a_trivial_answer_scores_zero(key, name, source):
    result = check(key, define(source), seed=3, record=False)
    assert result.score == 0.0 and not result.passed, str(result)
