"""Mutant catalogue of the capstone: right configurations from different parts of the course (each
passes on the judged seeds 0, 1, 2 and on other seed triples, tests/test_capstone.py), and wrong
ones, each with the diagnosis its mistake should get."""


def _config(activation="relu", alpha=0.0, init="he", lr=0.05) -> str:
    return ("def capstone():\n    return " + repr({"activation": activation, "alpha": alpha,
                                                   "init": init, "lr": lr}) + "\n")


CATALOGUE = {"capstone": (
    {
        "ReLU, He, lr 0.05": _config(lr=0.05),
        "ReLU, He, lr 0.07": _config(lr=0.07),
        "Leaky ReLU 0.3 (He's 1 + alpha^2), lr 0.03": _config("leaky_relu", 0.3, lr=0.03),
        "Leaky ReLU 0.3, lr 0.07": _config("leaky_relu", 0.3, lr=0.07),
        "Leaky ReLU 0.2, lr 0.05": _config("leaky_relu", 0.2, lr=0.05),
        "PReLU from 0.25 at a small rate, 0.03": _config("prelu", 0.25, lr=0.03),
        "an int learning rate's float twin, extra key": (
            "def capstone():\n    return {'activation': 'relu', 'alpha': 0, 'init': 'he', 'lr': 0.05, "
            "'epochs': 100}\n"),
    },
    {
        "the baseline (section 2's rate 0.3)": (_config(lr=0.3), "the baseline"),
        "ReLU at lr 0.5": (_config(lr=0.5), "units die"),
        "ReLU at section 2's rate 0.1": (_config(lr=0.1), "units die"),
        "ReLU at lr 2": (_config(lr=2.0), "training diverged"),
        "ReLU at a tiny rate, 0.003": (_config(lr=0.003), "learning rate too small"),
        "ReLU at lr 0.005": (_config(lr=0.005), "learning rate too small"),
        "ReLU at lr 0.03 (a jump at epoch 36 knocked seed 2 back)": (_config(lr=0.03),
                                                                      "learning rate too high"),
        "Leaky ReLU 0.1 at lr 0.2 (jumps after 10 epochs)": (_config("leaky_relu", 0.1, lr=0.2),
                                                             "learning rate too high"),
        "Leaky ReLU 0.1 at section 2's 2.0": (_config("leaky_relu", 0.1, lr=2.0), "training diverged"),
        "PReLU at section 3's 0.3": (_config("prelu", 0.25, lr=0.3), "training diverged"),
        "ReLU with Xavier": (_config(init="xavier"), "not He's variance"),
        "sigmoid": (_config("sigmoid", 0.0, "xavier", 0.5), "a saturating activation"),
        "zero weights": (_config(init="zeros"), "all-zero weights"),
        "std 0.01 weights": (_config(init="small"), "weights too small"),
        "large init": (_config(init="large"), "weights too large"),
        "large init, lower rate": (_config(init="large", lr=0.001), "weights too large"),
        "unknown activation": (_config("swish"), "not a valid configuration"),
        "alpha above 1": (_config("leaky_relu", 3.0), "not a valid configuration"),
        "alpha a bool": (_config("leaky_relu", True), "not a valid configuration"),
        "negative learning rate": (_config(lr=-0.3), "not a valid configuration"),
        "learning rate as text": (_config(lr="0.05"), "not a valid configuration"),
        "NaN learning rate": ("def capstone():\n    return {'activation': 'relu', 'alpha': 0.0, "
                              "'init': 'he', 'lr': float('nan')}\n", "not a valid configuration"),
        "missing init": ("def capstone():\n    return {'activation': 'relu', 'alpha': 0.0, 'lr': 0.05}\n",
                         "not a valid configuration"),
        "not a dict": ("def capstone():\n    return ('relu', 0.0, 'he', 0.05)\n", "not a valid configuration"),
        "a dict subclass": ("class Config(dict):\n    pass\n\ndef capstone():\n    return Config("
                            "activation='relu', alpha=0.0, init='he', lr=0.05)\n",
                            "not a valid configuration"),
    },
)}
