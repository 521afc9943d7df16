"""nbgrader itself on the course: the notebooks are an nbgrader assignment, graded as ours grades.

Run by tests/nbgrader/run.sh (``make test-nbgrader``) with the Python of .venv-nbgrader, where
nbgrader 0.9.6 and the course are installed; the course's own tools run from .venv. In a temp
folder it lays out an nbgrader course (``source/``, ``release/``, ``submitted/``, ``autograded/``,
``gradebook.db``) and checks that

1. ``nbgrader generate_assignment`` accepts the solved edition (``checks.grader.solutions``)
   as the source, without errors: the notebooks' nbgrader metadata is valid;
2. the released notebooks equal the learner edition cell for cell: cell types and sources
   (outputs and the metadata nbgrader adds are ignored). The learner edition is a copy of
   ``notebooks/`` with its generated cells written (``python -m checks.course --write`` on the
   copy), so the check cells tested are the generated ones even before notebooks/ is rewritten;
3. ``nbgrader validate`` passes the solved submission and fails the partly wrong one;
4. ``nbgrader autograde`` scores, as read from nbgrader's gradebook, equal those of
   ``python -m checks grade`` exercise by exercise, for three students: ``solved`` (every
   exercise solved: full marks), ``partial`` (01_relu: relu right, relu_grad with ``z >= 0``,
   hat without the factor 2, quiz right; the other notebooks handed in as distributed) and
   ``blank`` (every notebook as distributed: 0); and for learners who cheat in their 01_relu
   exercise cells, each with a wrong ``relu``: ``rebinds_check`` (``check = lambda *a, **k:
   None``) and ``unsets_env`` (deletes ``NBGRADER_EXECUTION``) get nbgrader scores equal to
   ours; ``patches_checks`` (``checks.check = lambda *a, **k: 2.0``) is the known limit of
   nbgrader's own autograde (full marks inside the kernel), corrected by step 6;
5. ``nbgrader export`` writes the same totals as the gradebook;
6. the trusted path: ``python -m checks grade ... --nbgrader-gradebook gradebook.db --assignment``
   is a usage error where nbgrader cannot be imported (.venv), and with nbgrader (this Python)
   writes the sandbox's scores and feedback into the gradebook: every score, cheaters' too,
   equals results.json, every exercise cell's comment is our feedback, and ``nbgrader export``
   gives our totals.

It prints what differs and a summary (runtime, scores side by side) and exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ASSIGNMENT = "relu_course"
COURSE_ID = "relu-course"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")

# The partly wrong submission's answers for 01_relu, written as a learner writes them: the
# stub's two lines replaced, the def line and docstring kept.
PARTIAL = {
    "relu": "return np.maximum(z, 0)",
    "relu_grad": ("z = np.asarray(z)\n"
                  "return (z > 0).astype(float).tolist()          # wrong: a list, not an array"),
    "hat": ("x = np.asarray(x)\n"
            "return np.maximum(x + 1, 0) - np.maximum(x, 0) + np.maximum(x - 1, 0)   # no factor 2"),
    "quiz_01": ('return {"q1": 0.0, "q2": 0.0, "q3": 0.5, "q4": "b", "q5": -2.25, "q6": 2.28, '
                '"q7": 0.16}'),
}
PARTIAL_NOTEBOOK = "01_relu"
WRONG_RELU = "return z                                         # wrong: no max"
# Learners who cheat in their relu exercise cell (01_relu only), as a line after the function.
CHEATS = {
    "rebinds_check": "check = lambda *args, **kwargs: None",
    "unsets_env": "import os\nos.environ.pop(\"NBGRADER_EXECUTION\", None)",
    "patches_checks": "import checks\nchecks.check = lambda *args, **kwargs: 2.0",
}
UNTRUSTED = {"patches_checks"}          # nbgrader's own autograde cannot see through this one

failures: list[str] = []


def fail(message: str) -> None:
    failures.append(message)
    print(f"FAIL: {message}", flush=True)


def step(message: str) -> None:
    print(f"-- {message}", flush=True)


def run(command: list[str], cwd: Path, env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    """Run a command, keeping its output; a non-zero exit or an nbgrader ERROR line is a failure."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    log = done.stdout + done.stderr
    errors = [line for line in log.splitlines() if "| ERROR]" in line]
    print(f"   {what}: exit {done.returncode} in {seconds:.1f} s", flush=True)
    if done.returncode != 0 or errors:
        fail(f"{what} (exit {done.returncode}):\n" + "\n".join("      " + line for line in log.splitlines()[-40:]))
    return done


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def save(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def exercise_id(cell: dict) -> str | None:
    """The exercise id of an exercise cell (nbgrader solution cell), else None."""
    nbgrader = cell.get("metadata", {}).get("nbgrader", {})
    return nbgrader.get("grade_id") if cell.get("cell_type") == "code" and nbgrader.get("solution") else None


def without_markers(text: str) -> str:
    """A solved cell as a learner hands it in: the solution, without nbgrader's marker lines."""
    return "\n".join(line for line in text.split("\n") if line.strip() not in (BEGIN, END))


def fill_stub(text: str, answer: str) -> str:
    """The learner's exercise cell with its stub's two lines replaced by ``answer`` (indented alike)."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        if lines[i].strip() == STUB[0] and lines[i + 1].strip() == STUB[1]:
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
            return "\n".join(lines[:i] + [indent + a for a in answer.split("\n")] + lines[i + 2:])
    raise ValueError(f"no stub ({STUB[0]!r}, {STUB[1]!r}) in:\n{text}")


def solved_submission(learner: dict, solved: dict) -> dict:
    """The learner edition with each exercise cell replaced by the solved edition's (no markers)."""
    answers = {exercise_id(c): source(c) for c in solved["cells"] if exercise_id(c)}
    data = json.loads(json.dumps(learner))
    for cell in data["cells"]:
        if exercise_id(cell):
            set_source(cell, without_markers(answers[exercise_id(cell)]))
    return data


def partial_submission(learner: dict) -> dict:
    data = json.loads(json.dumps(learner))
    filled = set()
    for cell in data["cells"]:
        if exercise_id(cell) in PARTIAL:
            set_source(cell, fill_stub(source(cell), PARTIAL[exercise_id(cell)]))
            filled.add(exercise_id(cell))
    if filled != set(PARTIAL):
        raise SystemExit(f"{PARTIAL_NOTEBOOK}: no exercise cell for {sorted(set(PARTIAL) - filled)}")
    return data


def cheating_submission(learner: dict, cheat: str) -> dict:
    """01_relu with a wrong relu, and a cheat appended to its exercise cell."""
    data = json.loads(json.dumps(learner))
    for cell in data["cells"]:
        if exercise_id(cell) == "relu":
            set_source(cell, fill_stub(source(cell), WRONG_RELU) + "\n\n\n" + cheat + "\n")
    return data


def compare_release(released: dict, learner: dict, name: str) -> None:
    """Cell types and sources of nbgrader's release against the learner edition."""
    a, b = released["cells"], learner["cells"]
    if len(a) != len(b):
        fail(f"release/{name}: {len(a)} cells, the learner edition {len(b)}")
    for i, (r, l) in enumerate(zip(a, b)):
        if r.get("cell_type") != l.get("cell_type"):
            fail(f"release/{name} cell {i}: type {r.get('cell_type')}, learner edition {l.get('cell_type')}")
        elif source(r) != source(l):
            diff = difflib.unified_diff(source(l).split("\n"), source(r).split("\n"),
                                        "learner edition", "nbgrader release", lineterm="", n=1)
            grade_id = l.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            fail(f"release/{name} cell {i} ({grade_id or l.get('cell_type')}) differs:\n"
                 + "\n".join("      " + line for line in diff))


def read_gradebook(db: Path, students: list[str], notebooks: list[str]) -> tuple[dict, dict]:
    """From nbgrader's gradebook: student -> exercise id -> (score, max score), and
    student -> cell -> the comment on it."""
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, tuple]] = {student: {} for student in students}
    comments: dict[str, dict[str, str]] = {student: {} for student in students}
    with Gradebook(f"sqlite:///{db}", COURSE_ID) as gradebook:
        for student in students:
            for notebook in notebooks:
                submitted = gradebook.find_submission_notebook(notebook, ASSIGNMENT, student)
                for grade in submitted.grades:
                    scores[student][grade.name.removesuffix("-check")] = (grade.score, grade.max_score)
                for comment in submitted.comments:
                    comments[student][comment.name] = comment.comment or ""
    return scores, comments


def check_cell_outputs(autograded: Path, students: list[str]) -> None:
    """A check cell writing to stderr or raising gets 0 from nbgrader whatever it returned."""
    for student in students:
        for path in sorted((autograded / student / ASSIGNMENT).glob("*.ipynb")):
            for cell in load(path)["cells"]:
                nbgrader = cell.get("metadata", {}).get("nbgrader", {})
                if not nbgrader.get("grade") or cell.get("cell_type") != "code":
                    continue
                for output in cell.get("outputs", []):
                    if output["output_type"] == "error" or output.get("name") == "stderr":
                        text = output.get("text") or "\n".join(output.get("traceback", []))
                        print(f"   note: {student}/{path.name} {nbgrader['grade_id']} wrote "
                              f"{output['output_type']} {output.get('name', '')}: {str(text)[:300]!r}")
                results = [o for o in cell.get("outputs", []) if o["output_type"] == "execute_result"]
                if len(results) != 1 and student != "blank":
                    fail(f"{student}/{path.name} {nbgrader['grade_id']}: {len(results)} execute_result "
                         "outputs; nbgrader reads the score from one")




def gradebook_round_trip(args: argparse.Namespace, course: Path, work: Path, env: dict[str, str],
                         students: list[str], names: list[str], ours: dict[str, dict]) -> None:
    """Step 6: python -m checks grade --nbgrader-gradebook, without nbgrader and with it."""
    step("the trusted path: python -m checks grade --nbgrader-gradebook (without nbgrader, then with it)")
    db = course / "gradebook.db"
    command = ["-m", "checks", "grade", str(course / "submitted"), "--seed", str(args.seed), "--jobs", "2",
               "--nbgrader-gradebook", str(db), "--assignment", ASSIGNMENT]
    importable = subprocess.run([args.course_python, "-c", "import nbgrader"], capture_output=True).returncode == 0
    if not importable:
        done = subprocess.run([args.course_python, *command, "--out", str(work / "no-nbgrader")], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        print(f"   without nbgrader (.venv): exit {done.returncode}: {done.stderr.strip()[:160]}")
        if done.returncode != 2 or "needs nbgrader" not in done.stderr or (work / "no-nbgrader").exists():
            fail(f"--nbgrader-gradebook without nbgrader: exit {done.returncode}, expected a usage error "
                 f"(2) before any grading:\n{done.stdout}{done.stderr}")
    done = run([sys.executable, *command, "--out", str(work / "grades-gradebook")], ROOT, env,
               "checks grade --nbgrader-gradebook")
    print("   " + (done.stdout.strip().splitlines() or [""])[-1][:200])
    trusted = {row["student"]: row for row in
               json.loads((work / "grades-gradebook" / "results.json").read_text())}
    scores, comments = read_gradebook(db, students, names)
    written = 0
    for student in students:
        for exercise, (score, max_score) in scores[student].items():
            mine = trusted[student]["exercises"][exercise]
            written += 1
            if abs(score - mine["score"]) > 1e-9 or abs(max_score - mine["max_score"]) > 1e-9:
                fail(f"gradebook {student} {exercise}: {score:g} / {max_score:g}, results.json {mine['score']:g}")
            if abs(mine["score"] - ours[student]["exercises"][exercise]["score"]) > 1e-9:
                fail(f"{student} {exercise}: the grade with --nbgrader-gradebook differs from the one without")
            comment = comments[student].get(exercise, "")
            if not comment.startswith(exercise + ":") or mine["messages"][0] not in comment:
                fail(f"gradebook {student} {exercise}: the comment is not our feedback: {comment[:200]!r}")
        if student in CHEATS and not trusted[student]["exercises"]["relu"]["score"] < 2:
            fail(f"{student}: the sandbox gave full marks to a wrong relu")
    run(["nbgrader", "export", "--to", str(work / "trusted_grades.csv")], course, env, "export after")
    with open(work / "trusted_grades.csv", newline="") as f:
        exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
    for student in students:
        if abs(exported.get(student, float("nan")) - trusted[student]["total"]) > 1e-9:
            fail(f"nbgrader export after the write gives {student} {exported.get(student)}, "
                 f"results.json {trusted[student]['total']}")
    totals = ", ".join(f"{student} {exported.get(student, float('nan')):g}" for student in students)
    print(f"   round trip: {written} scores and comments of {len(students)} students read back from the "
          f"gradebook equal results.json; nbgrader export gives our totals ({totals})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notebooks", default="",
                        help="comma-separated notebook names (default: every course notebook with an "
                             f"exercise; {PARTIAL_NOTEBOOK} is always included)")
    parser.add_argument("--course-python", default=str(ROOT / ".venv" / "bin" / "python"),
                        help="the Python of the course's environment (default: .venv)")
    parser.add_argument("--keep", metavar="DIR", help="lay the nbgrader course out in DIR and keep it")
    parser.add_argument("--seed", type=int, default=0, help="seed of python -m checks grade")
    args = parser.parse_args()
    start = time.perf_counter()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="relu-nbgrader-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    course = work / "course"
    env = dict(os.environ, RELU_COURSE_PROGRESS=str(work / "progress.json"))
    try:
        learner_dir, solved_dir = work / "learner", work / "solved"
        step("the learner edition with its generated cells (checks.course.write on a copy of notebooks/)")
        shutil.copytree(NOTEBOOKS, learner_dir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        run([args.course_python, "-c", "import sys; from pathlib import Path; from checks import course; "
             "course.write(Path(sys.argv[1]))", str(learner_dir)], ROOT, env, "course.write")
        step("the solved edition (checks.grader.solutions.write)")
        run([args.course_python, "-c", "import sys; from pathlib import Path; from checks.grader import "
             "solutions; solutions.write(Path(sys.argv[1]), Path(sys.argv[2]))", str(learner_dir),
             str(solved_dir)], ROOT, env, "solutions")
        names = [n for n in args.notebooks.split(",") if n] or [
            p.stem for p in sorted(learner_dir.glob("*.ipynb"))
            if any(exercise_id(c) for c in load(p)["cells"])]
        if PARTIAL_NOTEBOOK not in names:
            names.insert(0, PARTIAL_NOTEBOOK)
        print(f"   assignment {ASSIGNMENT!r}: {', '.join(names)}")

        (course / "source" / ASSIGNMENT).mkdir(parents=True)
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.CourseDirectory.root = {str(course)!r}\n")
        for name in names:
            shutil.copy(solved_dir / f"{name}.ipynb", course / "source" / ASSIGNMENT)

        step("nbgrader generate_assignment")
        run(["nbgrader", "generate_assignment", ASSIGNMENT], course, env, "generate_assignment")

        step("the release against the learner edition (cell types and sources)")
        before = len(failures)
        for name in names:
            released = course / "release" / ASSIGNMENT / f"{name}.ipynb"
            if not released.exists():
                fail(f"nbgrader released no {released.relative_to(course)}")
                continue
            compare_release(load(released), load(learner_dir / f"{name}.ipynb"), f"{name}.ipynb")
        release_equal = len(failures) == before
        print(f"   release equals the learner edition: {'yes' if release_equal else 'NO'}")

        step("submissions: solved, partial (01_relu), blank (as distributed), cheats (01_relu only)")
        students = ["blank", "partial", "solved", *CHEATS]
        for student, cheat in CHEATS.items():
            save(cheating_submission(load(learner_dir / f"{PARTIAL_NOTEBOOK}.ipynb"), cheat),
                 course / "submitted" / student / ASSIGNMENT / f"{PARTIAL_NOTEBOOK}.ipynb")
        for name in names:
            learner = load(learner_dir / f"{name}.ipynb")
            solved = load(solved_dir / f"{name}.ipynb")
            folder = lambda student: course / "submitted" / student / ASSIGNMENT / f"{name}.ipynb"
            save(learner, folder("blank"))
            save(solved_submission(learner, solved), folder("solved"))
            save(partial_submission(learner) if name == PARTIAL_NOTEBOOK else learner, folder("partial"))

        step("nbgrader validate (the solved and the partial submission)")
        for student, should_pass in (("solved", True), ("partial", False)):
            paths = [str(course / "submitted" / student / ASSIGNMENT / f"{n}.ipynb")
                     for n in (names if should_pass else [PARTIAL_NOTEBOOK])]
            done = run(["nbgrader", "validate", *paths], course, env, f"validate {student}")
            log = done.stdout + done.stderr
            passed = log.count("Success! Your notebook passes all the tests.")
            if should_pass and passed != len(paths):
                fail(f"nbgrader validate passed {passed} of the {len(paths)} solved notebooks:\n{log[-3000:]}")
            if not should_pass and ("VALIDATION FAILED" not in log or "relu_grad" not in log):
                fail(f"nbgrader validate did not fail the partial submission:\n{log[-3000:]}")

        step("nbgrader autograde")
        run(["nbgrader", "autograde", ASSIGNMENT], course, env, "autograde")
        check_cell_outputs(course / "autograded", students)
        nbgrader_scores, _ = read_gradebook(course / "gradebook.db", students, names)

        step("nbgrader export")
        run(["nbgrader", "export", "--to", str(work / "nbgrader_grades.csv")], course, env, "export")
        with open(work / "nbgrader_grades.csv", newline="") as f:
            exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
        for student in students:
            total = sum(score for score, _ in nbgrader_scores[student].values())
            if abs(exported.get(student, float("nan")) - total) > 1e-9:
                fail(f"nbgrader export gives {student} {exported.get(student)}, the gradebook {total}")

        step("python -m checks grade on the same submissions")
        run([args.course_python, "-m", "checks", "grade", str(course / "submitted"),
             "--out", str(work / "grades"), "--seed", str(args.seed), "--jobs", "2"], ROOT, env,
            "checks grade")
        ours = {row["student"]: row for row in json.loads((work / "grades" / "results.json").read_text())}

        step("scores side by side")
        print(f"   {'student':14} {'exercise':18} {'max':>4} {'nbgrader':>8} {'checks':>7}")
        for student in students:
            for exercise, (score, max_score) in nbgrader_scores[student].items():
                mine = ours.get(student, {}).get("exercises", {}).get(exercise)
                theirs = None if mine is None else mine["score"]
                same = theirs is not None and abs(score - theirs) < 1e-9 and abs(max_score - mine["max_score"]) < 1e-9
                shown = "-" if theirs is None else f"{theirs:g}"
                mark = "" if same else "   <-- differs" + (" (known: see step 6)" if student in UNTRUSTED else "")
                print(f"   {student:14} {exercise:18} {max_score:4g} {score:8g} {shown:>7}{mark}")
                if not same and student not in UNTRUSTED:
                    fail(f"{student} {exercise}: nbgrader {score:g} / {max_score:g}, checks grade {shown}")
                if student in CHEATS and exercise == "relu" and student not in UNTRUSTED and not score < max_score:
                    fail(f"{student}: nbgrader gives full marks to a wrong relu (the cheat worked)")
                if student in UNTRUSTED and exercise == "relu" and same:
                    print(f"   note: {student} no longer fools nbgrader's own autograde: update UNTRUSTED")
                expected = {"solved": max_score, "blank": 0.0}.get(student)
                if student == "partial":
                    expected = (max_score if exercise not in ("relu_grad", "hat") else None) \
                        if exercise in PARTIAL else 0.0
                if expected is not None and abs(score - expected) > 1e-9:
                    fail(f"{student} {exercise}: nbgrader gives {score:g}, expected {expected:g}")
                if student == "partial" and exercise in ("relu_grad", "hat") and not score < max_score:
                    fail(f"partial {exercise}: nbgrader gives full marks to a wrong answer")
                if student == "partial" and exercise == "relu_grad" and not 0 < score < max_score:
                    fail(f"partial relu_grad: nbgrader gives {score:g} / {max_score:g}, expected partial credit")
            total = sum(s for s, _ in nbgrader_scores[student].values())
            maximum = sum(m for _, m in nbgrader_scores[student].values())
            their_total = ours.get(student, {}).get("total")
            print(f"   {student:14} {'total':18} {maximum:4g} {total:8g} "
                  f"{'-' if their_total is None else format(their_total, 'g'):>7}")

        gradebook_round_trip(args, course, work, env, students, names, ours)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    seconds = time.perf_counter() - start
    if failures:
        print(f"\nnbgrader check FAILED ({len(failures)} problem(s)) in {seconds:.0f} s:")
        for message in failures:
            print("  - " + message.split("\n")[0])
        return 1
    print(f"\nnbgrader check passed in {seconds:.0f} s: the release equals the learner edition, "
          "nbgrader's scores equal python -m checks grade's (cheats that rebind check or unset "
          "NBGRADER_EXECUTION included), and the gradebook round trip gives the sandbox's scores.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
