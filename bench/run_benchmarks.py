#!/usr/bin/env python3
"""Benchmarks for ckpt-rematerialize (figures, never pass/fail).

1. Memory: for L-block MLP and transformer-style training steps with one
   region per block, the static peak before/after (from ckpt-opt's memory
   report), their ratio, the saved bytes, and recompute FLOPs over forward
   FLOPs.
2. Measured peak: the steps compiled for the CPU (`ckpt-run`), with and
   without checkpointing; peak bytes the runtime library counted against
   the static estimate, and whether the results are bitwise equal.
3. Compile time: wall time of ckpt-rematerialize + ckpt-verify (from
   --mlir-timing, with --verify-each=false so that parsing, printing and
   MLIR's own IR verifier are excluded) against the graph's op count, from
   about 1k to 100k ops, and the time per op (best of 5 rounds, each of
   which runs every size, so that the machine's drift weighs on all sizes
   alike; stderr goes to a
   file, since the pass's remarks would otherwise wait on a pipe reader);
   upstream `cse` and `canonicalize` on the same graphs are timed the same
   way, as a reference for how per-op cost grows on this machine as the
   graph outgrows the caches.

Usage: bench/run_benchmarks.py [--build build] [--quick]
"""
import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(os.path.dirname(HERE), "examples", "gen_train_step.py")


def generate(kind, layers, batch, width, path):
    with open(path, "w") as out:
        subprocess.run([sys.executable, GEN, kind, "--layers", str(layers), "--batch",
                        str(batch), "--width", str(width)], stdout=out, check=True)


def memory_table(opt, tmp, quick):
    print("== Memory: static estimate before/after ckpt-rematerialize (batch 256, width 64)")
    header = (f"{'model':<12}{'L':>4}{'ops':>7}{'peak before':>14}{'peak after':>13}"
              f"{'ratio':>8}{'saved before':>14}{'saved after':>13}{'recompute/fwd FLOPs':>21}")
    print(header)
    layers = [2, 4, 8] if quick else [2, 4, 8, 16, 32]
    for kind in ["mlp", "transformer"]:
        for L in layers:
            src = os.path.join(tmp, f"{kind}{L}.mlir")
            rep = os.path.join(tmp, f"{kind}{L}.json")
            generate(kind, L, 256, 64, src)
            subprocess.run([opt, src, "--ckpt-rematerialize", "--ckpt-verify",
                            f"--ckpt-memory-report-json={rep}", "-o", os.devnull],
                           stderr=subprocess.DEVNULL, check=True)
            with open(rep) as f:
                fn = json.load(f)["functions"][0]
            b, a = fn["before"], fn["after"]
            ratio = a["peak_bytes"] / b["peak_bytes"]
            rf = a["recompute_flops"] / max(b["forward_flops"], 1)
            print(f"{kind:<12}{L:>4}{b['ops']:>7}{b['peak_bytes']:>14}{a['peak_bytes']:>13}"
                  f"{ratio:>8.3f}{b['saved_bytes']:>14}{a['saved_bytes']:>13}{rf:>21.3f}")


def run_step(run, src, checkpoint):
    out = subprocess.run([run] + ([] if checkpoint else ["--no-checkpoint"]) + [src],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    peak = int(re.search(r"^peak bytes (\d+)", out, re.M).group(1))
    bits = re.findall(r"^result \d+: .* bits (\S+)", out, re.M)
    return peak, bits


def measured_table(opt, run, tmp, quick):
    print()
    print("== Measured peak (CPU, ckpt-run) against the static estimate (batch 64, width 32)")
    print(f"{'model':<12}{'L':>4}{'static before':>15}{'measured':>10}{'static after':>14}"
          f"{'measured':>10}{'meas/static':>13}{'bitwise':>9}")
    for kind in ["mlp", "transformer"]:
        for L in ([2, 4] if quick else [2, 4, 8]):
            src = os.path.join(tmp, f"run{kind}{L}.mlir")
            rep = os.path.join(tmp, f"run{kind}{L}.json")
            generate(kind, L, 64, 32, src)
            subprocess.run([opt, src, "--ckpt-rematerialize", f"--ckpt-memory-report-json={rep}",
                            "-o", os.devnull], stderr=subprocess.DEVNULL, check=True)
            with open(rep) as f:
                fn = json.load(f)["functions"][0]
            base_peak, base_bits = run_step(run, src, False)
            ckpt_peak, ckpt_bits = run_step(run, src, True)
            sb, sa = fn["before"]["peak_bytes"], fn["after"]["peak_bytes"]
            print(f"{kind:<12}{L:>4}{sb:>15}{base_peak:>10}{sa:>14}{ckpt_peak:>10}"
                  f"{ckpt_peak / sa:>13.3f}{'yes' if base_bits == ckpt_bits else 'NO':>9}")


def pass_seconds(opt, src, passes, names):
    with tempfile.TemporaryFile(mode="w+") as err:
        subprocess.run([opt, src] + passes +
                       ["--verify-each=false", "--mlir-timing",
                        "--mlir-timing-display=list", "-o", os.devnull],
                       stderr=err, check=True)
        err.seek(0)
        report = err.read()
    total = 0.0
    for line in report.splitlines():
        m = re.match(r"\s*([0-9.]+)\s+\(\s*[0-9.]+%\)\s+(\S+)\s*$", line)
        if m and m.group(2) in names:
            total += float(m.group(1))
    return total


def count_ops(opt, src):
    run = subprocess.run([opt, src, "--ckpt-memory-report-json=/dev/stdout",
                          "--canonicalize=max-iterations=0", "-o", os.devnull],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         check=True)
    return json.loads(run.stdout)["functions"][0]["before"]["ops"]


def time_table(opt, tmp, quick, rounds=5):
    print()
    print(f"== Compile time of ckpt-rematerialize + ckpt-verify (MLP, batch 8, width 8;"
          f" best of {rounds} interleaved rounds)")
    print(f"{'L':>6}{'ops':>9}{'seconds':>11}{'us/op':>9}{'cse us/op':>11}"
          f"{'canon. us/op':>14}")
    layers = [64, 640, 2000] if quick else [64, 200, 640, 2000, 6400]
    runs = {
        "ckpt": (["--ckpt-rematerialize", "--ckpt-verify"], {"CkptRematerialize", "CkptVerify"}),
        "cse": (["--cse"], {"CSE"}),
        "canon": (["--canonicalize"], {"Canonicalizer"}),
    }
    srcs, ops = {}, {}
    for L in layers:
        srcs[L] = os.path.join(tmp, f"time{L}.mlir")
        generate("mlp", L, 8, 8, srcs[L])
        ops[L] = count_ops(opt, srcs[L])
    # Every round runs every size and pass once, so that the machine's speed,
    # which drifts by about 10% over minutes, weighs on all sizes alike; each
    # figure is the best of its rounds.
    best = {(L, name): float("inf") for L in layers for name in runs}
    for _ in range(rounds):
        for L in layers:
            for name, (passes, names) in runs.items():
                best[L, name] = min(best[L, name], pass_seconds(opt, srcs[L], passes, names))
    per_op = {name: {} for name in runs}
    for L in layers:
        for name in runs:
            per_op[name][ops[L]] = best[L, name] / ops[L]
        print(f"{L:>6}{ops[L]:>9}{best[L, 'ckpt']:>11.4f}{1e6 * per_op['ckpt'][ops[L]]:>9.3f}"
              f"{1e6 * per_op['cse'][ops[L]]:>11.3f}{1e6 * per_op['canon'][ops[L]]:>14.3f}")
    small, large = min(ops.values()), max(ops.values())
    growth = {name: per_op[name][large] / per_op[name][small] for name in runs}
    print(f"time per op at {large} ops / at {small} ops: {growth['ckpt']:.2f}x "
          f"(upstream cse: {growth['cse']:.2f}x, canonicalize: {growth['canon']:.2f}x)")


def parse_table_args(doc, add_options=None):
    """The options of every table script (--build, --quick, and what
    add_options(parser) adds); returns (args, the build's ckpt-opt path)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    if add_options:
        add_options(parser)
    args = parser.parse_args()
    return args, os.path.join(args.build, "bin", "ckpt-opt")


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


def print_run_header(script):
    """The date, machine and command lines that head a table pasted into the docs."""
    now = datetime.datetime.now(datetime.timezone.utc)
    print(f"# date {now:%Y-%m-%d %H:%M} UTC")
    print(f"# machine {machine()}")
    print(f"# command {' '.join(['python3', script] + sys.argv[1:])}")


def main():
    args, opt = parse_table_args(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        memory_table(opt, tmp, args.quick)
        measured_table(opt, os.path.join(args.build, "bin", "ckpt-run"), tmp, args.quick)
        time_table(opt, tmp, args.quick, rounds=3 if args.quick else 5)


if __name__ == "__main__":
    main()
