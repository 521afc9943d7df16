"""Bad input gets a row that says why, and never stops the batch: one batch of broken
submissions, graded once, with a correct submission among them that must keep full marks."""

import base64
import csv
import io
import json
import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from checks.grader import cli, grading, notebooks, submissions
from checks.grader.protocol import Limits
from test_grader_support import IS_ROOT, grade, messages, notebook, solved, write

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")

RELU_NOTEBOOK = ["relu", "relu_grad", "hat", "quiz_01"]     # the exercises of 01_relu
MARKER = "1234.5"                                           # a sleep no other process runs
COURSE = Path(__file__).resolve().parent.parent

SUBMISSIONS = {
    "good": [(key, solved(key)) for key in RELU_NOTEBOOK],
    "missing_cell": [("relu", solved("relu"))],
    "duplicated": [("relu", "def relu(z):\n    return z\n"), ("relu", solved("relu"))],
    "syntax_error": [("relu", "def relu(z)\n    return np.maximum(z, 0)\n"), ("relu_grad", solved("relu_grad"))],
    "wrong_name": [("relu", "def Relu(z):\n    return np.maximum(z, 0)\n")],
    "not_a_function": [("relu", "relu = 3\n")],
    "raises": [("relu", "def relu(z):\n    raise ValueError('boom')\n")],
    "stub": [("relu", "def relu(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n")],
    "loop_in_function": [("relu", "def relu(z):\n    while True:\n        pass\n")],
    "loop_in_cell": [("relu", "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                              "while True:\n    pass\n"), ("relu_grad", solved("relu_grad"))],
    "memory_bomb": [("relu", "def relu(z):\n    return np.ones((10**6, 10**6))\n"),
                    ("relu_grad", "hoard = [0] * 10**10\n")],
    "exits": [("relu", solved("relu") + "import sys\nsys.exit(3)\n"),
              ("relu_grad", "import os\nos._exit(7)\n"), ("hat", solved("hat"))],
    "exit_in_function": [("relu", "def relu(z):\n    import os\n    os._exit(0)\n"),
                         ("relu_grad", solved("relu_grad"))],
    "output_flood": [("relu", "import os\nos.write(1, b'x' * 10**7)\nprint('y' * 10**7)\n"
                              "def relu(z):\n    print('chatty ' * 10**6)\n    return np.maximum(z, 0)\n")],
    "child_processes": [("relu", solved("relu") + "import subprocess, threading\n"
                                 f"subprocess.Popen(['sleep', '{MARKER}'])\n"),
                        ("relu_grad", solved("relu_grad") + "import os\nif os.fork() == 0:\n"
                                      "    import time\n    time.sleep(1000)\n"),
                        ("hat", solved("hat") + "import threading\n"
                                "threading.Thread(target=lambda: None).start()\n")],
}


def _sleepers() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and MARKER in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(entry.name)
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    for student, cells in SUBMISSIONS.items():
        write(folder / f"{student}.ipynb", cells)
    (folder / "invalid_json.ipynb").write_text('{"cells": [')
    (folder / "binary.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    (folder / "json_list.ipynb").write_text("[1, 2, 3]")
    (folder / "nbformat3.ipynb").write_text(json.dumps(
        {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}))
    write(folder / "dave" / "01_relu.ipynb", [("relu", solved("relu"))])
    write(folder / "dave" / "nested" / "03_dying_relu.ipynb", [("dead_fraction", solved("dead_fraction"))])
    (folder / "dave" / ".ipynb_checkpoints").mkdir()
    (folder / "dave" / ".ipynb_checkpoints" / "01_relu-checkpoint.ipynb").write_text("not json")
    out = tmp_path_factory.mktemp("out")
    start = time.monotonic()
    code, rows = grade([folder], out, "--jobs", "2", "--timeout", "2", "--seed", "3")
    return code, rows, time.monotonic() - start


def test_grading_ran_and_exited_zero(batch):
    code, rows, seconds = batch
    assert code == 0
    assert set(rows) == set(SUBMISSIONS) | {"invalid_json", "binary", "json_list", "nbformat3", "dave"}
    assert seconds < 30


def test_the_correct_submission_among_them_gets_full_marks(batch):
    row = batch[1]["good"]
    assert row["status"] == "graded" and row["error"] is None
    for key in RELU_NOTEBOOK:
        assert row["exercises"][key]["passed"], messages(row, key)


@pytest.mark.parametrize("student, fragment", [
    ("invalid_json", "it is not valid JSON"),
    ("binary", "it is not text (UTF-8)"),
    ("json_list", "is not a Jupyter notebook"),
    ("nbformat3", "old notebook format 3"),
])
def test_an_unreadable_notebook_is_an_error_row_that_says_why(batch, student, fragment):
    row = batch[1][student]
    assert row["status"] == "error" and fragment in row["error"] and row["total"] == 0
    assert all(fragment in messages(row, key) for key in row["exercises"])


def test_a_missing_exercise_cell_scores_zero_with_a_message(batch):
    row = batch[1]["missing_cell"]
    assert row["status"] == "graded" and row["exercises"]["relu"]["passed"]
    assert row["exercises"]["relu_grad"]["score"] == 0
    assert "No exercise cell for `relu_grad(z)`" in messages(row, "relu_grad")


def test_a_duplicated_exercise_cell_grades_the_last_one_and_says_so(batch):
    row = batch[1]["duplicated"]
    assert row["exercises"]["relu"]["passed"]
    assert "2 exercise cells for `relu`" in messages(row, "relu")


@pytest.mark.parametrize("student, fragment", [
    ("syntax_error", "SyntaxError"),
    ("wrong_name", "It defines `Relu`: check the name"),
    ("not_a_function", "Expected a function `relu(z)`, got a int"),
    ("raises", "raised ValueError: boom"),
    ("loop_in_function", "did not finish within the time limit"),
    ("loop_in_cell", "did not finish within the time limit (2 s)"),
    ("memory_bomb", "MemoryError"),
    ("exit_in_function", "ended the grading process (exit code 0"),
])
def test_a_broken_relu_scores_zero_with_the_reason(batch, student, fragment):
    row = batch[1][student]
    assert row["status"] == "graded"
    assert row["exercises"]["relu"]["score"] == 0 and fragment in messages(row, "relu")


def test_a_stub_is_not_attempted(batch):
    result = batch[1]["stub"]["exercises"]["relu"]
    assert result["status"] == "not attempted" and result["score"] == 0


def test_the_exercises_after_a_fault_are_still_graded(batch):
    rows = batch[1]
    assert rows["syntax_error"]["exercises"]["relu_grad"]["passed"]
    assert rows["loop_in_cell"]["exercises"]["relu_grad"]["passed"]
    assert rows["exit_in_function"]["exercises"]["relu_grad"]["passed"]
    assert rows["exits"]["exercises"]["hat"]["passed"]


def test_exits_in_a_cell_are_reported(batch):
    row = batch[1]["exits"]
    assert row["exercises"]["relu"]["passed"]        # defined before sys.exit: graded, with a note
    assert "SystemExit" in messages(row, "relu")
    assert "ended the grading process (exit code 7" in messages(row, "relu_grad")
    assert "MemoryError" in messages(batch[1]["memory_bomb"], "relu_grad")


def test_a_flood_of_output_is_capped(batch):
    row = batch[1]["output_flood"]
    assert row["exercises"]["relu"]["passed"]
    note = next(m for m in row["exercises"]["relu"]["messages"] if "printed" in m)
    assert "chatty" in note and len(note) < 400


def test_no_child_process_or_thread_outlives_its_sandbox(batch):
    row = batch[1]["child_processes"]
    for key in ("relu", "relu_grad", "hat"):
        assert row["exercises"][key]["passed"], messages(row, key)
    assert "Note: running your exercise cell failed" in messages(row, "relu_grad")    # os.fork
    assert "can't start new thread" in messages(row, "hat")
    assert _sleepers() == []


def test_a_students_folder_is_one_submission_and_checkpoints_are_skipped(batch):
    row = batch[1]["dave"]
    assert row["status"] == "graded" and row["path"].endswith("dave")
    assert row["exercises"]["relu"]["passed"] and row["exercises"]["dead_fraction"]["passed"]


def test_too_much_output_stops_only_that_exercise(tmp_path):
    write(tmp_path / "big.ipynb", [("relu", "def relu(z):\n    return np.zeros(10**5)\n"),
                                   ("relu_grad", solved("relu_grad"))])
    found = submissions.find([tmp_path])
    run = grading.grade(found, limits=Limits(output_bytes=1 << 20), jobs=1, seed=0)
    result = run.results[0].exercises
    assert "sent more than 1 MB" in "\n".join(result["relu"].messages)
    assert result["relu_grad"].passed


# ----------------------------------------------------------------------------- finding submissions

def test_student_ids_come_from_file_names_or_student_folders(tmp_path):
    write(tmp_path / "alice.ipynb", [])
    write(tmp_path / "bob" / "01_relu.ipynb", [])
    write(tmp_path / "bob" / "05_he_init.ipynb", [])
    write(tmp_path / "bob" / ".ipynb_checkpoints" / "01_relu-checkpoint.ipynb", [])
    (tmp_path / "notes.txt").write_text("not a notebook")
    found = submissions.find([tmp_path])
    assert [(s.student, len(s.notebooks)) for s in found] == [("alice", 1), ("bob", 2)]
    assert [s.student for s in submissions.find([tmp_path / "alice.ipynb"])] == ["alice"]


@pytest.mark.parametrize("arguments", [
    ["grade", "{tmp}/missing", "--out", "{tmp}/out"],
    ["grade", "{tmp}/empty", "--out", "{tmp}/out"],
    ["grade", "{tmp}/empty"],
    ["grade", "{tmp}/empty", "--out", "{tmp}/out", "--jobs", "0"],
    ["grade", "{tmp}/empty", "--out", "{tmp}/file.txt"],
    ["grade", "{tmp}/empty", "--gradescope", "{tmp}/empty"],
    ["frobnicate"],
])
def test_usage_errors_exit_2_and_grade_nothing(tmp_path, capsys, arguments):
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.txt").write_text("not a folder")
    try:
        code = cli.main([a.format(tmp=tmp_path) for a in arguments])
    except SystemExit as exit:          # argparse's own usage errors
        code = exit.code
    assert code == 2 and capsys.readouterr().err
    assert not (tmp_path / "out" / "results.json").exists()


def test_python_m_checks_is_the_command_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "checks", "grade", str(tmp_path / "missing"), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, cwd=COURSE)
    assert result.returncode == 2 and "no such file or folder" in result.stderr


def test_an_empty_nbformat_notebook_is_read_as_having_no_exercise(tmp_path):
    path = tmp_path / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    submission = submissions.find([path])[0]
    submission.read()
    assert submission.cells == [] and submission.errors == []


# ----------------------------------------------------------------------------- crafted folders

def grade_in_a_child(paths: list[Path], out: Path, *options: str, seconds: float = 120):
    """``python -m checks grade`` in a child process with 3 GB of address space and a time limit:
    a grader that hangs on a FIFO or reads /dev/zero until memory runs out fails the test,
    not the machine. Its exit code, output, and results by student."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    try:
        done = subprocess.run([sys.executable, "-m", "checks", "grade", *map(str, paths), "--out", str(out),
                               *options], cwd=COURSE, capture_output=True, text=True, timeout=seconds,
                              preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the grader did not finish within {seconds} s")
    results = out / "results.json"
    rows = {row["student"]: row for row in json.loads(results.read_text())} if results.exists() else {}
    return done, rows


FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    """A class folder as a learner set on mischief would leave it."""
    folder = tmp_path_factory.mktemp("crafted")
    write(folder / "peer.ipynb", [("relu", solved("relu"))])
    (folder / "shadow.ipynb").symlink_to("/etc/shadow")
    (folder / "zero.ipynb").symlink_to("/dev/zero")
    (folder / "copycat.ipynb").symlink_to(folder / "peer.ipynb")
    os.mkfifo(folder / "fifo.ipynb")
    if IS_ROOT:
        os.mknod(folder / "device.ipynb", 0o600 | stat.S_IFCHR, os.makedev(1, 5))     # /dev/zero
    outside = tmp_path_factory.mktemp("outside")
    write(outside / "01_relu.ipynb", [("relu", solved("relu"))])
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    write(folder / "nested" / "01_relu.ipynb", [("relu", solved("relu"))])
    (folder / "nested" / "more").symlink_to(outside, target_is_directory=True)
    write(folder / "trent.ipynb", [("relu", solved("relu"))])
    write(folder / "trent" / "01_relu.ipynb", [("relu", "def relu(z):\n    return z\n")])
    write(folder / "sam smith.ipynb", [("relu", solved("relu"))])
    write(folder / "sam_smith.ipynb", [("relu", "def relu(z):\n    return z\n")])
    for name in FORMULAS:
        write(folder / f"{name}.ipynb", [])
    out = tmp_path_factory.mktemp("out")
    done, rows = grade_in_a_child([folder], out, "--jobs", "2", "--seed", "4")
    return {"done": done, "rows": rows, "out": out, "folder": folder}


def assert_refused(row: dict, fragment: str) -> None:
    assert row["status"] == "error" and fragment in row["error"] and row["total"] == 0, row["error"]
    assert "nothing was read through it" in row["error"]


def test_crafted_folders_are_graded_to_the_end(crafted):
    assert crafted["done"].returncode == 0, crafted["done"].stderr[-2000:]
    assert crafted["rows"]["peer"]["exercises"]["relu"]["passed"]


def test_a_symlink_to_etc_shadow_is_a_row_saying_why_and_nothing_is_read(crafted):
    assert_refused(crafted["rows"]["shadow"], "it is a symbolic link, not a regular file")


def test_a_symlink_to_dev_zero_is_a_row_saying_why_and_nothing_is_read(crafted):
    assert_refused(crafted["rows"]["zero"], "it is a symbolic link")


def test_a_symlink_to_a_peers_notebook_is_not_graded_as_ones_own(crafted):
    row = crafted["rows"]["copycat"]
    assert_refused(row, "it is a symbolic link")
    assert not row["exercises"]["relu"]["passed"]


def test_a_fifo_is_a_row_saying_why_and_does_not_hang_the_grader(crafted):
    assert_refused(crafted["rows"]["fifo"], "it is a named pipe (FIFO), not a regular file")


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_a_device_is_a_row_saying_why_and_nothing_is_read(crafted):
    assert_refused(crafted["rows"]["device"], "it is a device, not a regular file")


def test_a_symlinked_folder_is_never_walked(crafted):
    assert_refused(crafted["rows"]["linked"], "the student's folder is a symbolic link")
    nested = crafted["rows"]["nested"]
    assert nested["status"] == "incomplete" and nested["exercises"]["relu"]["passed"]
    assert "more: it is a symbolic link to a folder" in nested["error"]


def test_trent_ipynb_beside_a_folder_trent_is_refused_not_merged(crafted):
    row = crafted["rows"]["trent"]
    assert row["status"] == "error" and row["total"] == 0
    assert "2 submissions have the id 'trent'" in row["error"]
    assert "trent.ipynb" in row["error"] and "trent/" in row["error"]


def test_sam_smith_and_sam_underscore_smith_get_distinct_feedback_files(crafted):
    rows, out = crafted["rows"], crafted["out"]
    files = {rows[s]["feedback"] for s in ("sam smith", "sam_smith")}
    assert len(files) == 2
    assert "**Total: 2 / " in (out / rows["sam smith"]["feedback"]).read_text()
    assert "**Total: 0 / " in (out / rows["sam_smith"]["feedback"]).read_text()


def test_the_count_printed_is_the_count_written(crafted):
    written = list((crafted["out"] / "feedback").iterdir())
    assert len(written) == len(crafted["rows"])
    assert f"and {len(written)} feedback files" in crafted["done"].stdout
    assert f"{len(crafted['rows'])} submissions in" in crafted["done"].stdout


def test_spreadsheet_cells_are_escaped_against_formula_injection(crafted):
    table = list(csv.reader(io.StringIO((crafted["out"] / "grades.csv").read_bytes().decode(), newline="")))
    ids = [row[0] for row in table[1:]]
    for name in FORMULAS:
        assert "'" + name in ids
    assert not [cell for row in table for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_reading_a_notebook_is_capped_in_bytes_and_time(tmp_path, monkeypatch):
    big = tmp_path / "big.ipynb"
    with open(big, "wb") as handle:
        handle.truncate(notebooks.MAX_FILE_BYTES + 1)          # sparse: nothing is written
    with pytest.raises(notebooks.NotebookError, match="too large to be read"):
        notebooks.read_regular_file(big)
    slow = write(tmp_path / "slow.ipynb", [("relu", solved("relu"))])
    with pytest.raises(notebooks.NotebookError, match="reading it took longer than 0 s"):
        notebooks.read_regular_file(slow, seconds=0)


# ----------------------------------------------------------------------------- faults stay small

def test_a_quiz_answer_of_10_to_the_4000_costs_only_that_exercise(tmp_path):
    quiz = 'def quiz_01():\n    return {"q1": 10**4000, "q2": 1.0, "q3": 0.5, "q4": "b"}\n'
    write(tmp_path / "in" / "huge.ipynb", [("relu", solved("relu")), ("quiz_01", quiz)])
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--seed", "1")
    row = rows["huge"]
    assert code == 0 and row["status"] == "graded" and row["error"] is None
    assert row["exercises"]["relu"]["passed"]
    quiz_result = row["exercises"]["quiz_01"]
    assert not quiz_result["passed"] and quiz_result["score"] > 0      # q2 to q4 right


def test_an_error_judging_one_exercise_costs_only_that_exercise(tmp_path, monkeypatch, capsys):
    judge = grading.judge

    def judge_failing_on_hat(plan, report):
        if plan.exercise.id == "hat":
            raise OverflowError("a bug of the grader's")
        return judge(plan, report)

    monkeypatch.setattr(grading, "judge", judge_failing_on_hat)
    write(tmp_path / "in" / "olga.ipynb", [(key, solved(key)) for key in RELU_NOTEBOOK])
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--seed", "1")
    row = rows["olga"]
    assert code == 3 and row["status"] == "graded"
    assert all(row["exercises"][key]["passed"] for key in RELU_NOTEBOOK if key != "hat")
    assert row["exercises"]["hat"]["status"] == "not graded"
    assert "the grader failed while judging your answer (OverflowError)" in messages(row, "hat")
    assert "grader fault while judging hat: OverflowError" in row["error"]
    assert "olga" in (tmp_path / "out" / "report.md").read_text().split("## Submissions with problems")[1]


def test_a_notebook_with_30_mb_of_figures_is_graded(tmp_path):
    nb = notebook([("relu", solved("relu"))])
    figure = base64.b64encode(os.urandom(3 << 20)).decode()                  # 4 MB of "PNG"
    for _ in range(8):
        nb.cells.append(nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": figure, "text/plain": "<Figure>"})]))
    path = tmp_path / "in" / "figures.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    assert path.stat().st_size > 30 << 20
    code, rows = grade([path.parent], tmp_path / "out", "--seed", "1")
    row = rows["figures"]
    assert code == 0 and row["status"] == "graded" and row["exercises"]["relu"]["passed"], row["error"]


def test_the_code_that_runs_is_what_the_size_limit_applies_to(tmp_path):
    source = "def relu(z):\n    return np.maximum(z, 0)\n" + "#" * notebooks.MAX_CODE_CHARS
    write(tmp_path / "long.ipynb", [("relu", source)])
    with pytest.raises(notebooks.NotebookError, match="million characters of code"):
        notebooks.exercise_cells(tmp_path / "long.ipynb")


def test_the_exercise_limit_in_messages_agrees_with_timeout(tmp_path):
    write(tmp_path / "in" / "slow.ipynb", [
        ("relu", "while True:\n    pass\n"),
        ("relu_grad", "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    pass\n")])
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--timeout", "2", "--seed", "1")
    for key in ("relu", "relu_grad"):
        text = messages(rows["slow"], key)
        assert "within the time limit (2 s)" in text or "within 2 s" in text, text
        assert "1.6 s" not in text, text
