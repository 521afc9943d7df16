"""Mutant catalogue of the capstone: several right configurations, and wrong ones."""


def _config(activation="relu", alpha=0.0, init="he", lr=0.3) -> str:
    return ("def capstone():\n    return " + repr({"activation": activation, "alpha": alpha,
                                                   "init": init, "lr": lr}) + "\n")


CATALOGUE = {"capstone": (
    {
        "ReLU, lower learning rate": _config(lr=0.3),
        "ReLU, lr 0.1": _config(lr=0.1),
        "Leaky ReLU 0.1, lr 0.5": _config("leaky_relu", 0.1, lr=0.5),
        "tanh with Xavier": _config("tanh", 0.0, "xavier", 0.5),
    },
    {
        "the baseline": (_config(lr=2.0), "the dying baseline"),
        "ReLU at lr 1": (_config(lr=1.0), "units still die"),
        "Leaky ReLU at lr 2": (_config("leaky_relu", 0.1, lr=2.0), "training diverged"),
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
