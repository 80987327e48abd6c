"""How `msp-revenue` ends (cli.end): what Python's own exit does first is done, in its order (the threads that are not
daemons joined, `atexit`'s handlers run, the streams flushed), with the command's exit code; the interpreter is not
torn down."""
from __future__ import annotations

import subprocess
import sys

from tests.helpers import PROJECT

ENDING = """
import atexit, sys, threading, time
import cli
atexit.register(lambda: print("atexit ran"))
def late():
    time.sleep(0.2)
    print("the thread ended")
threading.Thread(target=late).start()
class Finalised:
    def __del__(self):
        print("torn down")
kept = Finalised()
sys.stdout.write("buffered, ")
cli.end(int(sys.argv[1]))
print("not reached")
"""


def test_the_command_ends_with_its_code_after_its_threads_and_atexit_without_tearing_down():
    for code in (0, 3):
        done = subprocess.run([sys.executable, "-c", ENDING, str(code)], cwd=PROJECT, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == code, done.stderr
        # the thread joined before atexit's handlers, as Python's exit does; the object never finalised
        assert done.stdout == "buffered, the thread ended\natexit ran\n", done.stdout

