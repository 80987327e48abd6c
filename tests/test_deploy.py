"""The container runs the documented commands: CI cannot pull base images, so instead of building the image
this reads the compose file and the Dockerfile, and runs the entry point with a stand-in msp-revenue that
records what it is asked to do."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import yaml

from cli import build_parser
from tests.helpers import PROJECT

ENTRYPOINT = PROJECT / "deploy" / "entrypoint.sh"
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text(encoding="utf-8"))


def run_entrypoint(tmp_path: Path, role: str, env: dict | None = None) -> list[str]:
    """The entry point's msp-revenue calls, in order; `sleep` ends the loop on its second call."""
    stubs, log = tmp_path / "bin", tmp_path / "calls.log"
    stubs.mkdir()
    (stubs / "msp-revenue").write_text(f'#!/bin/sh\necho "msp-revenue $*" >> {log}\n')
    (stubs / "sleep").write_text(f'#!/bin/sh\necho "sleep $*" >> {log}\n'
                                 f'[ "$(grep -c ^sleep {log})" -ge 2 ] && kill "$PPID"\nexit 0\n')
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    subprocess.run(["sh", str(ENTRYPOINT), role], env={**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}",
                                                         **(env or {})}, timeout=30, check=False)
    return log.read_text().splitlines()


def test_the_app_service_runs_what_make_run_and_the_readme_say(tmp_path):
    calls = run_entrypoint(tmp_path, "app")
    assert calls == ["msp-revenue demo --if-missing", "msp-revenue app --address 127.0.0.1 --port 8501"]
    assert "runs, for the `app` service, `msp-revenue demo --if-missing` then `msp-revenue app --address 127.0.0.1 " \
           "--port 8501`" in README.replace("\n", " ")
    make = (PROJECT / "Makefile").read_text()
    assert "$(BIN)/msp-revenue demo --if-missing" in make and "$(BIN)/msp-revenue app --port $(PORT)" in make
    for call in calls:
        build_parser().parse_args(shlex.split(call)[1:])


def test_the_jobs_service_calls_the_runner_every_few_minutes(tmp_path):
    calls = run_entrypoint(tmp_path, "jobs")
    assert calls == ["msp-revenue jobs run-due", "sleep 300", "msp-revenue jobs run-due", "sleep 300"]
    assert "for the `jobs` service `msp-revenue jobs run-due` every 300 seconds" in README.replace("\n", " ")
    build_parser().parse_args(["jobs", "run-due"])


def test_the_readme_schedules_call_the_runner():
    cron = re.search(r"```cron\n\s*(.+?)\n", README).group(1)
    assert cron.startswith("*/5 * * * * ") and ".venv/bin/msp-revenue jobs run-due >>" in cron
    exec_start = re.search(r"^\s*ExecStart=(\S+) (.+)$", README, re.M)
    assert exec_start.group(1).endswith("/.venv/bin/msp-revenue") and exec_start.group(2) == "jobs run-due"
    assert re.search(r"^\s*OnCalendar=\*:0/5$", README, re.M)


def test_both_services_share_the_warehouse_volume_and_the_loopback():
    services = compose()["services"]
    assert set(services) == {"app", "jobs"}
    for name, service in services.items():
        assert service["build"] == "." and service["command"] == [name]
        assert service["volumes"] == ["msp-revenue-data:/data"]
        assert service["network_mode"] == "host"  # 127.0.0.1 in the container is this machine's loopback
    assert services["app"]["environment"]["MSP_REVENUE_ADDRESS"] == "${MSP_REVENUE_ADDRESS:-127.0.0.1}"
    assert "msp-revenue-data" in compose()["volumes"]


def test_the_image_installs_as_make_does_and_keeps_the_warehouse_on_the_volume():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert "pip install --quiet --no-deps -r requirements.lock" in dockerfile
    assert "pip install --quiet --no-deps -r requirements.lock" in (PROJECT / "Makefile").read_text()
    assert "MSP_REVENUE_DB=/data/warehouse.duckdb" in dockerfile and "VOLUME /data" in dockerfile
    # PYTHONDONTWRITEBYTECODE: no command writes the bytecode of what it imports, so the image holds it made
    assert "PYTHONDONTWRITEBYTECODE=1" not in dockerfile or "python -m compileall -q" in dockerfile
    assert 'ENTRYPOINT ["deploy/entrypoint.sh"]' in dockerfile and 'CMD ["app"]' in dockerfile
    assert 'CMD ["deploy/entrypoint.sh", "health"]' in dockerfile
    assert os.access(ENTRYPOINT, os.X_OK)


def test_the_health_check_asks_streamlit(tmp_path):
    class Health(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/_stcore/health" else 404)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = str(server.server_address[1])
        healthy = subprocess.run(["sh", str(ENTRYPOINT), "health"], env={**os.environ, "MSP_REVENUE_PORT": port},
                                 timeout=30, capture_output=True)
        assert healthy.returncode == 0, healthy.stderr
    finally:
        server.shutdown()
    unhealthy = subprocess.run(["sh", str(ENTRYPOINT), "health"], env={**os.environ, "MSP_REVENUE_PORT": port},
                               timeout=30, capture_output=True)
    assert unhealthy.returncode != 0
