"""Training steps per second of the reference network at the course's sizes (batch 256).

    python benchmarks/training.py
"""

from __future__ import annotations

import time

import numpy as np

from reference import data
from reference.network import MLP

SIZES = {"2-64-64-1": (2, 64, 64, 1), "2-256x10-1": (2,) + (256,) * 10 + (1,)}
BATCH = 256


def steps_per_second(sizes: tuple[int, ...], seconds: float = 1.0) -> float:
    X, y = data.moons(BATCH, rng=0)
    net = MLP(sizes, rng=0)
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        _, grads = net.loss_and_grads(X, y)
        for W, dW in zip(net.weights, grads["W"]):
            W -= 0.01 * dW
        steps += 1
    return steps / (time.perf_counter() - start)


def run() -> list[dict]:
    return [{"network": name, "batch": BATCH, "steps_per_second": round(steps_per_second(s), 1)}
            for name, s in SIZES.items()]


def main() -> None:
    for row in run():
        print(f"{row['network']:12} batch {row['batch']}: {row['steps_per_second']:8.1f} steps/s")


if __name__ == "__main__":
    np.seterr(all="raise")
    main()
