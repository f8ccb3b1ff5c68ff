#!/usr/bin/env python3
"""ResNet-18 end to end on the real graphs in ../shared/models: annotate,
rematerialize, verify, report; writes docs/results.md.

  bench/resnet18_results.py [--build build] [--models ../shared/models]

Joint step (resnet18_train_step.mlir): `ckpt-annotate segments=sqrt`, with
`assume-pure` matching the forward kernels (convolution, batch-norm, pooling,
matmul, reduction), then `ckpt-rematerialize` with the same `assume-pure`;
the memory report gives peak and saved bytes before/after and the recompute
FLOPs (FLOPs of the external kernels are unknown to the model and count 0).
Split pair (resnet18_fwd.mlir + resnet18_bwd.mlir, merged with
scripts/merge-split-pair.py): the same annotation on the forward function;
the remarks give how many values and bytes the forward saves, against the 141
that PyTorch's partitioner chose.
"""
import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KERNELS = "(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*"


def show(cmd, replacements):
    text = " ".join(shlex.quote(c) for c in cmd)
    for old, new in replacements:
        text = text.replace(old, new)
    return text


def run(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if out.returncode != 0:
        sys.exit("failed: " + " ".join(cmd) + "\n" + out.stdout)
    return out.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--models", default=os.path.join(os.path.dirname(ROOT), "shared", "models"))
    args = parser.parse_args()
    opt = os.path.join(args.build, "bin", "ckpt-opt")
    if not os.path.isdir(args.models):
        print(f"skipped: no {args.models}")
        return
    lines = ["# Results on ResNet-18 (real graphs)", "",
             f"Recorded {datetime.date.today()} with `python3 bench/resnet18_results.py`.",
             "Bytes are the static estimate of the memory report (arguments excluded);",
             "FLOPs of the external kernels (convolutions, batch-norm, pooling) are",
             "unknown to the model and count 0, so recompute FLOPs cover the",
             "elementwise work only.", ""]
    with tempfile.TemporaryDirectory() as tmp:
        # Joint step.
        joint = os.path.join(args.models, "resnet18_train_step.mlir")
        pure = f"assume-pure={KERNELS}"
        report = os.path.join(tmp, "joint.json")
        cmd = [opt, joint, f"--ckpt-annotate=segments=sqrt {pure}",
               f"--ckpt-rematerialize={pure}", "--ckpt-verify",
               f"--ckpt-memory-report-json={report}", "-o", os.devnull]
        out = run(cmd)
        regions = re.search(r"created (\d+) regions", out).group(1)
        fn = next(f for f in json.load(open(report))["functions"] if f["name"] == "main")
        b, a = fn["before"], fn["after"]
        lines += ["## Joint training step (`resnet18_train_step.mlir`, batch 4)", "",
                  "```sh", show(cmd, [(ROOT + "/", ""), (args.models, "../shared/models"),
                                      (report, "report.json")]), "```", "",
                  f"`ckpt-annotate segments=sqrt` created {regions} regions.", "",
                  "| figure | before | after | ratio |", "|---|---:|---:|---:|",
                  f"| peak live bytes | {b['peak_bytes']} | {a['peak_bytes']} | {a['peak_bytes'] / b['peak_bytes']:.3f} |",
                  f"| saved bytes (forward->backward) | {b['saved_bytes']} | {a['saved_bytes']} | {a['saved_bytes'] / b['saved_bytes']:.3f} |",
                  f"| saved values | {b['saved_values']} | {a['saved_values']} | |",
                  f"| recompute FLOPs (known ops) | 0 | {a['recompute_flops']} | |",
                  f"| forward FLOPs (known ops) | {b['forward_flops']} | {a['forward_flops']} | |", ""]
        # Budgets between the unannotated peak and the smallest reachable.
        lines += ["### Budgets (`ckpt-annotate budget=...`)", "",
                  "| budget | regions | estimated peak | recompute FLOPs (known ops) |",
                  "|---|---:|---:|---:|"]
        for budget in ["70M", "60M", "50M", "40M"]:
            bcmd = [opt, joint, f"--ckpt-annotate=budget={budget} {pure}",
                    f"--ckpt-rematerialize={pure}", "--ckpt-verify",
                    f"--ckpt-memory-report-json={report}", "-o", os.devnull]
            bout = subprocess.run(bcmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if bout.returncode != 0:
                reach = re.search(r"smallest estimated peak reachable is (\d+)", bout.stdout)
                lines.append(f"| {budget} | - | not reachable (smallest: {reach.group(1) if reach else '?'}) | - |")
                continue
            fnb = next(f for f in json.load(open(report))["functions"] if f["name"] == "main")
            nreg = re.search(r"created (\d+) regions", bout.stdout).group(1)
            lines.append(f"| {budget} | {nreg} | {fnb['after']['peak_bytes']} | {fnb['after']['recompute_flops']} |")
        lines += ["", "`segments=sqrt` reaches the same smallest peak with more recompute; a",
                  "budget buys the peak it names with the least recompute found.", ""]
        # Split pair.
        pair = os.path.join(tmp, "pair.mlir")
        with open(pair, "w") as f:
            f.write(run([sys.executable, os.path.join(ROOT, "scripts", "merge-split-pair.py"),
                         os.path.join(args.models, "resnet18_fwd.mlir"),
                         os.path.join(args.models, "resnet18_bwd.mlir")]))
        pure = f"assume-pure=(fwd_)?{KERNELS}"
        cmd = [opt, pair, f"--ckpt-annotate=segments=sqrt {pure}",
               f"--ckpt-rematerialize={pure}", "--ckpt-verify", "-o", os.devnull]
        out = run(cmd)
        m = re.search(r"now saves (\d+) values \((\d+) bytes\) for @bwd_main, was (\d+) \((\d+) bytes\)", out)
        skipped = len(re.findall(r"not rematerialized", out))
        regions = re.search(r"created (\d+) regions", out).group(1)
        lines += ["## Split pair (`resnet18_fwd.mlir` + `resnet18_bwd.mlir`, batch 1)", "",
                  "```sh", "python3 scripts/merge-split-pair.py ../shared/models/resnet18_fwd.mlir "
                  "../shared/models/resnet18_bwd.mlir > pair.mlir",
                  show(cmd, [(pair, "pair.mlir"), (ROOT + "/", "")]),
                  "```", "",
                  f"`ckpt-annotate segments=sqrt` created {regions} regions in `@fwd_main`; "
                  f"{skipped} were not rematerialized because they would not lower the saved "
                  "bytes (\"never worse\"). `ckpt-verify` passes.", "",
                  "| | values saved for the backward | bytes |", "|---|---:|---:|",
                  f"| PyTorch's partition | {m.group(3)} | {m.group(4)} |",
                  f"| after ckpt | {m.group(1)} | {m.group(2)} |", ""]
    # Lowering, as far as the external kernels allow.
    lines += ["## Lowering with `ckpt-lower-to-nvvm`", "",
              "The convolution, batch-norm, pooling, matmul and reduction kernels are",
              "external declarations in these graphs: they stay host calls (to be",
              "linked with a kernel library); everything else becomes sm_90 kernels.", "",
              "| graph | GPU kernels (gpu.binary) | external kernel calls |", "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        pair = os.path.join(tmp, "pair.mlir")
        with open(pair, "w") as f:
            f.write(run([sys.executable, os.path.join(ROOT, "scripts", "merge-split-pair.py"),
                         os.path.join(args.models, "resnet18_fwd.mlir"),
                         os.path.join(args.models, "resnet18_bwd.mlir")]))
        for name, src, prefix in [("joint step", os.path.join(args.models, "resnet18_train_step.mlir"), ""),
                                  ("split pair", pair, "(fwd_)?")]:
            pure = f"assume-pure={prefix}{KERNELS}"
            out = os.path.join(tmp, "gpu.mlir")
            run([opt, src, f"--ckpt-annotate=segments=sqrt {pure}", f"--ckpt-rematerialize={pure}",
                 "--ckpt-lower-to-nvvm=format=isa", "-o", out])
            text = open(out).read()
            kernels = len(re.findall(r"gpu\.binary @", text))
            calls = len(re.findall(r"llvm\.call @(fwd_|bwd_)?(ConvOp|BatchNorm|PoolMax|PoolAvg|Matmul|ReduceSum)", text))
            lines.append(f"| {name} | {kernels} | {calls} |")
    lines += ["", "Command: the annotate and rematerialize options above, then "
              "`--ckpt-lower-to-nvvm` (fatbin when ptxas is found).", ""]
    path = os.path.join(ROOT, "docs", "results.md")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
