"""Training steps per second of the course's training loop (``train_stack``), batch 256:
one network, and ten copies trained side by side (steps of all ten per second).

    python benchmarks/training.py
"""

from __future__ import annotations

import time

import numpy as np

from reference import data
from reference.network import Stack, train_stack

SIZES = {"2-64-64-1": (2, 64, 64, 1), "2-256x10-1": (2,) + (256,) * 10 + (1,)}
BATCH = 256
COPIES = (1, 10)


def steps_per_second(sizes: tuple[int, ...], copies: int, seconds: float = 1.0) -> float:
    """Full-batch epochs (one step each) per second, for a stack of ``copies`` networks."""
    X, y = data.moons(BATCH, rng=0)
    stack = Stack.of(sizes, np.arange(copies))
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        train_stack(stack, X, y, epochs=1, lr=0.01, record=())
        steps += 1
    return steps / (time.perf_counter() - start)


def run() -> list[dict]:
    return [{"network": name, "copies": copies, "batch": BATCH,
             "steps_per_second": round(steps_per_second(sizes, copies), 1)}
            for name, sizes in SIZES.items() for copies in COPIES]


def main() -> None:
    for row in run():
        print(f"{row['network']:12} x{row['copies']:<3} batch {row['batch']}: "
              f"{row['steps_per_second']:8.1f} steps/s")


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
