"""Quiz answers in ordinary spellings are accepted, numbers within the decimals the question
states, a rounding difference is called close; the answer key holds constants only."""

import ast
import inspect

import pytest

from checks import EXERCISES, check
from checks.exercises.quizzes import QUESTIONS, choice_letter, grade_number, number_of
from mutants import define
from reference import activations, init, quizzes


@pytest.mark.parametrize("given", ["b", "B", " b ", "(b)", "b)", "b.", "(B)", "(b) about 50 %", "b) about 50 %"])
def test_a_choice_in_any_usual_spelling(given):
    assert choice_letter(given) == "b"


@pytest.mark.parametrize("given", ["about half", "a larger learning rate", "bc", "", "(d", 2, None])
def test_words_are_not_a_choice(given):
    assert choice_letter(given) in (None, "d")


@pytest.mark.parametrize("given, number", [(0.25, 0.25), ("0.25", 0.25), (" 0.25 ", 0.25), ("1/4", 0.25),
                                           ("1e-2", 0.01), ("about half", None), ("1/0", None), (True, None)])
def test_numbers_in_usual_spellings(given, number):
    assert number_of(given) == number


def test_numbers_are_right_within_the_stated_decimals_and_close_when_rounded_otherwise():
    assert grade_number(0.944, 0.9437, 3) == "right"
    assert grade_number(0.9437, 0.944, 3) == "right"
    assert grade_number(0.943, 0.944, 3) == "close"          # truncated, not rounded
    assert grade_number(0.94, 0.944, 3) == "close"
    assert grade_number(0.9, 0.944, 3) == "wrong"
    assert grade_number(0.0, 0.01, 3) == "wrong"             # ReLU's slope is not 'close' to alpha
    assert grade_number(0.02, -0.02, 3) == "wrong"


def test_a_rounding_difference_is_close_never_not_right():
    key = quizzes.quiz_03()
    result = check("quiz_03", define(f"def quiz_03():\n    return {{**{key!r}, 'q1': 0.72}}\n"), record=False)
    text = str(result)
    assert result.score == 3.0 and "close: give 3 decimals" in text and "not right" not in text


def test_a_huge_number_is_quoted_short_and_called_too_large_not_not_a_number():
    key = quizzes.quiz_05()
    result = check("quiz_05", define(f"def quiz_05():\n    return {{**{key!r}, 'q1': 10**4000}}\n"), record=False)
    text = str(result)
    assert result.score == len(key) - 1 and "a float can hold" in text and "(4001 characters)" in text
    assert "0000000000000000000000000000000000000000" not in text


def test_every_numeric_question_states_its_decimals():
    for name, questions in QUESTIONS.items():
        for question in questions:
            if not question.choices:
                assert f"({question.decimals} decimal" in question.text, (name, question.key)


def _calls(function) -> set[str]:
    tree = ast.parse(inspect.getsource(function))
    return {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_the_answer_key_holds_constants_not_calls_of_the_learners_functions(name):
    assert not _calls(getattr(quizzes, name)) & {e.name for e in EXERCISES.values()}


def test_the_answer_key_agrees_with_the_reference_code():
    assert quizzes.quiz_01()["q1"] == activations.relu(-2.0)
    assert quizzes.quiz_01()["q2"] == activations.relu_grad(0.0)
    assert quizzes.quiz_04()["q1"] == pytest.approx(activations.leaky_relu(-2.0, 0.01))
    assert quizzes.quiz_04()["q2"] == pytest.approx(activations.leaky_relu_grad(-2.0, 0.01))
    assert quizzes.quiz_05()["q1"] == round(init.he_std(200, 0.2), 4)
    assert quizzes.quiz_05()["q5"] == round((1 + 0.5**2) ** (19 / 2), 2)
    assert quizzes.quiz_05()["q3"] == round((1 / (3 * 512)) / init.he_std(512) ** 2, 4)
    assert quizzes.quiz_03()["q1"] == round(1 - (1 - 2.0 ** -5) ** 40, 3)
