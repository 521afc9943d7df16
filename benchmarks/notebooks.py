"""Wall time of each notebook in a fresh kernel, kernel start included, and the course total.

    python benchmarks/notebooks.py [NOTEBOOK ...]

Budgets: 10 s per notebook, 45 s for the whole course, on an idle 2-core machine.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 10.0
COURSE_BUDGET = 45.0


def time_notebook(path: Path) -> float:
    """Seconds to start a kernel and run the notebook top to bottom (outputs discarded)."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def run(names: list[str] | None = None) -> list[dict]:
    os.environ["RELU_COURSE_PROGRESS"] = os.path.join(tempfile.mkdtemp(), "progress.json")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")    # as `make test` runs them
    paths = [ROOT / "notebooks" / n for n in names] if names else \
        sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    rows = []
    for path in paths:
        seconds = time_notebook(path)
        budget = BUDGET
        rows.append({"notebook": path.stem, "seconds": round(seconds, 2), "budget": budget,
                     "within_budget": seconds <= budget})
    return rows


def main() -> None:
    rows = run(sys.argv[1:])
    for row in rows:
        print(f"{row['notebook']:18} {row['seconds']:6.2f} s   (budget {row['budget']:g} s)"
              f"{'' if row['within_budget'] else '   OVER BUDGET'}")
    print(f"{'total':18} {sum(r['seconds'] for r in rows):6.2f} s   (budget {COURSE_BUDGET:g} s)")


if __name__ == "__main__":
    main()
