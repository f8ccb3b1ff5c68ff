#!/usr/bin/env python3
"""The memory and measured-peak tables of docs/benchmarks.md alone (parts 1
and 2 of bench/run_benchmarks.py, the same code), headed by the date, the
machine and the command, so that they can be pasted into the docs as
printed. The figures are bytes, not times: they change with the code (the
memory model, the rewrite, the lowering), not with the machine.

Usage: bench/memory_tables.py [--build build] [--quick]
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_benchmarks  # noqa: E402


def main():
    args, opt = run_benchmarks.parse_table_args(__doc__)
    run_benchmarks.print_run_header("bench/memory_tables.py")
    with tempfile.TemporaryDirectory() as tmp:
        run_benchmarks.memory_table(opt, tmp, args.quick)
        run_benchmarks.measured_table(opt, os.path.join(args.build, "bin", "ckpt-run"), tmp,
                                      args.quick)


if __name__ == "__main__":
    main()
