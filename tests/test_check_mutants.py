"""Every check accepts the reference and the textbook alternatives, and rejects each mutant
with the diagnosis it was written to provoke, and with no other."""

import numpy as np
import pytest

from checks import EXERCISES, check
from checks.api import solution_code
from mutants import CATALOGUE, MESSAGES, define

CORRECT = [(ex, name, src) for ex, (correct, _) in CATALOGUE.items() for name, src in correct.items()]
WRONG = [(ex, name, src, diagnosis) for ex, (_, mutants) in CATALOGUE.items()
         for name, (src, diagnosis) in mutants.items()]


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_the_model_solution_gets_full_marks(exercise):
    result = check(exercise, define(solution_code(exercise), EXERCISES[exercise].name), record=False)
    assert result.passed, str(result)
    assert result.score == result.max_score == EXERCISES[exercise].points
    assert isinstance(result.score, float) and isinstance(result.max_score, float)


@pytest.mark.parametrize("exercise, name, source", CORRECT, ids=[f"{e}:{n}" for e, n, _ in CORRECT])
def test_correct_alternatives_pass_and_get_no_diagnosis(exercise, name, source):
    result = check(exercise, define(source), record=False)
    assert result.passed and result.score == result.max_score, str(result)
    assert result.failure is None and not any(m.startswith(("Diagnosis", "Hint")) for m in result.messages)


@pytest.mark.parametrize("exercise, name, source, diagnosis", WRONG,
                         ids=[f"{e}:{n}" for e, n, _, _ in WRONG])
def test_mutants_fail_with_their_diagnosis(exercise, name, source, diagnosis):
    result = check(exercise, define(source), record=False)
    assert not result.passed and result.score < result.max_score, str(result)
    if diagnosis is not None:
        assert result.failure is not None and result.failure.get("mistake") == diagnosis, str(result)
        declared = [m for m in EXERCISES[exercise].mistakes if m.name == diagnosis]
        if declared:
            assert result.failure["diagnosis"] == declared[0].message, str(result)
    if (exercise, name) in MESSAGES:
        assert MESSAGES[exercise, name] in result.failure["diagnosis"], str(result)


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_every_exercise_has_a_catalogue_of_at_least_eight_mutants(exercise):
    assert exercise in CATALOGUE, f"tests/mutants*.py has no catalogue for {exercise!r}"
    correct, mutants = CATALOGUE[exercise]
    assert len(mutants) >= 8 and len(correct) >= 1


UPCAST = [(ex, name, src) for ex, name, src in CORRECT if EXERCISES[ex].output in ("activation", "derivative")]


@pytest.mark.parametrize("exercise, name, source", UPCAST, ids=[f"{e}:{n}" for e, n, _ in UPCAST])
def test_a_correct_answer_upcast_to_float64_is_told_about_its_dtype_only(exercise, name, source):
    name = EXERCISES[exercise].name
    renamed = source.replace(f"def {name}(", "def _correct(")
    upcast = define(f"{renamed}\n\ndef {name}(*args, **kwargs):\n"
                    "    return np.asarray(_correct(*args, **kwargs), dtype=np.float64)\n", name)
    result = check(exercise, upcast, record=False)
    if EXERCISES[exercise].output == "derivative":
        assert result.passed, str(result)
        tips = {e.dtype_tip for e in EXERCISES.values() if e.dtype_tip and e.id != exercise}
        assert not any(tip in note for note in result.notes for tip in tips), str(result)
    else:
        assert result.failure["mistake"] == "another float dtype than its input's", str(result)


def test_feedback_never_contradicts_itself():
    fixed = define(CATALOGUE["he_normal"][1]["fixed seed"][0])
    text = str(check("he_normal", fixed, record=False))
    assert "same weights for two different seeds" in text and "gave different weights" not in text


# The mistake each derivative exercise is about earns nothing: every graded group holds z = 0.
TARGETED = [("relu_grad", "z >= 0"), ("leaky_relu_grad", "z >= 0")]


@pytest.mark.parametrize("exercise, name", TARGETED, ids=[f"{e}:{n}" for e, n in TARGETED])
def test_the_mistake_an_exercise_is_about_scores_zero(exercise, name):
    source, diagnosis = CATALOGUE[exercise][1][name]
    result = check(exercise, define(source), record=False)
    assert result.score == 0.0, str(result)
    assert result.failure is not None and result.failure.get("mistake") == diagnosis, str(result)
