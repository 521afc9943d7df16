"""The notebooks' interactive explorers, one module per notebook (see ``common``).

The explorers of notebooks 01 and 02 are re-exported here; later notebooks import their own
module, e.g. ``from reference.explorers import dying``.
"""

import importlib
import pkgutil

from reference.explorers.common import Explorer, interactive_figure
from reference.explorers.relu import (draw_neuron, draw_relu_sum, neuron_explorer, relu_sum_error,
                                      relu_sum_explorer)
from reference.explorers.why_relu import (draw_gradient_norms, gradient_explorer,
                                          hidden_gradient_norms)



def all_explorers() -> list[Explorer]:
    """Every explorer of the course: the ``EXPLORERS`` of each module in this package."""
    found = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "common"):
        found.extend(getattr(importlib.import_module(f"{__name__}.{module}"), "EXPLORERS", ()))
    return found


__all__ = ["Explorer", "all_explorers", "interactive_figure", "draw_neuron", "neuron_explorer", "draw_relu_sum",
           "relu_sum_explorer", "relu_sum_error", "draw_gradient_norms", "gradient_explorer",
           "hidden_gradient_norms"]
