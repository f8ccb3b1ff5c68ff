#!/usr/bin/env python3
"""Runs a ResNet-18 training step (ByteIR's graphs, kernels converted by
ckpt-convert-byteir-kernels) through `ckpt-run` twice, unannotated and
checkpointed, and checks what issue 16 promises (stdlib only):

1. bit-identical results: the same `bits` checksum for every result;
2. each run's measured peak (bytes the step allocates, inputs excluded) is
   within 5% of the memory report's static estimate of the step that runs:
   the module after the run's passes, with the entry made public and every
   call inlined (`--inline`, as ckpt-lower-to-cpu inlines them), reported by
   `--ckpt-memory-report-json` (the "after" peak of the entry);
3. prints the checkpointed step's recompute and forward FLOPs from the
   report of the rematerializing pass (convolutions included: they are
   linalg after the conversion), and each run's step time (not checked).

Usage:
  run_resnet18.py FILE --entry NAME --baseline 'P,...' --checkpointed 'P,...'
                  [--tolerance 0.05] [--keep DIR]

The pass lists are as for `ckpt-run --passes`; the checkpointed list must
contain `ckpt-rematerialize`; the report of the passes up to and including
it gives the recompute FLOPs. Prints one line per check, then PASS or FAIL;
exit status 1 on any failure.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration", "corpus"))
from ckpt_run_output import PEAK, RESULT, run  # noqa: E402
STEP_TIME = re.compile(r"^step time ms (\S+)$", re.M)


def report(path):
    return {f["name"]: f for f in json.load(open(path))["functions"]}


def estimate(file, entry, passes, tmp, tag):
    """The static peak of `entry` as it runs: the run's passes, the entry
    made public (a private @step is a helper to the report), calls inlined."""
    pre = os.path.join(tmp, f"{tag}.pre.mlir")
    run(["ckpt-opt", file, f"--pass-pipeline=builtin.module({passes})",
         "-o", pre])
    text = open(pre).read()
    text = text.replace(f"func.func private @{entry}(", f"func.func @{entry}(")
    public = os.path.join(tmp, f"{tag}.public.mlir")
    open(public, "w").write(text)
    js = os.path.join(tmp, f"{tag}.json")
    run(["ckpt-opt", public, "--inline", f"--ckpt-memory-report-json={js}",
         "-o", os.devnull])
    return report(js)[entry]["after"]["peak_bytes"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--entry", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--checkpointed", required=True)
    parser.add_argument("--tolerance", type=float, default=0.05)
    parser.add_argument("--keep", help="keep the runs' outputs and the intermediate modules here")
    args = parser.parse_args()
    ok = True
    tmp = args.keep or tempfile.mkdtemp()
    os.makedirs(tmp, exist_ok=True)

    # Both runs at once (mlir-runner's JIT compile of the whole step takes
    # most of each run's time, on one core).
    start = time.time()
    procs = {tag: subprocess.Popen(
        ["ckpt-run", "--entry", args.entry, "--passes", passes, "--generator",
         "hash", "--time-step", args.file], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
        for tag, passes in (("unannotated", args.baseline),
                            ("checkpointed", args.checkpointed))}
    outs = {}
    for tag, proc in procs.items():
        outs[tag] = proc.communicate()[0]
        open(os.path.join(tmp, f"{tag}.out"), "w").write(outs[tag])
        if proc.returncode != 0:
            sys.exit(f"FAIL: ckpt-run ({tag}) exited {proc.returncode}\n{outs[tag]}")
        step = STEP_TIME.search(outs[tag])
        print(f"{tag} run: done after {time.time() - start:.1f} s wall, step "
              f"time ms {step.group(1) if step else '?'}")

    rb, rc = RESULT.findall(outs["unannotated"]), RESULT.findall(outs["checkpointed"])
    if not rb or [r[3] for r in rb] != [r[3] for r in rc]:
        diff = [i for i, (a, b) in enumerate(zip(rb, rc)) if a[3] != b[3]]
        print(f"FAIL: results differ ({len(rb)} vs {len(rc)} results; "
              f"bits differ at {diff[:10]})")
        ok = False
    else:
        print(f"bits identical: {len(rb)} results")

    for tag, passes in (("unannotated", args.baseline),
                        ("checkpointed", args.checkpointed)):
        static = estimate(args.file, args.entry, passes, tmp, tag)
        measured = int(PEAK.search(outs[tag]).group(1))
        within = abs(measured - static) <= args.tolerance * static
        print(f"{tag} peak: measured {measured} estimate {static} "
              f"x{measured / static:.3f} "
              f"{'within' if within else 'NOT within'} {args.tolerance:.0%}")
        ok &= within

    # Recompute FLOPs: the report of the passes up to ckpt-rematerialize.
    passes = args.checkpointed.split(",")
    upto = [p for p in passes[:passes.index("ckpt-rematerialize")]]
    pre = os.path.join(tmp, "annotated.mlir")
    if upto:
        run(["ckpt-opt", args.file,
             f"--pass-pipeline=builtin.module({','.join(upto)})", "-o", pre])
    else:
        pre = args.file
    js = os.path.join(tmp, "remat.json")
    run(["ckpt-opt", pre, "--ckpt-rematerialize",
         f"--ckpt-memory-report-json={js}", "-o", os.devnull])
    recompute = sum(f["after"]["recompute_flops"] for f in report(js).values())
    forward = sum(f["after"]["forward_flops"] for f in report(js).values())
    print(f"recompute FLOPs {recompute} forward FLOPs {forward} "
          f"ratio {recompute / forward:.3f}")
    if recompute <= 0:
        print("FAIL: nothing recomputed")
        ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
