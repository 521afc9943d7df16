#!/bin/sh
# nbgrader itself on the course (make test-nbgrader): generate_assignment, validate, autograde.
#
# nbgrader is not a dependency of the course, so it gets its own environment, .venv-nbgrader/
# (git-ignored): nbgrader, the course's pinned requirements (the kernels nbgrader starts must run
# the notebooks exactly as .venv does) and the course itself, editable. It is rebuilt when
# requirements.txt, pyproject.toml or this file changes. The checks run in tests/nbgrader/check.py;
# the course's own grader still runs from .venv. Options are passed on: check.py --help.
set -eu

NBGRADER_VERSION=0.9.6
cd "$(dirname "$0")/../.."
VENV=${NBGRADER_VENV:-.venv-nbgrader}
STAMP=$VENV/.installed

if [ ! -f "$STAMP" ] || [ requirements.txt -nt "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ] \
        || [ tests/nbgrader/run.sh -nt "$STAMP" ]; then
    echo "Building $VENV (nbgrader==$NBGRADER_VERSION and the course's requirements)..."
    rm -rf "$VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "nbgrader==$NBGRADER_VERSION" -r requirements.txt
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
    touch "$STAMP"
fi

# nbgrader runs `alembic` (its database migrations) by name: the venv's bin must be on PATH.
PATH="$PWD/$VENV/bin:$PATH" exec "$VENV/bin/python" tests/nbgrader/check.py "$@"
