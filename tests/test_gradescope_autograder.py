"""Gradescope, run as Gradescope runs it: the autograder zip, setup.sh, then run_autograder.

The zip is unpacked into a fresh ``/autograder`` (a temporary folder that bubblewrap binds
there, in a mount namespace where the course's own folder is hidden), ``setup.sh`` runs as root
and builds ``/autograder/venv`` from scratch, and ``run_autograder`` grades a solved, a partial
and a hostile submission; ``/autograder/results/results.json`` is checked against Gradescope's
format and the expected scores. Offline: ``apt-get`` is a stand-in that checks the packages it
is asked for are installed here, and pip installs from wheels rebuilt from this environment's
own installed packages (``PIP_NO_INDEX``, ``PIP_FIND_LINKS``).

It takes a minute: ``make test-gradescope`` runs it (``RELU_TEST_GRADESCOPE=1``), not every
``make test``.
"""

import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import jsonschema
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from checks.grader import gradescope
from test_grader_support import solved, write

COURSE = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.skipif(os.environ.get("RELU_TEST_GRADESCOPE") != "1",
                       reason="slow: run by make test-gradescope (RELU_TEST_GRADESCOPE=1)"),
    pytest.mark.skipif(shutil.which("bwrap") is None or os.geteuid() != 0,
                       reason="needs bubblewrap and root, as Gradescope runs setup.sh as root"),
]

# Gradescope's results.json, as its autograder specification describes it.
TEST = {"type": "object", "additionalProperties": False, "required": ["score", "max_score"], "properties": {
    "score": {"type": "number"}, "max_score": {"type": "number"},
    "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"},
    "name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "number": {"type": "string"}, "output": {"type": "string"},
    "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    "extra_data": {"type": "object"}}}
RESULTS = {"type": "object", "additionalProperties": False, "properties": {
    "score": {"type": "number"}, "execution_time": {"type": "number"}, "output": {"type": "string"},
    "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "test_output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "test_name_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
    "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
    "extra_data": {"type": "object"}, "tests": {"type": "array", "items": TEST},
    "leaderboard": {"type": "array"}}, "anyOf": [{"required": ["score"]}, {"required": ["tests"]}]}

APT_GET = """#!/bin/sh
# apt-get, offline: 'update' does nothing; 'install' checks each package is installed here.
[ "$1" = update ] && exit 0
for package in "$@"; do
    case "$package" in -*|install) ;; *) dpkg -s "$package" >/dev/null 2>&1 || { echo "not installed: $package" >&2; exit 100; } ;; esac
done
"""
HOSTILE = """\
import os, json
for path in ("/autograder/results/results.json", "/autograder/source/reference/activations.py"):
    try:
        open(path, "a").close()
        print("reached", path)
    except OSError:
        pass
exec(open("/autograder/source/reference/activations.py").read())
"""


def _wheel_of(distribution: importlib.metadata.Distribution, folder: Path) -> None:
    """A wheel rebuilt from an installed distribution's files (those its RECORD lists)."""
    info = distribution._path                                       # the .dist-info folder
    site = info.parent
    tags = [line.split(":", 1)[1].strip() for line in (info / "WHEEL").read_text().splitlines()
            if line.startswith("Tag:")]
    parts = [sorted({t.split("-")[i] for t in tags}) for i in range(3)]
    name = distribution.metadata["Name"].replace("-", "_")
    target = folder / f"{name}-{distribution.version}-{'-'.join('.'.join(p) for p in parts)}.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as wheel:
        for line in (info / "RECORD").read_text().splitlines():
            path = line.rsplit(",", 2)[0]
            if path and not path.startswith("..") and "__pycache__" not in path and (site / path).is_file() \
                    and not path.endswith(("INSTALLER", "REQUESTED", "direct_url.json")):
                wheel.write(site / path, path)


def _wheelhouse(folder: Path, requirements: list[str]) -> None:
    """Wheels of the requirements and everything they need, from this environment."""
    folder.mkdir()
    todo, done = [Requirement(r) for r in requirements], set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in done or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        done.add(name)
        distribution = importlib.metadata.distribution(name)
        _wheel_of(distribution, folder)
        todo += [Requirement(r) for r in distribution.requires or []]


def _in_autograder(root: Path, *command: str, chdir: str) -> subprocess.CompletedProcess:
    """Run a command as root with ``root`` bound at /autograder, the course's folder hidden."""
    system = []
    for entry in sorted(Path("/").iterdir()):
        if entry.name not in ("proc", "dev", "tmp", "autograder"):
            system += ["--symlink", os.readlink(entry), str(entry)] if entry.is_symlink() \
                else ["--ro-bind", str(entry), str(entry)]
    bwrap = ["bwrap", *system, "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
             "--bind", str(root / "autograder"), "/autograder", "--tmpfs", str(COURSE),
             "--ro-bind", str(root / "offline"), "/offline", "--die-with-parent", "--unshare-pid",
             "--clearenv", "--setenv", "PATH", "/offline/bin:/usr/local/bin:/usr/bin:/bin",
             "--setenv", "HOME", "/root", "--setenv", "LANG", "C.UTF-8",
             "--setenv", "PIP_NO_INDEX", "1", "--setenv", "PIP_FIND_LINKS", "/offline/wheels",
             "--setenv", "PIP_DISABLE_PIP_VERSION_CHECK", "1", "--setenv", "PIP_NO_CACHE_DIR", "1",
             "--chdir", chdir, "--", *command]
    return subprocess.run(bwrap, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """/autograder built by setup.sh from the bundle, as Gradescope builds its image."""
    root = tmp_path_factory.mktemp("gradescope")
    source = root / "autograder" / "source"
    with zipfile.ZipFile(io.BytesIO(gradescope.bundle())) as archive:
        archive.extractall(source)
        for entry in archive.infolist():
            (source / entry.filename).chmod((entry.external_attr >> 16) & 0o777 or 0o644)
    shutil.copy2(source / "run_autograder", root / "autograder" / "run_autograder")
    (root / "offline" / "bin").mkdir(parents=True)
    (root / "offline" / "bin" / "apt-get").write_text(APT_GET)
    (root / "offline" / "bin" / "apt-get").chmod(0o755)
    _wheelhouse(root / "offline" / "wheels", (source / "requirements.txt").read_text().split())
    setup = _in_autograder(root, "bash", "./setup.sh", chdir="/autograder/source")
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    return root


def _run(autograder: Path, cells: list[tuple[str, str]]) -> tuple[subprocess.CompletedProcess, dict]:
    """run_autograder on one submission (notebook 01), as Gradescope runs it; its results.json."""
    base = autograder / "autograder"
    for folder in ("submission", "results"):
        shutil.rmtree(base / folder, ignore_errors=True)
        (base / folder).mkdir()
    write(base / "submission" / "01_relu.ipynb", cells)
    done = _in_autograder(autograder, "/autograder/run_autograder", chdir="/autograder")
    results = base / "results" / "results.json"
    return done, json.loads(results.read_text()) if results.exists() else {}


def _scores(results: dict) -> dict[str, float]:
    return {test["name"].split(":")[0]: test["score"] for test in results["tests"]}


def test_setup_builds_a_fresh_environment_holding_only_what_grading_needs(autograder):
    venv = autograder / "autograder" / "venv"
    assert (venv / "bin" / "python").exists()
    installed = {p.name.split("-")[0].lower() for p in venv.glob("lib/python*/site-packages/*.dist-info")}
    assert {"numpy", "matplotlib", "ipython"} <= installed and "jupyterlab" not in installed
    assert oct((autograder / "autograder" / "source").stat().st_mode & 0o077) == "0o0"


def test_a_solved_submission_gets_full_marks(autograder):
    cells = [(key, solved(key)) for key in ("relu", "relu_grad", "hat")]
    done, results = _run(autograder, cells)
    assert done.returncode == 0, done.stderr[-3000:]
    jsonschema.validate(results, RESULTS)
    scores = _scores(results)
    full = {test["name"].split(":")[0]: test["max_score"] for test in results["tests"]}
    assert {key: scores[key] for key in ("relu", "relu_grad", "hat")} == \
           {key: full[key] for key in ("relu", "relu_grad", "hat")}
    assert results["score"] == pytest.approx(sum(scores.values()))
    assert "Sandbox: bubblewrap" in done.stdout


def test_a_partial_submission_gets_the_points_of_what_it_solved(autograder):
    done, results = _run(autograder, [("relu", solved("relu")), ("relu_grad", "def relu_grad(z):\n    return z\n")])
    assert done.returncode == 0, done.stderr[-3000:]
    jsonschema.validate(results, RESULTS)
    scores = _scores(results)
    assert scores["relu"] > 0 and scores["relu_grad"] == 0 and scores["hat"] == 0
    assert results["score"] == pytest.approx(scores["relu"])
    statuses = {test["name"].split(":")[0]: test["status"] for test in results["tests"]}
    assert statuses["relu"] == "passed" and statuses["relu_grad"] == "failed"


def test_a_hostile_submission_reaches_neither_the_answers_nor_the_results(autograder):
    done, results = _run(autograder, [("relu", HOSTILE), ("relu_grad", solved("relu_grad"))])
    assert done.returncode == 0, done.stderr[-3000:]
    jsonschema.validate(results, RESULTS)
    scores = _scores(results)
    assert scores["relu"] == 0 and scores["relu_grad"] > 0
    assert results["score"] == pytest.approx(scores["relu_grad"])
    relu = next(t for t in results["tests"] if t["name"].startswith("relu:"))
    assert "No such file or directory" in relu["output"]
