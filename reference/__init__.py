"""The course's reference implementation: model solutions for the exercises and the code the
notebooks' demonstrations run on.

    reference.activations   ReLU, Leaky ReLU, PReLU, sigmoid, tanh and their derivatives
    reference.init          He, Xavier and LeCun initializers
    reference.diagnostics   dead units and activation statistics
    reference.network       a small MLP with manual forward/backward passes, and train()
    reference.data          toy data sets generated in code
    reference.piecewise     functions built from ReLUs, and fits by sums of ReLUs
"""

from reference import activations, data, diagnostics, init, network, piecewise
from reference.activations import (leaky_relu, leaky_relu_grad, prelu, prelu_backward, relu,
                                   relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad)
from reference.diagnostics import dead_fraction
from reference.init import he_normal, he_std, he_uniform, lecun_normal, xavier_normal

__all__ = [
    "activations", "data", "diagnostics", "init", "network", "piecewise",
    "relu", "relu_grad", "leaky_relu", "leaky_relu_grad", "prelu", "prelu_backward",
    "sigmoid", "sigmoid_grad", "tanh", "tanh_grad", "dead_fraction",
    "he_std", "he_normal", "he_uniform", "xavier_normal", "lecun_normal",
]
