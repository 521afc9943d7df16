"""What a grading run writes (grades.csv, results.json, feedback, report, Gradescope's schema),
written atomically; reproducible with --seed; a killed run can be run again."""

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from checks import EXERCISES
from checks.grader import cli, submissions
from test_grader_support import IS_ROOT, grade, solved, write

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")

COURSE = Path(__file__).resolve().parent.parent
RELU_NOTEBOOK = [key for key, e in EXERCISES.items() if e.notebook == "01_relu"]
MISTAKE = "def relu_grad(z):\n    return (z >= 0).astype(float)\n"


def make_batch(folder: Path) -> Path:
    write(folder / "alice.ipynb", [(key, solved(key)) for key in RELU_NOTEBOOK])
    write(folder / "bob.ipynb", [("relu", solved("relu")), ("relu_grad", MISTAKE), ("hat", "def hat(x):\n    return x\n")])
    (folder / "carol.ipynb").write_text("{ this is not json")
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = make_batch(tmp_path_factory.mktemp("submissions"))
    out = tmp_path_factory.mktemp("out")
    (out / "results.json").write_text("[{\"student\": \"left over from another run\"")
    (out / ".grading-grades.csv.x1y2.tmp").write_text("a temp file of a killed run")
    code, rows = grade([folder], out, "--seed", "5", "--jobs", "2")
    return {"code": code, "rows": rows, "out": out, "folder": folder}


def test_grades_csv_has_a_row_per_student_and_a_column_per_exercise(run):
    table = list(csv.DictReader(io.StringIO((run["out"] / "grades.csv").read_text())))
    assert list(table[0]) == ["student", *RELU_NOTEBOOK, "total", "max_total", "status"]
    by_student = {row["student"]: row for row in table}
    assert set(by_student) == {"alice", "bob", "carol"}
    top = sum(EXERCISES[key].points for key in RELU_NOTEBOOK)
    assert by_student["alice"]["total"] == by_student["alice"]["max_total"] == f"{top:g}"
    assert by_student["bob"]["status"] == "graded" and by_student["carol"]["status"] == "error"
    assert float(by_student["bob"]["relu_grad"]) == 0.0          # the mistake relu_grad is about earns nothing


def test_results_json_has_one_object_per_submission(run):
    rows = json.loads((run["out"] / "results.json").read_text())
    assert [row["student"] for row in rows] == ["alice", "bob", "carol"]
    for row in rows:
        assert set(row) >= {"student", "path", "status", "error", "exercises", "total", "max_total"}
        assert row["total"] == pytest.approx(sum(e["score"] for e in row["exercises"].values()))
        for result in row["exercises"].values():
            assert set(result) >= {"score", "max_score", "passed", "messages"}
    assert rows[2]["status"] == "error" and "not valid JSON" in rows[2]["error"]
    assert rows[0]["error"] is None and rows[0]["path"].endswith("alice.ipynb")


def test_outputs_replace_old_files_whole_and_leave_no_temp_file(run):
    out = run["out"]
    assert json.loads((out / "results.json").read_text())[0]["student"] == "alice"
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert leftovers == []


def test_feedback_has_every_exercise_and_stops_at_the_first_failing_input(run):
    feedback = run["out"] / "feedback"
    assert sorted(p.name for p in feedback.iterdir()) == ["alice.md", "bob.md", "carol.md"]
    text = (feedback / "bob.md").read_text()
    for key in RELU_NOTEBOOK:
        assert f"## {key}:" in text
    relu_grad = text.split("## relu_grad:")[1].split("\n## ")[0]
    assert relu_grad.count("First failing input") == 1 and "expected:" in relu_grad
    assert "Diagnosis: Your derivative is 1 at z = 0" in relu_grad
    assert "could not be graded" in (feedback / "carol.md").read_text()


def test_the_report_shows_scores_pass_rates_and_the_frequent_mistakes(run):
    out = run["out"]
    report = (out / "report.md").read_text()
    assert "--seed 5" in report and "1 with errors" in report
    assert "**50 %** (1 of 2) made the mistake *slope 1 at z = 0* in `relu_grad`" in report
    assert "carol" in report.split("## Submissions with problems")[1]
    for figure in ("scores.png", "exercises.png"):
        assert f"({figure})" in report
        assert (out / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_batch_without_a_gradable_notebook_still_gets_a_report(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dan.ipynb").write_text("nope")
    code, rows = grade([tmp_path / "in"], tmp_path / "out")
    report = (tmp_path / "out" / "report.md").read_text()
    assert code == 0 and rows["dan"]["status"] == "error"
    assert "No exercise was graded" in report and "- `dan` (" in report


def test_the_same_seed_gives_the_same_results(run, tmp_path):
    code, _ = grade([run["folder"]], tmp_path, "--seed", "5", "--jobs", "1")
    assert code == 0
    for name in ("results.json", "grades.csv"):
        assert (tmp_path / name).read_bytes() == (run["out"] / name).read_bytes()


def _processes_of(grader_pid: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"--grader={grader_pid}".encode() in (entry / "cmdline").read_bytes():
                found.append(entry.name)
        except OSError:
            continue
    return found


def test_a_killed_run_leaves_nothing_running_and_can_be_run_again(tmp_path):
    folder = make_batch(tmp_path / "submissions")
    write(folder / "slow.ipynb", [("relu", "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
                                           "while True:\n    pass\n")])
    out, command = tmp_path / "out", [sys.executable, "-m", "checks", "grade", str(folder), "--out",
                                      str(tmp_path / "out"), "--jobs", "1", "--timeout", "3", "--seed", "1"]
    process = subprocess.Popen(command, cwd=COURSE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not _processes_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_of(process.pid), "the run should have started its sandbox worker"
    deadline = time.monotonic() + 30                    # well into grading: a sandbox is running
    while len(_processes_of(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 15
    while _processes_of(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_of(process.pid) == []
    finished = subprocess.run(command, cwd=COURSE, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert "4 submissions" in finished.stdout
    rows = json.loads((out / "results.json").read_text())
    assert sorted(row["student"] for row in rows) == ["alice", "bob", "carol", "slow"]
    assert not [p for p in out.rglob("*.tmp")]


# ----------------------------------------------------------------------------- Gradescope

def test_gradescope_results_follow_gradescopes_schema(tmp_path):
    submission = tmp_path / "submission"
    write(submission / "01_relu.ipynb", [("relu", solved("relu")), ("relu_grad", MISTAKE)])
    assert cli.main(["grade", "--gradescope", str(submission), "--out", str(tmp_path / "results")]) == 0
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert set(results) >= {"score", "tests"}
    assert [t["name"].split(":")[0] for t in results["tests"]] == RELU_NOTEBOOK
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed") and test["visibility"] == "visible"
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]))
    by_name = {t["name"].split(":")[0]: t for t in results["tests"]}
    assert by_name["relu"]["status"] == "passed" and by_name["hat"]["score"] == 0
    assert "slope" in by_name["relu_grad"]["output"] or "Diagnosis" in by_name["relu_grad"]["output"]


def test_gradescope_without_a_notebook_scores_zero_and_says_why(tmp_path):
    (tmp_path / "submission").mkdir()
    assert cli.main(["grade", "--gradescope", str(tmp_path / "submission"), "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["score"] == 0 and results["tests"] == [] and "No notebook" in results["output"]


def test_the_gradescope_bundle_holds_the_scripts_requirements_and_packages(tmp_path):
    target = tmp_path / "autograder.zip"
    assert cli.main(["gradescope-bundle", "--out", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        run_autograder = archive.read("run_autograder").decode()
    assert {"setup.sh", "run_autograder", "requirements.txt", "checks/__init__.py",
            "checks/grader/sandbox.py", "reference/__init__.py"} <= names
    assert not any("__pycache__" in name for name in names)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert "python -m checks grade --gradescope" in run_autograder


# ----------------------------------------------------------------------------- the terminal

class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_only():
    quiet, shown = io.StringIO(), Terminal()
    for stream in (quiet, shown):
        bar = cli.ProgressBar(2, stream)
        bar.advance("alice")
        bar.advance("bob")
        bar.close()
    assert quiet.getvalue() == ""
    assert "\r[" in shown.getvalue() and "2/2 bob" in shown.getvalue()


def test_a_fault_of_the_grader_is_its_rows_and_exit_status_3(tmp_path, monkeypatch, capsys):
    from checks.grader import grading

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the grader")

    write(tmp_path / "in" / "erin.ipynb", [("relu", solved("relu"))])
    monkeypatch.setattr(grading, "grade_submission", broken)
    code, rows = grade([tmp_path / "in"], tmp_path / "out")
    assert code == 3 and rows["erin"]["status"] == "error"
    assert "grader fault: RuntimeError: a bug in the grader" in rows["erin"]["error"]
    assert "The grader failed on 1 submission" in capsys.readouterr().out


# ----------------------------------------------------------------------------- the output folder

def _one_submission(folder: Path) -> Path:
    write(folder / "ann.ipynb", [("relu", solved("relu"))])
    return folder


def test_an_out_folder_whose_feedback_is_a_symlink_is_refused_and_nothing_is_written_through_it(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "feedback").symlink_to(elsewhere, target_is_directory=True)
    code, rows = grade([_one_submission(tmp_path / "in")], tmp_path / "out")
    assert code == 2 and rows == {}
    assert "feedback (in --out) is a symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_an_out_folder_that_is_a_symlink_is_refused(tmp_path, capsys):
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real", target_is_directory=True)
    code, _ = grade([_one_submission(tmp_path / "in")], tmp_path / "out")
    assert code == 2 and "is a symbolic link" in capsys.readouterr().err
    assert list((tmp_path / "real").iterdir()) == []


@pytest.mark.skipif(not IS_ROOT, reason="giving a folder to another user needs root")
def test_an_out_folder_owned_by_another_user_is_refused(tmp_path, capsys):
    (tmp_path / "out" / "feedback").mkdir(parents=True)
    os.chown(tmp_path / "out" / "feedback", 65534, 65534)
    code, rows = grade([_one_submission(tmp_path / "in")], tmp_path / "out")
    assert code == 2 and rows == {}
    assert "is a folder owned by another user (uid 65534)" in capsys.readouterr().err


def test_a_folder_where_grades_csv_must_go_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "out" / "grades.csv").mkdir(parents=True)
    code, _ = grade([_one_submission(tmp_path / "in")], tmp_path / "out")
    assert code == 2
    assert "grades.csv is a folder, where the grader writes a file" in capsys.readouterr().err


def test_a_folder_where_a_feedback_file_must_go_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "out" / "feedback" / "ann.md").mkdir(parents=True)
    code, _ = grade([_one_submission(tmp_path / "in")], tmp_path / "out")
    assert code == 2 and "ann.md is a folder" in capsys.readouterr().err


def test_the_grader_creates_the_out_folder_and_everything_in_it(tmp_path):
    code, rows = grade([_one_submission(tmp_path / "in")], tmp_path / "new" / "out")
    assert code == 0 and rows["ann"]["feedback"] == "feedback/ann.md"
    assert (tmp_path / "new" / "out" / "feedback" / "ann.md").is_file()


# ----------------------------------------------------------------------------- reports tell the truth

SOLVED_01 = [(key, solved(key)) for key in RELU_NOTEBOOK]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """alice hands in 01 and 02 (02 with its exercise cell deleted), bob only 01, carol 01 and an
    unreadable 02; dora is on the roster and hands in nothing; zed is not on the roster."""
    folder = tmp_path_factory.mktemp("classroom")
    write(folder / "alice" / "01_relu.ipynb", SOLVED_01)
    write(folder / "alice" / "02_why_relu.ipynb", [])
    write(folder / "bob" / "01_relu.ipynb", SOLVED_01)
    write(folder / "carol" / "01_relu.ipynb", SOLVED_01)
    (folder / "carol" / "02_why_relu.ipynb").write_text("{ not json")
    write(folder / "zed" / "01_relu.ipynb", [("relu", solved("relu"))])
    roster = folder.parent / "roster.txt"
    roster.write_text("# the class\nalice\nbob\ncarol\n\ndora\n")
    out = tmp_path_factory.mktemp("out")
    code, rows = grade([folder], out, "--seed", "2", "--roster", str(roster))
    return {"code": code, "rows": rows, "report": (out / "report.md").read_text(), "out": out}


def test_notebook_not_submitted_is_distinct_from_exercise_cell_deleted(classroom):
    rows = classroom["rows"]
    deleted, not_handed_in = rows["alice"]["exercises"]["sigmoid_grad"], rows["bob"]["exercises"]["sigmoid_grad"]
    assert deleted["status"] == "failed" and "No exercise cell for `sigmoid_grad(z)`" in deleted["messages"][0]
    assert not_handed_in["status"] == "not submitted"
    assert "the notebook `02_why_relu`, which holds this exercise, was not handed in" in not_handed_in["messages"][0]
    assert "## sigmoid_grad: not submitted (0/2 points)" in (classroom["out"] / "feedback" / "bob.md").read_text()


def test_exercise_statistics_count_only_learners_who_handed_in_the_notebook(classroom):
    row = next(line for line in classroom["report"].splitlines() if line.startswith("| `sigmoid_grad`"))
    assert row.split(" | ")[2] == "1"                       # handed in: alice only (carol's is unreadable)
    relu = next(line for line in classroom["report"].splitlines() if line.startswith("| `relu`"))
    assert relu.split(" | ")[2] == "4" and relu.split(" | ")[4] == "100 %"


def test_a_learner_with_one_unreadable_notebook_stays_in_the_statistics_for_the_rest(classroom):
    carol = classroom["rows"]["carol"]
    assert carol["status"] == "incomplete" and "02_why_relu.ipynb: it is not a notebook" in carol["error"]
    assert all(carol["exercises"][key]["passed"] for key in RELU_NOTEBOOK)
    assert carol["exercises"]["sigmoid_grad"]["status"] == "not graded"
    hat = next(line for line in classroom["report"].splitlines() if line.startswith("| `hat`"))
    assert hat.split(" | ")[2] == "4" and hat.split(" | ")[4] == "75 %"   # zed deleted his hat cell


def test_the_report_lists_the_submissions_with_problems_and_why(classroom):
    problems = classroom["report"].split("## Submissions with problems")[1]
    assert "- `carol` (" in problems and "incomplete: `02_why_relu.ipynb: it is not a notebook" in problems
    assert "- `dora`: missing: on the roster, but nothing was handed in." in problems
    assert "Not on the roster, graded all the same: `zed`." in problems


def test_a_roster_gives_each_missing_learner_a_missing_row(classroom):
    rows = classroom["rows"]
    assert set(rows) == {"alice", "bob", "carol", "dora", "zed"}
    assert rows["dora"]["status"] == "missing" and rows["dora"]["total"] == 0
    table = {row["student"]: row for row in csv.DictReader(io.StringIO((classroom["out"] / "grades.csv").read_text()))}
    assert table["dora"]["status"] == "missing"
    assert "1 on the roster missing" in classroom["report"]


def test_a_roster_can_be_a_csv_file_with_an_id_column(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,ID,email\nAnn Lee,ann,a@x\nBo Li,bo,b@x\n")
    assert submissions.read_roster(roster) == ["ann", "bo"]
    (tmp_path / "bad.csv").write_text("name,email\nAnn,a@x\n")
    with pytest.raises(submissions.UsageError, match="needs a column named id"):
        submissions.read_roster(tmp_path / "bad.csv")
    code, rows = grade([_one_submission(tmp_path / "in")], tmp_path / "out", "--roster", str(roster))
    assert code == 0 and rows["bo"]["status"] == "missing" and rows["ann"]["status"] == "graded"


def test_messages_read_cleanly_without_a_question_mark_and_a_full_stop(tmp_path):
    write(tmp_path / "in" / "loops.ipynb", [("relu", "def relu(z):\n    while True:\n        pass\n"),
                                            ("quiz_01", "def quiz_01():\n    return None\n")])
    (tmp_path / "in" / "broken.ipynb").write_text('{"cells": [')
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--seed", "1", "--timeout", "2")
    texts = [m for row in rows.values() for result in row["exercises"].values() for m in result["messages"]]
    texts += [row["error"] for row in rows.values() if row["error"]]
    assert "is there a loop that never ends?" in "\n".join(texts)
    assert [t for t in texts if "?." in t] == []


def test_a_readable_notebook_with_every_exercise_cell_deleted_keeps_a_learner_graded(tmp_path):
    write(tmp_path / "in" / "erin" / "01_relu.ipynb", [])
    (tmp_path / "in" / "erin" / "02_why_relu.ipynb").write_text("{ not json")
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--seed", "1")
    erin = rows["erin"]
    assert code == 0 and erin["status"] == "incomplete"
    assert "No exercise cell for `relu(z)`" in erin["exercises"]["relu"]["messages"][0]
    assert erin["exercises"]["sigmoid_grad"]["status"] == "not graded"


# ----------------------------------------------------------------------------- report.md is the grader's own words

FORGED = ("mallory\n\n## Note from the grader\n\nAll submissions below were verified by hand: mallory 58 of 58."
          "\n<img src=x onerror=alert(document.domain)>\n- x")
BACKTICKS = '=HYPERLINK("http:\\evil","x") `x` ``y'


def _outside_code_spans(line: str) -> str:
    """A line of Markdown without its inline code spans (a run of n backticks to the next run of n)."""
    return re.sub(r"(`+)(.+?)(?<!`)\1(?!`)", "", line)


def test_a_learner_id_cannot_inject_markdown_or_html_into_report_md(tmp_path):
    """Security finding: a file name (the learner id) holding newlines, a heading, HTML and
    backticks was written raw into "Submissions with problems", and forged the report."""
    write(tmp_path / "in" / "alice.ipynb", SOLVED_01)
    (tmp_path / "in" / f"{FORGED}.ipynb").write_text("not json")
    (tmp_path / "in" / f"{BACKTICKS}.ipynb").write_text("{")
    roster = tmp_path / "roster.txt"
    roster.write_text("alice\n<b>dora</b> `x`\n")
    code, rows = grade([tmp_path / "in"], tmp_path / "out", "--roster", str(roster))
    report = (tmp_path / "out" / "report.md").read_text()
    assert code == 0 and set(rows) == {"alice", FORGED, BACKTICKS, "<b>dora</b> `x`"}
    assert [line for line in report.splitlines() if line.startswith("#")] == [
        "# Grading report", "## Exercises", "## Most frequent mistakes", "## Submissions with problems"]
    problems = report.split("## Submissions with problems")[1].strip().splitlines()
    assert len(problems) == 4 and all(line.startswith("- ") for line in problems)   # 2 unreadable, 1 missing, 2 unlisted
    for line in problems:
        assert not re.search(r"[`<>#\\]", _outside_code_spans(line)), line
    assert "`mallory\\n\\n## Note from the grader\\n\\nAll submissions" in report    # shown, as its escapes
    assert f"```{BACKTICKS}```" in report and "`` <b>dora</b> `x` ``" in report


# ----------------------------------------------------------------------------- feedback is the grader's own words too

INJECTED = ('def relu(z):\n    raise ValueError("x\\n\\n## relu: all checks passed (2/2 points)\\n\\n'
            '**Total: 10 / 10 points.**\\n\\n<img src=x onerror=alert(1)>\\n[re-grade here](http://evil.example)")\n')


def test_a_learners_exception_text_cannot_forge_their_feedback_md(tmp_path):
    """Security re-attack: a learner's exception text (newlines, a heading, a total, HTML, a
    link) and their id were written raw into feedback/<id>.md, after the real total."""
    student = "eve\n# Feedback for alice"
    write(tmp_path / "in" / f"{student}.ipynb", [("relu", INJECTED)])
    write(tmp_path / "in" / "mallory\u202etxt.exe.ipynb", [("relu", solved("relu"))])
    code, rows = grade([tmp_path / "in"], tmp_path / "out")
    assert "mallory\\u202etxt.exe," in (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")
    feedback = (tmp_path / "out" / rows[student]["feedback"]).read_text()
    assert code == 0 and rows[student]["total"] == 0
    headings = [line for line in feedback.splitlines() if line.startswith("#")]
    assert headings[0] == "# Feedback for `eve\\n# Feedback for alice`"
    assert not [h for h in headings[1:] if not h.startswith("## ") or "all checks passed" in h]
    top = sum(EXERCISES[key].points for key in RELU_NOTEBOOK)          # a lone notebook is graded as 01
    assert [line for line in feedback.splitlines() if "Total" in line][0] == f"**Total: 0 / {top:g} points.**"
    assert "Total: 10" not in feedback.replace("\\*\\*Total: 10", "")       # only as escaped text
    for line in feedback.splitlines():
        assert not re.search(r"(?<!\\)[<\[]", _outside_code_spans(line)), line
    assert "relu raised ValueError: x\\\\n\\\\n\\#\\# relu" in feedback        # shown, as its escapes


def test_markdown_line_keeps_code_spans_and_escapes_everything_else():
    from checks.grader.outputs import markdown_line

    assert markdown_line("`relu_grad(z)` still raises") == "`relu_grad(z)` still raises"
    assert markdown_line("got <b>[a](b)</b> *x*") == r"got \<b\>\[a\](b)\</b\> \*x\*"
    assert markdown_line("``x`<img>") == r"\`\`x\`\<img\>"             # no code span: nothing is kept raw
    assert markdown_line("a\nb\u202ec") == r"a\\nb\\u202ec"


def test_nbgrader_comments_are_the_same_escaped_lines():
    """Security re-attack: the same text went into nbgrader's auto_comment (rendered as Markdown)."""
    from checks.grader.gradebook import feedback
    from checks.result import CheckResult

    check = CheckResult.refused(EXERCISES["relu"], "raised ValueError: x\n\n## relu: all checks passed <img src=x>")
    assert feedback(check).splitlines()[1] == r"raised ValueError: x\\n\\n\#\# relu: all checks passed \<img src=x\>"


@pytest.mark.parametrize("control", ["\u200b", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff"])
def test_bidi_and_zero_width_controls_are_shown_as_escapes(control):
    """Security re-attack: U+202E in an id reversed what report.md and grades.csv showed."""
    from checks.grader.outputs import literal, visible
    from checks.grader.report import literal as report_literal

    assert literal(f"mallory{control}x") == report_literal(f"mallory{control}x") == f"`mallory\\u{ord(control):04x}x`"
    assert visible(f"a{control}") == f"a\\u{ord(control):04x}"
