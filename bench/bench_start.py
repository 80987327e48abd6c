"""How fast the command line starts, and how much memory it takes, on the 250-client x 10-year demo company.

Usage: .venv/bin/python bench/bench_start.py [--clients 250] [--years 10] [--runs 10] [--db PATH]
Runs `msp-revenue` as a user types it (the console script in the venv, a new process each time):
a bare Python for reference, `--help`, `report mrr`, and every revenue line exported as CSV to a file
(`report revenue-lines --format csv --out FILE`, streamed), on a demo warehouse built first (not timed), or
the warehouse --db names.
Prints the median and least wall time, the median and least CPU time, and the median peak memory (the child's own
maximum resident set, from wait4) of each; the figures for docs/BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = str(Path(sys.executable).with_name("msp-revenue"))


def one_run(argv: list[str]) -> tuple[float, float, float]:
    """Wall time (s), CPU time (s, user and system) and peak resident memory (MB) of one child process running
    `argv`. The CPU time moves far less than the wall time on a machine others are using."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode()
    child.stderr.close()
    if child.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(name: str, argv: list[str], runs: int) -> None:
    one_run(argv)  # the first run reads the files into the page cache
    times, cpus, peaks = zip(*(one_run(argv) for _ in range(runs)))
    print(f"  {name:34s} {statistics.median(times) * 1000:>8.1f} ms  (min {min(times) * 1000:.1f})"
          f"  CPU {statistics.median(cpus) * 1000:>7.1f} ms (min {min(cpus) * 1000:.1f})"
          f"  {statistics.median(peaks):>7.1f} MB peak")


def demo_warehouse(folder: str, clients: int, years: int) -> Path:
    """The demo company built by a child process: a child forked from a process that built it in memory would
    start with that process's memory counted in its own peak (Linux keeps the high-water mark across exec)."""
    db = Path(folder) / "warehouse.duckdb"
    subprocess.run([COMMAND, "demo", "--db", str(db), "--clients", str(clients), "--years", str(years),
                    "--until", "2026-11-22"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def main() -> None:
    # Not bench.common's options: it imports the whole product, and every child forked from this process
    # would count that memory in its peak.
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, metavar="PATH", help="measure this warehouse, built beforehand")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or demo_warehouse(folder, args.clients, args.years)
        print(f"command line start, {args.clients} clients x {args.years} years, median of {args.runs} runs")
        measure("python -c pass (a bare Python)", [sys.executable, "-c", "pass"], args.runs)
        measure("msp-revenue --help", [COMMAND, "--help"], args.runs)
        measure("msp-revenue report mrr", [COMMAND, "report", "mrr", "--as-of", "2026-11-22", "--db", str(db)],
                args.runs)
        measure("report revenue-lines --format csv --out", [COMMAND, "report", "revenue-lines", "--format", "csv",
                                                            "--out", str(Path(folder) / "lines.csv"), "--db", str(db)],
                args.runs)


if __name__ == "__main__":
    main()
