"""Mutant catalogue of the capstone: several right configurations, and wrong ones."""


def _config(activation="relu", alpha=0.0, init="he", lr=0.3) -> str:
    return ("def capstone():\n    return " + repr({"activation": activation, "alpha": alpha,
                                                   "init": init, "lr": lr}) + "\n")


CATALOGUE = {"capstone": (
    {
        "ReLU, lower learning rate": _config(lr=0.3),
        "ReLU, lr 0.1": _config(lr=0.1),
        "Leaky ReLU 0.1, lr 0.5": _config("leaky_relu", 0.1, lr=0.5),
        "Leaky ReLU 0.2 at a moderately high rate, 1": _config("leaky_relu", 0.2, lr=1.0),
        "tanh with He at lr 2 (no inactive units counted)": _config("tanh", 0.0, "he", 2.0),
        "tanh with Xavier": _config("tanh", 0.0, "xavier", 0.5),
    },
    {
        "the baseline": (_config(lr=2.0), "the dying baseline"),
        "ReLU at lr 1": (_config(lr=1.0), "units still die"),
        "Leaky ReLU at lr 2": (_config("leaky_relu", 0.1, lr=2.0), "training diverged"),
        "Leaky ReLU 0.1 at lr 1 (10.4 % inactive)": (_config("leaky_relu", 0.1, lr=1.0), "units still die"),
        "PReLU at lr 0.3 diverges": (_config("prelu", 0.25, lr=0.3), "training diverged"),
        "large init, ReLU": (_config(init="large"), "weights too large"),
        "large init, lower rate": (_config(init="large", lr=0.05), "weights too large"),
        "sigmoid with Xavier": (_config("sigmoid", 0.0, "xavier", 0.5), "the sigmoid"),
        "sigmoid at a high rate": (_config("sigmoid", 0.0, "he", 2.0), "the sigmoid"),
        "tiny learning rate": (_config(lr=0.01), "learning rate too small"),
        "zero weights": (_config(init="zeros"), "all-zero weights"),
        "std 0.01 weights": (_config(init="small"), "weights too small"),
        "unknown activation": (_config("swish"), "not a valid configuration"),
        "alpha above 1": (_config("leaky_relu", 3.0), "not a valid configuration"),
        "negative learning rate": (_config(lr=-0.3), "not a valid configuration"),
        "missing init": ("def capstone():\n    return {'activation': 'relu', 'alpha': 0.0, 'lr': 0.3}\n",
                         "not a valid configuration"),
        "not a dict": ("def capstone():\n    return ('relu', 0.0, 'he', 0.3)\n", "not a valid configuration"),
    },
)}
