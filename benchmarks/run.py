"""Run every benchmark, print one table, and write the figures to benchmarks/results.json.

    make bench        (or: python benchmarks/run.py)

These print figures; they are not tests. Targets on a 2-core machine: each notebook under its
budget and the course under 45 s; explorer updates median under 100 ms, worst (first move
included) under 250 ms; relu within 1.2x of the
allocating np.maximum; 100 full-course submissions graded in under 20 s with --jobs 2.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import explorers  # noqa: E402
import grading  # noqa: E402
import kernels  # noqa: E402
import notebooks  # noqa: E402
import training  # noqa: E402


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}"


def table(results: dict) -> str:
    """The figures as the markdown table the README shows."""
    lines = [f"Measured {results['date']} on {results['machine']}.", "",
             "| what | figure | target |", "|---|---|---|"]
    for row in results["notebooks"]:
        lines.append(f"| notebook `{row['notebook']}` (fresh kernel) | {row['seconds']:.1f} s | < {row['budget']:g} s |")
    total = sum(row["seconds"] for row in results["notebooks"])
    lines.append(f"| the whole course | {total:.1f} s | < {notebooks.COURSE_BUDGET:g} s |")
    for row in results["explorers"]:
        lines.append(f"| explorer: {row['explorer']} | median {row['median_ms']:.0f} ms, worst {row['worst_ms']:.0f} ms "
                     f"(first move {row['first_move_ms']:.0f} ms; first display {row['first_display_ms']:.0f} ms) "
                     f"| median < {explorers.MEDIAN_TARGET_MS} ms, worst < {explorers.WORST_TARGET_MS} ms |")
    for row in results["kernels"]:
        lines.append(f"| `{row['kernel']}` on 10^7 float32 | {row['ms']:.1f} ms ({row['vs_maximum']:.2f}x np.maximum out=, "
                     f"{row['vs_copy']:.2f}x copy) | |")
    for row in results["training"]:
        lines.append(f"| training step {row['network']} x{row['copies']}, batch {row['batch']} | {row['steps_per_second']:.0f} steps/s | |")
    g = results["grading"]
    lines.append(f"| grading {g['submissions']} full-course submissions, --jobs {g['jobs']} | {g['seconds']:.1f} s "
                 f"({g['per_second']:.1f}/s) | < 20 s |")
    return "\n".join(lines)


def main() -> None:
    results = {"date": time.strftime("%Y-%m-%d"), "machine": machine()}
    for name, module in (("notebooks", notebooks), ("explorers", explorers), ("kernels", kernels),
                         ("training", training), ("grading", grading)):
        print(f"running the {name} benchmark...", file=sys.stderr)
        results[name] = module.run()
    (HERE / "results.json").write_text(json.dumps(results, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
