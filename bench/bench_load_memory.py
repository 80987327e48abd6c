"""Peak memory of `msp-revenue load` as the file grows: the demo company's QuickBooks JSON at two sizes.

Usage: .venv/bin/python bench/bench_load_memory.py [--small 60x3] [--large 250x10] [--runs 3]
Each size is written as QuickBooks JSON files by `msp-revenue demo --out` (a child process, not timed), then
loaded with `--no-build` into a new warehouse by a child process per run; prints the median wall time and
peak memory (the child's own maximum resident set, from wait4) with the size of the files. A load in constant
memory has about the same peak at both sizes.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# bench_start imports nothing of the product, so the children do not inherit its memory
from bench.bench_start import COMMAND, one_run  # noqa: E402


def company_files(folder: Path, size: str) -> list[Path]:
    clients, years = size.split("x")
    out = folder / f"files-{size}"
    subprocess.run([COMMAND, "demo", "--db", str(folder / f"demo-{size}.duckdb"), "--clients", clients,
                    "--years", years, "--until", "2026-11-22", "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return sorted(out.glob("*.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="60x3", help="clients x years (default: 60x3)")
    parser.add_argument("--large", default="250x10", help="clients x years (default: 250x10)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"load --no-build of the demo company's JSON files, median of {args.runs} runs")
        for size in (args.small, args.large):
            files = company_files(Path(folder), size)
            megabytes = sum(f.stat().st_size for f in files) / 1e6
            runs = [one_run([COMMAND, "load", "--no-build", "--realm", "bench", "--db",
                             str(Path(folder) / f"load-{size}-{n}.duckdb"), *map(str, files)])
                    for n in range(args.runs)]
            times, peaks = zip(*runs)
            print(f"  {size:>8s} clients x years, {megabytes:6.1f} MB of JSON: {statistics.median(times):6.2f} s, "
                  f"{statistics.median(peaks):7.1f} MB peak")


if __name__ == "__main__":
    main()
