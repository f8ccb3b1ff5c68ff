#!/usr/bin/env python3
"""The memory and measured-peak tables of docs/benchmarks.md alone (parts 1
and 2 of bench/run_benchmarks.py, the same code), headed by the date, the
machine and the command, so that they can be pasted into the docs as
printed. The figures are bytes, not times: they change with the code (the
memory model, the rewrite, the lowering), not with the machine.

Usage: bench/memory_tables.py [--build build] [--quick]
"""
import argparse
import datetime
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compile_time  # noqa: E402
import run_benchmarks  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    args = parser.parse_args()
    opt = os.path.join(args.build, "bin", "ckpt-opt")
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"# date {now:%Y-%m-%d %H:%M} UTC")
    print(f"# machine {compile_time.machine()}")
    print(f"# command {' '.join(['python3', 'bench/memory_tables.py'] + sys.argv[1:])}")
    with tempfile.TemporaryDirectory() as tmp:
        run_benchmarks.memory_table(opt, tmp, args.quick)
        run_benchmarks.measured_table(opt, os.path.join(args.build, "bin", "ckpt-run"), tmp,
                                      args.quick)


if __name__ == "__main__":
    main()
