#!/usr/bin/env python3
"""CPU throughput of what `ckpt-lower-to-cpu` produces (issue 14, item 11),
next to PyTorch on the same work.

Builds, with its own small generator:
  * a residual MLP training step: B blocks h' = h + tanh(h @ W), one
    `ckpt.checkpoint` region per block, loss 0.5*sum((h_B - y)^2) and the
    exact gradient of every W (default 16 blocks, width 256, batch 4096:
    2 * batch * width^2 FLOPs per matmul, 3 per block, forward, dW and dh,
    but no dh for the first block);
  * a standalone `linalg.matmul` (batch x width times width x width);
  * a standalone `linalg.conv_2d_nchw_fchw` (3x3, no padding).
Runs each through `ckpt-run --time-step` (the runtime's
ckpt_rt_step_begin/end time the call alone, inputs excluded; the step with
checkpointing, as ckpt-run runs it by default), computes GFLOP/s, and times
PyTorch (Debian's python3-torch from /usr/bin/python3, CPU, autograd for the
step; median of --repeat runs after one warm-up) on the same shapes. Prints a
table with ckpt/PyTorch time ratios (above 1: ckpt is slower).

  python3 bench/cpu_throughput.py [--build build] [-O 3] [--quick]

--quick shrinks every size (a smoke test: seconds). The figures depend on the
lowering in the tree; nothing here is asserted.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_PYTHON = "/usr/bin/python3"

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"


# ----------------------------------------------------------------------------
# The MLIR generators
# ----------------------------------------------------------------------------

def residual_mlp(blocks, batch, width):
    """The joint training step of a residual tanh MLP, one region per block."""
    t = "tensor<%dx%dxf32>" % (batch, width)
    w = "tensor<%dx%dxf32>" % (width, width)
    wt = "tensor<%dx%dxf32>" % (width, batch)
    lines = []
    emit = lines.append
    counter = [0]

    def fresh(stem):
        counter[0] += 1
        return "%%%s%d" % (stem, counter[0])

    def elementwise(inputs, body, indent="  "):
        out = fresh("ew")
        e = fresh("e")
        emit(indent + "%s = tensor.empty() : %s" % (e, t))
        maps = ", ".join([ID2] * (len(inputs) + 1))
        args = ", ".join("%%a%d: f32" % i for i in range(len(inputs)))
        emit(indent + "%s = linalg.generic {indexing_maps = [%s], iterator_types = "
             "[\"parallel\", \"parallel\"]} ins(%s : %s) outs(%s : %s) {" % (
                 out, maps, ", ".join(inputs), ", ".join([t] * len(inputs)), e, t))
        emit(indent + "^bb0(%s, %%out: f32):" % args)
        for line in body:
            emit(indent + "  " + line)
        emit(indent + "} -> %s" % t)
        return out

    def matmul(a, b, ta, tb, tc, m, n, indent="  "):
        e, z, c, out = fresh("e"), fresh("z"), fresh("c"), fresh("mm")
        emit(indent + "%s = tensor.empty() : %s" % (e, tc))
        emit(indent + "%s = arith.constant 0.000000e+00 : f32" % c)
        emit(indent + "%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s" % (z, c, e, tc, tc))
        emit(indent + "%s = linalg.matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s" % (
            out, a, b, ta, tb, z, tc, tc))
        return out

    def transpose(x, tin, tout):
        e, out = fresh("e"), fresh("tr")
        emit("  %s = tensor.empty() : %s" % (e, tout))
        emit("  %s = linalg.transpose ins(%s : %s) outs(%s : %s) permutation = [1, 0]" % (
            out, x, tin, e, tout))
        return out

    params = ", ".join("%%w%d: %s" % (l, w) for l in range(blocks))
    results = ", ".join(["tensor<f32>"] + [w] * blocks)
    emit("func.func @train_step(%%x: %s, %%y: %s, %s) -> (%s) attributes "
         "{ckpt.forward_results = [0]} {" % (t, t, params, results))
    h, hs, ds = "%x", [], []
    for l in range(blocks):
        hs.append(h)
        out, der = fresh("h"), fresh("d")
        hin, win = fresh("in"), fresh("in")
        emit("  %s, %s = ckpt.checkpoint \"blocks.%d\" (%s = %s, %s = %%w%d : %s, %s) -> (%s, %s) {"
             % (out, der, l, hin, h, win, l, t, w, t, t))
        z = matmul(hin, win, t, w, t, batch, width, indent="    ")
        a = elementwise([z], ["%th = math.tanh %a0 : f32", "linalg.yield %th : f32"], indent="    ")
        hn = elementwise([hin, a], ["%s = arith.addf %a0, %a1 : f32", "linalg.yield %s : f32"],
                         indent="    ")
        d = elementwise([a], ["%t2 = arith.mulf %a0, %a0 : f32",
                              "%one = arith.constant 1.000000e+00 : f32",
                              "%r = arith.subf %one, %t2 : f32", "linalg.yield %r : f32"],
                        indent="    ")
        emit("    ckpt.yield %s, %s : %s, %s" % (hn, d, t, t))
        emit("  }")
        h = out
        ds.append(der)
    diff = elementwise([h, "%y"], ["%r = arith.subf %a0, %a1 : f32", "linalg.yield %r : f32"])
    sq = elementwise([diff], ["%r = arith.mulf %a0, %a0 : f32", "linalg.yield %r : f32"])
    c, s0, s1, loss = fresh("c"), fresh("s"), fresh("s"), fresh("loss")
    emit("  %s = arith.constant 0.000000e+00 : f32" % c)
    emit("  %s = tensor.empty() : tensor<f32>" % s0)
    emit("  %s = linalg.fill ins(%s : f32) outs(%s : tensor<f32>) -> tensor<f32>" % (s1, c, s0))
    emit("  %s = linalg.reduce ins(%s : %s) outs(%s : tensor<f32>) dimensions = [0, 1]" % (
        loss, sq, t, s1))
    emit("    (%in: f32, %acc: f32) {")
    emit("      %half = arith.constant 5.000000e-01 : f32")
    emit("      %hv = arith.mulf %in, %half : f32")
    emit("      %sum = arith.addf %hv, %acc : f32")
    emit("      linalg.yield %sum : f32")
    emit("    }")
    g = diff
    grads = [None] * blocks
    for l in reversed(range(blocks)):
        gz = elementwise([g, ds[l]], ["%r = arith.mulf %a0, %a1 : f32", "linalg.yield %r : f32"])
        ht = transpose(hs[l], t, wt)
        grads[l] = matmul(ht, gz, wt, t, w, width, width)
        if l:
            wtr = transpose("%%w%d" % l, w, w)
            back = matmul(gz, wtr, t, w, t, batch, width)
            g = elementwise([g, back], ["%r = arith.addf %a0, %a1 : f32", "linalg.yield %r : f32"])
    emit("  return %s, %s : %s" % (loss, ", ".join(grads), results))
    emit("}")
    return "\n".join(lines) + "\n"


def matmul_kernel(m, k, n):
    return """func.func @matmul(%%a: tensor<%(m)dx%(k)dxf32>, %%b: tensor<%(k)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32> {
  %%zero = arith.constant 0.000000e+00 : f32
  %%e = tensor.empty() : tensor<%(m)dx%(n)dxf32>
  %%z = linalg.fill ins(%%zero : f32) outs(%%e : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  %%c = linalg.matmul ins(%%a, %%b : tensor<%(m)dx%(k)dxf32>, tensor<%(k)dx%(n)dxf32>) outs(%%z : tensor<%(m)dx%(n)dxf32>) -> tensor<%(m)dx%(n)dxf32>
  return %%c : tensor<%(m)dx%(n)dxf32>
}
""" % dict(m=m, k=k, n=n)


def conv_kernel(n, c, hw, f, k):
    o = hw - k + 1
    d = dict(n=n, c=c, hw=hw, f=f, k=k, o=o)
    return """func.func @conv(%%x: tensor<%(n)dx%(c)dx%(hw)dx%(hw)dxf32>, %%w: tensor<%(f)dx%(c)dx%(k)dx%(k)dxf32>) -> tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32> {
  %%zero = arith.constant 0.000000e+00 : f32
  %%e = tensor.empty() : tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>
  %%z = linalg.fill ins(%%zero : f32) outs(%%e : tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>) -> tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>
  %%y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%%x, %%w : tensor<%(n)dx%(c)dx%(hw)dx%(hw)dxf32>, tensor<%(f)dx%(c)dx%(k)dx%(k)dxf32>) outs(%%z : tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>) -> tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>
  return %%y : tensor<%(n)dx%(f)dx%(o)dx%(o)dxf32>
}
""" % d


# ----------------------------------------------------------------------------
# PyTorch on the same work
# ----------------------------------------------------------------------------

TORCH_SCRIPT = r"""
import sys, time, statistics, torch
kind = sys.argv[1]; dims = [int(v) for v in sys.argv[2:-1]]; repeat = int(sys.argv[-1])
torch.manual_seed(0)
if kind == "step":
    blocks, batch, width = dims
    x = torch.randn(batch, width) * 0.5
    y = torch.randn(batch, width) * 0.5
    ws = [(torch.randn(width, width) / width ** 0.5).requires_grad_() for _ in range(blocks)]
    def run():
        h = x
        for w in ws:
            h = h + torch.tanh(h @ w)
        loss = 0.5 * ((h - y) ** 2).sum()
        grads = torch.autograd.grad(loss, ws)
        return loss, grads
elif kind == "matmul":
    m, k, n = dims
    a, b = torch.randn(m, k), torch.randn(k, n)
    def run():
        return a @ b
else:
    n, c, hw, f, k = dims
    x, w = torch.randn(n, c, hw, hw), torch.randn(f, c, k, k)
    def run():
        return torch.nn.functional.conv2d(x, w)
run()
times = []
for _ in range(repeat):
    start = time.perf_counter(); run(); times.append(time.perf_counter() - start)
print("threads %d median_ms %.3f" % (torch.get_num_threads(), 1e3 * statistics.median(times)))
"""


def torch_time(kind, dims, repeat):
    out = subprocess.run([TORCH_PYTHON, "-c", TORCH_SCRIPT, kind] + [str(d) for d in dims]
                         + [str(repeat)], check=True, stdout=subprocess.PIPE, text=True).stdout
    match = re.search(r"threads (\d+) median_ms ([0-9.]+)", out)
    return float(match.group(2)), int(match.group(1))


def ckpt_time(run, source, tmp, name, opt_level):
    path = os.path.join(tmp, name + ".mlir")
    with open(path, "w") as f:
        f.write(source)
    start = time.perf_counter()
    out = subprocess.run([run, "--time-step", "-O%d" % opt_level, path], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    wall = time.perf_counter() - start
    step = float(re.search(r"step time ms ([0-9.]+)", out).group(1))
    return step, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("-O", dest="opt_level", type=int, default=3, choices=[0, 1, 2, 3],
                        help="mlir-runner's optimisation level for ckpt-run (default 3)")
    parser.add_argument("--blocks", type=int, default=16)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=3, help="PyTorch runs (median)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.blocks, args.width, args.batch, args.repeat = 2, 16, 64, 1
    run = os.path.join(args.build, "bin", "ckpt-run")
    b, w, n = args.blocks, args.width, args.batch
    conv = (2, 4, 12, 4, 3) if args.quick else (8, 32, 34, 32, 3)
    cn, cc, chw, cf, ck = conv
    co = chw - ck + 1
    work = [
        ("matmul %dx%dx%d" % (n, w, w), matmul_kernel(n, w, w), 2.0 * n * w * w,
         ("matmul", [n, w, w])),
        ("conv n%d c%d %dx%d f%d k%d" % (cn, cc, chw, chw, cf, ck), conv_kernel(*conv), 2.0 * cn * cf * co * co * cc * ck * ck,
         ("conv", list(conv))),
        ("resmlp step %d blocks w%d b%d" % (b, w, n), residual_mlp(b, n, w),
         2.0 * n * w * w * (3 * b - 1),
         ("step", [b, n, w])),
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ckpt-bench-") as tmp:
        for i, (name, source, flops, torch_work) in enumerate(work):
            step_ms, wall = ckpt_time(run, source, tmp, "work%d" % i, args.opt_level)
            torch_ms, threads = (None, None) if args.no_torch else torch_time(
                torch_work[0], torch_work[1], args.repeat)
            rows.append((name, flops, step_ms, wall, torch_ms, threads))
            print("# %s: ckpt %.1f ms (ckpt-run wall %.1f s)%s" % (
                name, step_ms, wall, "" if torch_ms is None else
                ", torch %.1f ms (%d threads)" % (torch_ms, threads)), file=sys.stderr)
    print("== CPU throughput: ckpt-run -O%d (step time from the runtime) vs PyTorch %s"
          % (args.opt_level, "(skipped)" if args.no_torch else "(CPU, median of %d)" % args.repeat))
    print("%-34s %10s %11s %9s %11s %9s %11s" % ("work", "GFLOP", "ckpt ms", "GFLOP/s",
                                                "torch ms", "GFLOP/s", "ckpt/torch"))
    def rate(gflop, ms):  # the clocks print milliseconds to 3 decimals
        return "%9.2f" % (gflop / (ms / 1e3)) if ms > 0 else "%9s" % "-"

    for name, flops, step_ms, wall, torch_ms, threads in rows:
        gflop = flops / 1e9
        if torch_ms is None:
            torch_cols = "%11s %9s %11s" % ("-", "-", "-")
        else:
            ratio = "%11.2f" % (step_ms / torch_ms) if torch_ms > 0 else "%11s" % "-"
            torch_cols = "%11.3f %s %s" % (torch_ms, rate(gflop, torch_ms), ratio)
        print("%-34s %10.3f %11.3f %s %s" % (name, gflop, step_ms, rate(gflop, step_ms),
                                            torch_cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
