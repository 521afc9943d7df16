"""The catalogue of known-wrong implementations (mutants) and textbook-correct alternatives.

Each mutant is (source code, the name of the Mistake the check must diagnose), keyed by a short
description. Later topics keep their catalogue in a module of their own, ``mutants_<topic>.py``
with a ``CATALOGUE`` dict of the same shape, merged in at the end of this file.
``None`` as the diagnosis means: must fail, with any message. The same catalogue serves the
grader's tests, which write these functions into submitted notebooks as source code, and the
parity test, which runs them in a real kernel (tests/test_check_parity.py).
"""

import importlib
import itertools
import linecache
import math
import re
from pathlib import Path

import numpy as np

from reference import he_std

# ----------------------------------------------------------------------------- relu

RELU_CORRECT = {
    "np.maximum(z, 0)": "def relu(z):\n    return np.maximum(z, 0)\n",
    "np.maximum(0, z)": "def relu(z):\n    return np.maximum(0, z)\n",
    "np.where(z > 0, z, 0)": "def relu(z):\n    return np.where(z > 0, z, 0)\n",
    "np.clip(z, 0, None)": "def relu(z):\n    return np.clip(z, 0, None)\n",
    "copy then zero": "def relu(z):\n    out = np.array(z, copy=True)\n    out[out < 0] = 0\n    return out\n",
    "helper in the same cell": ("def _positive_part(z):\n    return np.maximum(z, 0)\n\n\n"
                                "def relu(z):\n    return _positive_part(z)\n"),
    "np.maximum(z, 0.0)": "def relu(z):\n    return np.maximum(z, 0.0)\n",
}

RELU_MUTANTS = {
    "np.max(z, 0)": ("def relu(z):\n    return np.max(z, 0)\n", "np.max instead of np.maximum"),
    "Python max": ("def relu(z):\n    return max(0, z)\n", "works only on single numbers"),
    "if z > 0": ("def relu(z):\n    if z > 0:\n        return z\n    return 0 * z\n",
                 "works only on single numbers"),
    "list comprehension": ("def relu(z):\n    return np.array([max(0.0, v) for v in z])\n",
                           "works only on one shape"),
    "leaky": ("def relu(z):\n    return np.where(z > 0, z, 0.01 * z)\n", "Leaky ReLU instead of ReLU"),
    "minimum": ("def relu(z):\n    return np.minimum(z, 0)\n", "minimum instead of maximum"),
    "identity": ("def relu(z):\n    return z\n", "identity"),
    "abs": ("def relu(z):\n    return np.abs(z)\n", "absolute value"),
    "derivative": ("def relu(z):\n    return (z > 0).astype(float)\n",
                   "derivative instead of the function"),
    "negated": ("def relu(z):\n    return np.maximum(-z, 0)\n", "negated"),
    "integers": ("def relu(z):\n    return np.maximum(z, 0).astype(int)\n", "integer output"),
    "in place": ("def relu(z):\n    z[z < 0] = 0\n    return z\n", "modifies its input"),
    "in place with out=z": ("def relu(z):\n    return np.maximum(z, 0, out=z)\n", "modifies its input"),
    "float64 always": ("def relu(z):\n    return np.maximum(np.asarray(z, dtype=np.float64), 0)\n",
                       "another float dtype than its input's"),
    "z * (z > 0): NaN at -inf": ("def relu(z):\n    return z * (z > 0)\n", "NaN from an infinite input"),
    "(z + abs(z)) / 2: NaN at -inf": ("def relu(z):\n    return (z + abs(z)) / 2\n", "NaN from an infinite input"),
    "z.copy() on a NumPy scalar": ("def relu(z):\n    out = z.copy()\n    out[out < 0] = 0\n    return out\n",
                                   "assigns into its input"),
    "returns a list": ("def relu(z):\n    return np.maximum(z, 0).tolist()\n", None),
    "forgot return": ("def relu(z):\n    np.maximum(z, 0)\n", None),
}

# ----------------------------------------------------------------------------- relu_grad

RELU_GRAD_CORRECT = {
    "(z > 0).astype(float)": "def relu_grad(z):\n    return (z > 0).astype(float)\n",
    "np.heaviside(z, 0)": "def relu_grad(z):\n    return np.heaviside(z, 0)\n",
    "np.where(z > 0, 1.0, 0.0)": "def relu_grad(z):\n    return np.where(z > 0, 1.0, 0.0)\n",
    "boolean mask": "def relu_grad(z):\n    return z > 0\n",
    "integer mask": "def relu_grad(z):\n    return (z > 0).astype(int)\n",
    "keeps dtype": "def relu_grad(z):\n    z = np.asarray(z)\n    return (z > 0).astype(z.dtype)\n",
}

RELU_GRAD_MUTANTS = {
    "z >= 0": ("def relu_grad(z):\n    return (z >= 0).astype(float)\n", "slope 1 at z = 0"),
    "heaviside 0.5": ("def relu_grad(z):\n    return np.heaviside(z, 0.5)\n", "slope 1/2 at z = 0"),
    "central difference": ("def relu_grad(z, h=1e-6):\n    return (np.maximum(z + h, 0) - np.maximum(z - h, 0)) / (2 * h)\n",
                           "a numerical derivative"),
    "relu itself": ("def relu_grad(z):\n    return np.maximum(z, 0)\n",
                    "the function instead of its derivative"),
    "inverted": ("def relu_grad(z):\n    return (z <= 0).astype(float)\n", "mask inverted"),
    "leaky grad": ("def relu_grad(z):\n    return np.where(z > 0, 1.0, 0.01)\n", "Leaky ReLU's derivative"),
    "sign": ("def relu_grad(z):\n    return np.sign(z)\n", "sign of z"),
    "ones": ("def relu_grad(z):\n    return np.ones_like(z)\n", "always one"),
    "scalar if": ("def relu_grad(z):\n    return 1.0 if z > 0 else 0.0\n", "works only on single numbers"),
    "in place": ("def relu_grad(z):\n    z[:] = z > 0\n    return z\n", "modifies its input"),
    "float32 zeros": ("def relu_grad(z):\n    return np.zeros(np.shape(z), dtype=np.float32)\n", "always zero"),
    "returns None": ("def relu_grad(z):\n    pass\n", None),
}

# ----------------------------------------------------------------------------- leaky_relu

LEAKY_CORRECT = {
    "np.where": "def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, z, alpha * z)\n",
    "relu + alpha * min": "def leaky_relu(z, alpha=0.01):\n    return np.maximum(z, 0) + alpha * np.minimum(z, 0)\n",
    "np.where on an array": "def leaky_relu(z, alpha=0.01):\n    z = np.asarray(z)\n    return np.where(z > 0, z, alpha * z)\n",
}

LEAKY_MUTANTS = {
    "max form": ("def leaky_relu(z, alpha=0.01):\n    return np.maximum(alpha * z, z)\n",
                 "max(alpha * z, z) with alpha > 1"),
    "hard-coded alpha": ("def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, z, 0.01 * z)\n",
                         "alpha ignored"),
    "wrong default": ("def leaky_relu(z, alpha=0.1):\n    return np.where(z > 0, z, alpha * z)\n",
                      "wrong default alpha in leaky_relu"),
    "relu": ("def leaky_relu(z, alpha=0.01):\n    return np.maximum(z, 0)\n", "ReLU instead of Leaky ReLU"),
    "wrong side": ("def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, alpha * z, z)\n",
                   "slope on the wrong side"),
    "constant alpha": ("def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, z, alpha)\n",
                       "alpha instead of alpha * z"),
    "sign flipped": ("def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, z, -alpha * z)\n",
                     "sign flipped"),
    "derivative": ("def leaky_relu(z, alpha=0.01):\n    return np.where(z > 0, 1.0, alpha)\n",
                   "derivative instead of the function"),
    "scalar if": ("def leaky_relu(z, alpha=0.01):\n    return z if z > 0 else alpha * z\n",
                  "works only on single numbers"),
    "in place": ("def leaky_relu(z, alpha=0.01):\n    z[z < 0] *= alpha\n    return z\n", "modifies its input"),
    "float64 for float32 input": ("def leaky_relu(z, alpha=0.01):\n    z = np.asarray(z, dtype=np.float64)\n"
                                  "    return np.where(z > 0, z, alpha * z)\n", "another float dtype than its input's"),
    "mask arithmetic: NaN at inf": ("def leaky_relu(z, alpha=0.01):\n    return z * (z > 0) + alpha * z * (z <= 0)\n",
                                    "NaN from an infinite input"),
    "no alpha parameter": ("def leaky_relu(z):\n    return np.where(z > 0, z, 0.01 * z)\n", None),
}

# ----------------------------------------------------------------------------- leaky_relu_grad

LEAKY_GRAD_CORRECT = {
    "np.where": "def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, 1.0, alpha)\n",
    "mask arithmetic": "def leaky_relu_grad(z, alpha=0.01):\n    return (z > 0) + alpha * (z <= 0)\n",
}

LEAKY_GRAD_MUTANTS = {
    "z >= 0": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z >= 0, 1.0, alpha)\n",
               "slope 1 at z = 0"),
    "relu grad": ("def leaky_relu_grad(z, alpha=0.01):\n    return (z > 0).astype(float)\n",
                  "ReLU's derivative"),
    "hard-coded alpha": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, 1.0, 0.01)\n",
                         "alpha ignored"),
    "wrong default": ("def leaky_relu_grad(z, alpha=0.2):\n    return np.where(z > 0, 1.0, alpha)\n",
                      "wrong default alpha in leaky_relu_grad"),
    "function": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, z, alpha * z)\n",
                 "the function instead of its derivative"),
    "alpha * z": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, 1.0, alpha * z)\n",
                  "alpha * z instead of alpha"),
    "max form": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(alpha * z > z, alpha, 1.0)\n",
                 "derivative of max(alpha * z, z)"),
    "average at 0": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, 1.0, np.where(z < 0, alpha, (1 + alpha) / 2))\n",
                     "slope (1 + alpha) / 2 at z = 0"),
    "negative slope": ("def leaky_relu_grad(z, alpha=0.01):\n    return np.where(z > 0, 1.0, -alpha)\n",
                       "negative slope"),
    "scalar if": ("def leaky_relu_grad(z, alpha=0.01):\n    return 1.0 if z > 0 else alpha\n",
                  "works only on single numbers"),
}

# ----------------------------------------------------------------------------- dead_fraction

DEAD_CORRECT = {
    "mean of all(axis=0)": "def dead_fraction(Z):\n    return np.mean(np.all(Z <= 0, axis=0))\n",
    "not any positive": "def dead_fraction(Z):\n    return float(np.mean(~np.any(Z > 0, axis=0)))\n",
    "max of each column": "def dead_fraction(Z):\n    return np.mean(Z.max(axis=0) <= 0)\n",
    "count / units": "def dead_fraction(Z):\n    Z = np.asarray(Z)\n    return np.sum(np.all(Z <= 0, axis=0)) / Z.shape[1]\n",
}

DEAD_MUTANTS = {
    "entries": ("def dead_fraction(Z):\n    return np.mean(Z <= 0)\n",
                "zero activations counted instead of dead units"),
    "relu zeros": ("def dead_fraction(Z):\n    return np.mean(np.maximum(Z, 0) == 0)\n",
                   "zero activations counted instead of dead units"),
    "axis 1": ("def dead_fraction(Z):\n    return np.mean(np.all(Z <= 0, axis=1))\n", "wrong axis"),
    "strict": ("def dead_fraction(Z):\n    return np.mean(np.all(Z < 0, axis=0))\n", "< instead of <="),
    "over samples": ("def dead_fraction(Z):\n    return np.sum(np.all(Z <= 0, axis=0)) / Z.shape[0]\n",
                     "divided by the number of samples"),
    "over len(Z)": ("def dead_fraction(Z):\n    return np.sum(np.all(Z <= 0, axis=0)) / len(Z)\n",
                    "divided by the number of samples"),
    "count": ("def dead_fraction(Z):\n    return np.sum(np.all(Z <= 0, axis=0))\n",
              "a count instead of a fraction"),
    "alive": ("def dead_fraction(Z):\n    return np.mean(np.any(Z > 0, axis=0))\n", "the alive fraction"),
    "any": ("def dead_fraction(Z):\n    return np.mean(np.any(Z <= 0, axis=0))\n", "any instead of all"),
    "majority": ("def dead_fraction(Z):\n    return np.mean(np.mean(Z <= 0, axis=0) > 0.5)\n",
                 "mostly off counted as dead"),
    "mask": ("def dead_fraction(Z):\n    return np.all(Z <= 0, axis=0)\n", "the mask instead of the fraction"),
    "whole layer": ("def dead_fraction(Z):\n    return float(np.all(Z <= 0))\n", "the whole layer dead or not"),
}

# ----------------------------------------------------------------------------- he_std

HE_STD_CORRECT = {
    "math.sqrt": "def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / ((1 + alpha**2) * fan_in))\n",
    "np.sqrt": "def he_std(fan_in, alpha=0.0):\n    return np.sqrt(2.0 / (1 + alpha * alpha) / fan_in)\n",
    "gain / sqrt": "def he_std(fan_in, alpha=0.0):\n    gain = math.sqrt(2 / (1 + alpha**2))\n    return gain / math.sqrt(fan_in)\n",
}

HE_STD_MUTANTS = {
    "variance": ("def he_std(fan_in, alpha=0.0):\n    return 2 / ((1 + alpha**2) * fan_in)\n",
                 "variance instead of std"),
    "lecun": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(1 / fan_in)\n", "LeCun's sqrt(1 / fan_in)"),
    "alpha ignored": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / fan_in)\n", "alpha ignored"),
    "alpha not squared": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / ((1 + alpha) * fan_in))\n",
                          "alpha not squared"),
    "sqrt(2)/n": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / (1 + alpha**2)) / fan_in\n",
                  "sqrt(2) / fan_in"),
    "upside down": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 * (1 + alpha**2) / fan_in)\n",
                    "correction upside down"),
    "outside sqrt": ("def he_std(fan_in, alpha=0.0):\n    return math.sqrt(2 / fan_in) / (1 + alpha**2)\n",
                     "correction outside the square root"),
    "wrong default": ("def he_std(fan_in, alpha=0.01):\n    return math.sqrt(2 / ((1 + alpha**2) * fan_in))\n",
                      "wrong default alpha in he_std"),
}

# ----------------------------------------------------------------------------- he_normal

HE_NORMAL_CORRECT = {
    "rng.normal": ("def he_normal(fan_in, fan_out, alpha=0.0, rng=None):\n"
                   "    rng = np.random.default_rng(rng)\n"
                   "    return rng.normal(0.0, np.sqrt(2 / ((1 + alpha**2) * fan_in)), size=(fan_out, fan_in))\n"),
    "standard_normal * std": ("def he_normal(fan_in, fan_out, alpha=0.0, rng=None):\n"
                              "    rng = np.random.default_rng(rng)\n"
                              "    std = math.sqrt(2 / ((1 + alpha**2) * fan_in))\n"
                              "    return std * rng.standard_normal((fan_out, fan_in))\n"),
}


def _he_normal_source(body: str) -> str:
    return ("def he_normal(fan_in, fan_out, alpha=0.0, rng=None):\n"
            "    std = math.sqrt(2 / ((1 + alpha**2) * fan_in))\n"
            f"    {body}\n")


HE_NORMAL_MUTANTS = {
    "transposed": (_he_normal_source("return np.random.default_rng(rng).normal(0, std, (fan_in, fan_out))"),
                   "transposed shape"),
    "variance as std": (_he_normal_source("return np.random.default_rng(rng).normal(0, std**2, (fan_out, fan_in))"),
                        "variance instead of std"),
    "lecun": (_he_normal_source("return np.random.default_rng(rng).normal(0, math.sqrt(1 / fan_in), (fan_out, fan_in))"),
              "LeCun's sqrt(1 / fan_in)"),
    "fan_out": (_he_normal_source("return np.random.default_rng(rng).normal(0, math.sqrt(2 / ((1 + alpha**2) * fan_out)), (fan_out, fan_in))"),
                "fan_out instead of fan_in"),
    "alpha ignored": (_he_normal_source("return np.random.default_rng(rng).normal(0, math.sqrt(2 / fan_in), (fan_out, fan_in))"),
                      "alpha ignored"),
    "uniform": (_he_normal_source("return np.random.default_rng(rng).uniform(-math.sqrt(3) * std, math.sqrt(3) * std, (fan_out, fan_in))"),
                "uniform instead of normal"),
    "global rng": (_he_normal_source("return np.random.normal(0, std, (fan_out, fan_in))"),
                   "NumPy's global random state instead of rng"),
    "fresh rng": (_he_normal_source("return np.random.default_rng().normal(0, std, (fan_out, fan_in))"),
                  "rng ignored"),
    "fixed seed": (_he_normal_source("return np.random.default_rng(0).normal(0, std, (fan_out, fan_in))"),
                   "fixed seed instead of rng"),
    "zeros of the right shape": (_he_normal_source("return np.zeros((fan_out, fan_in))"), None),
    "not centred": (_he_normal_source("return np.random.default_rng(rng).normal(std, std, (fan_out, fan_in))"),
                    None),
    "returns the std": (_he_normal_source("return std"), None),
    # redraws every weight beyond 2 std, without Keras' 1/0.8796 correction: std 0.88 of He's. On
    # the alpha = 0.5 input 0.88 He's std is within 2 % of the fan_out mistake's: the diagnosis
    # must be the one formula that explains both inputs, not that coincidence.
    "truncated normal": (_he_normal_source(
        "rng = np.random.default_rng(rng)\n"
        "    W = rng.normal(0, std, (fan_out, fan_in))\n"
        "    while np.any(np.abs(W) > 2 * std):\n"
        "        cut = np.abs(W) > 2 * std\n"
        "        W[cut] = rng.normal(0, std, cut.sum())\n"
        "    return W"), "truncated normal, std not corrected"),
    "truncated normal, std corrected (Keras)": (_he_normal_source(
        "rng = np.random.default_rng(rng)\n"
        "    s = std / 0.87962566103423978\n"
        "    W = rng.normal(0, s, (fan_out, fan_in))\n"
        "    while np.any(np.abs(W) > 2 * s):\n"
        "        cut = np.abs(W) > 2 * s\n"
        "        W[cut] = rng.normal(0, s, cut.sum())\n"
        "    return W"), "truncated normal"),
    "fan_out on the Leaky ReLU input only": (_he_normal_source(
        "return np.random.default_rng(rng).normal(0, math.sqrt(2 / ((1 + alpha**2) * (fan_out if alpha else fan_in))), (fan_out, fan_in))"),
        None),
}

CATALOGUE = {
    "relu": (RELU_CORRECT, RELU_MUTANTS),
    "relu_grad": (RELU_GRAD_CORRECT, RELU_GRAD_MUTANTS),
    "leaky_relu": (LEAKY_CORRECT, LEAKY_MUTANTS),
    "leaky_relu_grad": (LEAKY_GRAD_CORRECT, LEAKY_GRAD_MUTANTS),
    "dead_fraction": (DEAD_CORRECT, DEAD_MUTANTS),
    "he_std": (HE_STD_CORRECT, HE_STD_MUTANTS),
    "he_normal": (HE_NORMAL_CORRECT, HE_NORMAL_MUTANTS),
}


_cells = itertools.count()


def define(source: str, name: str | None = None, namespace: dict | None = None):
    """The function ``name`` (by default the last one) a source string defines, with numpy and
    math available as in a notebook. Like IPython, the source is compiled under a file name of
    its own and kept in ``linecache``, so that ``check`` can read the cell that defined it."""
    filename = f"<catalogue cell {next(_cells)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace = {"np": np, "math": math, "he_std": he_std} if namespace is None else namespace
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own catalogue
    return namespace[name or re.findall(r"^def (\w+)\(", source, flags=re.MULTILINE)[-1]]

# ----------------------------------------------------------------------------- hat

HAT_CORRECT = {
    "three relus": "def hat(x):\n    return np.maximum(x + 1, 0) - 2 * np.maximum(x, 0) + np.maximum(x - 1, 0)\n",
    "relu of 1 - |x|": "def hat(x):\n    return np.maximum(1 - np.abs(x), 0)\n",
    "clip": "def hat(x):\n    return np.clip(1 - np.abs(x), 0, None)\n",
}

HAT_MUTANTS = {
    "missing 2": ("def hat(x):\n    return np.maximum(x + 1, 0) - np.maximum(x, 0) + np.maximum(x - 1, 0)\n",
                  "missing factor 2"),
    "last subtracted": ("def hat(x):\n    return np.maximum(x + 1, 0) - 2 * np.maximum(x, 0) - np.maximum(x - 1, 0)\n",
                        "last term subtracted"),
    "last missing": ("def hat(x):\n    return np.maximum(x + 1, 0) - 2 * np.maximum(x, 0)\n", "last term missing"),
    "shifted": ("def hat(x):\n    return np.maximum(x, 0) - 2 * np.maximum(x - 1, 0) + np.maximum(x - 2, 0)\n",
                "shifted by one"),
    "unclipped": ("def hat(x):\n    return 1 - np.abs(x)\n", "1 - |x| not clipped"),
    "box": ("def hat(x):\n    return (np.abs(x) < 1).astype(float)\n", "a box, not a hat"),
    "twice": ("def hat(x):\n    return 2 * np.maximum(1 - np.abs(x), 0)\n", "twice as tall"),
    "relu of sum": ("def hat(x):\n    return np.maximum((x + 1) - 2 * x + (x - 1), 0)\n", "ReLU of the sum"),
    "scalar if": ("def hat(x):\n    return 1 - abs(x) if abs(x) < 1 else 0.0\n", "works only on single numbers"),
    "returns 0.0": ("def hat(x):\n    return 0.0\n", None),
}

# ----------------------------------------------------------------------------- sigmoid_grad

SIGMOID_GRAD_CORRECT = {
    "s (1 - s)": "def sigmoid_grad(z):\n    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)\n",
    "tanh form": "def sigmoid_grad(z):\n    s = 0.5 * (1 + np.tanh(z / 2))\n    return s * (1 - s)\n",
    "e^-z / (1 + e^-z)^2": "def sigmoid_grad(z):\n    e = np.exp(-z)\n    return e / (1 + e) ** 2\n",
    "float64 throughout": ("def sigmoid_grad(z):\n    z = np.asarray(z, dtype=float)\n"
                           "    s = 1 / (1 + np.exp(-z))\n    return s * (1 - s)\n"),
}

SIGMOID_GRAD_MUTANTS = {
    "z(1-z)": ("def sigmoid_grad(z):\n    return z * (1 - z)\n", "z (1 - z) instead of s (1 - s)"),
    "sigmoid": ("def sigmoid_grad(z):\n    return 1 / (1 + np.exp(-z))\n", "the sigmoid itself"),
    "tanh grad": ("def sigmoid_grad(z):\n    return 1 - np.tanh(z) ** 2\n", "tanh's derivative"),
    "s(1+s)": ("def sigmoid_grad(z):\n    s = 1 / (1 + np.exp(-z))\n    return s * (1 + s)\n", "s (1 + s)"),
    "negative": ("def sigmoid_grad(z):\n    s = 1 / (1 + np.exp(-z))\n    return -s * (1 - s)\n", "sign flipped"),
    "unsquared": ("def sigmoid_grad(z):\n    return np.exp(-z) / (1 + np.exp(-z))\n", "1 - s"),
    "1 - s^2": ("def sigmoid_grad(z):\n    s = 1 / (1 + np.exp(-z))\n    return 1 - s ** 2\n", "1 - s^2"),
    "relu grad": ("def sigmoid_grad(z):\n    return (z > 0).astype(float)\n", "ReLU's derivative"),
    "quarter": ("def sigmoid_grad(z):\n    return np.full(np.shape(z), 0.25)\n", "the maximum 1/4 everywhere"),
    "math.exp": ("def sigmoid_grad(z):\n    s = 1 / (1 + math.exp(-z))\n    return s * (1 - s)\n",
                 "a one-number function on an array"),
}

# The exact message some diagnoses must give (beyond the mistake's name), by (exercise, mutant).
MESSAGES = {
    ("sigmoid_grad", "math.exp"): "math.exp takes one number; use np.exp",
}

CATALOGUE.update({
    "hat": (HAT_CORRECT, HAT_MUTANTS),
    "sigmoid_grad": (SIGMOID_GRAD_CORRECT, SIGMOID_GRAD_MUTANTS),
})

for _path in sorted(Path(__file__).parent.glob("mutants_*.py")):
    CATALOGUE.update(importlib.import_module(_path.stem).CATALOGUE)
