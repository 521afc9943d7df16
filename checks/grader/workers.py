"""Sandbox worker processes, seen from the grader: start one, send it a job, read the answer.

A worker (``sandbox.py``) imports NumPy once and has a fresh child forked per job, from a clean
template process it forked before its first job, so start-up is paid once per worker, not per
submission or exercise, and no child inherits what an earlier learner's child sent; under
bubblewrap the worker starts inside the namespaces once (``bubblewrap.py``) and its children,
and the code that reaches them over the pipe, stay there. A worker that dies or stops answering is replaced; the job it was running
ends as ``{"how": "worker"}``.
"""

from __future__ import annotations

import itertools
import json
import os
import pwd
import secrets
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from checks.grader import bubblewrap
from checks.grader.bubblewrap import SandboxKind
from checks.grader.wire import FrameBuffer, WireError, frame

SANDBOX = Path(__file__).resolve().parent / "sandbox.py"
GRACE = 5.0            # seconds a worker may take beyond a job's own limit to report its end
UIDS = range(2_000_000_000, 2**31 - 1)     # the sandbox's users (sandbox.UIDS)
_next_uid = itertools.count(secrets.randbelow(len(UIDS)))     # from a random start per grader run


def job_uid() -> int:
    """A user for one job's child (when the worker runs as root): each job of this run its own,
    in turn from a random start, so that two runs share one only by chance (one in ~10^8 per
    job); none that the system's users have. Nothing of a user outlives its job: its files are
    swept and the kernel's per-user keyrings are out of the sandbox's reach."""
    while True:
        uid = UIDS[next(_next_uid) % len(UIDS)]
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid


class Worker:
    """One sandbox worker process."""

    def __init__(self, kind: SandboxKind | None = None) -> None:
        self.kind = kind or bubblewrap.sandbox_kind()
        self.process: subprocess.Popen | None = None
        self._start()

    def _command(self) -> list[str]:
        whose = f"--grader={os.getpid()}"          # (for ps: whose worker)
        if self.kind.namespaces:
            return bubblewrap.command(self.kind.bwrap, bubblewrap.SCRIPT, f"--site={bubblewrap.SITE}",
                                      "--namespace", whose)
        return [sys.executable, "-I", str(SANDBOX), whose]

    def _start(self) -> None:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        self.process = subprocess.Popen(
            self._command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=env, start_new_session=True, close_fds=True)

    def _restart(self) -> None:
        self.close()
        self._start()

    def run(self, job: bytes, limits: dict) -> tuple[list[bytes], dict]:
        """Run a job: the child's frames, and how the child ended.

        ``limits`` are those the worker enforces (``total_seconds``, ``exercise_seconds``,
        ``output_bytes``); it reads nothing else of the job, which its child reads. The job's
        child gets its own user (``job_uid``).
        """
        seconds, output_bytes = limits["total_seconds"], limits["output_bytes"]
        header = {**limits, "uid": job_uid()}
        try:
            self.process.stdin.write(frame(json.dumps(header).encode()) + frame(job))
            self.process.stdin.flush()
        except OSError:
            self._restart()
            return [], {"how": "worker"}
        fd = self.process.stdout.fileno()
        buffer = FrameBuffer(output_bytes + (1 << 20))
        frames: list[bytes] = []
        deadline = time.monotonic() + seconds + GRACE
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([fd], [], [], remaining)[0]:
                continue
            chunk = os.read(fd, 1 << 16)
            try:
                payloads = buffer.feed(chunk) if chunk else None
            except WireError:
                payloads = None
            if payloads is None:
                break
            for payload in payloads:
                if payload[:1] == b"E":
                    return frames, json.loads(payload[1:])
                frames.append(payload[1:])
        self._restart()
        return frames, {"how": "worker"}

    def close(self) -> None:
        """Stop the worker (and so its child, which dies with it)."""
        process, self.process = self.process, None
        if process is None:
            return
        try:
            process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait()
        process.stdout.close()
