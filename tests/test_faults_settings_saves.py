"""Settings saved at once by several threads and processes (device counts from the sit-down page, the company's
name, the Data page's job settings) each read, change and write the whole file: none may be lost."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from models.settings import job_settings, settings
from models.settings.settings import Devices
from tests.helpers import PROJECT

REALM = "9130000000000001"
THREADS, SAVES = 3, 15


def _saves(path: str, writer: int) -> None:
    """One writer's saves, each of its own client, so every one can be looked for afterwards."""
    for save in range(SAVES):
        customer = f"{writer}-{save}"
        settings.save_devices(Path(path), REALM, {customer: Devices(writer, save, f"Client {customer}")})
        if save % 5 == 0:
            settings.save_company_name(Path(path), f"Bayside {writer}")
            job_settings.save_jobs(Path(path), {"email.timeout": 10 + writer})


def _threads(path: str, first: int) -> None:
    workers = [threading.Thread(target=_saves, args=(path, first + n)) for n in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_saves_at_once_from_threads_and_processes_are_all_kept(tmp_path):
    path = settings.ensure_settings_file(tmp_path / "settings.toml")
    # processes of their own (not multiprocessing's spawn, which runs the parent's __main__ again: under a test
    # runner that has run a page, the app itself)
    processes = [subprocess.Popen([sys.executable, "-c", "import sys; from tests.test_faults_settings_saves import "
                                   "_threads; _threads(sys.argv[1], int(sys.argv[2]))", str(path), str(n * THREADS)],
                                  cwd=PROJECT) for n in range(3)]
    _threads(str(path), len(processes) * THREADS)
    for process in processes:
        assert process.wait(timeout=300) == 0
    writers = (len(processes) + 1) * THREADS
    saved = settings.load(path).devices[REALM]
    missing = {f"{w}-{s}" for w in range(writers) for s in range(SAVES)} - set(saved)
    assert not missing, f"{len(missing)} of {writers * SAVES} device counts lost"
    assert saved["4-7"] == Devices(4, 7, "Client 4-7")
    assert settings.load(path).company_name.startswith("Bayside ")
    assert not list(tmp_path.glob(".settings.toml.*.tmp"))
