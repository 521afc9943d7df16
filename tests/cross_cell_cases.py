"""Exercise cells that lean on other cells, or on the answer key, or use the notebook's own
syntax and names (IPython's ``%``, ``!``, ``?``, ``display``, ``__name__``, installed modules),
with what both the notebook's ``check`` and the grader must say about them (word for word), or
None where they must pass.

Each case: (exercise id, the cells before it, the exercise cell, the message). A cell before it
is (exercise id or None, source): an exercise cell of an earlier exercise (which the grader runs
too), or an ordinary cell (which it never runs).
"""

from checks.cells import answer_key_message, foreign_import_message

SETUP_IMPORTS = (None, "from reference import activations\nfrom reference.diagnostics import dead_units")


def other_cell(function: str, *names: str) -> str:
    it = "it" if len(names) == 1 else "them"
    shown = " and ".join(f"`{n}`" for n in names)
    return f"`{function}` uses {shown}, defined in another cell: the grader runs only this cell; define {it} here."


CASES = {
    "a helper in another cell": (
        "relu", [(None, "def _positive_part(z):\n    return np.maximum(z, 0)\n")],
        "def relu(z):\n    return _positive_part(z)\n", other_cell("relu", "_positive_part")),
    "the setup's activations module": (
        "relu", [SETUP_IMPORTS], "def relu(z):\n    return activations.relu(z)\n",
        other_cell("relu", "activations")),
    "the setup's dead_units": (
        "dead_fraction", [SETUP_IMPORTS],
        "def dead_fraction(Z):\n    return float(np.mean(dead_units(Z)))\n",
        other_cell("dead_fraction", "dead_units")),
    "a constant in another cell, as a default": (
        "leaky_relu", [(None, "ALPHA = 0.01\n")],
        "def leaky_relu(z, alpha=ALPHA):\n    return np.where(z > 0, z, alpha * z)\n",
        other_cell("leaky_relu", "ALPHA")),
    "a type from another cell's import, as an annotation": (
        "relu", [(None, "from numpy.typing import ArrayLike\n")],
        "def relu(z: ArrayLike) -> np.ndarray:\n    return np.maximum(z, 0)\n",
        other_cell("relu", "ArrayLike")),
    "two names from other cells, through a helper of its own cell": (
        "hat", [(None, "def ramp(x):\n    return np.maximum(x, 0)\n\nSHIFT = 1.0\n")],
        "def _bump(x):\n    return ramp(x + SHIFT) - 2 * ramp(x) + ramp(x - SHIFT)\n\n\ndef hat(x):\n    return _bump(x)\n",
        other_cell("hat", "ramp", "SHIFT")),
    "the answer key imported in the exercise cell": (
        "relu", [], "from reference.activations import relu as model\n\n\ndef relu(z):\n    return model(z)\n",
        answer_key_message("relu")),
    "the answer key's package used in the exercise cell": (
        "leaky_relu", [], "import reference\n\n\ndef leaky_relu(z, alpha=0.01):\n    return reference.leaky_relu(z, alpha)\n",
        answer_key_message("leaky_relu")),
    "the setup's activations module's function as the answer": (
        "relu", [SETUP_IMPORTS], "relu = activations.relu\n", answer_key_message("relu")),
    "the answer key's function as the answer": (
        "relu", [], "from reference.activations import relu\n", answer_key_message("relu")),
    "he_std from exercise 1, as the notebook allows": (
        "he_normal", [("he_std", "def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / ((1 + alpha**2) * fan_in))\n")],
        "def he_normal(fan_in, fan_out, alpha=0.0, rng=None):\n"
        "    return np.random.default_rng(rng).normal(0.0, he_std(fan_in, alpha), size=(fan_out, fan_in))\n",
        None),
    "the quiz computed with the learner's own relu and relu_grad": (
        "quiz_01", [("relu", "def relu(z):\n    return np.maximum(z, 0)\n"),
                    ("relu_grad", "def relu_grad(z):\n    z = np.asarray(z)\n    return (z > 0).astype(z.dtype)\n")],
        "def quiz_01():\n    return {'q1': float(relu(-2.0)), 'q2': float(relu_grad(0.0)), 'q3': 0.5, 'q4': '(b)',\n"
        "            'q5': float(0.5 + 2 * relu(0.5) + relu(-2.0) - 3 * relu(1.25)), 'q6': 3.3 / 1.45, 'q7': 0.16}\n",
        None),
    "helpers of its own cell, and math.sqrt": (
        "he_std", [], "def _variance(fan_in, alpha):\n    return 2 / ((1 + alpha**2) * fan_in)\n\n\n"
                      "def he_std(fan_in, alpha=0.0):\n    return math.sqrt(_variance(fan_in, alpha))\n", None),
    # What a notebook allows and the grader ran differently (security review: one verdict).
    "IPython's help after the def": (
        "relu", [], "def relu(z):\n    return np.maximum(z, 0)\n\nnp.maximum?\n", None),
    "a shell command's output": (
        "relu", [], "files = !ls\ndef relu(z):\n    return np.maximum(z, 0)\n", None),
    "a line magic before the def": (
        "relu", [], "%precision 3\ndef relu(z):\n    return np.maximum(z, 0)\n", None),
    "matplotlib imported in the exercise cell": (
        "relu", [], "import matplotlib.pyplot as plt\ndef relu(z):\n    return np.maximum(z, 0)\n",
        foreign_import_message(("matplotlib",), "relu")),
    "a module the grader lacks, imported in the function": (
        "leaky_relu", [], "def leaky_relu(z, alpha=0.01):\n    from scipy import special\n"
                          "    import pandas\n    return np.where(z > 0, z, alpha * z)\n",
        foreign_import_message(("scipy", "pandas"), "leaky_relu")),
    "display before the def": (
        "relu", [], "display(\"hi\")\ndef relu(z):\n    return np.maximum(z, 0)\n", None),
    "display in the function": (
        "relu", [], "def relu(z):\n    display(z)\n    return np.maximum(z, 0)\n", None),
    # Security re-attack: a cell magic that runs its body (the grader's stub ran nothing), and
    # imports by call (the notebook had matplotlib, the grader's sandbox does not).
    "%%time above the def": (
        "relu", [], "%%time\ndef relu(z):\n    return np.maximum(z, 0)\n", None),
    "%%capture above the def": (
        "relu", [], "%%capture\ndef relu(z):\n    return np.maximum(z, 0)\n", None),
    "%%time above a def that uses a helper in another cell": (
        "relu", [(None, "def _positive_part(z):\n    return np.maximum(z, 0)\n")],
        "%%time\ndef relu(z):\n    return _positive_part(z)\n", other_cell("relu", "_positive_part")),
    "%%capture above a def that uses a helper in another cell": (
        "relu", [(None, "def _positive_part(z):\n    return np.maximum(z, 0)\n")],
        "%%capture\ndef relu(z):\n    return _positive_part(z)\n", other_cell("relu", "_positive_part")),
    "importlib.import_module of matplotlib": (
        "relu", [], "import importlib\nimportlib.import_module(\"matplotlib\")\ndef relu(z):\n    return np.maximum(z, 0)\n",
        foreign_import_message(("matplotlib",), "relu")),
    "__import__ of matplotlib.pyplot": (
        "relu", [], "__import__(\"matplotlib.pyplot\")\ndef relu(z):\n    return np.maximum(z, 0)\n",
        foreign_import_message(("matplotlib",), "relu")),
    "the __main__ branch": (
        "relu", [], "if __name__ == \"__main__\":\n    def relu(z):\n        return np.maximum(z, 0)\n"
                    "else:\n    def relu(z):\n        return z\n", None),
}


# Answers that the grader's sandbox and a notebook's `check` once read differently (security
# review: one verdict): objects that lie about their value through methods the reading called,
# answers over the wire's limits, errors whose text is the learner's code. Each case:
# (exercise id, the exercise cell); `check` and the grader must give the same score and words.
# (A thread changing the answer after the return is tested in test_check_robustness.py: the
# sandbox allows no threads.)
CAPSTONE = '{"activation": "leaky_relu", "alpha": 0.3, "init": "he", "lr": %s}'
QUIZ_01 = "{'q1': 0.0, 'q2': 0.0, 'q3': 0.5, 'q4': 'b', 'q5': -2.25, 'q6': 2.28, 'q7': %s}"

VALUE_ATTACKS = {
    "a float subclass whose __float__ lies": (
        "capstone", "class F(float):\n    def __float__(self):\n        return 0.05\n\n\n"
                    "def capstone():\n    return " + CAPSTONE % "F(7.0)" + "\n"),
    "an int subclass whose __int__ and __index__ lie": (
        "capstone", "class I(int):\n    def __int__(self):\n        return 0\n\n    def __index__(self):\n"
                    "        return 0\n\n\ndef capstone():\n    return " + CAPSTONE.replace("0.3", "I(5)") % "0.05" + "\n"),
    "a str subclass whose __str__ lies": (
        "capstone", "class S(str):\n    def __str__(self):\n        return 'leaky_relu'\n\n\n"
                    "def capstone():\n    return " + CAPSTONE.replace('"leaky_relu"', "S('garbage')") % "0.05" + "\n"),
    "a str subclass key whose __str__ is lr": (
        "capstone", "class K(str):\n    def __str__(self):\n        return 'lr'\n\n    def __repr__(self):\n"
                    "        return \"'lr'\"\n\n\ndef capstone():\n    answer = " + CAPSTONE % "7.0" + "\n"
                    "    answer[K('x')] = 0.05\n    return answer\n"),
    "an np.float64 subclass whose item lies": (
        "capstone", "class G(np.float64):\n    def item(self, *args):\n        return 0.05\n\n\n"
                    "def capstone():\n    return " + CAPSTONE % "G(7.0)" + "\n"),
    "a float given as a string over MAX_TEXT, cut to 0.16": (
        "quiz_01", "def quiz_01():\n    return " + QUIZ_01 % "'0.16' + '0' * 9996 + 'x'" + "\n"),
    "a float given as a string over MAX_TEXT that is 0.16 whole": (
        "quiz_01", "def quiz_01():\n    return " + QUIZ_01 % "'16' + '0' * 9998 + 'e-10002'" + "\n"),
    "a dict over MAX_ITEMS": (
        "capstone", "def capstone():\n    answer = {f'k{i}': 0 for i in range(10_001)}\n"
                    "    answer.update(" + CAPSTONE % "0.05" + ")\n    return answer\n"),
    "a list nested deeper than MAX_DEPTH": (
        "relu", "def relu(z):\n    answer = np.maximum(z, 0)\n    for _ in range(25):\n"
                "        answer = [answer]\n    return answer\n"),
    "an int too long to print": (
        "capstone", "def capstone():\n    return " + CAPSTONE % "10 ** 5000" + "\n"),
    "an int too long to print, as a quiz answer": (
        "quiz_01", "def quiz_01():\n    return " + QUIZ_01 % "-(10 ** 4300)" + "\n"),
    "an error whose __str__ raises": (
        "capstone", "class Oops(Exception):\n    def __str__(self):\n        raise RuntimeError('no text')\n\n\n"
                    "def capstone():\n    raise Oops()\n"),
    "an error whose __str__ never ends": (
        "capstone", "class Oops(Exception):\n    def __str__(self):\n        while True:\n            pass\n\n\n"
                    "def capstone():\n    raise Oops()\n"),
    "an error whose __str__ raises SystemExit": (
        "relu", "class Oops(Exception):\n    def __str__(self):\n        raise SystemExit(1)\n\n\n"
                "def relu(z):\n    raise Oops()\n"),
    "an exit code whose __str__ raises": (
        "relu", "class Code:\n    def __str__(self):\n        raise RuntimeError('no text')\n\n\n"
                "def relu(z):\n    raise SystemExit(Code())\n"),
    "an error that is not an Exception": (
        "relu", "def relu(z):\n    raise GeneratorExit('stop')\n"),
    "a warning whose text never ends the second time": (
        "relu", "import warnings\n\n\nclass Slow(UserWarning):\n    said = False\n\n    def __str__(self):\n"
                "        while Slow.said:\n            pass\n        Slow.said = True\n        return 'slow'\n\n\n"
                "def relu(z):\n    Slow.said = False\n    warnings.warn(Slow())\n    return np.maximum(z, 0)\n"),
    "an ndarray subclass whose methods lie": (
        "relu", "class Lies(np.ndarray):\n    def view(self, *args, **kwargs):\n        return np.zeros(3)\n\n"
                "    def __array__(self, *args, **kwargs):\n        return np.zeros(3)\n\n\n"
                "def relu(z):\n    return np.maximum(z, 0).view(Lies)\n"),
    "a float32 answer in Fortran order": (
        "relu", "def relu(z):\n    return np.asfortranarray(np.maximum(z, 0).astype(np.float32))\n"),
    "an np.int64 subclass whose __int__ and __index__ lie": (
        "capstone", "class J(np.int64):\n    def __int__(self):\n        return 0\n\n    def __index__(self):\n"
                    "        return 0\n\n\ndef capstone():\n    return " + CAPSTONE.replace("0.3", "J(5)") % "0.05" + "\n"),
    "an np.str_ subclass whose __str__ lies": (
        "capstone", "class T(np.str_):\n    def __str__(self):\n        return 'leaky_relu'\n\n\n"
                    "def capstone():\n    return " + CAPSTONE.replace('"leaky_relu"', "T('garbage')") % "0.05" + "\n"),
    "an np.bytes_ subclass whose __bytes__ lies": (
        "relu", "class Y(np.bytes_):\n    def __bytes__(self):\n        return b'0'\n\n\n"
                "def relu(z):\n    return Y(b'1')\n"),
    "a metaclass that claims to be a number": (
        "relu", "import numbers\n\n\nclass Claims(type):\n    def __subclasscheck__(cls, other):\n"
                "        return other is not numbers.Number\n\n    def __instancecheck__(cls, other):\n"
                "        return True\n\n\nclass R(metaclass=Claims):\n    pass\n\n\n"
                "numbers.Number.register(R)\n\n\ndef relu(z):\n    return R()\n"),
    "NaN dict keys, each its own object": (
        "relu", "def relu(z):\n    return {float('nan'): 1, float('nan'): 2, np.float64('nan'): 3}\n"),
    "a KeyboardInterrupt raised by the code itself": (
        "relu", "def relu(z):\n    raise KeyboardInterrupt\n"),
    "an array bigger than the grader reads": (
        "relu", "def relu(z):\n    return np.zeros(7_000_000)\n"),
}
