#!/usr/bin/env python3
"""The second half of the GPU check (issue 14, item 10), run on a machine
with an NVIDIA GPU and its driver but no LLVM/MLIR: runs the executables
that `scripts/gpu-prepare.sh FOLDER` compiled, compares them with the CPU
results recorded there, runs the PyTorch eager twins where there are any,
and writes OUT/gpu-check.json and OUT/gpu-check.md. Python 3 only (the
standard library; PyTorch for the twins, skipped with a note where it is
missing or sees no GPU). Run it through scripts/gpu-check.sh.

  scripts/gpu_check.py FOLDER OUT [--repeat 5] [--timeout 60] [--cpu-aot]

--cpu-aot runs the CPU twins that `gpu-prepare --cpu-aot` built
(FOLDER/cpu-aot) instead, without asking for a device: the same runs,
comparisons and report, on any machine (test/integration/gpu/
gpu-check-cpu-aot.mlir); their device peak is "n/a".

First it loads libcuda.so.1 and asks for a device (cuInit, cuDeviceGetCount);
without one it prints why and exits with status 2 at once.

Per executable (NAME.ckpt and NAME.no-ckpt): --repeat runs (at least 5),
each one process that runs the step once; the step time is the median of
the runs' `step time ms`, and the device peak (`peak device bytes`, counted
by libckpt_cuda_runtime.so above what was live at the step's start) is
the first run's (every run allocates the same buffers). Compared with the
CPU: per result (the loss, then the gradients), the relative difference of
the sum and of the L1 norm, |gpu - cpu| / max(cpu L1, 1e-30); the
tolerance is 1e-3: the GPU computes each output element in the same
order as the CPU, but LLVM's NVPTX back end contracts multiply-adds into
FMAs, and the transcendental functions are libdevice's, not libm's. A
whole error message is printed for any run that fails. Also reported: are
the checkpointed and unannotated GPU results bit-identical (the same
kernels compute the recomputed values), and the static peak next to the
measured device peak (the CPU's measured peak too).

The PyTorch twins (bench/torch_models.py, the model the case was exported
from): without and with composable `checkpoint(module)` on each block, on
cuda: the step time (median of --repeat after one warm-up, with
synchronisation) and the peak bytes the step allocated
(torch.cuda.max_memory_allocated after reset_peak_memory_stats, less what
was allocated before the step). The exit status is 0 when every run
succeeded and matched the CPU, 1 otherwise.
"""
import argparse
import ctypes
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULT = re.compile(r"^result (\d+): sum (\S+) l1 (\S+) bits (\S+)$", re.M)
STEP = re.compile(r"^step time ms (\S+)$", re.M)
DEVICE_PEAK = re.compile(r"^peak device bytes (\d+)$", re.M)
TOLERANCE = 1e-3
MIN_REPEAT = 5


def device():
    """(name, None) for device 0, or (None, why not)."""
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError as e:
        return None, f"no CUDA driver: {e}"
    rc = cuda.cuInit(0)
    if rc != 0:
        return None, f"cuInit failed with CUresult {rc} (no usable driver or device)"
    count = ctypes.c_int(0)
    rc = cuda.cuDeviceGetCount(ctypes.byref(count))
    if rc != 0 or count.value == 0:
        return None, f"no CUDA device (cuDeviceGetCount: CUresult {rc}, {count.value} devices)"
    dev = ctypes.c_int(0)
    name = ctypes.create_string_buffer(256)
    cuda.cuDeviceGet(ctypes.byref(dev), 0)
    cuda.cuDeviceGetName(name, 256, dev)
    return name.value.decode(), None


def run_case(folder, case, repeat, timeout, cpu_aot):
    """Runs one executable `repeat` times; returns its figures or an error."""
    exe = os.path.join(folder, case["executable"])
    if cpu_aot:
        exe = os.path.join(folder, "cpu-aot", os.path.basename(exe))
    runs = []
    for _ in range(repeat):
        try:
            p = subprocess.run([exe], cwd=folder, capture_output=True, text=True,
                               timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"{exe}: no result after {timeout} s"}
        if p.returncode != 0 or not STEP.search(p.stdout):
            return {"error": f"{exe}: exit {p.returncode}\n{p.stdout}{p.stderr}"}
        runs.append(p.stdout)
    results = {k: {"sum": float(s), "l1": float(l), "bits": b}
               for k, s, l, b in RESULT.findall(runs[0])}
    peak = DEVICE_PEAK.search(runs[0])
    return {"results": results,
            "step_ms": statistics.median(float(STEP.search(r).group(1)) for r in runs),
            "device_peak_bytes": int(peak.group(1)) if peak else None}


def max_difference(gpu, cpu):
    """Largest relative difference of sum and L1 over the results, or None
    when the results do not correspond."""
    if sorted(gpu) != sorted(cpu):
        return None
    worst = 0.0
    for k, c in cpu.items():
        g = gpu[k]
        scale = max(c["l1"], 1e-30)
        worst = max(worst, abs(g["sum"] - c["sum"]) / scale, abs(g["l1"] - c["l1"]) / scale)
    return worst


def twin_figures(twin, repeat, on_cpu):
    """PyTorch eager on cuda (on the CPU with --cpu-aot: step times only),
    without and with composable checkpoint(module)."""
    try:
        import torch
    except ImportError as e:
        return {"error": f"no PyTorch: {e}"}
    if not on_cpu and not torch.cuda.is_available():
        return {"error": "PyTorch sees no CUDA device"}
    dev = "cpu" if on_cpu else "cuda"
    sync = (lambda: None) if on_cpu else torch.cuda.synchronize
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import torch_models
    make = dict(torch_models.models(twin["quick"]))[twin["model"]]
    figures = {"torch": torch.__version__}
    for tag, wrapped in (("no-ckpt", False), ("ckpt", True)):
        model, inputs, loss_fn = make(wrapped)
        model = model.to(dev)
        inputs = tuple(t.to(dev) for t in inputs)
        params = list(model.parameters())

        def step():
            loss = loss_fn(model, *inputs)
            return torch.autograd.grad(loss, params)
        step()
        sync()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            grads = step()
            sync()
            times.append((time.perf_counter() - start) * 1e3)
            del grads
        peak = None
        if not on_cpu:
            torch.cuda.synchronize()
            base = torch.cuda.memory_allocated()
            torch.cuda.reset_peak_memory_stats()
            grads = step()
            torch.cuda.synchronize()
            peak = torch.cuda.max_memory_allocated() - base
            del grads
            torch.cuda.empty_cache()
        figures[tag] = {"step_ms": statistics.median(times), "peak_bytes": peak}
        del model, inputs, params
    return figures


def markdown(report):
    lines = [f"GPU check on {report['device']} ({report['binaries']}), "
             f"{report['repeat']} runs per executable, tolerance {TOLERANCE:g}",
             "",
             "| case | mode | step ms (median) | device peak bytes | static peak bytes "
             "| CPU peak bytes | CPU step ms | max rel diff vs CPU | ckpt = no-ckpt bits |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for c in report["cases"]:
        if "error" in c:
            lines.append(f"| {c['name']} | {c['mode']} | FAILED (see the JSON) | | | | | | |")
            continue
        diff = "n/a" if c["max_rel_diff"] is None else f"{c['max_rel_diff']:.2e}"
        lines.append(f"| {c['name']} | {c['mode']} | {c['step_ms']:.3f} | "
                     f"{c['device_peak_bytes'] if c['device_peak_bytes'] is not None else 'n/a'}"
                     f" | {c['cpu']['static_peak_bytes']} | "
                     f"{c['cpu']['peak_bytes']} | {c['cpu']['step_ms']:.3f} | {diff} "
                     f"{'ok' if c['match'] else 'MISMATCH'} | {c.get('bits_equal', '')} |")
    twins = [c for c in report["cases"] if c.get("twin_figures")]
    if twins:
        where = "the CPU" if report["binaries"] == "CPU twins" else "the same GPU"
        lines += ["", f"PyTorch eager on {where} (composable `checkpoint(module)` per block):",
                  "", "| case | step ms, no-ckpt | step ms, ckpt | peak bytes, no-ckpt "
                  "| peak bytes, ckpt |", "|---|---:|---:|---:|---:|"]
        for c in twins:
            t = c["twin_figures"]
            if "error" in t:
                lines.append(f"| {c['name']} | {t['error']} | | | |")
            else:
                peak = lambda tag: ("n/a" if t[tag]["peak_bytes"] is None
                                    else t[tag]["peak_bytes"])
                lines.append(f"| {c['name']} (torch {t['torch']}) | {t['no-ckpt']['step_ms']:.3f} "
                             f"| {t['ckpt']['step_ms']:.3f} | {peak('no-ckpt')} "
                             f"| {peak('ckpt')} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="what scripts/gpu-prepare.sh wrote")
    parser.add_argument("out", help="where gpu-check.json and gpu-check.md go")
    parser.add_argument("--repeat", type=int, default=MIN_REPEAT,
                        help=f"runs per executable (at least {MIN_REPEAT})")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per run")
    parser.add_argument("--cpu-aot", action="store_true",
                        help="run FOLDER/cpu-aot's CPU twins instead (no device needed)")
    args = parser.parse_args()
    repeat = max(args.repeat, MIN_REPEAT)
    name, why = ("the CPU (--cpu-aot)", None) if args.cpu_aot else device()
    if name is None:
        print(f"gpu-check: {why}; nothing was run", file=sys.stderr)
        sys.exit(2)
    folder = os.path.abspath(args.folder)
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    report = {"device": name, "chip": manifest["chip"], "repeat": repeat,
              "binaries": "CPU twins" if args.cpu_aot else manifest["chip"] + " binaries",
              "tolerance": TOLERANCE, "cases": []}
    ok = True
    gpu_bits = {}
    for case in manifest["cases"]:
        figures = run_case(folder, case, repeat, args.timeout, args.cpu_aot)
        entry = dict(name=case["name"], mode=case["mode"], cpu=case["cpu"], **figures)
        if "error" in figures:
            print(f"gpu-check: {case['name']}.{case['mode']} failed:\n{figures['error']}",
                  file=sys.stderr)
            ok = False
        else:
            entry["max_rel_diff"] = max_difference(figures["results"], case["cpu"]["results"])
            entry["match"] = (entry["max_rel_diff"] is not None and
                              entry["max_rel_diff"] <= TOLERANCE)
            ok &= entry["match"]
            bits = [r["bits"] for _, r in sorted(figures["results"].items(),
                                                 key=lambda kv: int(kv[0]))]
            other = gpu_bits.setdefault(case["name"], {})
            other[case["mode"]] = bits
            if len(other) == 2:
                entry["bits_equal"] = "yes" if other["ckpt"] == other["no-ckpt"] else "no"
        if case.get("twin") and case["mode"] == "no-ckpt":
            entry["twin_figures"] = twin_figures(case["twin"], repeat, args.cpu_aot)
        report["cases"].append(entry)
        print(f"gpu-check: {case['name']}.{case['mode']}: "
              + ("FAILED" if "error" in figures else
                 f"{entry['step_ms']:.3f} ms, {'match' if entry['match'] else 'MISMATCH'}"),
              flush=True)
    with open(os.path.join(args.out, "gpu-check.json"), "w") as f:
        json.dump(report, f, indent=1)
    text = markdown(report)
    with open(os.path.join(args.out, "gpu-check.md"), "w") as f:
        f.write(text)
    print(text)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
