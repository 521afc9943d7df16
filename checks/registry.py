"""Every exercise of the course, by id, in course order.

To add an exercise, declare it in the module of its topic under ``checks/exercises/`` and list
it in that module's ``EXERCISES``. Every module there (but ``common``) is read.
"""

from __future__ import annotations

import importlib
import pkgutil

from checks import exercises
from checks.core import Exercise


def _discover() -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    for info in sorted(pkgutil.iter_modules(exercises.__path__), key=lambda m: m.name):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        for exercise in getattr(module, "EXERCISES", ()):
            if exercise.id in found:
                raise ValueError(f"exercise id {exercise.id!r} is declared twice")
            found[exercise.id] = exercise
    return dict(sorted(found.items(), key=lambda item: item[1].notebook))


EXERCISES: dict[str, Exercise] = _discover()
