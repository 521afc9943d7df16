"""Self-study progress: which exercises of the course a learner has passed.

Each check records its outcome in a small JSON file of the learner's own, written atomically:
a temp file in the same folder, then a rename. A missing or corrupt file is simply started
afresh, and a file that cannot be written is skipped silently: progress must never break a check.
The file is ``relu-course/progress.json`` in the learner's Jupyter data folder
(``jupyter --data-dir``: ``~/.local/share/jupyter`` on Linux), so a shared or read-only install
of the course (JupyterHub, a system-wide pip install) gives each learner a file of their own;
without Jupyter's settings, ``.relu_course_progress.json`` in the current (the notebook's)
folder. The environment variable ``RELU_COURSE_PROGRESS`` names another path (the tests point
it to a temp folder).
"""

from __future__ import annotations

import html
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checks.result import CheckResult

ENV_VAR = "RELU_COURSE_PROGRESS"


def progress_path() -> Path:
    """Where this learner's progress is kept (see the module's docstring)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    try:
        from jupyter_core.paths import jupyter_data_dir
    except ImportError:
        return Path.cwd() / ".relu_course_progress.json"
    return Path(jupyter_data_dir()) / "relu-course" / "progress.json"


def load() -> dict[str, dict]:
    """The recorded outcomes by exercise id; {} when the file is missing or unreadable."""
    try:
        data = json.loads(progress_path().read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(result: "CheckResult") -> None:
    """Remember a check's outcome; a passed exercise stays passed when a later check fails."""
    try:
        data = load()
        best = data.get(result.exercise, {})
        passed = result.passed or bool(best.get("passed"))
        data[result.exercise] = {
            "status": "passed" if passed else result.status, "passed": passed,
            "score": max(result.score, float(best.get("score", 0.0))),
            "max_score": result.max_score, "time": time.strftime("%Y-%m-%d %H:%M")}
        path = progress_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(data, tmp, indent=1, sort_keys=True)
        os.replace(tmp.name, path)
    except OSError:
        pass


class Progress:
    """The course's exercises with what the learner has done; shows as a table in JupyterLab."""

    def __init__(self, rows: list[tuple[str, str, str, float, float]]):
        self.rows = rows  # (notebook, exercise, status, score, max_score)

    @property
    def passed(self) -> int:
        return sum(status == "passed" for _, _, status, _, _ in self.rows)

    def __str__(self) -> str:
        lines = [f"Course progress: {self.passed} of {len(self.rows)} exercises passed"]
        lines += [f"  {nb:16} {ex:18} {status:15} {score:g}/{top:g}"
                  for nb, ex, status, score, top in self.rows]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        icons = {"passed": "✔", "failed": "✘"}
        body = "".join(
            f"<tr><td>{html.escape(nb)}</td><td><code>{html.escape(ex)}</code></td>"
            f"<td>{icons.get(status, '…')} {html.escape(status)}</td><td>{score:g}/{top:g}</td></tr>"
            for nb, ex, status, score, top in self.rows)
        return (f"<p><b>Course progress: {self.passed} of {len(self.rows)} exercises passed</b></p>"
                "<table><tr><th>notebook</th><th>exercise</th><th>status</th><th>points</th></tr>"
                f"{body}</table>")


def progress() -> Progress:
    """Every exercise of the course, in course order, with the learner's recorded outcome."""
    from checks.registry import EXERCISES

    data = load()
    rows = []
    for exercise in EXERCISES.values():
        seen = data.get(exercise.id, {})
        rows.append((exercise.notebook, exercise.id, seen.get("status", "not attempted"),
                     float(seen.get("score", 0.0)), float(exercise.points)))
    return Progress(rows)
