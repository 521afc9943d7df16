"""The sandbox worker: runs learners' exercise cells and calls, one fresh child process per job.

The grader starts one worker per job slot as ``python -I sandbox.py`` (never as a module of
``checks``: the worker and its children must not hold the course in memory), inside
bubblewrap's namespaces where it can (``bubblewrap.py``: then ``--site=FOLDER`` says where
NumPy is, and ``--namespace`` that /tmp and /dev/shm are the sandbox's own, emptied after each
job). A worker imports NumPy once, forks a template process (``Template``), then serves jobs
read from stdin, one notebook each. Children are forked from the template, never from the
worker: the worker's memory, freed or not, holds the cells and answers of every learner it
served, and a child can read its own memory; the template's, forked before the first job,
holds no learner's data. For a job the template forks a child, which reads the job from a pipe
into its own memory, confines itself (its own session, a temp working folder,
resource limits, the job's own user when run as root (and, outside bubblewrap, its own IPC
namespace), every inherited file descriptor closed, a seccomp filter (no new namespaces, no
System V IPC, message queues or keyrings, signals to itself only), ``checks`` and ``reference``
unimportable) and then runs the
notebook's exercise cells in order in one namespace, calling
each exercise's function on the job's inputs. It reports through a pipe, one frame per phase:
``ready``, then per step ``cell`` and, for a graded step, ``calls``. The worker relays those
frames to the grader tagged ``C``, kills the child's process group when a wall-clock limit or
the output cap is passed, and ends the job with its own ``E`` frame saying how the child ended.

Values cross as plain data (``encode_value``, ``wire.py``), rebuilt in the grader
(``protocol.decode_value``). ``check`` in a notebook judges the same rebuilt value
(``checks.runner.call_once`` imports this file for it, without the worker's set-up, which runs
only as a script), so the two judge the same data, read once, inside the time limit.
This file may import only the standard library and NumPy.
"""

from __future__ import annotations

import os

WORKER = __name__ == "__main__"     # run as the worker (not imported by ``check`` for encode_value)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    if WORKER:
        os.environ[_variable] = "1"    # one thread: a child may not start threads (RLIMIT_NPROC)

import contextlib  # noqa: E402 - after the thread settings, which NumPy reads at import
import ctypes
import errno
import platform
import gc
import importlib.abc
import importlib.util
import json
import math
import numbers
import pwd
import resource
import select
import shutil
import signal
import socket
import stat
import struct
import sys
import tempfile
import time
import types
import warnings
from pathlib import Path
from typing import Any, Callable, Iterator

NAMESPACE = WORKER and "--namespace" in sys.argv[1:]    # inside bubblewrap: /tmp and /dev/shm are ours
for _argument in sys.argv[1:] if WORKER else ():
    if _argument.startswith("--site="):              # where NumPy is (the namespace has no site-packages)
        sys.path.insert(0, _argument.partition("=")[2])

import numpy as np  # noqa: E402 - after the path to it

HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path) -> types.ModuleType:
    """A module loaded from a file, kept out of sys.modules (a learner cannot import it)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Modules a learner may import, loaded before any fork: a child running as another user may
# not be allowed to read Python's own files (a Python installed in root's home, say).
PRELOADED = ("numpy.random", "numpy.linalg", "numpy.fft", "numpy.polynomial", "numpy.typing",
             "numpy.testing", "numpy.lib.format", "cmath", "collections", "copy", "dataclasses",
             "decimal", "fractions", "functools", "itertools", "numbers", "operator", "random",
             "statistics")
for _name in PRELOADED if WORKER else ():
    importlib.import_module(_name)

wire = _load("_sandbox_wire", HERE / "wire.py")

# NumPy's functions bound now, before any learner code can reassign them.
_errstate, _get_state, _set_state, _seed = np.errstate, np.random.get_state, np.random.set_state, np.random.seed
_default_rng, _ndarray, _generic, _asarray = np.random.default_rng, np.ndarray, np.generic, np.asarray
_type_name = type.__dict__["__name__"].__get__     # a class's own name: no metaclass can override it
_type_mro = type.__dict__["__mro__"].__get__       # a class's own bases, read without calling its metaclass
# NumPy's own scalar types, by identity (``in`` a set would hash the class: its metaclass's code)
_NUMPY_SCALARS = {id(kind): kind for kind in set(np.sctypeDict.values())}
_NUMBER_BASES = (int, float, complex, np.number, numbers.Number)   # real bases, never an ABC registry
MAX_ARRAY_BYTES = 8 << 20    # the largest array answer: an eighth of the grader's output limit (64 MB a job)
INT_DIGITS = sys.int_info.default_max_str_digits   # 4300: the longest int answer, as Python prints by default
LARGEST_INT = 10 ** INT_DIGITS
_get_int_digits, _set_int_digits = sys.get_int_max_str_digits, sys.set_int_max_str_digits

UIDS = range(2_000_000_000, 2**31 - 1)   # sandbox users: the grader gives each job its own (workers.py)
CHILD_FAILED = 70                 # the child's exit code when confining itself failed
CELL_SHARE = 0.8                  # of an exercise's time, for its cell: a loop there ends in words
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_SECCOMP, _PR_SET_NO_NEW_PRIVS = 1, 4, 22, 38
PRIVATE_FOLDERS = ("/tmp", "/dev/shm")    # inside bubblewrap: the sandbox's own tmpfs, emptied after each job
VIRTUAL_FILE_SYSTEMS = {"proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs", "debugfs", "tracefs",
                        "bpf", "pstore", "configfs", "fusectl", "binfmt_misc", "hugetlbfs", "autofs",
                        "efivarfs", "nsfs"}


# ----------------------------------------------------------------------------- the worker

def serve() -> None:
    """Serve jobs from stdin until it closes; write the frames of each job to stdout.

    A job comes as two frames: the limits the worker enforces (JSON), then the job itself,
    which the worker passes to the child unread.
    """
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)       # die with the grader
    _prctl(_PR_SET_DUMPABLE, 0)     # a child of the same user cannot trace it or open its /proc files
    gc.freeze()                     # children's garbage collection leaves the shared pages alone
    shared = _shared_folders()
    template = Template()           # before the first job: it never holds a learner's data
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        while (header := wire.read_frame(stdin)) is not None:
            job = wire.read_frame(stdin)
            if job is None:
                raise wire.WireError("the stream ended between a job's limits and the job")
            for tag, data in run_job(template, json.loads(header), job, shared):
                stdout.write(wire.frame(tag + data))
                stdout.flush()
    except TemplateGone:            # (a child killed it): the grader starts a new worker
        sys.exit(1)


def run_job(template: "Template", limits: dict, job: bytes, shared: tuple[str, ...]) -> Iterator[tuple[bytes, bytes]]:
    """Have ``template`` fork a child for ``job``; yield its frames (tag ``C``), then how it
    ended (tag ``E``). ``limits`` are the job's wall-clock and output limits and, under root,
    the job's own ``uid``; ``shared`` the world-writable folders swept after it."""
    owner = _sandbox_user(limits["uid"]) if os.geteuid() == 0 else None
    workdir = tempfile.mkdtemp(prefix="relu-sandbox-")
    if owner is not None:
        os.chown(workdir, *owner)
    job_in, job_out = os.pipe()
    frames_in, frames_out = os.pipe()
    try:
        pid = template.fork_child(job_in, frames_out, workdir, owner)
    finally:
        os.close(job_in)
        os.close(frames_out)
    ending = {"how": "aborted"}
    try:
        _write_job(job_out, job)
        ending = yield from _relay(frames_in, limits)
    finally:
        os.close(frames_in)
        ending = _end_child(template, pid, ending)
        _remove(workdir)
        _sweep(owner, shared)
    yield b"E", json.dumps(ending).encode()


def _write_job(fd: int, job: bytes) -> None:
    """Write the job into the child's pipe and close it (the child reads to its end); a child
    that has already ended (its pipe broken) is reported by how it ended."""
    try:
        view = memoryview(job)
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        pass
    finally:
        os.close(fd)


def _relay(fd: int, limits: dict) -> Iterator[tuple[bytes, bytes]]:
    """Relay the child's frames until it closes the pipe or passes a limit; return how it ended."""
    start = time.monotonic()
    total_deadline = start + limits["total_seconds"]
    step_deadline = start + limits["exercise_seconds"]
    frames = wire.FrameBuffer(limits["output_bytes"])
    received = 0                                    # bytes, against the cap on the whole job
    while True:
        now = time.monotonic()
        if now >= total_deadline:
            return {"how": "timeout", "scope": "submission", "seconds": limits["total_seconds"]}
        if now >= step_deadline:
            return {"how": "timeout", "scope": "exercise", "seconds": limits["exercise_seconds"]}
        ready, _, _ = select.select([fd], [], [], min(total_deadline, step_deadline) - now)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return {"how": "closed"}
        received += len(chunk)
        try:
            if received > limits["output_bytes"]:
                raise wire.WireError("too much output")
            payloads = frames.feed(chunk)
        except wire.WireError:
            return {"how": "output", "bytes": limits["output_bytes"]}
        for payload in payloads:
            step_deadline = time.monotonic() + limits["exercise_seconds"]
            yield b"C", payload


def _end_child(template: "Template", pid: int, ending: dict) -> dict:
    """Kill the child's process group and have the template reap the child; complete
    ``ending`` with the child's status.

    A child that closed its pipe gets a moment to exit by itself. The group is killed before
    the child is reaped, while its id cannot yet be reused.
    """
    status = template.ended(1.0) if ending["how"] == "closed" else None
    for kill in (os.killpg, os.kill):       # kill: a child killed before it had its own group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
    if status is None:
        status = template.ended(None)
    template.reap()
    if ending["how"] != "closed":
        return ending
    if "signal" in status:
        return {"how": "signal", "signal": status["signal"]}
    return {"how": "exit", "code": status["exit"]}


def _remove(path: str) -> None:
    """Remove a file or a folder tree, whatever permissions a child gave the folders in it."""
    def allow_and_retry(function: Callable, failed: str, *_: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed), 0o700)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, 0o700)
            function(failed)

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, onerror=allow_and_retry)
    else:
        with contextlib.suppress(OSError):
            os.remove(path)


def _sweep(owner: tuple[int, int] | None, folders: tuple[str, ...], depth: int = 0) -> None:
    """Remove what a child left in the world-writable ``folders``: what its user (its own, this
    job's alone) owns, looking into the world-writable folders inside them too; inside
    bubblewrap, everything in /tmp and /dev/shm (the sandbox's own)."""
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        everything = NAMESPACE and depth == 0 and folder in PRIVATE_FOLDERS
        for entry in entries:
            with contextlib.suppress(OSError):
                status = entry.stat(follow_symlinks=False)
                if everything or (owner is not None and status.st_uid == owner[0]):
                    _remove(entry.path)
                elif owner is not None and depth < 3 and stat.S_ISDIR(status.st_mode) and status.st_mode & 0o002:
                    _sweep(owner, (entry.path,), depth + 1)


def _shared_folders() -> tuple[str, ...]:
    """The world-writable folders a child may leave files in (/tmp, /var/tmp, /dev/shm,
    /run/lock...): those among the top three levels (the mount point, its folders and theirs) of
    every file system mounted writable, but /proc's, /sys's and their like. Found once per worker,
    in a few milliseconds; ``_sweep`` looks into the world-writable folders inside them."""
    try:
        with open("/proc/self/mounts") as mounts:
            table = [line.split() for line in mounts]
    except OSError:
        table = []
    found = set(PRIVATE_FOLDERS) | {"/var/tmp"}
    for _, point, kind, options, *_ in table:
        if kind in VIRTUAL_FILE_SYSTEMS or "ro" in options.split(","):
            continue
        point = point.replace("\\040", " ")
        with contextlib.suppress(OSError):
            found.update(_world_writable(point, os.stat(point).st_dev))
    return tuple(sorted(found))


def _world_writable(top: str, device: int) -> list[str]:
    """The world-writable folders among ``top``, its folders and theirs, on ``device``."""
    found, level = [], [top]
    for depth in range(3):
        below = []
        for folder in level:
            with contextlib.suppress(OSError):
                status = os.stat(folder, follow_symlinks=False)
                if not stat.S_ISDIR(status.st_mode) or status.st_dev != device:
                    continue
                if status.st_mode & 0o002:
                    found.append(folder)
                elif depth < 2:
                    below += [entry.path for entry in os.scandir(folder) if entry.is_dir(follow_symlinks=False)]
        level = below
    return found


def _sandbox_user(uid: int) -> tuple[int, int]:
    """The (uid, gid) a child runs as under root: the job's own, which the grader chose."""
    if uid not in UIDS:
        raise ValueError(f"a sandbox user must be in {UIDS.start}..{UIDS.stop - 1}, not {uid}")
    return uid, uid


# ----------------------------------------------------------------------------- the template

class TemplateGone(Exception):
    """The template process ended: this worker can fork no more clean children."""


class Template:
    """The process every child is forked from, and the worker's socket to it.

    The worker forks it when it starts, before it reads any job, so it holds NumPy and this
    module and nothing of any learner: a child forked from the worker itself would inherit,
    in memory freed but not overwritten, the cells and answers of every learner the worker
    relayed before. The template only ever receives tiny requests (a child's two pipe ends,
    its folder and user); the child reads its job from its pipe into its own memory.
    """

    def __init__(self) -> None:
        worker = os.getpid()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:                                # the template: never returns
            code = 0
            try:
                ours.close()
                code = _template(theirs, worker)
            finally:
                os._exit(code)
        theirs.close()
        self.channel = ours

    def fork_child(self, job_in: int, frames_out: int, workdir: str, owner: tuple[int, int] | None) -> int:
        """Fork a child that reads its job from ``job_in`` and writes its frames to
        ``frames_out``, working in ``workdir`` as ``owner``; its pid."""
        request = json.dumps({"workdir": workdir, "owner": owner}).encode()
        try:
            socket.send_fds(self.channel, [request], [job_in, frames_out])
        except OSError as error:
            raise TemplateGone(str(error)) from None
        return self._receive()["pid"]

    def ended(self, seconds: float | None) -> dict | None:
        """The child's end, ``{"exit": code}`` or ``{"signal": number}``, once it has ended
        (unreaped: its id stays taken); None if it is still running after ``seconds``
        (None: wait as long as it takes)."""
        if seconds is not None and not select.select([self.channel], [], [], seconds)[0]:
            return None
        return self._receive()

    def reap(self) -> None:
        """Let the template reap the child that has ended."""
        try:
            self.channel.send(b"reap")
        except OSError as error:
            raise TemplateGone(str(error)) from None

    def _receive(self) -> dict:
        try:
            message = self.channel.recv(4096)
        except OSError as error:
            raise TemplateGone(str(error)) from None
        if not message:
            raise TemplateGone("the template ended")
        return json.loads(message)


def _template(channel: socket.socket, worker: int) -> int:
    """The template's life: one child per request until the worker goes; its exit code."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)       # die with the worker
    if os.getppid() != worker:                      # (it went before that took effect)
        return 0
    null = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1):                         # the grader's channel is the worker's alone
        os.dup2(null, standard)
    os.close(null)
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 4096, 2)
        if not message or len(fds) != 2:
            return 0
        request = json.loads(message)
        owner = tuple(request["owner"]) if request["owner"] is not None else None
        pid = _fork_child(channel, *fds, request["workdir"], owner)
        channel.send(json.dumps({"pid": pid}).encode())
        _report_end(channel, pid)


def _fork_child(channel: socket.socket, job_in: int, frames_out: int, workdir: str,
                owner: tuple[int, int] | None) -> int:
    """Fork the child (in the template); its pid."""
    template = os.getpid()
    pid = os.fork()
    if pid == 0:                                    # the child: never returns
        code = CHILD_FAILED
        try:
            channel.close()
            _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)   # die with the template (set again in _confine)
            if os.getppid() == template:
                code = _child(job_in, frames_out, workdir, owner)
        finally:
            os._exit(code)
    os.close(job_in)
    os.close(frames_out)
    return pid


def _report_end(channel: socket.socket, pid: int) -> None:
    """Tell the worker how the child ended, once it has; reap it when the worker says so
    (after killing its group, while its id cannot be reused)."""
    ended = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    killed = ended.si_code in (os.CLD_KILLED, os.CLD_DUMPED)
    channel.send(json.dumps({"signal" if killed else "exit": ended.si_status}).encode())
    channel.recv(16)
    os.waitpid(pid, 0)


# ----------------------------------------------------------------------------- the child

def _child(job_in: int, fd: int, workdir: str, owner: tuple[int, int] | None) -> int:
    """The child's life: read its job, confine itself, say so, run the job; its exit code."""
    try:
        job = _read_job(job_in)
        _confine(fd, workdir, owner, job)
    except BaseException as error:  # noqa: BLE001 - reported to the grader as its own fault
        _send(fd, {"phase": "broken", "error": f"{type(error).__name__}: {error}"})
        return CHILD_FAILED
    _send(fd, {"phase": "ready"})
    _run_steps(job, lambda message: _send(fd, message))
    return 0


def _read_job(fd: int) -> dict:
    """The job, read from the worker's pipe to its end (into this child's own memory)."""
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    os.close(fd)
    return json.loads(b"".join(chunks))


def _confine(fd: int, workdir: str, owner: tuple[int, int] | None, job: dict) -> None:
    """Everything the child does before the first line of learner code runs."""
    os.setsid()                                     # its own process group, killed as a whole
    null = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1, 2):
        os.dup2(null, standard)
    os.closerange(3, fd)
    os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
    os.chdir(workdir)
    os.umask(0o077)
    limits = job["limits"]
    cpu = math.ceil(limits["total_seconds"]) + 1
    vm_now = _vm_size()
    for limit, value in ((resource.RLIMIT_CPU, (cpu, cpu + 1)),
                         (resource.RLIMIT_AS, (vm_now + (limits["memory_mb"] << 20),) * 2),
                         (resource.RLIMIT_FSIZE, (limits["file_mb"] << 20,) * 2),
                         (resource.RLIMIT_NPROC, (0, 0)),  # no new process or thread
                         (resource.RLIMIT_MSGQUEUE, (0, 0)),  # no POSIX message queue
                         (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(limit, value)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file too large: an error, not a kill
    _block_imports(job["blocked"])
    if owner is not None:
        if not NAMESPACE:                          # (bubblewrap gave the worker its own already)
            _unshare(_CLONE_NEWIPC)                # System V objects: none of the host's, gone with it
        uid, gid = owner
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    _prctl(_PR_SET_NO_NEW_PRIVS, 1)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)      # die with the worker
    _install_seccomp_filter()
    os.environ.clear()
    os.environ.update(HOME=workdir, TMPDIR=workdir, PATH="/usr/bin:/bin", LANG="C.UTF-8")
    tempfile.tempdir = workdir


def _vm_size() -> int:
    """This process's address space in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _unshare(flags: int) -> None:
    """Linux's unshare(2) (os.unshare is Python 3.12's)."""
    if ctypes.CDLL(None, use_errno=True).unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare refused")


def _prctl(option: int, value: int) -> None:
    """Linux's prctl(2); does nothing where it is missing."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


# System call numbers per machine, from the kernel's syscall tables: (audit arch, {name: number})
_SYSCALLS = {
    "x86_64": (0xC000003E, {
        "unshare": 272, "setns": 308, "clone": 56, "clone3": 435,
        "shmget": 29, "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66,
        "semtimedop": 220, "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240,
        "mq_unlink": 241, "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244,
        "mq_getsetattr": 245, "add_key": 248, "request_key": 249, "keyctl": 250,
        "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
        "pidfd_send_signal": 424}),
    "aarch64": (0xC00000B7, {
        "unshare": 97, "setns": 268, "clone": 220, "clone3": 435,
        "shmget": 194, "shmat": 196, "shmctl": 195, "shmdt": 197, "semget": 190, "semop": 193,
        "semctl": 191, "semtimedop": 192, "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187,
        "mq_open": 180, "mq_unlink": 181, "mq_timedsend": 182, "mq_timedreceive": 183, "mq_notify": 184,
        "mq_getsetattr": 185, "add_key": 217, "request_key": 218, "keyctl": 219,
        "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240,
        "pidfd_send_signal": 424}),
}
# Refused outright: new namespaces; System V IPC and POSIX message queues (memory outside
# RLIMIT_AS that outlives the child, and a drop box for the next learner); the kernel's keyrings
# (kept per user, across jobs and runs); signals through a pidfd.
_REFUSED = ("unshare", "setns", "shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semctl",
            "semtimedop", "msgget", "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend",
            "mq_timedreceive", "mq_notify", "mq_getsetattr", "add_key", "request_key", "keyctl",
            "pidfd_send_signal")
_SIGNAL_ONE = ("tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")   # first argument: a pid
_CLONE_NEWIPC = 0x08000000
_CLONE_NEW_ANY = 0x7E020000        # CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET


def _seccomp_program(machine: str, pid: int) -> bytes:
    """A seccomp filter (classic BPF) for the process ``pid``, leader of its process group.

    It refuses (EPERM) the system calls in ``_REFUSED``, clone with any CLONE_NEW* flag, and
    clone3 (whose flags a filter cannot read) with ENOSYS, which makes the C library use clone.
    Signals go only to the process itself: kill to ``pid``, its group (0 or -``pid``), tkill,
    tgkill and the queued signals to ``pid``; any other target is refused. Another ABI's system
    calls fail."""
    arch, numbers = _SYSCALLS[machine]
    allow, deny, nosys = 0x7FFF0000, 0x00050000 | errno.EPERM, 0x00050000 | errno.ENOSYS
    load, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    number, architecture, first = 0, 4, 16          # offsets in seccomp_data (first: low 32 bits)
    program: list[tuple[int, Any, Any, int]] = [
        (load, 0, 0, architecture), (jeq, 0, "deny", arch),
        (load, 0, 0, number), (jge, "deny", 0, 0x40000000)]                 # x32 numbers: refused
    program += [(jeq, "deny", 0, numbers[name]) for name in _REFUSED]
    program += [(jeq, "nosys", 0, numbers["clone3"]), (jeq, "clone", 0, numbers["clone"]),
                (jeq, "kill", 0, numbers["kill"])]
    program += [(jeq, "self", 0, numbers[name]) for name in _SIGNAL_ONE]
    program += [(ret, 0, 0, allow),
                ("clone", None, None, 0), (load, 0, 0, first), (jset, "deny", "allow", _CLONE_NEW_ANY),
                ("kill", None, None, 0), (load, 0, 0, first), (jeq, "allow", 0, 0),
                (jeq, "allow", "self", -pid & 0xFFFFFFFF),
                ("self", None, None, 0), (load, 0, 0, first), (jeq, "allow", "deny", pid),
                ("allow", None, None, 0), (ret, 0, 0, allow),
                ("nosys", None, None, 0), (ret, 0, 0, nosys),
                ("deny", None, None, 0), (ret, 0, 0, deny)]
    labels, code = {}, []
    for instruction in program:
        if isinstance(instruction[0], str):
            labels[instruction[0]] = len(code)
        else:
            code.append(instruction)

    def offset(target: Any, index: int) -> int:
        return labels[target] - index - 1 if isinstance(target, str) else target

    return b"".join(struct.pack("=HBBI", op, offset(true, i), offset(false, i), k)
                    for i, (op, true, false, k) in enumerate(code))


class _FilterProgram(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _install_seccomp_filter() -> None:
    """Install ``_seccomp_program`` in this process (needs no_new_privs); Linux only."""
    if sys.platform != "linux":
        return
    machine = platform.machine()
    if machine not in _SYSCALLS:
        raise OSError(f"no seccomp filter for {machine}: the sandbox could create namespaces")
    code = ctypes.create_string_buffer(_seccomp_program(machine, os.getpid()))
    program = _FilterProgram(len(code.raw) // 8, ctypes.cast(code, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_SECCOMP, 2, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter refused")


class _BlockedImports(importlib.abc.MetaPathFinder):
    """Makes the course's own packages unimportable: an exercise cell must stand on its own."""

    def __init__(self, names: list[str]):
        self.names = set(names)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.partition(".")[0] in self.names:
            raise ImportError(f"No module named {fullname!r} here: the grader runs your exercise "
                              "cell on its own, with numpy (as np) and math")
        return None


def _block_imports(names: list[str]) -> None:
    for name in list(sys.modules):
        if name.partition(".")[0] in names:
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path
                   if not any(os.path.exists(os.path.join(p or ".", name, "__init__.py")) for name in names)]
    sys.meta_path.insert(0, _BlockedImports(names))


def _send(fd: int, message: dict) -> None:
    """Send ``message`` as one frame. Its ints have at most INT_DIGITS digits (``encode_value``),
    which print whatever limit a cell set (``sys.set_int_max_str_digits(640)``)."""
    limit = _get_int_digits()
    _set_int_digits(0)
    try:
        data = wire.frame(json.dumps(message).encode())
    finally:
        _set_int_digits(limit)
    while data:
        data = data[os.write(fd, data):]


# ----------------------------------------------------------------------------- running cells

class TimeUp(BaseException):
    """Raised in learner code when its time is up (a BaseException: `except Exception` won't catch
    it); ``checks.runner.time_limit`` raises it too."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with TimeUp, as ``checks.runner.time_limit`` does."""
    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeUp()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Capped:
    """A text stream that keeps the first ``limit`` characters written to it and drops the rest."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.size = limit, [], 0

    def write(self, text: str) -> int:
        if self.size < self.limit:
            kept = str(text)[:self.limit - self.size]
            self.parts.append(kept)
            self.size += len(kept)
        return len(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self.parts)


def error_text(error: BaseException) -> str:
    """An error in words, as the grader and ``check`` give it: "ValueError: boom" ("ValueError"
    when it has no text). Its text is
    the learner's code (``__str__``): call this inside the time limit. An error whose text
    cannot be made is named by its type alone."""
    name = _type_name(type(error))[:100]
    if isinstance(error, RecursionError):
        return "RecursionError: maximum recursion depth exceeded"
    try:
        if isinstance(error, SystemExit):
            return f"SystemExit: the function called exit({error.code})"[:500]
        message = f"{error}"
        return f"{name}: {message}"[:500] if message else name      # `raise KeyboardInterrupt`: its name alone
    except TimeUp:
        raise
    except BaseException:  # noqa: BLE001 - an exception whose text cannot be made
        return name


def warning_texts(caught: list, readable: bool) -> list[str]:
    """The first five warnings a call raised, in words ("UserWarning: careful"); by their
    category alone when not ``readable`` (their text is the learner's code, which may not run
    once the call's time is up)."""
    texts = []
    for caught_warning in caught[:5]:
        name = "Warning"
        try:
            name = _type_name(caught_warning.category)[:100]
            texts.append(f"{name}: {caught_warning.message}"[:300] if readable else name)
        except TimeUp:
            raise
        except BaseException:  # noqa: BLE001 - a warning whose text cannot be made
            texts.append(name)
    return texts


def _run_cell(source: str, number: int, namespace: dict, limit: float) -> dict:
    """Execute one exercise cell: the functions it defined, and what went wrong, if anything.

    A cell is stopped at CELL_SHARE of the exercise's time ``limit``, so that a loop ends in
    words before the hard limit; the message names ``limit``, the figure --timeout gave.
    """
    before = dict(namespace)
    failure = _exec_cell(source, number, namespace, CELL_SHARE * limit, limit)
    defined = sorted(key for key, value in namespace.items() if isinstance(value, types.FunctionType)
                     and before.get(key) is not value and not key.startswith("_"))
    return {**failure, "defined": defined[:10]}


def _exec_cell(source: str, number: int, namespace: dict, seconds: float, limit: float) -> dict:
    printed = _Capped(0)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed), \
                warnings.catch_warnings(), _errstate(all="ignore"), _time_limit(seconds):
            warnings.simplefilter("ignore")
            # the source is Python already: the grader read it as IPython runs it (cells.python_source)
            exec(compile(source, f"<exercise cell {number}>", "exec"), namespace)  # noqa: S102
    except NotImplementedError:
        return {"error": "NotImplementedError", "not_implemented": True}
    except TimeUp:
        return {"error": f"it did not finish within the time limit ({limit:g} s): is there a loop "
                         "that never ends?",
                "not_implemented": False}
    except SyntaxError as error:
        return {"error": f"SyntaxError: {error.msg} (line {error.lineno})", "not_implemented": False}
    except BaseException as error:  # noqa: BLE001 - whatever the cell raises is reported
        text = error_text(error).replace("the function called", "the cell called")
        return {"error": text.rstrip(": "), "not_implemented": False}
    return {"error": None, "not_implemented": False}


class _QuietShell:
    """``get_ipython()`` here: the magics, shell commands and help of a cell (made Python by the
    grader, ``checks.cells.python_source``) do nothing; ``!cmd`` as a value is empty text."""

    def getoutput(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: None


def _notebook_names() -> dict[str, Any]:
    """What a notebook cell finds without importing: NumPy as np, math, __name__ "__main__", and
    IPython's get_ipython and display, which do nothing here."""
    shell = _QuietShell()
    return {"__name__": "__main__", "np": np, "math": math, "get_ipython": lambda: shell,
            "display": lambda *args, **kwargs: None}


def _run_steps(job: dict, send: Callable[[dict], None]) -> None:
    """Run the job's cells in order in one namespace; call each graded step's function."""
    limits = job["limits"]
    namespace: dict[str, Any] = _notebook_names()
    skip = set(job["skip"])
    for index, step in enumerate(job["steps"]):
        if index in skip:
            continue
        ran = _run_cell(step["source"], step["cell"], namespace, limits["exercise_seconds"])
        if index < job["start"]:
            continue
        send({"phase": "cell", "step": index, **ran})
        if step["name"] is not None:
            called = _call_function(namespace, step["name"], step["calls"], limits)
            try:
                send({"phase": "calls", "step": index, **called})
            except MemoryError:         # the answers too large to put in words: said so, not a crash
                send({"phase": "calls", "step": index, **_answers_too_large(called)})


TOO_LARGE = "returned an answer too large for the grader to read"


def _answers_too_large(called: dict) -> dict:
    """``called`` with each answer replaced by the refusal TOO_LARGE and the arguments after the
    calls left out (what a frame that could not be made in memory still says)."""
    outcomes = [{**outcome, "args_after": [],
                 "value": None if outcome["value"] is None else {"t": "refused", "reason": TOO_LARGE}}
                for outcome in called.get("outcomes", [])]
    return {**called, "outcomes": outcomes} if "outcomes" in called else called


def _call_function(namespace: dict, name: str, calls: list[dict], limits: dict) -> dict:
    """The calls' outcomes, or why there is no function to call."""
    if name not in namespace:
        return {"found": "missing"}
    function = namespace[name]
    if not callable(function):
        return {"found": "value", "type": _type_name(type(function))[:100]}
    return {"found": "function", "outcomes": _run_calls(function, calls, limits)}


def _run_calls(function: Callable[..., Any], calls: list[dict], limits: dict) -> list[dict]:
    """Every call within one time budget, as ``checks.runner.run_calls`` does."""
    deadline = time.monotonic() + limits["call_seconds"]
    outcomes: list[dict] = []
    for call in calls:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcomes.append(_outcome(timed_out=True))
            continue
        outcome = _call_once(function, call, remaining, limits["print_chars"])
        outcomes.append(outcome)
        if outcome["not_implemented"]:
            outcomes.extend(_outcome(not_implemented=True) for _ in calls[len(outcomes):])
            break
    return outcomes


def _outcome(**fields: Any) -> dict:
    outcome = {"value": None, "error": None, "not_implemented": False,
               "timed_out": False, "printed": "", "warnings": [], "args_after": []}
    outcome.update(fields)
    return outcome


def _argument(data: dict) -> Any:
    """A fresh argument from its wire form; an rng placeholder becomes a Generator (or its seed)."""
    kind = data["kind"]
    if kind == "array":
        return wire.unpack_array(data["npy"])
    if kind == "scalar":
        return wire.unpack_array(data["npy"])[()]
    if kind == "rng":
        return data["seed"] if data["as_int"] else _default_rng(data["seed"])
    if kind == "plain":
        return data["value"]
    raise ValueError(f"an argument of unknown kind {kind!r}")


class Unsendable(Exception):
    """An answer that cannot cross as data; its text says why, in the words of the feedback."""


def encode_value(value: Any, depth: int = 0, budget: list[int] | None = None) -> dict:
    """A learner's answer as plain data that rebuilds into an equivalent value in the grader,
    or Unsendable.

    Values of these exact types cross as they are: None, bool, int (up to INT_DIGITS digits,
    which Python prints and reads by default), float, complex, str (up to ``wire.MAX_TEXT`` characters), arrays and
    NumPy's own scalar types (their data, read by NumPy, with their dtype and shape;
    arrays up to MAX_ARRAY_BYTES); lists, tuples and
    dicts item by item, up to ``wire.MAX_ITEMS`` items in all and ``wire.MAX_DEPTH`` levels. A
    function, or any other object (a subclass of float, str, np.float64... too), crosses as its kind and type
    name only, which is all a check reads of it. No method of the learner's runs here.
    """
    budget = [wire.MAX_ITEMS] if budget is None else budget
    kind = type(value)
    if value is None:
        return {"t": "none"}
    if kind is bool:
        return {"t": "bool", "v": value}
    if issubclass(kind, _ndarray):
        array = _ndarray.view(value, _ndarray)
        if array.dtype.hasobject:
            return {"t": "objects", "shape": list(array.shape)}
        return {"t": "array", "npy": wire.pack_array(within_limit(array))}
    if _NUMPY_SCALARS.get(id(kind)) is kind:   # NumPy's own scalars only: a subclass's __int__ never runs
        return {"t": "scalar", "npy": wire.pack_array(within_limit(_asarray(value)))}
    if kind is int:
        if not -LARGEST_INT < value < LARGEST_INT:
            raise Unsendable(f"returned an int of more than {INT_DIGITS} digits, more than the "
                             "grader reads")
        return {"t": "int", "v": value}
    if kind is float:
        return {"t": "float", "v": value}
    if kind is complex:
        return {"t": "complex", "re": value.real, "im": value.imag}
    if kind is str:
        if len(value) > wire.MAX_TEXT:
            raise Unsendable(f"returned a string of {len(value)} characters, more than the "
                             f"{wire.MAX_TEXT} the grader reads")
        return {"t": "str", "v": value}
    if kind is list or kind is tuple or kind is dict:     # (``in`` would call a metaclass's __eq__)
        if depth >= wire.MAX_DEPTH:
            raise Unsendable(f"returned lists, tuples or dicts nested more than {wire.MAX_DEPTH} "
                             "levels deep, more than the grader reads")
        items = list(value.items()) if kind is dict else list(value)
        budget[0] -= len(items)
        if budget[0] < 0:
            raise Unsendable(f"returned lists, tuples or dicts of more than {wire.MAX_ITEMS} items "
                             "in all, more than the grader reads")
        encoded = ([[encode_value(k, depth + 1, budget), encode_value(v, depth + 1, budget)]
                    for k, v in items] if kind is dict
                   else [encode_value(item, depth + 1, budget) for item in items])
        return {"t": kind.__name__, "items": encoded}
    if callable(value):
        return {"t": "function"}
    return {"t": "object", "type": _type_name(kind)[:100], "number": is_number_type(kind)}


def is_number_type(kind: type) -> bool:
    """Whether ``kind`` derives from int, float, complex, NumPy's number or ``numbers.Number``,
    read from its real bases: ``issubclass(kind, numbers.Number)`` would ask the ABC's registry,
    where a learner's metaclass may answer with its own code."""
    return any(base is number for base in _type_mro(kind) for number in _NUMBER_BASES)


def within_limit(array: np.ndarray) -> np.ndarray:
    """``array`` (a base ndarray), or Unsendable when its data is over MAX_ARRAY_BYTES."""
    if array.nbytes > MAX_ARRAY_BYTES:
        raise Unsendable(f"returned an array of {array.nbytes} bytes, more than the grader reads "
                         f"(limit {MAX_ARRAY_BYTES})")
    return array


def encode_answer(value: Any) -> dict:
    """The answer as plain data, or the reason it could not be read (``check`` says the same)."""
    try:
        return encode_value(value)
    except Unsendable as refused:
        return {"t": "refused", "reason": str(refused)}
    except Exception as error:  # noqa: BLE001 - an object that breaks on reading
        return {"t": "refused", "reason": f"returned an object of type {_type_name(type(value))[:100]!r} "
                                          f"that could not be read ({_type_name(type(error))[:100]})"}


def _call_once(function: Callable[..., Any], call: dict, seconds: float, print_chars: int) -> dict:
    """One call on fresh arguments, as ``checks.runner.call_once`` makes it; its outcome as data."""
    args = [_argument(a) for a in call["args"]]
    kwargs = {key: _argument(a) for key, a in call["kwargs"].items()}
    printed = _Capped(print_chars)
    outcome = _outcome()
    with warnings.catch_warnings(record=True) as caught, _errstate(all="ignore"), \
            contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        warnings.simplefilter("always")
        state = _get_state()
        if call["global_seed"] is not None:
            _seed(call["global_seed"])
        try:
            with _time_limit(seconds):          # the answer and the error's text are read in time too
                try:
                    outcome["value"] = encode_answer(function(*args, **kwargs))
                except NotImplementedError:
                    outcome["not_implemented"] = True
                except TimeUp:
                    raise
                except BaseException as error:  # noqa: BLE001 - whatever the learner's code raises
                    outcome["error"] = error_text(error)
                outcome["warnings"] = warning_texts(caught, readable=True)
        except TimeUp:
            outcome.update(value=None, error=None, not_implemented=False, timed_out=True,
                           warnings=warning_texts(caught, readable=False))
        finally:
            _set_state(state)
    outcome["args_after"] = [wire.pack_array(a) if isinstance(a, _ndarray) else None for a in args]
    outcome["printed"] = printed.getvalue()
    return outcome


if __name__ == "__main__":
    serve()
