#!/usr/bin/env python3
"""Runs one training step of the lowering corpus through `ckpt-run` with and
without checkpointing and checks what issue 14 promises of every graph:

1. the results are bit-identical (same `bits` checksum for every result);
2. each run's measured peak (bytes the step allocates, inputs excluded) is
   within 5% of the memory report's static estimate (`peak live bytes`,
   before and after `ckpt-rematerialize`); the runtime counts what the
   lowered code asks for, alignment padding included (up to 64 bytes a
   buffer), so corpus graphs use tensors of at least 16 KiB;
3. with `// ORACLE:` lines in the file, the results match an independent
   numpy computation in float64 on the same generated inputs: the sum and
   the L1 norm of every result agree within a relative 1e-4 (with a floor of
   1e-4 times the L1 norm for sums that nearly cancel).

The `// ORACLE:` lines are Python: `inp(k, shape, dtype=np.float32)` gives
argument k as ckpt-runner-main generates it (element i = 0.5 * sin(0.37 * i
+ 1.3 * k) in float64, rounded to `dtype`), and the lines must set
`results` to the list of the step's results.

4. with `--nvvm`, the checkpointed step compiles through
   `ckpt-lower-to-nvvm` for sm_90.

With `--outputs PREFIX`, the two runs write their results (`ckpt-run
--outputs`) to PREFIX.ckpt.npz and PREFIX.base.npz.

Usage: check_step.py FILE [--entry NAME] [--nvvm] [--outputs PREFIX]
                     [-- EXTRA ckpt-run ARGS]
Prints one line per check; exit status 1 on any failure.
"""
import argparse
import re
import subprocess
import sys

import numpy as np

from ckpt_run_output import PEAK, RESULT, run

REPORT = re.compile(r"^peak live bytes\s+(\d+)\s+(\d+)", re.M)


def inp(k, shape, dtype=np.float32):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return (0.5 * np.sin(0.37 * i + 1.3 * k)).astype(dtype).astype(
        np.float64).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--entry")
    parser.add_argument("--nvvm", action="store_true",
                        help="also compile with ckpt-lower-to-nvvm (sm_90)")
    parser.add_argument("--outputs", metavar="PREFIX",
                        help="write the results to PREFIX.ckpt.npz and PREFIX.base.npz")
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    common = (["--entry", args.entry] if args.entry else []) + args.extra

    def outputs(tag):
        return ["--outputs", f"{args.outputs}.{tag}.npz"] if args.outputs else []
    ok = True

    ckpt = run(["ckpt-run", *common, *outputs("ckpt"), args.file])
    base = run(["ckpt-run", "--no-checkpoint", *common, *outputs("base"), args.file])
    rc, rb = RESULT.findall(ckpt), RESULT.findall(base)
    if not rc or [r[3] for r in rc] != [r[3] for r in rb]:
        print(f"FAIL: results differ\n{ckpt}\n{base}")
        ok = False
    else:
        print(f"bits identical: {len(rc)} results")

    report = run(["ckpt-opt", args.file, "--ckpt-rematerialize",
                  "--ckpt-memory-report", "-o", "/dev/null"])
    # The entry's own figures (with --entry, e.g. a private @step that runs
    # a split pair: the report covers every function nothing calls).
    if args.entry:
        section = report.find(f"=== ckpt memory report: @{args.entry} ===")
        report = report[section:] if section >= 0 else ""
    estimate = REPORT.search(report)
    if not estimate:
        sys.exit(f"FAIL: no peak in the memory report\n{report}")
    for name, out, static in (("unannotated", base, int(estimate.group(1))),
                              ("checkpointed", ckpt, int(estimate.group(2)))):
        measured = int(PEAK.search(out).group(1))
        within = abs(measured - static) <= 0.05 * static
        print(f"{name} peak: measured {measured} estimate {static} "
              f"{'within' if within else 'NOT within'} 5%")
        ok &= within

    oracle = [line.split("// ORACLE:", 1)[1].rstrip("\n")
              for line in open(args.file) if "// ORACLE:" in line]
    if oracle:
        code = "\n".join(l[1:] if l.startswith(" ") else l for l in oracle)
        scope = {"np": np, "inp": inp}
        exec(code, scope)
        expected = [np.asarray(r, dtype=np.float64) for r in scope["results"]]
        if len(expected) != len(rc):
            print(f"FAIL: oracle has {len(expected)} results, step {len(rc)}")
            ok = False
        for (index, s, l1, _), want in zip(rc, expected):
            ws, wl = float(want.sum()), float(np.abs(want).sum())
            s, l1 = float(s), float(l1)
            tol = 1e-4 * max(abs(ws), wl, 1e-30)
            if abs(s - ws) > tol or abs(l1 - wl) > 1e-4 * max(wl, 1e-30):
                print(f"FAIL: result {index}: sum {s} l1 {l1}, "
                      f"oracle sum {ws} l1 {wl}")
                ok = False
        if ok:
            print(f"oracle: {len(expected)} results match")
    if args.nvvm:
        # Compiles for sm_90 (fatbin through ptxas when it is on PATH).
        proc = subprocess.run(
            ["ckpt-opt", args.file, "--ckpt-rematerialize",
             "--ckpt-lower-to-nvvm", "-o", "/dev/null"],
            capture_output=True, text=True)
        if proc.returncode != 0:
            errors = [l for l in proc.stderr.splitlines() if "error:" in l]
            print("FAIL: ckpt-lower-to-nvvm: " + "\n".join(errors))
            ok = False
        else:
            print("nvvm: compiled for sm_90")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
