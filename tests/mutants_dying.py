"""Mutant catalogue of notebook 03's exercise relu_weight_grad (merged into mutants.CATALOGUE).

(dead_fraction's catalogue lives in mutants.py.)
"""

WEIGHT_GRAD_CORRECT = {
    "(dA * (Z > 0)).T @ X": "def relu_weight_grad(X, Z, dA):\n    return (dA * (Z > 0)).T @ X\n",
    "np.where": "def relu_weight_grad(X, Z, dA):\n    return np.where(Z > 0, dA, 0.0).T @ X\n",
    "transpose of X.T @ dZ": "def relu_weight_grad(X, Z, dA):\n    dZ = dA * (Z > 0)\n    return (X.T @ dZ).T\n",
    "einsum": "def relu_weight_grad(X, Z, dA):\n    return np.einsum('nu,ni->ui', dA * (Z > 0), X)\n",
    "heaviside": "def relu_weight_grad(X, Z, dA):\n    return (dA * np.heaviside(Z, 0)).T @ X\n",
    "sum of outer products": (
        "def relu_weight_grad(X, Z, dA):\n"
        "    dW = np.zeros((Z.shape[1], X.shape[1]))\n"
        "    for x, z, da in zip(X, Z, dA):\n"
        "        dW += np.outer(da * (z > 0), x)\n"
        "    return dW\n"),
    "copy then zero": (
        "def relu_weight_grad(X, Z, dA):\n"
        "    dZ = np.array(dA, dtype=float)\n"
        "    dZ[Z <= 0] = 0\n"
        "    return np.dot(dZ.T, X)\n"),
}


def _source(body: str) -> str:
    return f"def relu_weight_grad(X, Z, dA):\n    {body}\n"


WEIGHT_GRAD_MUTANTS = {
    "no derivative": (_source("return dA.T @ X"), "ReLU's derivative left out"),
    "Z >= 0": (_source("return (dA * (Z >= 0)).T @ X"), "slope 1 at z = 0"),
    "heaviside 0.5": (_source("return (dA * np.heaviside(Z, 0.5)).T @ X"), "slope 1/2 at z = 0"),
    "relu(Z) as the derivative": (_source("return (dA * np.maximum(Z, 0)).T @ X"),
                                  "the activation instead of its derivative"),
    "mask from dA": (_source("return (dA * (dA > 0)).T @ X"), "masked by the sign of dA"),
    "leaky": (_source("return (dA * np.where(Z > 0, 1.0, 0.01)).T @ X"), "Leaky ReLU's derivative"),
    "transposed": (_source("return X.T @ (dA * (Z > 0))"), "transposed: shape (n_inputs, n_units)"),
    "mean over samples": (_source("return (dA * (Z > 0)).T @ X / len(X)"), "averaged over the samples"),
    "sign flipped": (_source("return -(dA * (Z > 0)).T @ X"), "sign flipped"),
    "dZ only": (_source("return dA * (Z > 0)"), "dL/dZ instead of dL/dW"),
    "bias gradient": (_source("return (dA * (Z > 0)).sum(axis=0)"), "dL/db instead of dL/dW"),
    "output instead of input": (_source("return (dA * (Z > 0)).T @ np.maximum(Z, 0)"),
                                "the layer's output instead of its input"),
    "wrong order": (_source("return (dA * (Z > 0)) @ X"), "matrix product in the wrong order"),
    "in place": (_source("dA *= (Z > 0)\n    return dA.T @ X"), "modifies its input"),
    "returns None": (_source("dW = (dA * (Z > 0)).T @ X"), None),
}

CATALOGUE = {"relu_weight_grad": (WEIGHT_GRAD_CORRECT, WEIGHT_GRAD_MUTANTS)}
