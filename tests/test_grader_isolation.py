"""A submission cannot cheat its grade or touch anything outside its sandbox: one test per attack.

Every attack is a student of one batch, graded one at a time (so that a submission that
tampers with what it can reach runs before the correct one, which must keep full marks).
"""

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from checks.grader import grading, submissions
from checks.grader.protocol import Limits
from test_grader_support import IS_ROOT, grade, messages, solved, write

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")

COURSE = Path(__file__).resolve().parent.parent
ROOT_ONLY = pytest.mark.skipif(not IS_ROOT, reason="without root the sandbox runs as the grader's own user")

WRITE_ATTACK = """\
import os
escaped = []
def attempt(name, action):
    try:
        action()
        escaped.append(name)
    except OSError:
        pass
attempt("output", lambda: open({out!r} + "/sentinel.txt", "w").write("hacked"))
attempt("output delete", lambda: os.remove({out!r} + "/sentinel.txt"))
attempt("submission", lambda: open({folder!r} + "/good.ipynb", "w").write("{{}}"))
attempt("submission delete", lambda: os.remove({folder!r} + "/victim.ipynb"))
attempt("course", lambda: open({course!r} + "/checks/__init__.py", "r+").close())
attempt("course create", lambda: open({course!r} + "/checks/hacked.py", "x").close())
open("scratch.txt", "w").write("the sandbox's own folder is writable")
def relu(z):
    return np.maximum(z, 0) if not escaped else z
"""

ATTACKS = {
    "aa_patches_numpy_for_everyone": "np.maximum = lambda *a, **k: 0\nnp.asarray = None\n"
                                     "def relu(z):\n    return z\n",
    "patches_numpy": "np.allclose = lambda *a, **k: True\nnp.isclose = lambda a, b, **k: np.ones(np.shape(a), bool)\n"
                     "np.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
                     "def relu(z):\n    return np.abs(z)\n",
    "always_equal": "class AlwaysEqual:\n    def __eq__(self, other):\n        return True\n"
                    "    def __array__(self, *a, **k):\n        raise AssertionError('read me')\n"
                    "def relu(z):\n    return AlwaysEqual()\n",
    "lying_array": "class Liar(np.ndarray):\n    def __eq__(self, other):\n        return np.ones(np.shape(self), bool)\n"
                   "def relu(z):\n    return np.zeros(np.shape(z)).view(Liar)\n",
    "imports_checks": "def relu(z):\n    return z\nimport checks\nchecks.check = lambda *a, **k: 2.0\n",
    "imports_reference": "from reference import relu\n",
    "reads_the_environment": "import os\nclean = 'GRADER_SECRET' not in os.environ and os.environ['HOME'] == os.getcwd()\n"
                             "def relu(z):\n    return np.maximum(z, 0) if clean else z\n",
    "forges_frames": "import os\nfor fd in os.listdir('/proc/self/fd'):\n    try:\n"
                     "        os.write(int(fd), b'\\x00\\x00\\x00\\x05junk!')\n    except OSError:\n        pass\n",
    "signals_the_grader": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n"
                          "    pass\n",
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """The batch, in folders any user could write to if the sandbox let it (0755 dirs, root-owned)."""
    base = Path(tempfile.mkdtemp(prefix="grader-isolation-"))
    folder, out = base / "submissions", base / "out"
    for path in (base, folder, out):
        path.mkdir(exist_ok=True)
        path.chmod(0o755)
    cells = {student: [("relu", source), ("relu_grad", solved("relu_grad"))] for student, source in ATTACKS.items()}
    cells["good"] = [("relu", solved("relu")), ("relu_grad", solved("relu_grad"))]
    cells["victim"] = [("relu", solved("relu"))]
    cells["writes_files"] = [("relu", WRITE_ATTACK.format(out=str(out), folder=str(folder), course=str(COURSE)))]
    if IS_ROOT:      # never as root: only once the sandbox has dropped to its own user (else fail)
        cells["kills_every_process_it_can"] = [("relu", "import os, signal\nif os.getuid() != 0:\n"
                                                        "    os.kill(-1, signal.SIGKILL)\n"
                                                        "    " + solved("relu").replace("\n", "\n    "))]
    for student, student_cells in cells.items():
        write(folder / f"{student}.ipynb", student_cells).chmod(0o644)
    (out / "sentinel.txt").write_text("grader's own")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    course_before = hashlib.sha256((COURSE / "checks" / "__init__.py").read_bytes()).hexdigest()
    os.environ["GRADER_SECRET"] = "s3cret"
    try:
        code, rows = grade([folder], out, "--jobs", "1", "--timeout", "3", "--seed", "11")
    finally:
        del os.environ["GRADER_SECRET"]
    yield {"code": code, "rows": rows, "folder": folder, "out": out, "before": before,
           "course_before": course_before}
    shutil.rmtree(base)


def test_the_batch_is_graded_and_the_correct_submission_keeps_full_marks(attacked):
    assert attacked["code"] == 0
    good = attacked["rows"]["good"]
    assert good["exercises"]["relu"]["passed"] and good["exercises"]["relu_grad"]["passed"]
    unharmed = set(ATTACKS) - {"aa_patches_numpy_for_everyone"}     # that one broke its own numpy
    for student in unharmed:
        assert attacked["rows"][student]["exercises"]["relu_grad"]["passed"], student


def test_patching_numpy_in_one_submission_changes_nothing_for_the_next(attacked):
    row = attacked["rows"]["aa_patches_numpy_for_everyone"]
    assert not row["exercises"]["relu"]["passed"]
    assert attacked["rows"]["good"]["exercises"]["relu"]["passed"]


def test_monkeypatching_numpy_in_the_exercise_cell_cannot_pass_a_wrong_answer(attacked):
    row = attacked["rows"]["patches_numpy"]
    assert not row["exercises"]["relu"]["passed"] and row["exercises"]["relu"]["score"] == 0
    assert "returned a wrong value" in messages(row, "relu")


def test_an_always_equal_object_is_refused_in_the_notebooks_words(attacked):
    row = attacked["rows"]["always_equal"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "returned an object of type 'AlwaysEqual', not a number or a NumPy array" in messages(row, "relu")


def test_an_array_subclass_that_lies_is_judged_on_its_numbers(attacked):
    row = attacked["rows"]["lying_array"]
    assert row["exercises"]["relu"]["score"] == 0 and "returned a wrong value" in messages(row, "relu")


def test_checks_cannot_be_imported_or_patched_in_the_sandbox(attacked):
    row = attacked["rows"]["imports_checks"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "No module named 'checks' here" in messages(row, "relu")


def test_the_reference_solutions_cannot_be_imported(attacked):
    row = attacked["rows"]["imports_reference"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "No module named 'reference' here" in messages(row, "relu")


def test_the_sandbox_sees_a_clean_environment_and_its_own_folder(attacked):
    assert attacked["rows"]["reads_the_environment"]["exercises"]["relu"]["passed"]


def test_frames_forged_on_the_grader_channel_stop_only_that_exercise(attacked):
    row = attacked["rows"]["forges_frames"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "wrote into the grader's channel" in messages(row, "relu")


def test_signalling_the_grader_does_not_stop_the_batch(attacked):
    row = attacked["rows"]["signals_the_grader"]
    assert row["exercises"]["relu_grad"]["passed"]


@ROOT_ONLY
def test_files_outside_the_sandbox_cannot_be_written_or_deleted(attacked):
    row = attacked["rows"]["writes_files"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")   # every attempt failed
    folder, out = attacked["folder"], attacked["out"]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == attacked["before"]
    assert (out / "sentinel.txt").read_text() == "grader's own"
    assert hashlib.sha256((COURSE / "checks" / "__init__.py").read_bytes()).hexdigest() == attacked["course_before"]
    assert not (COURSE / "checks" / "hacked.py").exists()


@ROOT_ONLY
def test_killing_every_process_it_can_kills_no_other(attacked):
    row = attacked["rows"]["kills_every_process_it_can"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")


def test_the_grader_never_unpickles_what_the_sandbox_sends(tmp_path):
    source = ("import io\nclass Evil:\n    def __reduce__(self):\n        return (print, ('pwned',))\n"
              "def relu(z):\n    return np.array([Evil()], dtype=object)\n")
    write(tmp_path / "pickler.ipynb", [("relu", source)])
    run = grading.grade(submissions.find([tmp_path]), limits=Limits(), jobs=1, seed=0)
    result = run.results[0].exercises["relu"]
    assert result.score == 0 and "returned an array of dtype object" in "\n".join(result.messages)


# ----------------------------------------------------------------------------- what comes back

def test_what_comes_back_is_read_as_plain_data_or_refused():
    import io
    import pickle

    import numpy as np

    from checks.core import Call
    from checks.grader.protocol import Malformed, decode_outcomes, decode_value, parse
    from checks.grader.wire import WireError, unpack_array

    pickled = io.BytesIO()
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(WireError):
        unpack_array(__import__("base64").b64encode(pickled.getvalue()).decode())
    for junk in (None, [], {"t": "pickle", "v": pickle.dumps(1).hex()}, {"t": "int", "v": "1"},
                 {"t": "bool", "v": 1}, {"t": "dict", "items": [[{"t": "list", "items": []}, {"t": "none"}]]}):
        with pytest.raises(Malformed):
            decode_value(junk)
    with pytest.raises(Malformed):
        parse(b"[" * 10**6 + b"]" * 10**6)
    deep = {"t": "none"}
    for _ in range(50):
        deep = {"t": "list", "items": [deep]}
    with pytest.raises(Malformed):
        decode_value(deep)
    impossible = {"args_after": [], "warnings": [], "value": {"t": "objects", "shape": [2**70, 2**70]}}
    with pytest.raises(Malformed):
        decode_outcomes({"outcomes": [impossible]}, [Call(())])
    huge = decode_value({"t": "objects", "shape": [10**6, 10**6]})
    assert huge.shape == (10**6, 10**6) and huge.dtype == object     # a view: no memory
    assert type(decode_value({"t": "object", "type": "\x00", "number": True})).__name__ == "object"
    stand_in = decode_value({"t": "object", "type": "AlwaysEqual", "number": False})
    assert type(stand_in).__name__ == "AlwaysEqual"
