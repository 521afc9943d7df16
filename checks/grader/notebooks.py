"""Reading a submitted notebook without trusting it: its exercise cells, or why it cannot be read.

An exercise cell is a code cell whose nbgrader metadata has ``solution: true`` and a
``grade_id`` that is an exercise of the course. Nothing else of the notebook is used: check
cells (``<id>-check``), demonstrations and outputs are never run or read by the grader. An
exercise cell's source is made Python as IPython makes it before it runs in a notebook
(``checks.cells.python_source``: ``%timeit``, ``!ls``, ``np.maximum?``), so that the sandbox
runs what the learner's kernel ran.

Only a regular file is read: a symbolic link, a named pipe or a device gets its reason, and
nothing is read through it. Reading is capped in bytes and in time; the stored outputs (a
notebook of figures may hold tens of megabytes of them) are dropped while the JSON is parsed,
and the size limit that matters is the one on the code that runs: the exercise cells.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from checks.cells import python_source
from checks.registry import EXERCISES

MAX_FILE_BYTES = 100 << 20    # the most read of any file: outputs included, never run
MAX_CODE_CHARS = 1 << 20      # the exercise cells of one notebook: the code that runs
READ_SECONDS = 30.0           # reading one file (a stalled network share does not stall a run)
_CHUNK = 1 << 20
_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a folder"))


class NotebookError(Exception):
    """A file that cannot be graded, with the reason in words a learner understands."""


@dataclass(frozen=True)
class ExerciseCell:
    """The source of one exercise cell (as IPython runs it), and where it was found."""

    exercise: str
    source: str
    notebook: Path
    cell: int                 # its number in the notebook, counting from 1


def _source(cell: dict, number: int) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"cell {number} is damaged: its source is not text")


def _is_exercise_cell(cell: dict) -> str | None:
    """The exercise id of an exercise cell, or None for any other cell."""
    metadata = cell.get("metadata")
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    if cell.get("cell_type") != "code" or not isinstance(nbgrader, dict):
        return None
    grade_id = nbgrader.get("grade_id")
    if nbgrader.get("solution") is True and isinstance(grade_id, str) and grade_id in EXERCISES:
        return grade_id
    return None


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a file")


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES, seconds: float = READ_SECONDS) -> bytes:
    """The bytes of ``path`` if it is a regular file (never through a link), at most ``limit``
    of them, read within ``seconds``; NotebookError otherwise."""
    try:
        before = os.lstat(path)
        kind = kind_of(before.st_mode)
        if kind is not None:
            raise NotebookError(f"it is {kind}, not a regular file: only regular files are graded, "
                                "and nothing was read through it")
        if before.st_size > limit:
            raise NotebookError(f"it is too large to be read ({before.st_size / 2**20:.0f} MB; "
                                f"at most {limit >> 20} MB)")
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotebookError("it is a symbolic link, not a regular file: only regular files are "
                                "graded, and nothing was read through it") from None
        raise NotebookError(f"it cannot be read ({error.strerror})") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise NotebookError("it was replaced while it was being read: nothing was read")
        data, deadline = bytearray(), time.monotonic() + seconds
        while chunk := os.read(fd, _CHUNK):
            data += chunk
            if len(data) > limit:
                raise NotebookError(f"it is too large to be read (more than {limit >> 20} MB)")
            if time.monotonic() > deadline:
                raise NotebookError(f"reading it took longer than {seconds:g} s")
        return bytes(data)
    except OSError as error:
        raise NotebookError(f"it cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)


def _without_outputs(data: dict) -> dict:
    """A JSON object as parsed, with a cell's stored outputs and attachments dropped (called on
    every object as soon as it is parsed, so a notebook's figures never all stay in memory)."""
    if "cell_type" in data:
        if isinstance(data.get("outputs"), list):
            data["outputs"] = []
        data.pop("attachments", None)
    return data


def load(path: Path, keep_outputs: bool = True) -> dict:
    """The notebook's JSON, checked to be a Jupyter notebook of format 4 or later.

    ``keep_outputs=False`` (a submission) drops the stored outputs while parsing."""
    raw = read_regular_file(path)
    try:
        data = json.loads(raw.decode("utf-8"), object_hook=None if keep_outputs else _without_outputs)
    except UnicodeDecodeError:
        raise NotebookError("it is not a notebook: it is not text (UTF-8)") from None
    except json.JSONDecodeError as error:
        raise NotebookError(f"it is not a notebook: it is not valid JSON ({error.msg} at line "
                            f"{error.lineno}, column {error.colno}); was it saved completely?") from None
    except RecursionError:
        raise NotebookError("it is not a notebook: its JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise NotebookError("it is not a Jupyter notebook (its JSON is not an object)")
    version = data.get("nbformat")
    if isinstance(version, int) and version < 4:
        raise NotebookError(f"it is in the old notebook format {version}: open it in Jupyter "
                            "and save it again to convert it to format 4")
    if not isinstance(version, int) or not isinstance(data.get("cells"), list):
        raise NotebookError("it is not a Jupyter notebook (no nbformat version or no cells)")
    return data


def exercise_cells(path: Path) -> list[ExerciseCell]:
    """The notebook's exercise cells, in order; NotebookError when it cannot be graded.

    The size limit is checked on the sources as written, before IPython's transformer reads
    them (its time grows with the length of the code: about 10 s for the largest allowed)."""
    found = []
    for number, cell in enumerate(load(path, keep_outputs=False)["cells"], start=1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number} is damaged: it is not a cell")
        exercise = _is_exercise_cell(cell)
        if exercise is not None:
            found.append((exercise, _source(cell, number), number))
    code = sum(len(source) for _, source, _ in found)
    if code > MAX_CODE_CHARS:
        raise NotebookError(f"its exercise cells hold {code / 2**20:.1f} million characters of code; "
                            f"at most {MAX_CODE_CHARS / 2**20:g} million are graded")
    return [ExerciseCell(exercise, python_source(source), path, number) for exercise, source, number in found]
