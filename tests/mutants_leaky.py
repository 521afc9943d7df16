"""Mutant catalogue of notebook 04's PReLU exercise (merged into ``mutants.CATALOGUE``)."""

PRELU_ALPHA_GRAD_CORRECT = {
    "sum of upstream * min(z, 0)": "def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * np.minimum(z, 0))\n",
    "np.where": "def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * np.where(z > 0, 0.0, z))\n",
    "boolean mask": "def prelu_alpha_grad(upstream, z):\n    neg = z <= 0\n    return np.sum(upstream[neg] * z[neg])\n",
    "mask arithmetic, z < 0": "def prelu_alpha_grad(upstream, z):\n    return (upstream * z * (z < 0)).sum()\n",
    "np.vdot": "def prelu_alpha_grad(upstream, z):\n    return np.vdot(upstream, np.minimum(z, 0))\n",
    "flattened dot, float": "def prelu_alpha_grad(upstream, z):\n    return float(np.dot(upstream.ravel(), np.minimum(z, 0).ravel()))\n",
    "finite differences": (
        "def prelu_alpha_grad(upstream, z, h=1e-6):\n"
        "    def loss(a):\n"
        "        return np.sum(upstream * np.where(z > 0, z, a * z))\n"
        "    return (loss(0.5 + h) - loss(0.5 - h)) / (2 * h)\n"),
}

PRELU_ALPHA_GRAD_MUTANTS = {
    "not summed": ("def prelu_alpha_grad(upstream, z):\n    return upstream * np.minimum(z, 0)\n", "not summed"),
    "axis=0": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * np.minimum(z, 0), axis=0)\n",
               "one alpha per unit"),
    "upstream ignored": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(np.minimum(z, 0))\n", "upstream ignored"),
    "every z": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * z)\n", "every z, not only z <= 0"),
    "positive side": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * np.maximum(z, 0))\n",
                      "the positive side"),
    "indicator": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * (z <= 0))\n", "indicator instead of z"),
    "mean": ("def prelu_alpha_grad(upstream, z):\n    return np.mean(upstream * np.minimum(z, 0))\n", "mean instead of sum"),
    "sign flipped": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * np.abs(np.minimum(z, 0)))\n",
                     "sign flipped"),
    "product of sums": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream) * np.sum(np.minimum(z, 0))\n",
                        "product of sums"),
    "np.dot": ("def prelu_alpha_grad(upstream, z):\n    return np.dot(upstream, np.minimum(z, 0))\n", "matrix product"),
    "python min": ("def prelu_alpha_grad(upstream, z):\n    return np.sum(upstream * min(z, 0))\n",
                   "works only on single numbers"),
    "in place": ("def prelu_alpha_grad(upstream, z):\n    z[z > 0] = 0\n    return np.sum(upstream * z)\n",
                 "modifies its input"),
    "returns None": ("def prelu_alpha_grad(upstream, z):\n    np.sum(upstream * np.minimum(z, 0))\n", None),
    "list": ("def prelu_alpha_grad(upstream, z):\n    return [np.sum(upstream * np.minimum(z, 0))]\n", None),
}

CATALOGUE = {"prelu_alpha_grad": (PRELU_ALPHA_GRAD_CORRECT, PRELU_ALPHA_GRAD_MUTANTS)}
