#!/usr/bin/env python3
"""The compile-time table of docs/benchmarks.md alone (part 3 of
bench/run_benchmarks.py, the same code), headed by the date, the machine and
the command, so that the table can be pasted into the docs as printed.

Usage: bench/compile_time.py [--build build] [--quick] [--rounds N]
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_benchmarks  # noqa: E402


def main():
    args, opt = run_benchmarks.parse_table_args(
        __doc__, lambda parser: parser.add_argument("--rounds", type=int, default=5))
    run_benchmarks.print_run_header("bench/compile_time.py")
    with tempfile.TemporaryDirectory() as tmp:
        run_benchmarks.time_table(opt, tmp, args.quick, rounds=args.rounds)


if __name__ == "__main__":
    main()
