"""Exercise checks for the course, and the grader.

In a notebook::

    from checks import check, hint, show_solution, progress
    check("relu", relu)        # what is right, what is wrong, on which input, and why
    hint("relu")               # a nudge
    show_solution("relu")      # the reference solution
    progress()                 # which exercises of the course you have passed
    relu_fn = use("relu", relu)  # in an experiment: your relu once it passed its check, else the reference
"""

from checks.api import check, hint, progress, show_solution
from checks.core import Exercise
from checks.experiments import use
from checks.registry import EXERCISES
from checks.result import CheckResult

__all__ = ["check", "hint", "show_solution", "progress", "use", "EXERCISES", "Exercise", "CheckResult"]
