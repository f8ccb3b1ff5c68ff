#!/usr/bin/env python3
"""Generate distributed joint-form MLP training steps (SPMD: one program
that every rank runs on its own part of the data) with one `ckpt.checkpoint`
region per block, collectives from MLIR's `shard` dialect on a 1-D grid of
--ranks processes (docs/distributed.md).

Each block is h -> a = h @ W1 (B x F) -> u = tanh(a) -> p = u @ W2 (B x D)
-> z = tanh(p); the loss is 0.5 * sum((z_L - t)^2) and the backward is its
exact gradient with respect to every W1 and W2 (it reads u and the
pre-activation p of each block, so a checkpointed block recomputes them).
Results: the loss, then dW1 and dW2 of each block.

  dp:  data parallel. x and t (B x D) are batch-sharded: each rank holds
       B / ranks rows (argument attribute `ckpt.shard_dim = 0 : i64`, which
       ckpt-run uses to hand each rank its slice); the weights are
       replicated. The loss and every weight gradient are summed over the
       ranks with `shard.all_reduce` in the backward, so every rank ends
       with the full-batch gradients.
  tp:  tensor parallel (Megatron-LM's MLP split): W1 is split by columns
       (`ckpt.shard_dim = 1`), W2 by rows (`ckpt.shard_dim = 0`), so each
       rank computes F / ranks hidden units and a partial p; the block's
       `shard.all_reduce` of p sits inside its checkpointed region
       (Megatron's "g"), and the gradient of the block input is all-reduced
       in the backward ("f"). The weight gradients are rank-local slices; to
       compare with the unsharded step, each rank writes its slice into a
       zero tensor of the full shape at its offset and the ranks sum them
       (an exact gather: every element has one non-zero term), so the
       results are the full dW1 and dW2.

--ranks 1 writes the unsharded reference step of the same global sizes:
no grid, no collectives, no `ckpt.shard_dim`.

Usage: gen_distributed_step.py {dp,tp} --ranks R --layers L --batch B
       --width D [--hidden F] [--no-regions] > step.mlir
  B (dp) and F (tp, default 2 * D) must be multiples of R.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_train_step import Emitter  # noqa: E402

GRID = "@ranks"


def tanh_body(a):
    return [f"%res = math.tanh {a[0]} : f32"]


def tanh_grad_body(a):
    """a[0] * (1 - tanh(a[1])^2): the gradient through tanh of its input."""
    return [f"%t = math.tanh {a[1]} : f32",
            "%t2 = arith.mulf %t, %t : f32",
            "%one = arith.constant 1.000000e+00 : f32",
            "%d = arith.subf %one, %t2 : f32",
            f"%res = arith.mulf {a[0]}, %d : f32"]


def all_reduce(e, x, type_):
    r = e.fresh("ar")
    e.emit(f"{r} = shard.all_reduce {x} on {GRID} grid_axes = [0] : {type_} -> {type_}")
    return r


def gather_by_sum(e, slice_, rows, cols, full_rows, full_cols, dim):
    """The full (full_rows x full_cols) tensor whose slice along `dim` at this
    rank's offset is `slice_` (rows x cols), summed over the ranks."""
    _, zero = e.filled(e.t(full_rows, full_cols), "0.000000e+00")
    idx = e.fresh("rank")
    e.emit(f"{idx} = shard.process_linear_index on {GRID} : index")
    step = e.fresh("c")
    e.emit(f"{step} = arith.constant {rows if dim == 0 else cols} : index")
    off = e.fresh("off")
    e.emit(f"{off} = arith.muli {idx}, {step} : index")
    offsets = f"[{off}, 0]" if dim == 0 else f"[0, {off}]"
    placed = e.fresh("pl")
    e.emit(f"{placed} = tensor.insert_slice {slice_} into {zero}{offsets} [{rows}, {cols}] [1, 1] "
           f": {e.t(rows, cols)} into {e.t(full_rows, full_cols)}")
    return all_reduce(e, placed, e.t(full_rows, full_cols))


def gen(kind, R, L, B, D, F, regions):
    e = Emitter()
    dp, tp = kind == "dp", kind == "tp"
    sharded = R > 1
    Bl = B // R if dp else B          # rows per rank
    Fl = F // R if tp else F          # hidden units per rank
    T, TF = e.t(Bl, D), e.t(Bl, Fl)
    W1, W2 = e.t(D, Fl), e.t(Fl, D)
    W1g, W2g = e.t(D, F), e.t(F, D)

    def attr(dim):
        return f" {{ckpt.shard_dim = {dim} : i64}}" if sharded else ""

    batch_attr = attr(0) if dp else ""
    params = ", ".join(f"%w1_{i}: {W1}{attr(1) if tp else ''}, %w2_{i}: {W2}{attr(0) if tp else ''}"
                       for i in range(L))
    grads = ", ".join(f"{W1g}, {W2g}" for _ in range(L))
    head = (f"func.func @train_step(%x: {T}{batch_attr}, %target: {T}{batch_attr}, {params}) "
            f"-> (tensor<f32>, {grads}) attributes {{ckpt.forward_results = [0]}} {{")

    hs, us, ps = ["%x"], [], []
    for i in range(L):
        def build(args, i=i):
            a = e.matmul(args[0], args[1], Bl, D, Fl)
            u = e.ewise([a], Bl, Fl, tanh_body)
            p = e.matmul(u, args[2], Bl, Fl, D)
            if tp and sharded:
                p = all_reduce(e, p, T)   # Megatron's g: inside the region
            z = e.ewise([p], Bl, D, tanh_body)
            return [(z, T), (u, TF), (p, T)]
        z, u, p = e.region(f"blocks.{i}", [hs[-1], f"%w1_{i}", f"%w2_{i}"], [T, W1, W2],
                           build, regions)
        hs.append(z)
        us.append(u)
        ps.append(p)

    # loss = 0.5 * sum((z_L - t)^2), summed over the batch shards in dp
    d = e.ewise([hs[-1], "%target"], Bl, D, lambda a: [f"%df = arith.subf {a[0]}, {a[1]} : f32",
                                                  "%res = arith.mulf %df, %df : f32"])
    loss = e.sum_all(d, T, scale="5.000000e-01")
    if dp and sharded:
        loss = all_reduce(e, loss, "tensor<f32>")

    # backward
    dz = e.ewise([hs[-1], "%target"], Bl, D, lambda a: [f"%res = arith.subf {a[0]}, {a[1]} : f32"])
    dws = [None] * L
    for i in reversed(range(L)):
        dp_ = e.ewise([dz, ps[i]], Bl, D, tanh_grad_body)
        dw2 = e.matmul(e.transpose(us[i], Bl, Fl), dp_, Fl, Bl, D)
        du = e.matmul(dp_, e.transpose(f"%w2_{i}", Fl, D), Bl, D, Fl)
        da = e.ewise([du, us[i]], Bl, Fl, lambda a: [
            f"%t2 = arith.mulf {a[1]}, {a[1]} : f32",
            "%one = arith.constant 1.000000e+00 : f32",
            "%d = arith.subf %one, %t2 : f32",
            f"%res = arith.mulf {a[0]}, %d : f32"])
        dw1 = e.matmul(e.transpose(hs[i], Bl, D), da, D, Bl, Fl)
        if sharded and dp:
            dw1, dw2 = all_reduce(e, dw1, W1), all_reduce(e, dw2, W2)
        if sharded and tp:
            dw1 = gather_by_sum(e, dw1, D, Fl, D, F, dim=1)
            dw2 = gather_by_sum(e, dw2, Fl, D, F, D, dim=0)
        dws[i] = (dw1, dw2)
        if i > 0:
            dz = e.matmul(da, e.transpose(f"%w1_{i}", D, Fl), Bl, Fl, D)
            if tp and sharded:
                dz = all_reduce(e, dz, T)  # Megatron's f, in the backward
    outs = ", ".join(f"{a}, {b}" for a, b in dws)
    e.emit(f"return {loss}, {outs} : tensor<f32>, {grads}")
    lines = []
    if sharded:
        lines.append(f"shard.grid {GRID}(shape = {R})")
    return "\n".join(lines + [head] + e.lines + ["}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["dp", "tp"])
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8, help="global batch B")
    parser.add_argument("--width", type=int, default=16, help="model width D")
    parser.add_argument("--hidden", type=int, default=None,
                        help="hidden width F of each block (default 2 * D)")
    parser.add_argument("--no-regions", action="store_true",
                        help="emit the same graph without ckpt.checkpoint regions")
    args = parser.parse_args()
    F = args.hidden or 2 * args.width
    if args.ranks < 1:
        parser.error("--ranks must be at least 1")
    if args.kind == "dp" and args.batch % args.ranks:
        parser.error(f"--batch {args.batch} is not a multiple of --ranks {args.ranks}")
    if args.kind == "tp" and F % args.ranks:
        parser.error(f"--hidden {F} is not a multiple of --ranks {args.ranks}")
    print(gen(args.kind, args.ranks, args.layers, args.batch, args.width, F,
              not args.no_regions))


if __name__ == "__main__":
    main()
