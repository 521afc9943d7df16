"""Mutant catalogue of the quizzes: right answers in several spellings, and wrong answer sets.

Built from the answer key, so it follows the key: each question answered wrong alone, all
wrong, a missing answer, a choice that does not exist, words for a number, and answers that are
not a dict.
"""

from reference import quizzes


def _source(name: str, answers: dict) -> str:
    return f"def {name}():\n    return {answers!r}\n"


def _wrong(value):
    if isinstance(value, str):
        return {"a": "b", "b": "c", "c": "a"}[value]
    return value * 2 + 1


def _catalogue(name: str) -> tuple[dict, dict]:
    key = getattr(quizzes, name)()
    choices = [k for k, v in key.items() if isinstance(v, str)]
    numbers = [k for k, v in key.items() if not isinstance(v, str)]
    correct = {
        "the key": _source(name, key),
        "capital letters": _source(name, {k: v.upper() if isinstance(v, str) else v for k, v in key.items()}),
        "numbers as strings": _source(name, {k: str(v) if k in numbers else v for k, v in key.items()}),
    }
    mutants = {f"{k} wrong": (_source(name, {**key, k: _wrong(v)}), None) for k, v in key.items()}
    mutants.update({
        "all wrong": (_source(name, {k: _wrong(v) for k, v in key.items()}), None),
        "first answer missing": (_source(name, {k: v for k, v in list(key.items())[1:]}), None),
        "a choice that does not exist": (_source(name, {**key, (choices or numbers)[0]: "d"}), None),
        "words for a number": (_source(name, {**key, (numbers or choices)[0]: "about half"}), None),
        "a list": (f"def {name}():\n    return {list(key.values())!r}\n", None),
        "forgot return": (f"def {name}():\n    {key!r}\n", None),
    })
    return correct, mutants


CATALOGUE = {name: _catalogue(name) for name in
             ("quiz_01", "quiz_02", "quiz_03", "quiz_04", "quiz_05", "quiz_06")}
