#!/usr/bin/env python3
"""Per-rank peak bytes of the distributed MLP steps (docs/distributed.md),
with and without checkpointing, next to ckpt-rematerialize's estimate.

Generates the data-parallel and tensor-parallel steps of
examples/gen_distributed_step.py, runs each under
`ckpt-run --ranks R --mpi MPI` checkpointed and with --no-checkpoint, and
prints one row per step: the peak each rank measured (all ranks print
theirs; the largest is shown) and the estimated peak before -> after from
the rewrite's summary remark. Also says whether the results were
bit-identical with and without checkpointing.

  python3 bench/distributed_peak.py [--build build] [--mpi openmpi|mpich]
      [--ranks 2] [--layers 4] [--quick]

Nothing here is asserted; the lit tests in test/integration/mpi are.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--mpi", default="openmpi", choices=["openmpi", "mpich"])
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    args = parser.parse_args()
    gen = os.path.join(ROOT, "examples", "gen_distributed_step.py")
    ckpt_run = os.path.join(args.build, "bin", "ckpt-run")
    ckpt_opt = os.path.join(args.build, "bin", "ckpt-opt")
    steps = [("dp", 32 if args.quick else 256, 8 if args.quick else 16),
             ("tp", 16 if args.quick else 128, 8 if args.quick else 16)]
    print("%-4s %6s %6s %14s %14s %22s %s" % ("step", "batch", "width", "peak plain",
                                               "peak ckpt", "estimate", "bits"))
    with tempfile.TemporaryDirectory() as tmp:
        for kind, batch, width in steps:
            path = os.path.join(tmp, kind + ".mlir")
            with open(path, "w") as f:
                f.write(run([sys.executable, gen, kind, "--ranks", str(args.ranks),
                             "--layers", str(args.layers), "--batch", str(batch),
                             "--width", str(width)]).stdout)
            outs = {}
            for mode, extra in (("ckpt", []), ("plain", ["--no-checkpoint"])):
                outs[mode] = run([ckpt_run, "--ranks", str(args.ranks), "--mpi", args.mpi]
                                 + extra + [path]).stdout
            peaks = {m: max(int(p) for p in re.findall(r"peak (\d+) bytes", o))
                     for m, o in outs.items()}
            results = {m: re.findall(r"^result \d+: .*$", o, re.M) for m, o in outs.items()}
            remark = run([ckpt_opt, path, "--ckpt-rematerialize", "-o", os.devnull]).stderr
            est = re.search(r"estimated peak (\d+) -> (\d+) bytes", remark)
            print("%-4s %6d %6d %14d %14d %22s %s" % (
                kind, batch, width, peaks["plain"], peaks["ckpt"],
                "%s -> %s" % est.groups() if est else "-",
                "identical" if results["ckpt"] == results["plain"] else "DIFFER"))


if __name__ == "__main__":
    main()
