"""End-to-end check of the course in a real browser (`make e2e`).

A throw-away JupyterLab on loopback, headless Chromium driven by Playwright, and for every
notebook in notebooks/ what a learner does:

1. open the notebook and wait until the status bar shows the kernel idle (Run All before that
   silently runs nothing);
2. clear the outputs stored in the file (so nothing is judged on saved outputs), click
   Run > Run All Cells, and wait until no cell shows ``[*]`` and the kernel is idle again;
3. assert that every code cell ran, that no output is an error or stderr, and that every explorer
   cell (a cell ending in ``*_explorer()``) rendered its ipywidgets: the controls, a slider and
   the picture in its Output widget;
4. for each explorer, focus its first slider, press an arrow key, and wait until the slider's
   readout and the picture both change, still with no error output.

Every wait is on a condition in the page (Playwright's wait_for, wait_for_function, expect),
never a fixed sleep. JupyterLab runs with a temporary configuration: no token; autosave off and
checkpoints in a temp folder, so nothing in the repository is written (the run fails if the page
asks the server to write a file); every cell kept in the DOM (windowing off); progress records
of check() in a temp folder. On failure, a screenshot of each failing notebook goes to a temp
folder whose path is printed. The server is stopped by its process id at the end, whatever
happened.

Installs nothing: it needs ``playwright`` importable by the Python that runs it
(tests/e2e/requirements.txt), JupyterLab in the course's .venv, and Chromium: Debian's
``chromium`` package at /usr/bin/chromium, or another with E2E_CHROMIUM=path.

    .venv/bin/python tests/e2e/run.py [--only 03] [--screenshots DIR] [--notebooks DIR]

``--notebooks tests/e2e/broken`` runs it on notebooks made to fail (an error, a stderr line, an
explorer whose redraw raises): every one of them must be reported as failed.

Exit status: 0 when every notebook passed, 1 when one failed, 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Generous bounds on real conditions; a healthy run is far inside each of them.
SERVER_START_S = 90          # JupyterLab answers HTTP
KERNEL_IDLE_MS = 90_000      # a notebook opened to its kernel idle
RUN_ALL_MS = 180_000         # Run All Cells to every cell done (05 takes ~15 s alone)
WIDGET_MS = 30_000           # a widget view or a redrawn picture appears
WHOLE_RUN_S = 1500           # the whole run, whatever hangs

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

# JupyterLab settings for the run: never save a notebook, keep every cell in the DOM (JupyterLab
# 4 otherwise may skip rendering cells out of view). The news question is left to the course's
# own environment (checks/lab_settings.py): the run checks a learner never sees it.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}
NEWS_QUESTION = re.compile(r"Jupyter news", re.IGNORECASE)

STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
EXPLORER_CELL = re.compile(r"\w+_explorer\(\)\s*$")
# The status bar's kernel item reads "Python 3 (ipykernel) | Idle".
KERNEL_STATUS = '#jp-main-statusbar .jp-StatusBar-TextItem[title^="Change kernel"]'
IDLE = re.compile(r"\|\s*Idle\s*$")

# Done with Run All: no cell queued or running ([*]), the first code cell has run, and the
# status bar says the kernel is idle.
RUN_FINISHED_JS = """([status]) => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
      .map(e => e.textContent.trim());
  if (!prompts.length || prompts.some(t => t.includes('*'))) return false;
  if (!/\\[\\d+\\]/.test(prompts[0])) return false;
  const kernel = document.querySelector(status);
  return !!kernel && /\\|\\s*Idle\\s*$/.test(kernel.textContent);
}"""

# The explorer redrew: an <img> in its Output widget whose src differs from before (or an error
# output appeared instead, which is reported as such without waiting for the timeout).
REDRAWN_JS = """([cell, old, stderr]) => {
  if (cell.querySelector(stderr)) return true;
  const img = cell.querySelector('.widget-output img');
  return !!img && !!img.getAttribute('src') && img.getAttribute('src') !== old;
}"""


@dataclass
class Result:
    name: str
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Timeout(BaseException):
    """The whole run took too long, or it was told to stop: not one notebook's failure."""


# --------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def course_python() -> str:
    """The Python that has JupyterLab: E2E_PYTHON, else the course's .venv, else this one."""
    if os.environ.get("E2E_PYTHON"):
        return os.environ["E2E_PYTHON"]
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def start_server(tmp: Path, extra: list[str]) -> tuple[subprocess.Popen, str, Path]:
    settings = tmp / "lab-settings"
    for rel, values in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    for sub in ("config", "runtime", "workspaces", "ipython", "checkpoints"):
        (tmp / sub).mkdir()
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp / "config"),        # no user config leaks in
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               IPYTHONDIR=str(tmp / "ipython"),
               RELU_COURSE_PROGRESS=str(tmp / "progress.json"),  # check() records go here
               OPENBLAS_NUM_THREADS="1")                      # as `make test`: 2 cores, shared
    env.pop("JUPYTER_TOKEN", None)
    port = free_port()
    cmd = [course_python(), "-m", "jupyterlab",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.open_browser=False",
           f"--ServerApp.root_dir={REPO}",
           f"--LabApp.user_settings_dir={settings}",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
           # JupyterLab checkpoints a notebook when it opens it: keep that out of the repository.
           f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd += extra
    log = tmp / "jupyterlab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    while True:  # poll the real condition: the server answers HTTP (or has died)
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"{base}/api/status", timeout=2) as response:
                if response.status == 200:
                    return proc, base, log
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"JupyterLab did not answer within {SERVER_START_S} s:\n{tail(log)}")
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM the server by its pid (it shuts its kernels down), then its group if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def shutdown_kernels(context, base: str) -> None:
    """Shut down the kernel sessions the last notebook left, so one kernel runs at a time.

    Through the browser's request context: it holds the _xsrf cookie the server checks."""
    xsrf = next((c["value"] for c in context.cookies(base) if c["name"] == "_xsrf"), "")
    sessions = context.request.get(f"{base}/api/sessions")
    for session in sessions.json() if sessions.ok else []:
        response = context.request.delete(f"{base}/api/sessions/{session['id']}",
                                          headers={"X-XSRFToken": xsrf})
        if not response.ok:
            print(f"  (could not shut kernel session {session['id']} down: {response.status})")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --------------------------------------------------------------------------- one notebook

def menu_click(page, menu: str, item: str) -> None:
    """Click a main-menu entry as a person does: the menu ("Run"), then its item by label."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    entry = page.locator(".lm-Menu .lm-Menu-item:not(.lm-mod-disabled)").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")))
    entry.wait_for(state="visible")
    entry.click()
    page.locator(".lm-Menu").first.wait_for(state="detached")


def explorer_cells(path: Path) -> list[int]:
    cells = json.loads(path.read_text())["cells"]
    return [i for i, cell in enumerate(cells)
            if cell["cell_type"] == "code" and EXPLORER_CELL.search("".join(cell["source"]).strip())]


def shorten(text: str) -> str:
    """A traceback's head and its last lines (where the exception is)."""
    text = text.strip()
    return text if len(text) <= 700 else f"{text[:200]} [...] {text[-450:]}"


def error_texts(scope) -> list[str]:
    texts = []
    for output in scope.locator(STDERR).all():
        texts.append(shorten(output.inner_text()))
    for broken in scope.locator(".jupyter-widgets", has_text="Error displaying widget").all():
        texts.append(broken.inner_text()[:300])
    return texts


def check_notebook(context, base: str, path: Path, shots: Path, every: bool,
                   result: Result) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    try:
        _check_notebook(page, expect, base, path, result)
    except Exception as error:  # a timeout or a broken page: this notebook fails, the run goes on
        message = str(error).strip().splitlines()
        result.failures.append(f"{type(error).__name__}: {' '.join(message[:3])[:800]}")
    finally:
        if result.failures or every:
            first_error = page.locator(STDERR).first
            try:
                if first_error.count():
                    first_error.scroll_into_view_if_needed(timeout=5000)
                page.screenshot(path=str(shots / f"{path.stem}.png"), timeout=15_000)
            except Exception as error:
                result.notes.append(f"no screenshot: {error}")
        page.close()  # never runs beforeunload: the notebook is not saved


def _check_notebook(page, expect, base: str, path: Path, result: Result) -> None:
    # A workspace of its own, so no earlier notebook is restored beside this one.
    page.goto(f"{base}/lab/workspaces/e2e-{path.stem}/tree/{path.relative_to(REPO).as_posix()}")
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    cells = notebook.locator(".jp-Notebook-cell")
    # The notebook's cells, or a dialog saying why it did not open.
    page.locator(".jp-Notebook .jp-Notebook-cell, .jp-Dialog").first.wait_for(timeout=KERNEL_IDLE_MS)
    dialog = page.locator(".jp-Dialog")
    if dialog.count():
        result.failures.append(f"a dialog instead of the notebook: {dialog.first.inner_text()!r}")
        return
    # Run All before the kernel is idle silently runs nothing.
    expect(page.locator(KERNEL_STATUS)).to_have_text(IDLE, timeout=KERNEL_IDLE_MS)
    expect(page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).to_have_count(
        1, timeout=KERNEL_IDLE_MS)

    stored = json.loads(path.read_text())["cells"]
    expect(cells).to_have_count(len(stored), timeout=KERNEL_IDLE_MS)
    code_count = sum(cell["cell_type"] == "code" for cell in stored)

    # Clear the outputs stored in the file, so everything checked below was made by this run.
    menu_click(page, "Edit", "Clear Outputs of All Cells")
    expect(notebook.locator(".jp-OutputArea-output")).to_have_count(0, timeout=WIDGET_MS)
    numbered = notebook.locator(".jp-CodeCell .jp-InputPrompt", has_text=re.compile(r"\[\d+\]"))
    expect(numbered).to_have_count(0, timeout=WIDGET_MS)

    menu_click(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED_JS, arg=[KERNEL_STATUS], timeout=RUN_ALL_MS, polling=100)
    if page.get_by_text(NEWS_QUESTION).count():
        result.failures.append("JupyterLab asked about Jupyter news (the course's overrides.json "
                               "should turn the question off)")

    prompts = [t.strip() for t in notebook.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]
    not_run = [i for i, t in enumerate(prompts) if not re.search(r"\[\d+\]", t)]
    if len(prompts) != code_count:
        result.failures.append(f"{len(prompts)} code cells on the page, {code_count} in the file")
    if not_run:
        result.failures.append(f"{len(not_run)} code cell(s) did not run, from code cell {not_run[0]}"
                               f" (prompts {prompts[not_run[0]]!r})")
    for text in error_texts(notebook):
        result.failures.append(f"error output after Run All: {text!r}")

    explorers = explorer_cells(path)
    for index in explorers:
        cell = cells.nth(index)
        label = f"explorer in cell {index} ({''.join(stored[index]['source']).strip()})"
        try:
            check_explorer(page, expect, cell, label, result)
        except Exception as error:
            message = " ".join(str(error).strip().splitlines()[:3])[:600]
            result.failures.append(f"{label}: {type(error).__name__}: {message}")
    result.notes.append(f"{code_count} code cells, {len(explorers)} explorer(s)")


def check_explorer(page, expect, cell, label: str, result: Result) -> None:
    # The ipywidgets views: the interact box, a slider, and the picture in its Output widget.
    box = cell.locator(".jp-OutputArea-output .widget-interact")
    try:
        expect(box).to_have_count(1, timeout=WIDGET_MS)
    except AssertionError:
        outputs = cell.locator(".jp-OutputArea-output").all_inner_texts()
        result.failures.append(f"{label}: no ipywidgets view rendered (no .widget-interact in its "
                               f"output, which reads {shorten(' '.join(outputs))!r})")
        return
    slider = box.locator(".widget-slider, .widget-hslider").first
    slider.wait_for(state="visible", timeout=WIDGET_MS)
    # An explorer whose update is a training draws when its button is pressed (interact's manual mode).
    button = box.locator("button.widget-button")
    manual = button.count() > 0
    if manual:
        button.first.click()
    picture = box.locator(".widget-output img")
    picture.first.wait_for(state="attached", timeout=WIDGET_MS)
    old_src = picture.first.get_attribute("src")
    readout = slider.locator(".widget-readout")
    old_readout = readout.inner_text().strip() if readout.count() else None

    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    value, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if value is not None and value == top else "ArrowRight"
    handle.focus()
    handle.press(key)
    if manual:
        button.first.click()

    if old_readout is not None:
        expect(readout).not_to_have_text(old_readout, timeout=WIDGET_MS)
    page.wait_for_function(REDRAWN_JS, arg=[cell.element_handle(), old_src, STDERR],
                           timeout=WIDGET_MS, polling=50)
    # The redraw finished (the kernel is idle again): no error, and a new picture.
    expect(page.locator(KERNEL_STATUS)).to_have_text(IDLE, timeout=WIDGET_MS)
    for text in error_texts(cell):
        result.failures.append(f"{label}: error output after {key}: {text!r}")
    if picture.count() == 0 or picture.first.get_attribute("src") == old_src:
        result.failures.append(f"{label}: the picture did not change after {key}")
    new_readout = readout.inner_text().strip() if readout.count() else "?"
    result.notes.append(f"{label.split(' (')[0]}: {key} {old_readout} -> {new_readout}")


# --------------------------------------------------------------------------- the run

def is_write(method: str, url: str) -> bool:
    """A request to the contents API that writes a file: a save, rename, delete or upload.
    (Creating a checkpoint is allowed: the server writes checkpoints to a temp folder.)"""
    path = url.split("?")[0]
    if "/api/contents" not in path or method in ("GET", "HEAD", "OPTIONS"):
        return False
    return not (method == "POST" and "/checkpoints" in path)


def digest(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


# --------------------------------------------------------------------------- self-test

# Notebooks made to fail, each with what the report must say about it: the checks above must
# catch every one (a check that cannot fail proves nothing). Built at run time in a hidden temp
# folder under tests/e2e/ (JupyterLab serves only the repository; pytest and nbval skip hidden
# folders), removed afterwards.
BROKEN = {
    "error_stops_run_all": (["print('fine')", "1 / 0", "print('never runs')"],
                            ["ZeroDivisionError", "did not run"]),
    "stderr_output": (["import sys\nprint('a warning', file=sys.stderr)"], ["a warning"]),
    "explorer_redraw_raises": ([
        "import ipywidgets as widgets\nimport matplotlib.pyplot as plt\n\n"
        "def draw(k):\n    if k != 2:\n        raise ValueError('redraw failed')\n"
        "    plt.plot([0, k])\n    plt.show()\n\n"
        "def broken_explorer():\n"
        "    return widgets.interactive(draw, k=widgets.IntSlider(value=2, min=1, max=5))",
        "broken_explorer()"], ["redraw failed"]),
    "explorer_without_widget": (["def none_explorer():\n    return None", "none_explorer()"],
                                ["widget-interact"]),
}


def write_broken(folder: Path) -> None:
    for name, (sources, _) in BROKEN.items():
        notebook = {"nbformat": 4, "nbformat_minor": 5,
                    "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                "display_name": "Python 3 (ipykernel)"}},
                    "cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {},
                               "execution_count": None, "outputs": [], "source": source}
                              for i, source in enumerate(sources)]}
        (folder / f"{name}.ipynb").write_text(json.dumps(notebook, indent=1))


# --------------------------------------------------------------------------- the run

def run(notebooks: list[Path], chromium: str, shots: Path, every: bool, headed: bool,
        server_args: list[str] = (), keep_logs: bool = True) -> int:
    from playwright.sync_api import sync_playwright

    def on_signal(signum, _frame):
        raise Timeout(f"the whole run exceeded {WHOLE_RUN_S} s" if signum == signal.SIGALRM
                      else f"stopped by signal {signum}")
    signal.signal(signal.SIGALRM, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    signal.alarm(WHOLE_RUN_S)

    started = time.monotonic()
    before = digest(notebooks)
    tmp = Path(tempfile.mkdtemp(prefix="relu-course-e2e-"))
    results: list[Result] = []
    writes: list[str] = []
    server = None
    fatal = None
    try:
        server, base, _ = start_server(tmp, list(server_args))
        print(f"e2e: JupyterLab (pid {server.pid}) at {base}, up in "
              f"{time.monotonic() - started:.1f} s", flush=True)
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(tmp / "chromium-profile"), executable_path=chromium,
                headless=not headed, args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000})
            # Every request by which the page could change a file in the repository.
            context.on("request", lambda request: writes.append(f"{request.method} {request.url}")
                       if is_write(request.method, request.url) else None)
            try:
                for path in notebooks:
                    result = Result(path.stem)
                    t0 = time.monotonic()
                    check_notebook(context, base, path, shots, every, result)
                    shutdown_kernels(context, base)
                    result.seconds = time.monotonic() - t0
                    results.append(result)
                    status = "FAIL" if result.failures else "ok  "
                    print(f"{status} {path.stem:<24} {result.seconds:5.1f} s  "
                          + "; ".join(result.notes), flush=True)
                    for failure in result.failures:
                        print(f"     - {failure}", flush=True)
            finally:
                context.close()
    except (Exception, Timeout) as error:  # no server or browser, or the whole run timed out
        fatal = error
        traceback.print_exc()
    finally:
        signal.alarm(0)
        if server is not None:
            stop_server(server)
            print(f"e2e: JupyterLab (pid {server.pid}) stopped, exit {server.returncode}")
        after = digest(notebooks)

    if writes:
        print("e2e: FAIL: the browser asked the server to write files (autosave must stay off): "
              + ", ".join(writes))
    changed = [name for name in before if before[name] != after.get(name)]
    if changed:  # not through the browser (no write request): another process edited them
        print(f"e2e: warning: {changed} changed during the run, though the browser sent no write "
              "request: was another process editing the notebooks?")
    failed = [r for r in results if r.failures]
    if (failed or fatal is not None or writes) and keep_logs:
        print(f"e2e: screenshots of the failing notebooks: {shots}")
        print(f"e2e: JupyterLab's log: {tmp / 'jupyterlab.log'}")
        if fatal is not None:
            print(tail(tmp / "jupyterlab.log"))
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    passed = len(results) - len(failed)
    print(f"e2e: {len(results)} of {len(notebooks)} notebooks checked in "
          f"{time.monotonic() - started:.1f} s")
    if keep_logs:
        print(f"e2e: {passed} passed, {len(notebooks) - passed} failed")
    else:                                   # the self-test's notebooks are meant to fail
        print(f"e2e self-test notebooks: {len(notebooks) - passed} of {len(notebooks)} failed, as meant")
    global LAST_RESULTS
    LAST_RESULTS = results
    if fatal is not None and not results:
        return 2
    return 1 if failed or writes or fatal is not None else 0


LAST_RESULTS: list[Result] = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[],
                        help="only the notebooks whose name starts with this (repeatable)")
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"),
                        help="folder of the notebooks, relative to the repository")
    parser.add_argument("--screenshots", type=Path,
                        help="a screenshot of every notebook here (default: of the failing ones, "
                             "in a temp folder)")
    parser.add_argument("--self-test", action="store_true",
                        help="run on notebooks made to fail and check that each one is caught")
    parser.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    args = parser.parse_args(argv)

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("e2e: playwright is not installed: pip install -r tests/e2e/requirements.txt",
              file=sys.stderr)
        return 2
    chromium = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        print(f"e2e: no Chromium at {chromium}: apt-get install -y chromium "
              "(or set E2E_CHROMIUM)", file=sys.stderr)
        return 2
    shots = args.screenshots or Path(tempfile.mkdtemp(prefix="relu-course-e2e-screenshots-"))
    shots.mkdir(parents=True, exist_ok=True)

    if args.self_test:
        folder = Path(tempfile.mkdtemp(prefix=".broken-", dir=Path(__file__).parent))
        try:
            write_broken(folder)
            run(sorted(folder.glob("*.ipynb")), chromium, shots, bool(args.screenshots),
                args.headed, ["--ContentsManager.allow_hidden=True"], keep_logs=False)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        caught = 0
        for result in LAST_RESULTS:
            expected = BROKEN[result.name][1]
            report = "\n".join(result.failures)
            missing = [text for text in expected if text not in report]
            caught += not missing
            print(f"self-test {'ok  ' if not missing else 'FAIL'} {result.name}: "
                  + ("caught" if not missing else f"the report does not say {missing}"))
        if args.screenshots is None:
            shutil.rmtree(shots, ignore_errors=True)
        print(f"self-test: {caught} passed, {len(BROKEN) - caught} failed")
        return 0 if caught == len(BROKEN) else 1

    folder = (REPO / args.notebooks).resolve()
    if not folder.is_relative_to(REPO):
        print(f"e2e: {folder} is outside the repository, which JupyterLab serves", file=sys.stderr)
        return 2
    notebooks = sorted(folder.glob("*.ipynb"))
    if args.only:
        notebooks = [p for p in notebooks if any(p.name.startswith(o) for o in args.only)]
    if not notebooks:
        print(f"e2e: no notebook in {folder}", file=sys.stderr)
        return 2
    status = run(notebooks, chromium, shots, bool(args.screenshots), args.headed)
    if status == 0 and args.screenshots is None:
        shutil.rmtree(shots, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
