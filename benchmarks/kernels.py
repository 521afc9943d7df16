"""The reference activation kernels on 10^7 float32 values, against np.maximum(z, 0, out=...)
and a plain copy (the memory-bandwidth floor), as ratios. Target: relu within 1.2x of np.maximum.
Also the sigmoid as notebook 02 writes it, its np.exp pass, and np.tanh (02 section 3).
The reference functions return new arrays, so the fair comparison for them is the allocating
np.maximum(z, 0); the out= form shows what allocating the result costs.

    python benchmarks/kernels.py
"""

from __future__ import annotations

import timeit

import numpy as np

from reference import activations

N = 10_000_000


def fastest(f, number: int = 5, repeat: int = 7) -> float:
    return min(timeit.repeat(f, number=number, repeat=repeat)) / number


def run() -> list[dict]:
    z = np.random.default_rng(0).normal(size=N).astype(np.float32)
    out = np.empty_like(z)
    floor = fastest(lambda: np.copyto(out, z))
    baseline = fastest(lambda: np.maximum(z, 0, out=out))
    kernels = {
        "np.maximum(z, 0, out=...)": lambda: np.maximum(z, 0, out=out),
        "np.maximum(z, 0) (allocating)": lambda: np.maximum(z, 0),
        "relu": lambda: activations.relu(z),
        "relu_grad": lambda: activations.relu_grad(z),
        "leaky_relu": lambda: activations.leaky_relu(z, 0.01),
        "leaky_relu_grad": lambda: activations.leaky_relu_grad(z, 0.01),
        "sigmoid 1 / (1 + np.exp(-z))": lambda: 1 / (1 + np.exp(-z)),
        "np.exp(z)": lambda: np.exp(z),
        "np.tanh(z)": lambda: np.tanh(z),
        "copy (bandwidth floor)": lambda: np.copyto(out, z),
    }
    rows = []
    for name, f in kernels.items():
        seconds = fastest(f)
        rows.append({"kernel": name, "ms": round(1e3 * seconds, 2),
                     "vs_maximum": round(seconds / baseline, 2), "vs_copy": round(seconds / floor, 2)})
    return rows


def main() -> None:
    for row in run():
        print(f"{row['kernel']:28} {row['ms']:7.2f} ms   {row['vs_maximum']:5.2f}x np.maximum   "
              f"{row['vs_copy']:5.2f}x copy")


if __name__ == "__main__":
    main()
