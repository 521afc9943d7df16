"""Update latency of every explorer: its callback called as the widget calls it, drawing and
PNG encoding included (what the inline backend does), median and worst over its settings.

    python benchmarks/explorers.py          target: under 100 ms per update
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from reference.explorers import all_explorers  # noqa: E402

REPEATS = 5


def update_seconds(draw, values: dict) -> float:
    start = time.perf_counter()
    fig = draw(**values)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return time.perf_counter() - start


def run() -> list[dict]:
    rows = []
    for explorer in all_explorers():
        for values in explorer.settings:        # warm caches as a first slider move would
            update_seconds(explorer.draw, values)
        times = [update_seconds(explorer.draw, values)
                 for _ in range(REPEATS) for values in explorer.settings]
        rows.append({"explorer": explorer.name, "median_ms": round(1e3 * statistics.median(times), 1),
                     "worst_ms": round(1e3 * max(times), 1)})
    return rows


def main() -> None:
    for row in run():
        print(f"{row['explorer']:40} median {row['median_ms']:6.1f} ms   worst {row['worst_ms']:6.1f} ms")


if __name__ == "__main__":
    main()
