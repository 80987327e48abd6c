"""Runs of the command line, each stopped (SIGSTOP) just after its n-th step on the disk under a folder, so
a test can look at the disk there and kill it (SIGKILL), killed after some time while it runs, or killed by the test
when it likes (`started`). A run is a new process forked from one that has already imported what the command
imports: each run still starts `main` afresh in a process of its own and dies by the kill, but does not pay Python's
imports again (about a second a run, dozens of runs a test)."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from tests.helpers import PROJECT

# The forking process: import what the command will (argv), then for each order read from stdin fork a run
# and report on stdout whether it stopped or exited. A run sees its steps through Python's audit events
# (opening a file to write, renaming, removing, making a folder, a call into the C library) and ends as
# `msp-revenue` does, by cli.run(...).
FORKING = r"""
import importlib, json, os, signal, sys, time
for name in sys.argv[2:]:
    importlib.import_module(name)
from cli import run
if sys.argv[1] == "unpaced":
    import pytest
    from tests.qbo_helpers import unpaced_command_line
    unpaced_command_line(pytest.MonkeyPatch())

def reply(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()

while True:
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    order = json.loads(line)
    pid = os.fork()
    if pid == 0:
        break
    if order["tell_pid"]:
        reply(f"started {pid}")
    if order["kill_after"] is not None:
        time.sleep(order["kill_after"])
        # a run that ended first is not waited for yet: the signal reaches nothing, and its own exit code is reported
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    else:
        _, status = os.waitpid(pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        reply(f"stopped {pid}")
        assert sys.stdin.readline().strip() == "kill"
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    reply(f"ended {os.waitstatus_to_exitcode(status)}")

quiet = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(quiet, fd)
under, countdown = order["under"], order["pause_at"]
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = {"os.rename", "os.remove", "os.mkdir", "os.rmdir", "os.link", "os.symlink", "shutil.rmtree",
           "ctypes.call_function"}

def ours(value):
    if isinstance(value, (tuple, list)):
        return any(ours(v) for v in value)
    return isinstance(value, (str, bytes, os.PathLike)) and os.fsdecode(value).startswith(under)

def stop(frame, event, arg):
    sys.setprofile(None)
    os.kill(os.getpid(), signal.SIGSTOP)

def step(event, args):
    global countdown
    if event == "open":
        mode, flags = args[1], args[2]
        counted = ours(args[0]) and (any(c in mode for c in "wax+") if isinstance(mode, str) else flags & WRITING)
    else:
        counted = event in CHANGES and ours(args)
    if counted:
        countdown -= 1
        if countdown == 0:
            # Stopped just after the step, not before it: at the first call or return of Python code once the
            # step's own call has returned. An opening for writing has then truncated what it opened, so a
            # writer that opens the output itself, not a temporary, is seen with it empty; stopped before the
            # opening, it would be stopped next at its following step, the output written whole meanwhile.
            sys.setprofile(stop)

if countdown:
    sys.addaudithook(step)
run(order["arguments"])
"""


class PausedRuns:
    """`with PausedRuns(imports) as runs:` one forking process for a test's runs, importing `imports` first
    (the modules the command imports when it runs; one left out costs time, not correctness). `unpaced`: its
    syncs without Intuit's pacing (tests.qbo_helpers.unpaced_command_line), for tests not about the limits."""

    def __init__(self, imports: tuple[str, ...], unpaced: bool = False):
        self.imports, self.unpaced = imports, unpaced

    def __enter__(self) -> PausedRuns:
        pacing = "unpaced" if self.unpaced else "paced"
        self.forking = subprocess.Popen([sys.executable, "-c", FORKING, pacing, *self.imports], cwd=PROJECT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        return self

    def __exit__(self, *exc) -> None:
        self.forking.stdin.close()
        assert self.forking.wait(timeout=60) == 0

    def _answer(self) -> str:
        line = self.forking.stdout.readline()
        assert line, f"the forking process died: exit {self.forking.wait(timeout=60)}"
        return line.strip()

    def _order(self, arguments: list[str], under: Path | None, step: int, kill_after: float | None,
               tell_pid: bool = False) -> tuple[str, str]:
        order = {"arguments": arguments, "under": str(under or ""), "pause_at": step, "kill_after": kill_after,
                 "tell_pid": tell_pid}
        self.forking.stdin.write(json.dumps(order) + "\n")
        self.forking.stdin.flush()
        answer, value = self._answer().split()
        return answer, value

    def paused(self, arguments: list[str], under: Path, step: int) -> int | None:
        """Start a run stopped just after its `step`-th step on the disk under `under`: its pid, or None when
        it took fewer steps (and exited 0 or 1)."""
        answer, value = self._order(arguments, under, step, None)
        if answer == "stopped":
            return int(value)
        assert int(value) in (0, 1), f"the command failed on its own: exit {value}"
        return None

    def run(self, arguments: list[str], kill_after: float | None = None) -> int:
        """A run left to itself, killed with SIGKILL `kill_after` seconds after it started if it is still running:
        its exit code, -SIGKILL when the kill ended it."""
        answer, value = self._order(arguments, None, 0, kill_after)
        assert answer == "ended", answer
        return int(value)

    def started(self, arguments: list[str]) -> int:
        """Start a run left to itself, for the test to kill (os.kill) at a moment of its choosing: its pid. `ended`
        waits for it."""
        answer, value = self._order(arguments, None, 0, None, tell_pid=True)
        assert answer == "started", answer
        return int(value)

    def ended(self) -> int:
        """The exit code of the run `started` gave, once it has ended: -SIGKILL when a kill ended it."""
        answer, value = self._answer().split()
        assert answer == "ended", answer
        return int(value)

    def kill(self) -> None:
        """Kill the stopped run with SIGKILL and wait until it is gone."""
        self.forking.stdin.write("kill\n")
        self.forking.stdin.flush()
        answer = self._answer()
        assert answer == f"ended {-signal.SIGKILL}", f"the stopped run did not die by SIGKILL: {answer}"
