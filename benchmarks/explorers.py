"""Update latency of every explorer: its callback called as the widget calls it, drawing and
PNG encoding included (what the inline backend does).

Each explorer is measured in a fresh Python process, as a learner meets it: matplotlib already
warm from the notebook's earlier figures, the explorer shown with its first setting ("first
display", part of running the cell), then the slider moved to the second setting for the first
time ("first move": whatever that setting computes, nothing cached yet), then both settings
redrawn REPEATS times. "worst" is over every update, first move included; "median" over all.

    python benchmarks/explorers.py     targets: median under 100 ms, worst under 250 ms
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import time

REPEATS = 5
MEDIAN_TARGET_MS, WORST_TARGET_MS = 100, 250


def update_seconds(draw, values: dict) -> float:
    import matplotlib.pyplot as plt
    start = time.perf_counter()
    fig = draw(**values)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return time.perf_counter() - start


def measure(name: str) -> dict:
    """One explorer's timings, in this (fresh) process."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from reference.explorers import all_explorers

    plt.style.use("reference.course")
    fig, ax = plt.subplots()                    # the notebook's earlier figures warm matplotlib
    ax.plot([0, 1], [0, 1])
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    explorer = next(e for e in all_explorers() if e.name == name)
    shown, moved = explorer.settings
    first_display = update_seconds(explorer.draw, shown)
    first_move = update_seconds(explorer.draw, moved)
    updates = [first_move] + [update_seconds(explorer.draw, values)
                              for _ in range(REPEATS) for values in (shown, moved)]
    return {"explorer": name, "first_display_ms": round(1e3 * first_display, 1),
            "first_move_ms": round(1e3 * first_move, 1),
            "median_ms": round(1e3 * statistics.median(updates), 1),
            "worst_ms": round(1e3 * max(updates), 1)}


def run() -> list[dict]:
    from reference.explorers import all_explorers
    rows = []
    for explorer in all_explorers():
        script = f"import json, explorers; print(json.dumps(explorers.measure({explorer.name!r})))"
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                             cwd=__file__.rsplit("/", 1)[0])
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


def verdict(row: dict) -> str:
    over = [f"{key} over {target} ms" for key, target in (("median_ms", MEDIAN_TARGET_MS), ("worst_ms", WORST_TARGET_MS))
            if row[key] >= target]
    return "  OVER TARGET: " + ", ".join(over) if over else ""


def main() -> None:
    for row in run():
        print(f"{row['explorer']:45} first display {row['first_display_ms']:6.1f} ms   first move "
              f"{row['first_move_ms']:6.1f} ms   median {row['median_ms']:6.1f} ms   worst {row['worst_ms']:6.1f} ms"
              + verdict(row))


if __name__ == "__main__":
    main()
