#!/usr/bin/env python3
"""GPU check: on a machine with an NVIDIA GPU, run every example with and
without checkpointing on the GPU (ckpt-lower-to-nvvm, the ckpt CUDA runtime
library) and on the CPU (ckpt-run), compare the GPU results with the CPU's,
and print step time and peak device bytes. Run it through
scripts/gpu-check.sh, which builds first.

  scripts/gpu-check.py [--build build] [--out results.txt]

Tolerance: the GPU sums every reduction in its own order (one thread per
output element, but fused multiply-adds), so loss and gradient checksums
(sum and L1 norm) must agree with the CPU within 1e-3 relative.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LLVM = "/usr/lib/llvm-22"


def examples(tmp):
    yield "mlp (bundled)", os.path.join(ROOT, "examples", "mlp_train_step.mlir")
    for kind, args in [("mlp", ["--layers", "8", "--batch", "256", "--width", "64"]),
                       ("cnn", ["--layers", "8", "--batch", "8", "--width", "32"]),
                       ("encoder", ["--layers", "4", "--batch", "64", "--width", "64"])]:
        path = os.path.join(tmp, f"{kind}.mlir")
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "examples", "gen_train_step.py"),
                            kind] + args, stdout=f, check=True)
        yield f"{kind} {' '.join(args)}", path


def parse(text):
    results = {int(m.group(1)): (float(m.group(2)), float(m.group(3)))
               for m in re.finditer(r"^result (\d+): sum (\S+) l1 (\S+)", text, re.M)}
    figure = lambda name: (re.search(rf"^{name} ([\d.]+)", text, re.M) or [None, "nan"])[1]
    return results, float(figure("step time ms")), figure("peak device bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    opt = os.path.join(args.build, "bin", "ckpt-opt")
    run = os.path.join(args.build, "bin", "ckpt-run")
    libs = ",".join([os.path.join(args.build, "lib", "libckpt_cuda_runtime.so"),
                     os.path.join(args.build, "lib", "libckpt_cpu_runtime.so"),
                     os.path.join(LLVM, "lib", "libmlir_c_runner_utils.so")])
    env = dict(os.environ, PATH="/usr/local/cuda/bin:" + os.environ.get("PATH", ""))
    lines = [f"{'example':<44}{'mode':<9}{'step ms':>10}{'peak device B':>15}  vs CPU"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in examples(tmp):
            for mode, passes in [("ckpt", "ckpt-rematerialize"), ("no-ckpt", "ckpt-drop-annotations")]:
                cpu = subprocess.run([run] + ([] if mode == "ckpt" else ["--no-checkpoint"]) + [src],
                                     stdout=subprocess.PIPE, text=True, check=True).stdout
                lowered = os.path.join(tmp, "gpu.mlir")
                subprocess.run([opt, src, "-o", lowered, "--pass-pipeline=builtin.module("
                                f"{passes},ckpt-lower-to-nvvm{{runner-main=true}})"],
                               stderr=subprocess.DEVNULL, env=env, check=True)
                gpu = subprocess.run([os.path.join(LLVM, "bin", "mlir-runner"), lowered, "-e", "main",
                                      "-entry-point-result=void", f"-shared-libs={libs}"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                if gpu.returncode != 0:
                    lines.append(f"{name:<44}{mode:<9}  FAILED: {gpu.stdout.strip()[-300:]}")
                    ok = False
                    continue
                cpu_results, _, _ = parse(cpu)
                gpu_results, ms, peak = parse(gpu.stdout)
                match = len(cpu_results) == len(gpu_results) and all(
                    abs(gpu_results[k][0] - c[0]) <= 1e-3 * max(abs(c[0]), c[1], 1e-6) and
                    abs(gpu_results[k][1] - c[1]) <= 1e-3 * max(c[1], 1e-6)
                    for k, c in cpu_results.items())
                ok &= match
                lines.append(f"{name:<44}{mode:<9}{ms:>10.3f}{peak:>15}  {'match' if match else 'MISMATCH'}")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
