# Two commands for a fresh machine: `make lab` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# JupyterLab refuses to run as root without --allow-root; without a display it cannot open a
# browser, so it only prints the URL to open.
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root) \
             $(if $(and $(filter Linux,$(shell uname -s)),$(if $(DISPLAY)$(WAYLAND_DISPLAY),,no)),--no-browser)

PYTEST_FLAGS := -n 2 --dist loadfile --nbval --nbval-current-env \
                --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test test-nbgrader e2e notebooks solutions grade bench wheelhouse clean

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(LAB_FLAGS) notebooks/00_index.ipynb

# One BLAS thread per process: the tests already run two workers on two cores, and small matrix
# products split over busy cores are several times slower.
test: $(STAMP)
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest $(PYTEST_FLAGS)

# nbgrader 0.9.6 itself on the course (generate_assignment, validate, autograde, export), in its
# own environment .venv-nbgrader; its scores must equal python -m checks grade's, learners who
# rebind `check` or unset NBGRADER_EXECUTION included, and python -m checks grade
# --nbgrader-gradebook must write the sandbox's scores and feedback into its gradebook (tests/nbgrader/).
test-nbgrader: $(STAMP)
	PYTHON=$(PYTHON) tests/nbgrader/run.sh

# Gradescope as Gradescope runs it: the autograder zip unpacked into a fresh /autograder (bound
# by bubblewrap), setup.sh run as root, run_autograder on three submissions. Root and bwrap; offline.
.PHONY: test-gradescope
test-gradescope: $(STAMP)
	RELU_TEST_GRADESCOPE=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pytest tests/test_gradescope_autograder.py

# The browser test: every notebook run in JupyterLab in headless Chromium, no error output, every
# explorer rendered and redrawn when its slider moves. Needs Chromium: apt-get install -y chromium.
# Playwright goes into .venv only for this test (not into requirements.txt: learners don't need it).
E2E_STAMP := $(VENV)/.e2e-installed
e2e: $(E2E_STAMP)
	$(PY) tests/e2e/run.py --self-test
	$(PY) tests/e2e/run.py

$(E2E_STAMP): $(STAMP) tests/e2e/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt
	touch $(E2E_STAMP)

# Regenerate navigation and the course map, then re-run every notebook storing its outputs.
notebooks: $(STAMP)
	$(PY) -m checks.course --write
	$(PY) -m checks.course --execute

# The solved edition (every stub replaced by the reference solution), for instructors.
solutions: $(STAMP)
	$(PY) -m checks solutions --out build/solutions

# Grade a class: make grade SUBMISSIONS=path/to/notebooks (README, "Grading a class").
SUBMISSIONS ?= submissions
GRADES      ?= grades
grade: $(STAMP)
	$(PY) -m checks grade $(SUBMISSIONS) --out $(GRADES)

autograder.zip: $(STAMP)
	$(PY) -m checks gradescope-bundle --out $@

# Timings of notebooks, explorers, kernels, training and grading; writes benchmarks/results.json.
bench: $(STAMP)
	$(PY) benchmarks/run.py

# Every wheel the course needs, for installing without network at a workshop (README).
wheelhouse:
	$(PYTHON) -m pip download --dest wheelhouse -r requirements.txt setuptools

# (Re)build the environment when requirements.txt or pyproject.toml changes.
$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m checks.lab_settings
	touch $(STAMP)

clean:
	rm -rf $(VENV) .venv-nbgrader *.egg-info
