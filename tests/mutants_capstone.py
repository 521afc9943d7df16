"""Mutant catalogue of the capstone: several right configurations from different parts of the
course, and wrong ones, each with the diagnosis its mistake should get."""


def _config(activation="relu", alpha=0.0, init="he", lr=0.03) -> str:
    return ("def capstone():\n    return " + repr({"activation": activation, "alpha": alpha,
                                                   "init": init, "lr": lr}) + "\n")


CATALOGUE = {"capstone": (
    {
        "ReLU, He, lr 0.01": _config(lr=0.01),
        "ReLU, He, lr 0.03": _config(lr=0.03),
        "ReLU, He, lr 0.05": _config(lr=0.05),
        "Leaky ReLU 0.01, lr 0.03": _config("leaky_relu", 0.01, lr=0.03),
        "Leaky ReLU 0.2 (He's 1 + alpha^2), lr 0.05": _config("leaky_relu", 0.2, lr=0.05),
        "Leaky ReLU 0.2 at a rate where ReLU fails, 0.1": _config("leaky_relu", 0.2, lr=0.1),
        "Leaky ReLU 0.3, lr 0.1": _config("leaky_relu", 0.3, lr=0.1),
        "PReLU from 0.25 at a small rate, 0.02": _config("prelu", 0.25, lr=0.02),
    },
    {
        "the baseline (section 2's rate)": (_config(lr=0.1), "the baseline"),
        "ReLU at section 2's other rate, 0.3": (_config(lr=0.3), "units die"),
        "ReLU at lr 0.15": (_config(lr=0.15), "units die"),
        "ReLU at lr 0.07": (_config(lr=0.07), "learning rate too high"),
        "ReLU at lr 2": (_config(lr=2.0), "training diverged"),
        "ReLU at a tiny rate, 0.003": (_config(lr=0.003), "learning rate too small"),
        "ReLU at lr 0.005": (_config(lr=0.005), "learning rate too small"),
        "Leaky ReLU 0.1 at section 2's 0.3": (_config("leaky_relu", 0.1, lr=0.3), "units die"),
        "Leaky ReLU 0.25 at 0.3": (_config("leaky_relu", 0.25, lr=0.3), "learning rate too high"),
        "Leaky ReLU 0.2 at 0.15": (_config("leaky_relu", 0.2, lr=0.15), "learning rate too high"),
        "Leaky ReLU 0.1 at lr 2": (_config("leaky_relu", 0.1, lr=2.0), "training diverged"),
        "PReLU at section 3's 0.1": (_config("prelu", 0.25, lr=0.1), "units die"),
        "ReLU with Xavier": (_config(init="xavier"), "not He's variance"),
        "ReLU with LeCun": (_config(init="lecun"), "not He's variance"),
        "tanh with Xavier": (_config("tanh", 0.0, "xavier", 0.05), "a saturating activation"),
        "sigmoid at a high rate": (_config("sigmoid", 0.0, "he", 2.0), "a saturating activation"),
        "zero weights": (_config(init="zeros"), "all-zero weights"),
        "std 0.01 weights": (_config(init="small"), "weights too small"),
        "large init": (_config(init="large"), "weights too large"),
        "large init, lower rate": (_config(init="large", lr=0.001), "weights too large"),
        "unknown activation": (_config("swish"), "not a valid configuration"),
        "alpha above 1": (_config("leaky_relu", 3.0), "not a valid configuration"),
        "negative learning rate": (_config(lr=-0.3), "not a valid configuration"),
        "missing init": ("def capstone():\n    return {'activation': 'relu', 'alpha': 0.0, 'lr': 0.03}\n",
                         "not a valid configuration"),
        "not a dict": ("def capstone():\n    return ('relu', 0.0, 'he', 0.03)\n", "not a valid configuration"),
    },
)}
