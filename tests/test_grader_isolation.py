"""A submission cannot cheat its grade or touch anything outside its sandbox: one test per attack.

Every attack is a student of one batch, graded one at a time (so that a submission that
tampers with what it can reach runs before the correct one, which must keep full marks).
The batch of attacks any process sandbox stops runs in both sandboxes; the attacks that only
bubblewrap's namespaces stop (reading the course or a peer's notebook from disk) run under
bubblewrap, and the fallback is tested for saying what it does not protect.
"""

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from checks.grader import bubblewrap, grading, submissions
from checks.grader.protocol import Limits
from test_grader_support import IS_ROOT, bubblewrap_works, grade, messages, solved, write

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the sandbox uses Linux process limits")

COURSE = Path(__file__).resolve().parent.parent
ROOT_ONLY = pytest.mark.skipif(not IS_ROOT, reason="without root the sandbox runs as the grader's own user")
BUBBLEWRAP = pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap cannot make namespaces here")
SANDBOXES = [pytest.param("bubblewrap", marks=BUBBLEWRAP), "process"]

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
    # the same, hidden from the grader's reading of the cell: the sandbox itself refuses them
    "imports_checks_in_disguise": "def relu(z):\n    return z\n__import__('chec' + 'ks').check = lambda *a, **k: 2.0\n",
    "imports_reference_in_disguise": "relu = __import__('refer' + 'ence', fromlist=['relu']).relu\n",
    "reads_the_environment": "import os\nclean = 'GRADER_SECRET' not in os.environ and os.environ['HOME'] == os.getcwd()\n"
                             "def relu(z):\n    return np.maximum(z, 0) if clean else z\n",
    "forges_frames": "import os\nfor fd in os.listdir('/proc/self/fd'):\n    try:\n"
                     "        os.write(int(fd), b'\\x00\\x00\\x00\\x05junk!')\n    except OSError:\n        pass\n",
    "signals_the_grader": "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n"
                          "    pass\n",
    # memory outside RLIMIT_AS that outlives the child: a drop box for the next learner
    "stores_a_note_in_system_v_ipc": """\
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
made = []
for name, create, remove in (("shm", lambda: libc.shmget(0, 1 << 20, 0o1000 | 0o600), lambda i: libc.shmctl(i, 0, None)),
                             ("msg", lambda: libc.msgget(0, 0o1000 | 0o600), lambda i: libc.msgctl(i, 0, None)),
                             ("sem", lambda: libc.semget(0, 1, 0o1000 | 0o600), lambda i: libc.semctl(i, 0, 0))):
    made += [name] if (ident := create()) >= 0 and remove(ident) == 0 else []
if libc.mq_open(b"/relu-note", 0o100 | 0o2, 0o600, None) >= 0:
    made.append(libc.mq_unlink(b"/relu-note") and "mq")
def relu(z):
    return z if made else np.maximum(z, 0)
""",
    # the kernel's keyrings are per user: shared with every job that runs as the same user
    "stores_a_note_in_the_user_keyring": """\
import ctypes, platform
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
key = libc.syscall(ADD_KEY, b"user", b"relu-note", b"np.maximum(z, 0)", 16, -4)   # -4: the user keyring
if key >= 0:
    libc.syscall(KEYCTL, 21, key)       # KEYCTL_INVALIDATE: leave nothing behind
def relu(z):
    return z if key >= 0 else np.maximum(z, 0)
""",
}


@pytest.fixture(scope="module", params=SANDBOXES)
def attacked(request):
    """The batch, in folders any user could write to if the sandbox let it (0755 dirs, root-owned),
    graded in each sandbox."""
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
                                                        "    try:\n        os.kill(-1, signal.SIGKILL)\n"
                                                        "    except OSError:\n        pass\n"
                                                        "    " + solved("relu").replace("\n", "\n    "))]
    for student, student_cells in cells.items():
        write(folder / f"{student}.ipynb", student_cells).chmod(0o644)
    (out / "sentinel.txt").write_text("grader's own")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    course_before = hashlib.sha256((COURSE / "checks" / "__init__.py").read_bytes()).hexdigest()
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("GRADER_SECRET", "s3cret")
        environment.setenv(bubblewrap.CHOICE, request.param)
        code, rows = grade([folder], out, "--jobs", "1", "--timeout", "3", "--seed", "11")
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
    assert "Your exercise cell imports `checks`, which the grader does not have" in messages(row, "relu")
    row = attacked["rows"]["imports_checks_in_disguise"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "No module named 'checks' here" in messages(row, "relu")


def test_the_reference_solutions_cannot_be_imported(attacked):
    row = attacked["rows"]["imports_reference"]
    assert row["exercises"]["relu"]["score"] == 0
    assert "`reference`, the course's answer key" in messages(row, "relu")
    row = attacked["rows"]["imports_reference_in_disguise"]
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


def test_system_v_shared_memory_message_queues_and_semaphores_cannot_be_made(attacked):
    row = attacked["rows"]["stores_a_note_in_system_v_ipc"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")     # right answer = all refused


def test_the_kernel_keyring_cannot_carry_a_note_to_another_learner(attacked):
    row = attacked["rows"]["stores_a_note_in_the_user_keyring"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")     # right answer = add_key refused


def test_a_child_can_signal_itself_and_its_group_but_no_other_process():
    """The seccomp filter, as a child installs it, without root (where the child is your user)."""
    from checks.grader import sandbox
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.setsid()
            sandbox._prctl(sandbox._PR_SET_NO_NEW_PRIVS, 1)
            sandbox._install_seccomp_filter()
            for target in (os.getppid(), -1, 1, -os.getppid()):
                try:
                    os.kill(target, 0)
                    raise SystemExit(2)
                except PermissionError:
                    pass
            os.kill(os.getpid(), 0)
            os.kill(0, 0)
            os.killpg(os.getpid(), 0)
            code = 0
        finally:
            os._exit(code)
    assert os.waitpid(pid, 0)[1] == 0


@ROOT_ONLY
@pytest.mark.parametrize("sandbox", SANDBOXES)
def test_each_job_runs_as_its_own_user_across_job_slots_and_grader_runs(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv(bubblewrap.CHOICE, sandbox)
    tells = "import os\ndef relu(z):\n    raise ValueError(f'user={os.getuid()}=')\n"
    users = []
    for run in range(2):
        for student in ("a", "b", "c"):
            write(tmp_path / f"in{run}" / f"{student}.ipynb", [("relu", tells)])
        _, rows = grade([tmp_path / f"in{run}"], tmp_path / f"out{run}", "--jobs", "2")
        users += [int(messages(row, "relu").split("user=")[1].split("=")[0]) for row in rows.values()]
    assert len(users) == 6 and len(set(users)) == 6, users
    assert all(2_000_000_000 <= uid <= 2**31 - 2 for uid in users), users


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


# ----------------------------------------------------------------------------- what the sandbox sees

COURSE_ANSWERS = str(COURSE / "reference" / "activations.py")
LEFTOVER = f"relu-leftover-{secrets.token_hex(4)}"
SHARED = ("/tmp", "/var/tmp", "/dev/shm")

# Each attack defines the right relu only if it gets at something it must not see.
DISK_ATTACKS = {
    "reads_the_course_from_disk": f"exec(open({COURSE_ANSWERS!r}).read())\n",
    "removes_the_import_blocker": (
        "import sys\nsys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != '_BlockedImports']\n"
        f"sys.path.insert(0, {str(COURSE)!r})\n"
        "relu = __import__('refer' + 'ence.activations', fromlist=['relu']).relu\n"),
    "loads_the_course_by_file_location": (
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('answers', {COURSE_ANSWERS!r})\n"
        "answers = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(answers)\n"
        "relu = answers.relu\n"),
    "reads_a_peers_notebook_via_the_grader_command_line": """\
import json, os
def _notebooks():
    for pid in os.listdir("/proc"):
        try:
            words = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\\0")
        except OSError:
            continue
        if b"grade" not in words:
            continue
        for word in words:
            folder = os.fsdecode(word)
            if os.path.isdir(folder):
                for root, _, names in os.walk(folder):
                    yield from (os.path.join(root, n) for n in names if n == "peer.ipynb")
for _path in _notebooks():
    try:
        _cells = json.load(open(_path))["cells"]
    except (OSError, ValueError, KeyError):
        continue
    for _cell in _cells:
        _source = "".join(_cell["source"])
        if "def relu(" in _source:
            exec(_source)
""",
}
# How each attack above fails when the files are not there (the sandbox's words, not the grader's)
DISK_FAILURES = {
    "reads_the_course_from_disk": "FileNotFoundError: [Errno 2] No such file or directory",
    "removes_the_import_blocker": "ModuleNotFoundError: No module named 'reference'",
    "loads_the_course_by_file_location": "FileNotFoundError: [Errno 2] No such file or directory",
    "reads_a_peers_notebook_via_the_grader_command_line": "Your exercise cell does not define `relu`",
}
NAMESPACE_ATTACKS = {
    "creates_a_user_namespace": (
        "import ctypes\nmade = ctypes.CDLL(None, use_errno=True).unshare(0x10000000) == 0\n"
        "def relu(z):\n    return z if made else np.maximum(z, 0)\n"),
    "aa_leaves_files_in_shared_folders": "".join(
        f"try:\n    open({folder + '/' + LEFTOVER!r}, 'w').write('left behind')\nexcept OSError:\n    pass\n"
        for folder in SHARED) + solved("relu"),
    "zz_finds_files_left_by_an_earlier_submission": (
        f"import os\nfound = [f for f in {SHARED!r} if os.path.exists(f + '/' + {LEFTOVER!r})]\n"
        "def relu(z):\n    return z if found else np.maximum(z, 0)\n"),
}
SEES_NOTHING = """\
import os, socket
seen = [path for path in ({course!r}, {folder!r}, {out!r}) if os.path.exists(path)]
seen += [pid for pid in os.listdir("/proc") if pid.isdigit() and int(pid) == {grader}]
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
    seen.append("network")
except OSError:
    pass
def relu(z):
    return np.maximum(z, 0) if not seen else z
"""


def _grade_in_a_process(folder: Path, out: Path, sandbox: str) -> tuple[subprocess.CompletedProcess, dict]:
    """``python -m checks grade`` as an instructor runs it: the folder on its command line."""
    env = {**os.environ, bubblewrap.CHOICE: sandbox, "OPENBLAS_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "checks", "grade", str(folder), "--out", str(out),
                           "--jobs", "1", "--timeout", "5", "--seed", "3"],
                          cwd=COURSE, env=env, capture_output=True, text=True, timeout=300)
    rows = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else []
    return done, {row["student"]: row for row in rows}


@pytest.fixture(scope="module")
def unseen():
    """A batch of attacks on what the sandbox can see, graded under bubblewrap from the command line."""
    base = Path(tempfile.mkdtemp(prefix="grader-sees-"))
    folder, out = base / "submissions", base / "out"
    folder.mkdir()
    for path in (base, folder):
        path.chmod(0o755)                   # as a class's folder usually is: readable by all
    listener = socket.create_server(("127.0.0.1", 0))
    cells = {student: [("relu", source)] for student, source in {**DISK_ATTACKS, **NAMESPACE_ATTACKS}.items()}
    cells["peer"] = [("relu", solved("relu"))]
    cells["sees_only_python_and_numpy"] = [("relu", SEES_NOTHING.format(
        course=str(COURSE), folder=str(folder), out=str(out), grader=os.getpid(),
        port=listener.getsockname()[1]))]
    for student, student_cells in cells.items():
        write(folder / f"{student}.ipynb", student_cells).chmod(0o644)
    try:
        done, rows = _grade_in_a_process(folder, out, "bubblewrap")
        left = [f"{f}/{LEFTOVER}" for f in SHARED if os.path.exists(f"{f}/{LEFTOVER}")]
    finally:
        listener.close()
        for path in (f"{f}/{LEFTOVER}" for f in SHARED):
            if os.path.exists(path):
                os.remove(path)
    yield {"done": done, "rows": rows, "left": left, "out": out}
    shutil.rmtree(base)


def _cheated(row: dict) -> bool:
    return row["exercises"]["relu"]["passed"]


@BUBBLEWRAP
@pytest.mark.parametrize("student", sorted(DISK_ATTACKS))
def test_the_course_and_peers_notebooks_are_not_on_the_sandboxs_disk(unseen, student):
    assert unseen["done"].returncode == 0, unseen["done"].stderr
    assert unseen["rows"]["peer"]["exercises"]["relu"]["passed"]
    row = unseen["rows"][student]
    assert not _cheated(row), f"{student} got the answers: {messages(row, 'relu')}"
    assert row["exercises"]["relu"]["score"] == 0
    assert DISK_FAILURES[student] in messages(row, "relu")


@BUBBLEWRAP
def test_the_sandbox_sees_no_course_submissions_output_grader_or_network(unseen):
    row = unseen["rows"]["sees_only_python_and_numpy"]
    assert _cheated(row), messages(row, "relu")        # right answer = it saw none of them


@BUBBLEWRAP
def test_no_submission_can_create_a_user_namespace(unseen):
    row = unseen["rows"]["creates_a_user_namespace"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")     # right answer = unshare failed


def test_no_submission_can_create_a_user_namespace_in_the_process_sandbox_either(tmp_path):
    write(tmp_path / "in" / "unshares.ipynb", [("relu", NAMESPACE_ATTACKS["creates_a_user_namespace"])])
    _, rows = _grade_in_a_process(tmp_path / "in", tmp_path / "out", "process")
    assert rows["unshares"]["exercises"]["relu"]["passed"], messages(rows["unshares"], "relu")


@BUBBLEWRAP
def test_files_left_in_dev_shm_and_tmp_are_gone_after_grading(unseen):
    assert unseen["rows"]["aa_leaves_files_in_shared_folders"]["exercises"]["relu"]["passed"]
    assert unseen["left"] == []
    row = unseen["rows"]["zz_finds_files_left_by_an_earlier_submission"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")     # right answer = found none


def _graded_leaving_files_in(folders, tmp_path) -> tuple[dict, list[str]]:
    """Grade tmp_path/in in the process sandbox; the rows, and the folders where a LEFTOVER file
    is still there afterwards (removed before returning, whatever happened)."""
    try:
        _, rows = _grade_in_a_process(tmp_path / "in", tmp_path / "out", "process")
        return rows, [f for f in folders if os.path.exists(f"{f}/{LEFTOVER}")]
    finally:
        for folder in folders:
            if os.path.exists(f"{folder}/{LEFTOVER}"):
                os.remove(f"{folder}/{LEFTOVER}")


@ROOT_ONLY
def test_the_process_sandbox_as_root_also_removes_what_a_submission_left(tmp_path):
    cells = {s: NAMESPACE_ATTACKS[s] for s in ("aa_leaves_files_in_shared_folders",
                                               "zz_finds_files_left_by_an_earlier_submission")}
    for student, source in cells.items():
        write(tmp_path / "in" / f"{student}.ipynb", [("relu", source)])
    rows, left = _graded_leaving_files_in(SHARED, tmp_path)
    assert left == []
    assert rows["zz_finds_files_left_by_an_earlier_submission"]["exercises"]["relu"]["passed"]


@ROOT_ONLY
def test_files_left_in_run_lock_and_every_world_writable_folder_are_removed_by_the_process_sandbox(tmp_path):
    nested = Path(tempfile.mkdtemp(prefix="relu-world-writable-"))      # as /tmp/.X11-unix is
    nested.chmod(0o1777)
    folders = [f for f in ("/run/lock", "/var/tmp", "/tmp", "/dev/shm", str(nested)) if os.path.isdir(f)]
    leaves = "".join(f"open({f + '/' + LEFTOVER!r}, 'w').write('left behind')\n" for f in folders)
    write(tmp_path / "in" / "leaves.ipynb", [("relu", leaves + solved("relu"))])
    try:
        rows, left = _graded_leaving_files_in(folders, tmp_path)
    finally:
        shutil.rmtree(nested)
    assert rows["leaves"]["exercises"]["relu"]["passed"], messages(rows["leaves"], "relu")   # it wrote them
    assert left == []


# ----------------------------------------------------------------------------- which sandbox ran

@BUBBLEWRAP
def test_the_command_line_and_the_report_say_bubblewrap_ran(unseen):
    assert "Sandbox: bubblewrap" in unseen["done"].stdout
    assert "bubblewrap: each submission's code ran in its own namespaces" in (unseen["out"] / "report.md").read_text()


def test_the_fallback_says_it_ran_and_what_it_does_not_protect(tmp_path):
    write(tmp_path / "in" / "solved.ipynb", [("relu", solved("relu"))])
    done, rows = _grade_in_a_process(tmp_path / "in", tmp_path / "out", "process")
    assert done.returncode == 0 and rows["solved"]["exercises"]["relu"]["passed"]
    for text in (done.stdout, (tmp_path / "out" / "report.md").read_text()):
        assert "the process sandbox (bubblewrap not used: RELU_GRADER_SANDBOX=process)" in text
        assert "the course's answers included" in text


def test_bubblewrap_that_cannot_make_namespaces_falls_back_and_says_why(tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    monkeypatch.setenv(bubblewrap.CHOICE, "auto")
    kind = bubblewrap.sandbox_kind()
    assert kind.name == "process" and "No permissions to create new namespace" in kind.description
    monkeypatch.setenv(bubblewrap.CHOICE, "bubblewrap")
    with pytest.raises(bubblewrap.SandboxUnavailable, match="No permissions"):
        bubblewrap.sandbox_kind()
    write(tmp_path / "in" / "solved.ipynb", [("relu", solved("relu"))])
    code, _ = grade([tmp_path / "in"], tmp_path / "out")
    assert code == 2                        # required and unavailable: a usage error, nothing graded


# ----------------------------------------------------------------------------- what the sandbox remembers

CLASSMATE_MARKER = f"classmate-secret-{secrets.token_hex(6)}"
OWN_MARKER = f"own-cell-marker-{secrets.token_hex(6)}"
ANSWER_FRAME = '"found": "function", "outcomes": ['


def _hidden_bytes(text: str) -> list[int]:
    """``text``'s bytes XOR 0x5A: a scanner built from them holds the text only where it rebuilds it."""
    return [byte ^ 0x5A for byte in text.encode()]


# Finds text in the process's own writable memory without copying it (libc's memmem over each
# region of /proc/self/maps), skipping the one buffer where it rebuilt the needle.
MEMORY_SCANNER = """\
import ctypes
_libc = ctypes.CDLL(None)
_libc.memmem.restype = ctypes.c_void_p
_libc.memmem.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t]

def _find_in_memory(hidden):
    needle = (ctypes.c_ubyte * len(hidden))(*[byte ^ 0x5A for byte in hidden])
    own = ctypes.addressof(needle)
    hits = []
    for line in open("/proc/self/maps").read().splitlines():
        span, permissions = line.split()[:2]
        low, high = (int(end, 16) for end in span.split("-"))
        at = low
        while permissions.startswith("rw") and at < high:
            found = _libc.memmem(at, high - at, own, len(hidden))
            if not found:
                break
            if found != own:
                hits.append(found)
            at = found + 1
    return hits
"""

SCANS_FOR_THE_CLASSMATE = MEMORY_SCANNER + f"""\
# {OWN_MARKER}: the scan must find this cell's own text (so it works), and nothing of the classmate's
_found = {{"own": len(_find_in_memory({_hidden_bytes(OWN_MARKER)})),
          "classmate": len(_find_in_memory({_hidden_bytes(CLASSMATE_MARKER)}))}}

def relu(z):
    if not _found["own"] or _found["classmate"]:
        raise ValueError(f"memory scan: {{_found}}")
    return np.maximum(z, 0)
"""

COPIES_THE_CLASSMATES_QUIZ = MEMORY_SCANNER + f"""\
import json

def quiz_01():
    for at in _find_in_memory({_hidden_bytes(ANSWER_FRAME)}):
        text = ctypes.string_at(at + {len(ANSWER_FRAME) - 1}, 4096).decode("latin-1")
        try:
            outcomes, _ = json.JSONDecoder().raw_decode(text)
            value = outcomes[0]["value"]
        except (ValueError, LookupError, TypeError):
            continue
        if isinstance(value, dict) and value.get("t") == "dict":
            return {{key["v"]: answer["v"] for key, answer in value["items"]}}
    raise NotImplementedError
"""

CLASSMATE_RELU = f"""\
# {CLASSMATE_MARKER}
def relu(z):
    print("{CLASSMATE_MARKER}")
    return np.maximum(z, 0)
"""


@pytest.fixture(scope="module", params=SANDBOXES)
def remembered(request, tmp_path_factory):
    """A classmate's solved notebook, then one that looks for it in its own memory, graded one
    after the other by the same worker (--jobs 1) in each sandbox."""
    base = tmp_path_factory.mktemp("remembered")
    write(base / "in" / "aa_classmate.ipynb", [("relu", CLASSMATE_RELU), ("quiz_01", solved("quiz_01"))])
    write(base / "in" / "zz_copier.ipynb", [("relu", SCANS_FOR_THE_CLASSMATE),
                                            ("quiz_01", COPIES_THE_CLASSMATES_QUIZ)])
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv(bubblewrap.CHOICE, request.param)
        code, rows = grade([base / "in"], base / "out", "--jobs", "1", "--timeout", "5", "--seed", "5")
    assert code == 0
    return rows


def test_a_learner_cannot_find_a_classmates_answers_or_cells_in_its_own_memory(remembered):
    classmate = remembered["aa_classmate"]["exercises"]
    assert classmate["relu"]["passed"] and classmate["quiz_01"]["passed"]
    row = remembered["zz_copier"]
    assert row["exercises"]["relu"]["passed"], messages(row, "relu")    # found itself, not the classmate


def test_a_learner_cannot_copy_a_classmates_quiz_answers_from_memory(remembered):
    row = remembered["zz_copier"]
    assert row["exercises"]["quiz_01"]["score"] == 0, messages(row, "quiz_01")
