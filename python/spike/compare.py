"""Stage 3: the exported training step run by ckpt-run on the CPU vs PyTorch eager.

Run with the torch venv's python:  python python/spike/compare.py [OUTDIR]
Per case: exports the joint graph (aot_export_module, trace_joint=True, torch-mlir's
decompositions less nll_loss_backward), marks ckpt.forward_results (buffer updates and the
loss), writes OUTDIR/<case>_step.mlir and <case>_inputs.npz (parameters, buffers, then the
example inputs and targets, in argument order), runs `ckpt-run --inputs --outputs` as a
subprocess, and prints, per result, max|ckpt - eager| / max|eager|."""
import copy
import os
import subprocess
import sys

import numpy as np
import torch
from torch_mlir import fx, ir

sys.path.insert(0, os.path.dirname(__file__))
from models import CASES  # noqa: E402
from train_step import WithLoss, decomp_table  # noqa: E402

CKPT_RUN = os.environ.get("CKPT_RUN", "/work/main/build/bin/ckpt-run")
BUILD = os.path.dirname(os.path.dirname(CKPT_RUN))
LLVM = "/usr/lib/llvm-22"


def run_by_hand(path, entry, args, tmp, passes="ckpt-rematerialize"):
    """ckpt-run's documented pipeline (its --help), run by hand. Used where an argument is
    0-d: ckpt-run's npz helper passes it through np.ascontiguousarray, which makes it 1-d,
    and the runtime then refuses `int64 [1]` for a tensor<i64> argument."""
    import shutil
    import tempfile
    d = tempfile.mkdtemp(prefix="spike-run-", dir=tmp)
    os.mkdir(os.path.join(d, "in"))
    os.mkdir(os.path.join(d, "out"))
    for k, a in enumerate(args):
        a = np.ascontiguousarray(a).reshape(a.shape)
        a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(d, "in", f"arg{k}.bin"))
        with open(os.path.join(d, "in", f"arg{k}.txt"), "w") as f:
            f.write(" ".join([a.dtype.name] + [str(n) for n in a.shape]) + "\n")
    lowered = os.path.join(d, "lowered.mlir")
    pipe = (f"builtin.module({passes},ckpt-runner-main{{entry={entry} "
            f"load-inputs={d}/in store-results={d}/out}},ckpt-lower-to-cpu)")
    subprocess.run([os.path.join(BUILD, "bin", "ckpt-opt"), path, "-o", lowered,
                    "--pass-pipeline=" + pipe], check=True)
    p = subprocess.run([f"{LLVM}/bin/mlir-runner", lowered, "-e", "main",
                        "-entry-point-result=void", "-O3",
                        "-shared-libs=" + os.path.join(BUILD, "lib", "libckpt_cpu_runtime.so")
                        + f",{LLVM}/lib/libmlir_c_runner_utils.so"],
                       capture_output=True, text=True, check=True)
    results = {}
    k = 0
    while os.path.exists(os.path.join(d, "out", f"result{k}.txt")):
        words = open(os.path.join(d, "out", f"result{k}.txt")).read().split()
        shape = tuple(int(n) for n in words[1:])
        results[f"result_{k}"] = np.fromfile(os.path.join(d, "out", f"result{k}.bin"),
                                             dtype=np.dtype(words[0])).reshape(shape)
        k += 1
    shutil.rmtree(d)
    return p, results


def export(model, x, y, loss_fn, name):
    from torch._functorch.aot_autograd import aot_export_module
    gm, sig = aot_export_module(WithLoss(model, loss_fn), (x, y), trace_joint=True,
                                output_loss_index=0,
                                decompositions=decomp_table("torchmlir", ("nll_loss_backward",)))
    m = fx.stateless_fx_import(gm, output_type="linalg-on-tensors", model_name=name)
    # Joint graph outputs: buffer updates, the loss, then the gradients (AOTAutograd's order).
    n_fwd = len(sig.buffers_to_mutate) + len(sig.user_outputs)
    with m.context:
        i64 = ir.IntegerType.get_signless(64)
        attr = ir.ArrayAttr.get([ir.IntegerAttr.get(i64, i) for i in range(n_fwd)])
        for op in m.body.operations:
            if op.name == "func.func" or op.operation.name == "func.func":
                op.attributes["ckpt.forward_results"] = attr
    return m, sig


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/spike"
    os.makedirs(out, exist_ok=True)
    worst = 0.0
    for case in CASES:
        name, model, x, y, loss_fn = case()
        model.train()
        eager_model = copy.deepcopy(model)
        m, sig = export(model, x, y, loss_fn, f"{name}_step")
        path = os.path.join(out, f"{name}_step.mlir")
        with open(path, "w") as f:
            f.write(m.operation.get_asm(print_generic_op_form=True, large_elements_limit=None))
        state = dict(eager_model.named_parameters(prefix="model"))
        state.update(dict(eager_model.named_buffers(prefix="model")))
        args = [state[n].detach().numpy() for n in sig.parameters + sig.buffers]
        args += [x.numpy(), y.numpy()]
        inputs = os.path.join(out, f"{name}_inputs.npz")
        outputs = os.path.join(out, f"{name}_outputs.npz")
        np.savez(inputs, *args)
        if any(a.ndim == 0 for a in args):
            print(f"{name}: a 0-d argument: the documented pipeline by hand, not ckpt-run")
            p, got = run_by_hand(path, f"{name}_step", args, out)
        else:
            p = subprocess.run([CKPT_RUN, "--entry", f"{name}_step", path, "--inputs", inputs,
                                "--outputs", outputs], capture_output=True, text=True)
            got = np.load(outputs) if p.returncode == 0 else None
        if p.returncode != 0:
            print(f"{name}: ckpt-run failed:\n{p.stderr[-3000:]}")
            worst = float("inf")
            continue
        # Eager: the same step in PyTorch (buffers updated in place by BatchNorm).
        params = [state[n] for n in sig.parameters]
        loss = loss_fn(eager_model(x), y)
        grads = torch.autograd.grad(loss, params)
        expected = [state[n] for n in sig.buffers_to_mutate.values()] + [loss] + list(grads)
        # Float64 reference: is ckpt's error the size of eager float32's own round-off?
        m64 = copy.deepcopy(model).double()
        st64 = dict(m64.named_parameters(prefix="model"))
        st64.update(dict(m64.named_buffers(prefix="model")))
        x64 = x.double()
        loss64 = loss_fn(m64(x64), y.double() if y.is_floating_point() else y)
        grads64 = torch.autograd.grad(loss64, [st64[n] for n in sig.parameters])
        ref64 = [st64[n] for n in sig.buffers_to_mutate.values()] + [loss64] + list(grads64)
        labels = ([f"buffer {b}" for b in sig.buffers_to_mutate.values()] + ["loss"]
                  + [f"grad {p}" for p in sig.parameters])
        print(f"{name}: {p.stdout.strip().splitlines()[-3]}")
        for k, (e, lab, r) in enumerate(zip(expected, labels, ref64)):
            e = e.detach().numpy()
            r = r.detach().numpy().astype(np.float64)
            g = got[f"result_{k}"]
            scale = float(np.max(np.abs(e))) or 1.0
            rel = float(np.max(np.abs(g.astype(np.float64) - e))) / scale
            worst = max(worst, rel)
            print(f"  result {k} {lab} {tuple(e.shape)}: rel err {rel:.3e} "
                  f"(max|diff| {rel * scale:.3e}, max|eager| {scale:.3e}; vs float64: ckpt "
                  f"{np.max(np.abs(g - r)):.3e}, eager {np.max(np.abs(e - r)):.3e})"
                  + (f"  (loss ckpt {g.item():.9g} eager {e.item():.9g})" if lab == "loss" else ""))
    print(f"worst relative error {worst:.3e}")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
