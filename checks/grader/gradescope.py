"""Gradescope: its results.json for one graded submission, and the autograder bundle.

Gradescope runs ``setup.sh`` once to build the autograder's image, then ``run_autograder`` for
each submission, with the student's files in ``/autograder/submission``; the score and the
feedback are read from ``/autograder/results/results.json``. The bundle's requirements.txt
holds only what grading needs (``GRADER_PACKAGES``, pinned as in the course's), and setup.sh
installs bubblewrap, used where Gradescope's container lets it make namespaces.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from checks.grader.grading import Run
from checks.registry import EXERCISES

SUBMISSION = Path("/autograder/submission")
RESULTS = Path("/autograder/results/results.json")
COURSE = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("checks", "reference")
GRADER_PACKAGES = ("numpy", "matplotlib", "ipython")     # third-party packages the grader imports

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, to build the autograder's image (Ubuntu 24.04 base image:
# the course needs Python 3.11 or later).
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet -r /autograder/source/requirements.txt
# The sandbox runs each submission as an unprivileged user: keep the course's code, and so its
# answer key, unreadable to it.
chmod -R go-rwx /autograder/source
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission, as root; the grader drops to an unprivileged user
# for the submission's code and writes /autograder/results/results.json.
cd /autograder/source
exec /autograder/venv/bin/python -m checks grade --gradescope /autograder/submission
"""


def results(run: Run) -> dict[str, Any]:
    """Gradescope's results.json for a run of one submission: a test per exercise."""
    if not run.results:
        return {"score": 0.0, "visibility": "visible", "tests": [],
                "output": "No notebook (.ipynb) was found in your submission: upload the "
                          "course's notebooks with your answers."}
    result = run.results[0]
    tests = [{"name": f"{key}: {EXERCISES[key].signature}", "score": check.score,
              "max_score": check.max_score, "status": "passed" if check.passed else "failed",
              "output": "\n".join([check.headline, *check.messages]), "visibility": "visible"}
             for key, check in result.exercises.items()]
    output = f"Total: {result.total:g} / {result.max_total:g} points."
    if result.error:
        output += f" Part of your submission could not be graded: {result.error}"
    return {"score": result.total, "output": output, "visibility": "visible", "tests": tests}


def grader_requirements() -> str:
    """The course's pinned requirements of the packages the grader imports, one a line."""
    lines = (COURSE / "requirements.txt").read_text().splitlines()
    pinned = [line.strip() for line in lines
              if line.split("==")[0].strip().lower() in GRADER_PACKAGES]
    return "\n".join(pinned) + "\n"


def bundle() -> bytes:
    """The autograder zip: setup.sh, run_autograder, requirements.txt, and the course's packages."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text, mode in (("setup.sh", SETUP_SH, 0o755), ("run_autograder", RUN_AUTOGRADER, 0o755),
                                 ("requirements.txt", grader_requirements(), 0o644)):
            entry = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            entry.external_attr = (0o100000 | mode) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
        for package in PACKAGES:
            for path in sorted((COURSE / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    archive.write(path, path.relative_to(COURSE).as_posix())
    return buffer.getvalue()
