#!/usr/bin/env python3
"""The first half of the GPU check (issue 14, item 10), run on a machine with
LLVM/MLIR 22 and the CUDA toolkit: compiles every example and runnable real
graph, with and without checkpointing, to self-contained sm_90 executables,
and records the CPU results they must reproduce, in one folder that
`scripts/gpu-check.sh FOLDER OUT` runs on a GPU machine without LLVM/MLIR.

  scripts/gpu_prepare.py --build build --out FOLDER [--quick] [--cpu-aot]

Each executable is the documented NVVM lowering with the runner's @main:

  ckpt-opt SRC --pass-pipeline='builtin.module(PASSES,
      ckpt-lower-to-nvvm{runner-main=true})'     # host LLVM + gpu.binary
  mlir-translate --mlir-to-llvmir | opt -O3 | llc -O3 -filetype=obj
  llvm-objcopy --redefine-sym main=ckpt_step_main  # its @main returns void
  cc gpu_main.c OBJ -lckpt_cuda_runtime -lckpt_cpu_runtime -rpath $ORIGIN/../lib

PASSES is `ckpt-rematerialize` (with the case's annotation passes first) or
`ckpt-drop-annotations`. The @main fills every argument as the CPU's
`ckpt-run` does (0.5*sin(0.37*i + 1.3*k), f32), runs the step once and
prints each result's sum, L1 norm and bits, the step time and the device
bytes (peak and total) that the CUDA runtime library counted. `ckpt-run`
runs the same step here on the same inputs (cpu/NAME.MODE.txt), and the
memory report gives the static peak; both go into FOLDER/manifest.json.

Cases: the bundled MLP, generated MLP, CNN and encoder steps
(examples/gen_train_step.py), JAX's MNIST step of ../shared/models (all f32
arguments; sin inputs, not JAX's own: the device @main generates its
inputs) where present, and the 2-block MLP of the PyTorch front end
(exported by ckpt_torch when CKPT_TORCH_PYTHON is set), whose PyTorch
eager twin gpu-check runs on the GPU with and without composable
`checkpoint(module)`. ResNet-18 (f16 arguments) and GPT-2 (i64 tokens) are
left out: the device @main generates static f32 arguments only.

With --cpu-aot the same objects are also built for the CPU
(ckpt-lower-to-cpu, for this machine's CPU, linked against
libckpt_cpu_runtime.so alone) into FOLDER/cpu-aot: this machine runs those, so the compile-and-link path is
checked without a GPU (test/integration/gpu-prepare.mlir). The folder must
stay under 64 MiB (what the device machine can be sent); the script fails
otherwise.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LLVM_BIN = "/usr/lib/llvm-22/bin"
CUDA_STUBS = "/usr/local/cuda/lib64/stubs"
SHARED_MODELS = os.path.join(os.path.dirname(ROOT), "shared", "models")
LIMIT_BYTES = 64 << 20

RESULT = re.compile(r"^result (\d+): sum (\S+) l1 (\S+) bits (\S+)$", re.M)
PEAK = re.compile(r"^peak bytes (\d+)$", re.M)
STEP = re.compile(r"^step time ms (\S+)$", re.M)
REPORT = re.compile(r"^peak live bytes\s+(\d+)\s+(\d+)", re.M)

# The C main of every executable: the lowered @main returns void, so the
# process's exit status would be whatever was left in a register.
GPU_MAIN = "void ckpt_step_main(void);\nint main(void) { ckpt_step_main(); return 0; }\n"


class Failure(Exception):
    pass


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise Failure(f"{' '.join(cmd)}\nexit {p.returncode}\n{p.stdout}{p.stderr}")
    return p.stdout + p.stderr


def generated(tmp, kind, args):
    path = os.path.join(tmp, f"{kind}.mlir")
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "examples", "gen_train_step.py"),
                        kind] + args, stdout=f, check=True)
    return path


def torch_mlp(tmp, quick, build):
    """The front end's 2-block MLP at bench sizes, exported by ckpt_torch."""
    python = os.environ.get("CKPT_TORCH_PYTHON")
    if not python:
        return None
    path = os.path.join(tmp, "torch_mlp.mlir")
    script = (
        "import sys; sys.path[:0] = [%r, %r]\n"
        "import torch_models, ckpt_torch\n"
        "make = dict(torch_models.models(%r))['2-block MLP']\n"
        "model, inputs, loss_fn = make(True)\n"
        "text = ckpt_torch.export_training_step(model, inputs, loss_fn, ckpt_opt=%r)\n"
        "open(%r, 'w').write(text)\n"
        % (os.path.join(ROOT, "bench"), os.path.join(ROOT, "python"), quick,
           os.path.join(build, "bin", "ckpt-opt"), path))
    run([python, "-c", script])
    return path


def cases(tmp, quick, build):
    """(name, source, annotation passes for the checkpointed mode, twin)."""
    size = (lambda q, full: q) if quick else (lambda q, full: full)
    yield "mlp-bundled", os.path.join(ROOT, "examples", "mlp_train_step.mlir"), "", None
    yield ("mlp", generated(tmp, "mlp", size(["--layers", "4", "--batch", "16", "--width", "32"],
                                             ["--layers", "16", "--batch", "1024", "--width", "256"])),
           "", None)
    if quick:
        return
    yield "cnn", generated(tmp, "cnn", ["--layers", "8", "--batch", "8", "--width", "32"]), "", None
    yield ("encoder", generated(tmp, "encoder", ["--layers", "4", "--batch", "64", "--width", "64"]),
           "", None)
    jax = os.path.join(SHARED_MODELS, "jax_mnist_train_step.mlir")
    if os.path.exists(jax):
        yield "jax-mnist", jax, "ckpt-annotate{segments=sqrt},", None
    path = torch_mlp(tmp, quick, build)
    if path:
        yield "torch-mlp", path, "", {"model": "2-block MLP", "quick": quick}


def link(obj, exe, libs, tmp):
    renamed = obj + ".renamed.o"
    run([os.path.join(LLVM_BIN, "llvm-objcopy"), "--redefine-sym", "main=ckpt_step_main",
         obj, renamed])
    main_c = os.path.join(tmp, "gpu_main.c")
    with open(main_c, "w") as f:
        f.write(GPU_MAIN)
    run(["cc", "-O2", main_c, renamed, "-o", exe, "-L" + os.path.dirname(libs[0])]
        + ["-l" + os.path.basename(l)[3:-3] for l in libs]
        + ["-L" + CUDA_STUBS, "-Wl,--as-needed", "-lcuda", "-lm",
           "-Wl,-rpath,$ORIGIN/../lib"])


def compile_step(build, src, passes, lowering, obj, cpu_flags=()):
    lowered = obj + ".mlir"
    run([os.path.join(build, "bin", "ckpt-opt"), src, "-o", lowered,
         f"--pass-pipeline=builtin.module({passes},{lowering}{{runner-main=true}})"])
    ll = obj + ".ll"
    run([os.path.join(LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir", lowered, "-o", ll])
    run([os.path.join(LLVM_BIN, "opt"), "-O3", *cpu_flags, ll, "-o", obj + ".bc"])
    run([os.path.join(LLVM_BIN, "llc"), "-O3", *cpu_flags, "-filetype=obj",
         "-relocation-model=pic", obj + ".bc", "-o", obj])


def cpu_reference(build, src, mode, passes):
    cmd = [os.path.join(build, "bin", "ckpt-run"), "--time-step"]
    cmd += ["--no-checkpoint"] if mode == "no-ckpt" else ["--passes", passes]
    text = run(cmd + [src])
    report = REPORT.search(run([os.path.join(build, "bin", "ckpt-opt"), src,
                                f"--pass-pipeline=builtin.module({passes})",
                                "--ckpt-memory-report", "-o", os.devnull]))
    return text, {
        "results": {k: {"sum": float(s), "l1": float(l), "bits": b}
                    for k, s, l, b in RESULT.findall(text)},
        "peak_bytes": int(PEAK.search(text).group(1)),
        "step_ms": float(STEP.search(text).group(1)),
        "static_peak_bytes": int(report.group(2)) if report else None,
    }


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", required=True, help="the folder to write (emptied first)")
    parser.add_argument("--quick", action="store_true",
                        help="two small cases (seconds): the bundled and a small generated MLP")
    parser.add_argument("--cpu-aot", action="store_true",
                        help="also build CPU executables the same way (run here)")
    args = parser.parse_args()
    build, out = os.path.abspath(args.build), os.path.abspath(args.out)
    cuda_lib = os.path.join(build, "lib", "libckpt_cuda_runtime.so")
    cpu_lib = os.path.join(build, "lib", "libckpt_cpu_runtime.so")
    if not os.path.exists(cuda_lib):
        sys.exit(f"gpu-prepare: {cuda_lib} is missing (the CUDA toolkit in /usr/local/cuda "
                 "builds it; ninja -C build ckpt_cuda_runtime)")
    shutil.rmtree(out, ignore_errors=True)
    for sub in ("bin", "lib", "cpu") + (("cpu-aot",) if args.cpu_aot else ()):
        os.makedirs(os.path.join(out, sub))
    for lib in (cuda_lib, cpu_lib):
        shutil.copy2(lib, os.path.join(out, "lib"))
    libs = [os.path.join(out, "lib", os.path.basename(l)) for l in (cuda_lib, cpu_lib)]
    manifest = {"chip": "sm_90", "cases": []}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for name, src, annotate, twin in cases(tmp, args.quick, build):
                for mode in ("ckpt", "no-ckpt"):
                    passes = (annotate + "ckpt-rematerialize{remarks=none}" if mode == "ckpt"
                              else "ckpt-drop-annotations")
                    tag = f"{name}.{mode}"
                    text, cpu = cpu_reference(build, src, mode, passes)
                    with open(os.path.join(out, "cpu", tag + ".txt"), "w") as f:
                        f.write(text)
                    obj = os.path.join(tmp, tag + ".o")
                    compile_step(build, src, passes, "ckpt-lower-to-nvvm", obj)
                    link(obj, os.path.join(out, "bin", tag), libs, tmp)
                    if args.cpu_aot:
                        obj = os.path.join(tmp, tag + ".cpu.o")
                        # This machine's CPU, as mlir-runner's JIT in ckpt-run
                        # (the GPU executables target generic x86-64: the
                        # GPU machine's host CPU is not this one).
                        compile_step(build, src, passes, "ckpt-lower-to-cpu", obj,
                                     ["-mcpu=native"])
                        link(obj, os.path.join(out, "cpu-aot", tag), libs[1:], tmp)
                    manifest["cases"].append(dict(name=name, mode=mode, passes=passes,
                                                  executable=f"bin/{tag}", cpu=cpu, twin=twin))
                    print(f"gpu-prepare: {tag}: compiled; CPU peak {cpu['peak_bytes']} bytes, "
                          f"static {cpu['static_peak_bytes']}, step {cpu['step_ms']:.3f} ms",
                          flush=True)
        except Failure as e:
            sys.exit(f"gpu-prepare: failed:\n{e}")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    size = folder_bytes(out)
    print(f"gpu-prepare: {len(manifest['cases'])} executables in {out}, {size} bytes")
    if size >= LIMIT_BYTES:
        sys.exit(f"gpu-prepare: {out} is {size} bytes, over the 64 MiB the device machine "
                 "can be sent")


if __name__ == "__main__":
    main()
