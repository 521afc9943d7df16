"""What a grading run writes: grades.csv, results.json and one feedback file per student.

Every file is written atomically: a temp file in the same folder, then ``os.replace``, so a
reader (or a run killed halfway) sees the old file or the new one, never half of one. Temp
files a killed run left behind are removed by the next run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path

from checks.grader.grading import Run, SubmissionResult

TEMP_PREFIX = ".grading-"
TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, data: str | bytes) -> None:
    """Replace ``path`` whole with ``data``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=TEMP_PREFIX + path.name + ".",
                                         suffix=TEMP_SUFFIX, delete=False)
    try:
        with handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(folder: Path) -> None:
    """Delete the temp files of an earlier run that was killed while writing."""
    for stale in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        stale.unlink(missing_ok=True)


def feedback_name(student: str) -> str:
    """A file name for a student's feedback: the id with anything unsafe replaced by '_'."""
    return (re.sub(r"[^\w@+.-]", "_", student).lstrip(".") or "_") + ".md"


def grades_csv(run: Run) -> str:
    """One row per student: a column per exercise, then total, max_total and status."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *run.exercises, "total", "max_total", "status"])
    for result in run.results:
        writer.writerow([result.student, *(f"{result.exercises[key].score:g}" for key in run.exercises),
                         f"{result.total:g}", f"{result.max_total:g}", result.status])
    return buffer.getvalue()


def results_json(run: Run) -> str:
    return json.dumps([result.to_dict() for result in run.results], indent=1, ensure_ascii=False) + "\n"


def feedback_markdown(result: SubmissionResult) -> str:
    """A student's feedback: every exercise with its messages (up to its first failing input)."""
    lines = [f"# Feedback for {result.student}", "",
             f"**Total: {result.total:g} / {result.max_total:g} points.**", ""]
    if result.error:
        lines += [f"Part of your submission could not be graded: {result.error}", ""]
    for check in result.exercises.values():
        lines += [f"## {check.headline}", ""]
        block: list[str] = []                   # the indented lines: expected and got
        for message in [*check.messages, ""]:
            if message.startswith("  "):
                block.append(message.strip())
                continue
            if block:
                lines += ["  ```", *(f"  {line}" for line in block), "  ```"]
                block = []
            if message:
                lines.append(f"- {message}")
        lines.append("")
    return "\n".join(lines)


def write(out: Path, run: Run) -> None:
    """Write the feedback files, results.json and grades.csv into ``out``."""
    feedback = out / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(out)
    remove_stale_temp_files(feedback)
    for result in run.results:
        atomic_write(feedback / feedback_name(result.student), feedback_markdown(result))
    atomic_write(out / "results.json", results_json(run))
    atomic_write(out / "grades.csv", grades_csv(run))
