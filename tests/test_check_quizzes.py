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


# ----------------------------------------------------------------------------- slips: known wrong answers

def _quiz_05_with(**changes) -> str:
    return f"def quiz_05():\n    return {{**{quizzes.quiz_05()!r}, **{changes!r}}}\n"


def test_a_slip_gets_its_own_message_and_diagnosis_instead_of_the_generic_explanation():
    q1 = {q.key: q for q in QUESTIONS["quiz_05"]}["q1"]
    slip = next(s for s in q1.slips if s.answer == 0.0096)
    result = check("quiz_05", define(_quiz_05_with(q1=0.00962)), record=False)   # the slip, at 4 decimals
    text = str(result)
    assert result.score == 4.0 and slip.message in text and q1.explanation not in text
    assert result.failure["mistake"] == "q1: the variance, not the std" and result.failure["diagnosis"] == slip.message
    assert text.count(slip.message) == 1 and "Diagnosis" not in text    # on q1's line, not again below it
    assert "Diagnosis" not in result._repr_html_()
    assert slip.message in next(line for line in result.messages if line.startswith("✘ q1"))


def test_a_slip_rounded_differently_is_still_that_slip():
    for given in (69.389, 69.4):
        assert check("quiz_05", define(_quiz_05_with(q5=given)), record=False).failure["mistake"] == \
            "q5: the variance's growth"


def test_a_wrong_answer_that_is_no_slip_gets_the_generic_explanation_and_no_diagnosis():
    q5 = {q.key: q for q in QUESTIONS["quiz_05"]}["q5"]
    result = check("quiz_05", define(_quiz_05_with(q5=5.0)), record=False)
    assert q5.explanation in str(result) and "mistake" not in result.failure
    assert not any(s.message in str(result) for s in q5.slips)


def test_two_slips_each_get_their_message_on_their_own_line():
    questions = {q.key: q for q in QUESTIONS["quiz_05"]}
    result = check("quiz_05", define(_quiz_05_with(q1=0.1, q5=1.12)), record=False)
    lines = {line.split(":")[0].lstrip("✘ "): line for line in result.messages if line.startswith("✘")}
    assert questions["q1"].slips[0].message in lines["q1"] and questions["q5"].slips[2].message in lines["q5"]
    assert result.failure["mistake"] == "q1: the (1 + alpha^2) correction left out"


def test_a_multiple_choice_slip_names_why_that_letter_is_wrong():
    from checks.core import Call, Outcome
    from checks.exercises.quizzes import Question, Slip, _judge
    question = Question("q1", "which rule: (a) fan_in, (b) fan_out, (c) both", "The forward pass sums over inputs.",
                        choices=("a", "b", "c"), slips=(Slip("b", "fan_out", "fan_out keeps the backward pass flat."),))
    call = Call((), label="q1")
    (slipped,) = _judge(question)([call], [Outcome(value={"q1": "(B)"})], [{"q1": "a"}])
    assert slipped.mistake.name == "q1: fan_out" and slipped.what.endswith("fan_out keeps the backward pass flat.")
    (other,) = _judge(question)([call], [Outcome(value={"q1": "c"})], [{"q1": "a"}])
    assert other.mistake is None and other.what.endswith("The forward pass sums over inputs.")
    assert _judge(question)([call], [Outcome(value={"q1": "a"})], [{"q1": "a"}]) == []


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_every_slip_is_wrong_declared_and_does_not_give_the_answer_away(name):
    key, names = getattr(quizzes, name)(), set()
    declared = {m.name: m.message for m in EXERCISES[name].mistakes}
    for question in QUESTIONS[name]:
        right = key[question.key]
        for slip in question.slips:
            if question.choices:
                assert slip.answer in question.choices and slip.answer != right, (name, question.key, slip)
            else:
                assert grade_number(float(slip.answer), float(right), question.decimals) == "wrong", (name, slip)
                assert f"{right:.{question.decimals}f}" not in slip.message and repr(right) not in slip.message
            mistake = question.mistake(slip)
            assert declared[mistake.name] == slip.message and mistake.name not in names
            names.add(mistake.name)


def test_quiz_05_and_quiz_03_name_their_known_slips():
    slips = {(name, q.key): {s.answer for s in q.slips} for name in ("quiz_03", "quiz_05") for q in QUESTIONS[name]}
    assert {0.1, 0.0096} <= slips["quiz_05", "q1"] and {9.31, 69.39, 1.12} <= slips["quiz_05", "q5"]
    assert {0.281, 1.25} <= slips["quiz_03", "q1"]
