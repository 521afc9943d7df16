"""Which sandbox the grader runs: bubblewrap's namespaces where they work, else the process sandbox.

Under bubblewrap (``bwrap``) each sandbox worker starts in new mount, PID, network, IPC and UTS
namespaces whose file system holds, read-only, only what a learner's code needs: the system's
``/usr`` and libraries, the Python install (its ``site-packages`` hidden) and NumPy, bound at
``/sandbox/site``. The course, the submissions and the grader's output are not there at all;
``/tmp`` and ``/dev/shm`` are small private tmpfs folders that the worker empties after each job;
``/proc`` shows only the sandbox's own processes; there is no network.

Run by root, bwrap keeps the worker root with just the capabilities it needs to confine a child
(it switches each child to its own unprivileged user, as the process sandbox does); run by
anyone else, bwrap runs the worker in a user namespace in which no further one can be made.

``RELU_GRADER_SANDBOX`` chooses: ``auto`` (the default: bubblewrap when a trial sandbox starts,
else the process sandbox), ``bubblewrap`` (refuse to grade without it) or ``process``.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import numpy

from checks.grader.submissions import UsageError

GRADER = Path(__file__).resolve().parent
COURSE = GRADER.parent.parent
CHOICE = "RELU_GRADER_SANDBOX"
SITE = "/sandbox/site"                    # where NumPy is found in the namespace
SCRIPT = "/sandbox/sandbox.py"            # the worker, with wire.py beside it
TMPFS_BYTES = 64 << 20                    # each of /tmp and /dev/shm
WORKER_CAPABILITIES = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID")
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


class SandboxUnavailable(UsageError):
    """bubblewrap was required (``RELU_GRADER_SANDBOX=bubblewrap``) but cannot run here."""


@dataclass(frozen=True)
class SandboxKind:
    """Which sandbox runs learners' code, and what that means, in a sentence for people."""

    name: str                      # "bubblewrap" or "process"
    description: str
    bwrap: str | None = None       # the bwrap executable, for "bubblewrap"
    reason: str = ""               # why not bubblewrap, for "process"

    @property
    def namespaces(self) -> bool:
        return self.name == "bubblewrap"


BUBBLEWRAP_MEANS = ("bubblewrap: each submission's code ran in its own namespaces, seeing only "
                    "Python and NumPy (no course, no submissions, no grader output, no network, "
                    "only its own processes), with a private /tmp and /dev/shm emptied after each notebook")
PROCESS_MEANS = ("the process sandbox (bubblewrap {why}): each submission's code ran in its own "
                 "process with limits{user}, but it could read whatever files {who} can read, "
                 "the course's answers included, and see other processes")


def _process_kind(why: str) -> SandboxKind:
    root = os.geteuid() == 0
    return SandboxKind("process", PROCESS_MEANS.format(
        why=why, user=" and its own user" if root else ", as your own user",
        who="any user" if root else "you"), reason=why)


def sandbox_kind() -> SandboxKind:
    """The sandbox this grader runs (``RELU_GRADER_SANDBOX``, and whether bwrap works here)."""
    choice = os.environ.get(CHOICE, "auto").strip().lower() or "auto"
    if choice == "process":
        return _process_kind(f"not used: {CHOICE}=process")
    if choice not in ("auto", "bubblewrap", "bwrap"):
        raise UsageError(f"{CHOICE}={choice}: choose auto, bubblewrap or process")
    kind = _probe(shutil.which("bwrap") or "")
    if choice != "auto" and not kind.namespaces:
        raise SandboxUnavailable(f"{CHOICE}={choice}, but bubblewrap {kind.reason}")
    return kind


def available() -> bool:
    """Whether bubblewrap's sandbox can run here (whatever ``RELU_GRADER_SANDBOX`` says)."""
    return _probe(shutil.which("bwrap") or "").namespaces


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str) -> SandboxKind:
    """bubblewrap when a trial sandbox (same namespaces and mounts) imports NumPy, else why not."""
    if sys.platform != "linux":
        return _process_kind("is Linux only")
    if not bwrap:
        return _process_kind("is not installed: apt-get install bubblewrap")
    trial = command(bwrap, "-c", f"import sys; sys.path.insert(0, {SITE!r}); import numpy")
    try:
        done = subprocess.run(trial, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return _process_kind(f"could not start: {error}")
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1][:200]
        return _process_kind(f"could not make a sandbox here: {reason}")
    return SandboxKind("bubblewrap", BUBBLEWRAP_MEANS, bwrap)


# ----------------------------------------------------------------------------- the command line

def _python() -> tuple[str, list[str]]:
    """The Python executable outside any virtual environment, and its install's folders."""
    executable = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
    prefixes = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.base_exec_prefix)}
    return executable, sorted(prefixes)


def _hidden(bound: list[str]) -> list[str]:
    """Folders inside what is bound that the sandbox must not see: installed packages, the course."""
    prefixes = [sys.base_prefix, sys.base_exec_prefix]
    candidates = set(site.getsitepackages(prefixes))
    for scheme_vars in ({"base": p, "platbase": p} for p in prefixes):
        paths = sysconfig.get_paths(vars=scheme_vars)
        candidates.update((paths["purelib"], paths["platlib"]))
    candidates.add(str(COURSE))
    inside = {os.path.realpath(c) for c in candidates if os.path.isdir(c)}
    return sorted(c for c in inside if any(c == b or c.startswith(b.rstrip("/") + "/") for b in bound))


def _parents(path: str) -> list[str]:
    """bwrap's arguments making ``path``'s parent folders traversable by the sandbox's users
    (bwrap would copy their modes: a Python in root's home would be out of a child's reach)."""
    args = []
    for parent in reversed(Path(path).parents[:-1]):
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def mounts() -> list[str]:
    """bwrap's arguments for the file system: read-only system and Python, NumPy, private tmpfs."""
    executable, prefixes = _python()
    args = ["--ro-bind", "/usr", "/usr"]
    bound = ["/usr"]
    for name in TOP_LEVEL:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
            bound.append(str(path))
    for path in [*prefixes, executable]:
        if not any(path == b or path.startswith(b + "/") for b in bound):
            args += _parents(path) + ["--ro-bind", path, path]
            bound.append(path)
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for folder in _hidden(bound):
        args += ["--tmpfs", folder]
    package = Path(numpy.__file__).resolve().parent
    args += ["--ro-bind", str(package), f"{SITE}/numpy",
             "--ro-bind-try", str(package.parent / "numpy.libs"), f"{SITE}/numpy.libs",
             "--ro-bind", str(GRADER / "sandbox.py"), SCRIPT,
             "--ro-bind", str(GRADER / "wire.py"), str(Path(SCRIPT).with_name("wire.py")),
             "--proc", "/proc", "--dev", "/dev"]
    for folder in ("/tmp", "/dev/shm"):
        args += ["--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", folder]
    return args + ["--remount-ro", "/"]


def command(bwrap: str, *arguments: str) -> list[str]:
    """The command that runs ``python -I -S ARGUMENTS`` inside bubblewrap's namespaces."""
    executable, _ = _python()
    isolation = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--clearenv", "--setenv", "LANG", "C.UTF-8",
                 "--setenv", "PATH", "/usr/bin:/bin", "--chdir", "/tmp"]
    if os.geteuid() == 0:       # root: no user namespace; the worker keeps what it needs to confine
        isolation += ["--cap-drop", "ALL"]
        for capability in WORKER_CAPABILITIES:
            isolation += ["--cap-add", capability]
    else:
        isolation += ["--unshare-user", "--disable-userns"]
    return [bwrap, *isolation, *mounts(), "--", executable, "-I", "-S", *arguments]
