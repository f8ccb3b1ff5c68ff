#!/usr/bin/env python3
"""Benchmarks for ckpt-annotate's plan search (figures, never pass/fail).

For generated MLP training steps (batch 64, width 32, f32; 16 and 64
layers, and a 1000-layer chain) and budgets at fixed fractions of the
unannotated peak, prints for each budget:

  * the DP (`ckpt-annotate budget=`, this build): wall time of the whole
    ckpt-opt run (parse, plan search, the one check of the chosen plan with
    ckpt-rematerialize on a copy, annotation), the plan model's peak, the
    memory report's peak after ckpt-rematerialize, and the recompute FLOPs;
  * the old balanced search (`--old`, a ckpt-opt built from a commit before
    issue 17, e.g. main's build): the same figures;
  * `segments=sqrt` (this build) for reference;
  * with `--milp`, `budget= solver=milp` (this build): regions and a
    save-contractions choice per region, a MILP solved with COIN-OR CBC
    from the DP's plan; besides the whole run's time, CBC's solve time, the
    candidate count and the proven gap from the pass's remark.

Brute force is only feasible on up to about 12 candidate segments: the
script times test-ckpt-plan-search (every set of candidate cuts, every
budget that is a plan's peak) on a 6-layer MLP (12 candidate segments).

Usage: bench/plan_search.py [--build build] [--old /work/main/build/bin/ckpt-opt]
       [--layers 16,64,1000] [--fractions 0.9,0.7,0.5] [--milp]
       [--milp-time-limit 60]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, timeout=600):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return time.perf_counter() - t0, p.returncode, p.stdout + p.stderr


def report_figures(text):
    peak = re.search(r"peak live bytes\s+(\d+)\s+(\d+)", text)
    flops = re.search(r"recompute FLOPs\s+(\d+)\s+(\d+)", text)
    model = re.search(r"plan model (\d+)\)", text)
    return (int(peak.group(2)) if peak else None,
            int(flops.group(2)) if flops else None,
            int(model.group(1)) if model else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--old", default=None, help="ckpt-opt with the pre-issue-17 budget search")
    ap.add_argument("--layers", default="16,64,1000")
    ap.add_argument("--fractions", default="0.9,0.7,0.5")
    ap.add_argument("--milp", action="store_true", help="also solver=milp")
    ap.add_argument("--milp-time-limit", type=float, default=60)
    args = ap.parse_args()
    opt = os.path.join(args.build, "bin", "ckpt-opt")
    gen = os.path.join(ROOT, "examples", "gen_train_step.py")
    tmp = tempfile.mkdtemp()
    fractions = [float(f) for f in args.fractions.split(",")]
    print(f"{'layers':>6} {'budget':>9} {'solver':>7} {'time s':>7} {'model peak':>10} "
          f"{'report peak':>11} {'recompute FLOPs':>15}")
    for layers in [int(x) for x in args.layers.split(",")]:
        path = os.path.join(tmp, f"mlp{layers}.mlir")
        with open(path, "w") as f:
            subprocess.run([sys.executable, gen, "mlp", "--layers", str(layers), "--batch", "64",
                            "--width", "32", "--no-regions"], stdout=f, check=True)
        _, _, text = run([opt, path, "--ckpt-memory-report", "-o", "/dev/null"])
        peak = int(re.search(r"peak live bytes\s+(\d+)", text).group(1))
        t, rc, text = run([opt, path, "--ckpt-annotate=segments=sqrt", "--ckpt-rematerialize",
                           "--ckpt-memory-report", "-o", "/dev/null"])
        p, fl, _ = report_figures(text)
        print(f"{layers:>6} {'-':>9} {'sqrt':>7} {t:7.2f} {'-':>10} {p!s:>11} {fl!s:>15}")
        for fraction in fractions:
            budget = int(peak * fraction)
            solvers = [("dp", opt, "")] + ([("old", args.old, "")] if args.old else [])
            if args.milp:
                solvers.append(("milp", opt,
                                f" solver=milp milp-time-limit={args.milp_time_limit:g}"))
            for name, binary, extra in solvers:
                t, rc, text = run([binary, path, f"--ckpt-annotate=budget={budget}{extra}",
                                   "--ckpt-rematerialize", "--ckpt-memory-report", "-o", "/dev/null"])
                if rc != 0:
                    err = re.search(r"error: (.*)", text)
                    print(f"{layers:>6} {budget:>9} {name:>7} {t:7.2f} error: "
                          f"{err.group(1)[:80] if err else rc}")
                    continue
                p, fl, model = report_figures(text)
                milp = re.search(r"MILP \(CBC\): (\d+) regions? saving contractions, (.*?), "
                                 r"proven gap ([\d.]+)% over (\d+) candidates .*?, ([\d.]+) s", text)
                note = ""
                if milp:
                    note = (f"  [CBC {milp.group(5)} s, {milp.group(4)} candidates, gap "
                            f"{milp.group(3)}%, {milp.group(2)}, {milp.group(1)} saving]")
                print(f"{layers:>6} {budget:>9} {name:>7} {t:7.2f} {model if name != 'old' else '-'!s:>10} "
                      f"{p!s:>11} {fl!s:>15}{note}")
    # Brute force.
    path = os.path.join(tmp, "mlp6.mlir")
    with open(path, "w") as f:
        subprocess.run([sys.executable, gen, "mlp", "--layers", "6", "--batch", "64", "--width", "32",
                        "--widths", "8,64,16,64,16,8,32", "--no-regions"], stdout=f, check=True)
    t, rc, text = run([opt, path, "--test-ckpt-plan-search", "-o", "/dev/null"])
    m = re.search(r"plan search: (.*?): the DP", text)
    print(f"brute force (6 layers, uneven): {t:.2f} s for {m.group(1) if m else text[:200]}")


if __name__ == "__main__":
    main()
