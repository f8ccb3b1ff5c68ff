#!/usr/bin/env python3
"""ckpt next to PyTorch's own checkpointing on the same model and batch (issue 15,
item 4): figures, nothing asserted.

For each model (the GPT-2-style decoder and the 2-block MLP of test/python/torch/Inputs,
at bench sizes), on the CPU:

* PyTorch eager, without checkpointing and with the same modules wrapped in composable
  `checkpoint(module)` (`torch.distributed._composable`): the step's peak heap bytes
  (the largest "Total Allocated" of `torch.profiler`'s CPU memory events during one
  forward + backward, less what was allocated before it: parameters and inputs
  excluded, as ckpt-run counts), the bytes saved for backward seen by
  `torch.autograd.graph.saved_tensors_hooks` (deduplicated by storage, parameter and
  input storages excluded; with checkpointing PyTorch's own hooks take over inside the
  wrapped modules, so what a checkpoint keeps for its recompute is not in this column),
  and the step time (median of --repeat runs after one warm-up);
* ckpt: the step exported by `ckpt_torch.export_training_step`, its static peak before
  and after `ckpt-rematerialize` (`ckpt-opt --ckpt-memory-report`, `peak live bytes`),
  and `ckpt-run --inputs` on the same numbers, with and without checkpointing: the
  measured peak (`peak bytes`) and the step time (`--time-step`, median of --repeat
  runs of the compiled step);

then the ratios checkpointed / unchecked of both systems.

Run with the front end's python (it imports torch 2.x and torch_mlir):

  PY=$(scripts/torch-venv.sh | tail -1)
  $PY bench/torch_checkpoint.py [--build build] [--repeat 5] [--quick]

--quick uses the test sizes (seconds).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch.profiler import ProfilerActivity, profile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import ckpt_torch  # noqa: E402
import torch_models  # noqa: E402

PEAK = re.compile(r"^peak bytes (\d+)$", re.M)
STEP = re.compile(r"^step time ms (\S+)$", re.M)
REPORT = re.compile(r"^peak live bytes\s+(\d+)\s+(\d+)", re.M)


def torch_step(model, inputs, loss_fn):
    loss = loss_fn(model, *inputs)
    return torch.autograd.grad(loss, list(model.parameters()))


def torch_peak(model, inputs, loss_fn, tmp):
    """Peak bytes the step allocates (profiler memory events), inputs excluded."""
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        grads = torch_step(model, inputs, loss_fn)
        del grads
    path = os.path.join(tmp, "trace.json")
    prof.export_chrome_trace(path)
    events = [e for e in json.load(open(path))["traceEvents"] if e.get("name") == "[memory]"]
    events.sort(key=lambda e: e["ts"])
    if not events:
        return None
    first = events[0]["args"]
    base = first["Total Allocated"] - first["Bytes"]
    return max(e["args"]["Total Allocated"] for e in events) - base


def torch_saved(model, inputs, loss_fn):
    """Bytes saved for backward that the hooks see, by storage, without parameters and
    inputs."""
    own = {t.untyped_storage().data_ptr() for t in list(model.parameters()) + list(inputs)}
    seen = {}

    def pack(t):
        s = t.untyped_storage()
        if s.data_ptr() not in own:
            seen[s.data_ptr()] = s.nbytes()
        return t
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = loss_fn(model, *inputs)
    torch.autograd.grad(loss, list(model.parameters()))
    return sum(seen.values())


def torch_time(model, inputs, loss_fn, repeat):
    torch_step(model, inputs, loss_fn)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        torch_step(model, inputs, loss_fn)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed\n{p.stdout}{p.stderr}")
    return p.stdout + p.stderr


def ckpt_figures(make, build, repeat, tmp):
    model, inputs, loss_fn = make(True)
    step = os.path.join(tmp, "step.mlir")
    args = os.path.join(tmp, "step.npz")
    text = ckpt_torch.export_training_step(model, inputs, loss_fn, inputs=args,
                                           ckpt_opt=os.path.join(build, "bin", "ckpt-opt"))
    open(step, "w").write(text)
    report = REPORT.search(run([os.path.join(build, "bin", "ckpt-opt"), step,
                                "--ckpt-rematerialize", "--ckpt-memory-report",
                                "-o", os.devnull]))
    static = (int(report.group(1)), int(report.group(2)))
    measured, times = {}, {}
    for tag, flags in (("unchecked", ["--no-checkpoint"]), ("checkpointed", [])):
        runs = [run([os.path.join(build, "bin", "ckpt-run"), *flags, "--inputs", args,
                     "--time-step", step]) for _ in range(repeat)]
        measured[tag] = int(PEAK.search(runs[0]).group(1))
        times[tag] = statistics.median(float(STEP.search(r).group(1)) for r in runs)
    return static, measured, times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        label = "quick" if args.quick else "bench"
        for name, make in torch_models.models(args.quick):
            name = f"{name} ({label})"
            t = {}
            for tag, wrapped in (("unchecked", False), ("checkpointed", True)):
                model, inputs, loss_fn = make(wrapped)
                torch_step(model, inputs, loss_fn)           # warm-up
                t[tag] = (torch_peak(model, inputs, loss_fn, tmp),
                          torch_saved(model, inputs, loss_fn),
                          torch_time(model, inputs, loss_fn, args.repeat))
            static, measured, times = ckpt_figures(make, build, max(1, args.repeat // 2), tmp)
            rows.append((name, t, static, measured, times))

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"ckpt-run {build}; median of {args.repeat} (PyTorch) and "
          f"{max(1, args.repeat // 2)} (ckpt) step times")
    print()
    print("| model | system | peak bytes, unchecked | peak bytes, checkpointed | ratio "
          "| saved bytes (hooks), unchecked -> checkpointed "
          "| step ms, unchecked | step ms, checkpointed | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, t, static, measured, times in rows:
        (pu, su, tu), (pc, sc, tc) = t["unchecked"], t["checkpointed"]
        print(f"| {name} | PyTorch eager (measured) | {pu} | {pc} | {pc / pu:.3f} "
              f"| {su} -> {sc} | {tu:.2f} | {tc:.2f} | {tc / tu:.3f} |")
        print(f"| {name} | ckpt (static estimate) | {static[0]} | {static[1]} "
              f"| {static[1] / static[0]:.3f} | | | | |")
        mu, mc = measured["unchecked"], measured["checkpointed"]
        cu, cc = times["unchecked"], times["checkpointed"]
        print(f"| {name} | ckpt-run (measured) | {mu} | {mc} | {mc / mu:.3f} | "
              f"| {cu:.2f} | {cc:.2f} | {cc / cu:.3f} |")


if __name__ == "__main__":
    main()
