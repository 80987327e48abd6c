"""The README's steps with the local QuickBooks stand-in, followed as written: its shell block is run line by
line in a copy of the project (start the stand-in in the background, the exports, connect, sync, report).
Two things differ from a person at a terminal: the ports are free ones (other runs may hold 8600 and
8765), and the browser `connect` opens is $BROWSER, an HTTP client that follows the consent page's redirect,
as a browser does. A throttle's pause is the tests' short one (tests/conftest.py); the limits are Intuit's."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time

import pytest

from ingest.qbo.client import SHORT_WAITS_ENV
from tests.helpers import PROJECT
from tests.server import free_port
from tests.project_copy import clone

pytestmark = pytest.mark.long

README = (PROJECT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## A local QuickBooks for trying the connector", 1)[1]
STEPS = re.search(r"```sh\n(.*?)```", SECTION, re.S).group(1).strip().splitlines()
# a browser: follows the consent page's redirect back to the address `connect` listens on
BROWSER = ("import sys, urllib.request\n"
           "with urllib.request.urlopen(sys.argv[1], timeout=30) as answer: print(answer.status)\n")


def test_the_readme_registers_the_redirect_uri_connect_listens_on():
    start, exports = STEPS[0], [line for line in STEPS if line.startswith("export ")]
    assert start.startswith(".venv/bin/python -m tests.stand_in.quickbooks ") and start.endswith("&")
    registered = shlex.split(start[:-1])[shlex.split(start[:-1]).index("--redirect-uri") + 1]
    env = dict(pair.split("=", 1) for line in exports for pair in shlex.split(line)[1:])
    assert env["MSP_REVENUE_QBO_REDIRECT_URI"] == registered


def test_the_readme_steps_with_the_stand_in_connect_sync_and_report(tmp_path):
    copy = clone(tmp_path)
    (copy / ".venv").symlink_to(PROJECT / ".venv")
    for pinned in ("requirements.lock", "pyproject.toml"):
        os.utime(copy / pinned, (1e9, 1e9))  # .venv is set up: the launcher runs it as it is
    qbo_port, callback_port = free_port(), free_port()
    steps = [line.replace("8600", str(qbo_port)).replace("8765", str(callback_port)) for line in STEPS]
    browser = tmp_path / "browser.py"
    browser.write_text(BROWSER)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSP_REVENUE_") or k == SHORT_WAITS_ENV}
    env["BROWSER"] = f"{sys.executable} {browser} %s"
    background = steps[0].removesuffix("&").strip()
    stand_in = subprocess.Popen(shlex.split(background), cwd=copy, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    try:
        printed = [stand_in.stdout.readline(), stand_in.stdout.readline()]  # as a person waits for it
        assert printed[0].startswith("local QuickBooks on http://127.0.0.1:"), printed
        assert f"http://localhost:{callback_port}/callback" in printed[1], printed
        outputs = []
        for line in steps[1:]:
            command = line.split("#", 1)[0].strip()
            if command.startswith("export "):
                env.update(pair.split("=", 1) for pair in shlex.split(command)[1:])
                continue
            started = time.monotonic()
            done = subprocess.run(shlex.split(command), cwd=copy, env=env, capture_output=True, text=True,
                                  timeout=300, stdin=subprocess.DEVNULL)
            assert done.returncode == 0, f"{command}: {done.stderr}"
            assert time.monotonic() - started < 120, f"{command} waited"  # never the 300 s wait for an answer
            outputs.append((command, done))
    finally:
        stand_in.terminate()
        stand_in.wait(timeout=30)
    connect, sync, report = outputs
    assert connect[0].startswith("./msp-revenue connect") and "connected QuickBooks company 9130000000000000" \
        in connect[1].stderr
    assert "200" in connect[1].stdout.splitlines()  # the browser was answered, not left to time out
    assert sync[0].startswith("./msp-revenue sync")
    assert report[0].startswith("./msp-revenue report mrr") and len(report[1].stdout.splitlines()) > 10
    assert (copy / "data" / "local" / "qbo-tokens.json").stat().st_mode & 0o077 == 0


def test_the_stand_in_still_refuses_a_redirect_uri_it_was_not_given(tmp_path):
    """As strict as Intuit: started without --redirect-uri, its consent page refuses connect's address."""
    port = free_port()
    stand_in = subprocess.Popen([sys.executable, "-m", "tests.stand_in.quickbooks", "--port", str(port),
                                 "--demo-clients", "2", "--demo-years", "1"], cwd=PROJECT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    try:
        assert stand_in.stdout.readline().startswith("local QuickBooks on")
        assert "none, so the consent page refuses every one" in stand_in.stdout.readline()
        import urllib.error
        import urllib.parse
        import urllib.request

        query = urllib.parse.urlencode({"client_id": "local-client", "redirect_uri": "http://localhost:8765/callback",
                                        "response_type": "code", "scope": "com.intuit.quickbooks.accounting",
                                        "state": "s"})
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/authorize?{query}", timeout=30)
            raise AssertionError("the consent page took an unregistered redirect URI")
        except urllib.error.HTTPError as err:
            assert err.code == 400 and b"redirect_uri" in err.read()
    finally:
        stand_in.terminate()
        stand_in.wait(timeout=30)
