#!/usr/bin/env python3
"""The compile-time table of docs/benchmarks.md alone (part 3 of
bench/run_benchmarks.py, the same code), headed by the date, the machine and
the command, so that the table can be pasted into the docs as printed.

Usage: bench/compile_time.py [--build build] [--quick] [--rounds N]
"""
import argparse
import datetime
import os
import platform
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run_benchmarks  # noqa: E402


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    distro = platform.system()
    try:
        with open("/etc/os-release") as f:
            fields = dict(l.rstrip("\n").split("=", 1) for l in f if "=" in l)
            distro = fields.get("PRETTY_NAME", distro).strip('"')
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {distro}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    opt = os.path.join(args.build, "bin", "ckpt-opt")
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"# date {now:%Y-%m-%d %H:%M} UTC")
    print(f"# machine {machine()}")
    print(f"# command {' '.join(['python3', 'bench/compile_time.py'] + sys.argv[1:])}")
    with tempfile.TemporaryDirectory() as tmp:
        run_benchmarks.time_table(opt, tmp, args.quick, rounds=args.rounds)


if __name__ == "__main__":
    main()
