#!/usr/bin/env python3
"""Numeric check of ckpt-convert-byteir-kernels against PyTorch.

For each case: seeded numpy inputs are embedded as dense constants in a
module whose @main calls the ByteIR kernel declaration with ByteIR's
attributes (as the graphs in ../shared/models do) and prints each result's
bit patterns (`printMemrefI32` of the f32 value, exact). The module goes
through

  ckpt-opt --ckpt-convert-byteir-kernels[=OPTIONS] --ckpt-lower-to-cpu=count-allocations=false
  mlir-runner -e main -entry-point-result=void -shared-libs=libmlir_runner_utils,libmlir_c_runner_utils

and each result is compared with PyTorch (Debian's python3-torch, CPU)
computing the kernel's semantics in float64:

* f16 results: the reference rounded to f16 (round to nearest even); an
  element passes within 1 f16 ulp (distance in representable f16 values).
* f32 results (batch-norm statistics and parameter gradients, f32
  reductions): an element passes if |got - ref| <= 1e-5 |ref| + 1e-7 max|ref|.
  That separates the unbiased from the biased variance for every shape used
  here (their ratio M/(M-1) differs from 1 by >= 3e-4).

A result passes if >= 99.9% of its elements pass. One line per result, a
summary line, exit status 1 if any result fails.

Usage: kernel_check.py --group real|small [--lib-dir DIR] [--keep DIR]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

EPSILON = float(np.float32(1e-5))  # the graphs' 9.99999974E-6 : f32
NP_TYPES = {"f16": np.float16, "f32": np.float32}


# ----------------------------------------------------------------------------
# Cases
# ----------------------------------------------------------------------------


class Case:
    """One kernel call: its byre_compute_name, call attributes (MLIR text),
    inputs (numpy arrays), result shapes and element types, and the float64
    reference (a function of float64 torch tensors)."""

    def __init__(self, name, kernel, attrs, inputs, results, reference,
                 options=""):
        self.name, self.kernel, self.attrs = name, kernel, attrs
        self.inputs, self.results = inputs, results
        self.reference, self.options = reference, options


def conv_attrs(s, p, forward):
    common = ('batch_group_count = 1 : i64, feature_group_count = 1 : i64, '
              'input_layout = "NCHW", kernel_layout = "NCHW", '
              'output_layout = "NCHW", ')
    if forward:
        return (common + f"lhs_dilation = dense<1> : tensor<2xi64>, "
                f"padding = dense<{p}> : tensor<2x2xi64>, "
                f"rhs_dilation = dense<1> : tensor<2xi64>, "
                f"window_strides = dense<{s}> : tensor<2xi64>")
    return (common + f"padding = dense<{p}> : tensor<4xi64>, "
            f"window_strides = dense<{s}> : tensor<2xi64>")


def pool_attrs(k, s, p, forward):
    text = (f"padding = dense<[[0, 0], [0, 0], [{p}, {p}], [{p}, {p}]]> : tensor<4x2xi64>, "
            f"window_dimensions = dense<[1, 1, {k}, {k}]> : tensor<4xi64>, "
            f"window_strides = dense<[1, 1, {s}, {s}]> : tensor<4xi64>")
    if forward:
        text = ("base_dilations = dense<1> : tensor<4xi64>, " + text +
                ", window_dilations = dense<1> : tensor<4xi64>")
    return text


BN_ATTRS = "epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64"


def conv_out(i, k, s, p):
    return (i + 2 * p - k) // s + 1


def conv_case(rng, name, n, c, f, i, k, s, p, dtype="f16"):
    o = conv_out(i, k, s, p)
    t = NP_TYPES[dtype]
    x = rng.standard_normal((n, c, i, i)).astype(t)
    w = (rng.standard_normal((f, c, k, k)) / np.sqrt(c * k * k)).astype(t)
    return Case(name, f"ConvOp_{dtype}{dtype}_{dtype}", conv_attrs(s, p, True),
                [x, w], [((n, f, o, o), dtype)],
                lambda x, w: [F.conv2d(x, w, stride=s, padding=p)])


def conv_bwd_data_case(rng, name, n, c, f, i, k, s, p):
    o = conv_out(i, k, s, p)
    dy = rng.standard_normal((n, f, o, o)).astype(np.float16)
    w = (rng.standard_normal((f, c, k, k)) / np.sqrt(f * k * k)).astype(np.float16)
    return Case(name, "ConvBackwardDataOp_f16f16_f16", conv_attrs(s, p, False),
                [dy, w], [((n, c, i, i), "f16")],
                lambda dy, w: [torch.nn.grad.conv2d_input(
                    (n, c, i, i), w, dy, stride=s, padding=p)])


def conv_bwd_filter_case(rng, name, n, c, f, i, k, s, p):
    o = conv_out(i, k, s, p)
    x = np.maximum(rng.standard_normal((n, c, i, i)), 0).astype(np.float16)
    dy = (rng.standard_normal((n, f, o, o)) / o).astype(np.float16)
    return Case(name, "ConvBackwardFilterOp_f16f16_f16", conv_attrs(s, p, False),
                [x, dy], [((f, c, k, k), "f16")],
                lambda x, dy: [torch.nn.grad.conv2d_weight(
                    x, (f, c, k, k), dy, stride=s, padding=p)])


def bn_inputs(rng, shape):
    c = shape[1]
    x = (rng.standard_normal(shape) * 2 + 0.5).astype(np.float16)
    gamma = rng.uniform(0.5, 1.5, c).astype(np.float32)
    beta = rng.standard_normal(c).astype(np.float32)
    return x, gamma, beta


def bn_training_case(rng, name, shape, stats, biased=False):
    x, gamma, beta = bn_inputs(rng, shape)
    c = shape[1]

    def reference(x, gamma, beta):
        # PyTorch's training-mode batch_norm with momentum 1: the running
        # statistics become the batch mean and the unbiased variance.
        mean = torch.zeros(c, dtype=torch.float64)
        var = torch.ones(c, dtype=torch.float64)
        y = F.batch_norm(x, mean, var, gamma, beta, training=True,
                         momentum=1.0, eps=EPSILON)
        if biased:
            var = x.var(dim=(0, 2, 3), unbiased=False)
        return [y, mean, var] if stats else [y]

    results = [(shape, "f16")]
    kernel = "BatchNormTrainingOp_f16f32f32_f16"
    if stats:
        results += [((c,), "f32"), ((c,), "f32")]
        kernel += "f32f32"
    return Case(name, kernel, BN_ATTRS, [x, gamma, beta], results, reference,
                options="biased-variance" if biased else "")


def bn_grad_case(rng, name, shape):
    x, gamma, _ = bn_inputs(rng, shape)
    dy = rng.standard_normal(shape).astype(np.float16)
    c = shape[1]

    def reference(x, gamma, dy):
        x = x.clone().requires_grad_()
        gamma = gamma.clone().requires_grad_()
        beta = torch.zeros(c, dtype=torch.float64, requires_grad=True)
        y = F.batch_norm(x, None, None, gamma, beta, training=True,
                         eps=EPSILON)
        y.backward(dy)
        return [x.grad, gamma.grad, beta.grad]

    return Case(name, "BatchNormGradOp_f16f32f16_f16f32f32", BN_ATTRS,
                [x, gamma, dy], [(shape, "f16"), ((c,), "f32"), ((c,), "f32")],
                reference)


def pool_input(rng, shape):
    # Post-ReLU data on a coarse grid: many zeros and other ties.
    return (np.maximum(np.round(rng.standard_normal(shape) * 4), 0) / 4).astype(np.float16)


def pool_case(rng, name, shape, k, s, p):
    n, c, i, _ = shape
    o = conv_out(i, k, s, p)
    return Case(name, "PoolMaxOp_f16_f16", pool_attrs(k, s, p, True),
                [pool_input(rng, shape)], [((n, c, o, o), "f16")],
                lambda x: [F.max_pool2d(x, k, s, p)])


def pool_grad_case(rng, name, shape, k, s, p):
    n, c, i, _ = shape
    o = conv_out(i, k, s, p)
    dy = rng.standard_normal((n, c, o, o)).astype(np.float16)

    def reference(x, dy):
        # PyTorch's CPU max_pool2d backward: the first maximum of each
        # window (row-major) takes the gradient.
        x = x.clone().requires_grad_()
        F.max_pool2d(x, k, s, p).backward(dy)
        return [x.grad]

    return Case(name, "PoolMaxGradOp_f16f16_f16", pool_attrs(k, s, p, False),
                [pool_input(rng, shape), dy], [(shape, "f16")], reference)


def matmul_case(rng, name, a_shape, b_shape, lc, rc, transpose, dtype="f16"):
    t = NP_TYPES[dtype]
    k = a_shape[lc]
    a = rng.standard_normal(a_shape).astype(t)
    b = (rng.standard_normal(b_shape) / np.sqrt(k)).astype(t)
    m, n = a_shape[1 - lc], b_shape[1 - rc]
    out = (n, m) if transpose else (m, n)
    attrs = f"lhs_contracting_dimension = {lc} : i64, "
    if transpose:
        attrs += "output_transpose, "
    attrs += f"rhs_contracting_dimension = {rc} : i64"

    def reference(a, b):
        c = (a if lc == 1 else a.T) @ (b if rc == 0 else b.T)
        return [c.T if transpose else c]

    return Case(name, f"MatmulOp_{dtype}{dtype}_{dtype}", attrs, [a, b],
                [(out, dtype)], reference)


def reduce_case(rng, name, op, shape, dims, dtype):
    x = rng.standard_normal(shape).astype(NP_TYPES[dtype])
    out = tuple(d for i, d in enumerate(shape) if i not in dims)
    attrs = (f"dimensions = dense<[{', '.join(map(str, dims))}]> : "
             f"tensor<{len(dims)}xi64>")

    def reference(x):
        return [x.sum(dim=dims) if op == "Sum" else x.amax(dim=dims)]

    return Case(name, f"Reduce{op}Op_{dtype}_{dtype}", attrs, [x],
                [(out, dtype)], reference)


def transpose_case(rng, name, shape):
    x = rng.standard_normal(shape).astype(np.float16)
    attrs = ("minor_to_major = dense<[0, 1]> : tensor<2xindex>, "
             "permutation = dense<[1, 0]> : tensor<2xi64>")
    return Case(name, "TransposeOp_f16_f16", attrs, [x],
                [((shape[1], shape[0]), "f16")], lambda x: [x.T])


def real_cases(rng):
    """One case per kernel at a shape of the ResNet-18 graphs (split pair,
    batch 1, or joint step, batch 4)."""
    return [
        conv_case(rng, "conv_7x7s2_stem", 1, 3, 64, 224, 7, 2, 3),
        conv_bwd_data_case(rng, "conv_bwd_data_3x3s2", 1, 256, 512, 14, 3, 2, 1),
        conv_bwd_filter_case(rng, "conv_bwd_filter_7x7s2_stem", 1, 3, 64, 224, 7, 2, 3),
        bn_training_case(rng, "bn_training_stats", (1, 64, 56, 56), stats=True),
        bn_grad_case(rng, "bn_grad", (1, 128, 28, 28)),
        pool_case(rng, "pool_max", (1, 64, 112, 112), 3, 2, 1),
        pool_grad_case(rng, "pool_max_grad", (1, 64, 112, 112), 3, 2, 1),
        matmul_case(rng, "matmul_output_transpose", (4, 512), (4, 1000), 0, 0, True),
        reduce_case(rng, "reduce_sum_hw", "Sum", (4, 512, 7, 7), [3, 2], "f16"),
        reduce_case(rng, "reduce_max", "Max", (4, 1000), [1], "f16"),
        reduce_case(rng, "reduce_sum_f32_all", "Sum", (4, 1000), [0, 1], "f32"),
        transpose_case(rng, "transpose", (1000, 512)),
    ]


def small_cases(rng):
    """The other configurations the graphs use, at small shapes."""
    cases = []
    for (i, k, s, p) in [(7, 3, 1, 1), (14, 1, 2, 0), (14, 3, 2, 1), (15, 3, 2, 1)]:
        tag = f"{k}x{k}s{s}_i{i}"
        cases += [conv_case(rng, f"conv_{tag}", 2, 3, 4, i, k, s, p),
                  conv_bwd_data_case(rng, f"conv_bwd_data_{tag}", 2, 3, 4, i, k, s, p),
                  conv_bwd_filter_case(rng, f"conv_bwd_filter_{tag}", 2, 3, 4, i, k, s, p)]
    cases += [
        conv_bwd_data_case(rng, "conv_bwd_data_7x7s2_i16", 2, 3, 4, 16, 7, 2, 3),
        conv_case(rng, "conv_3x3s2_f32", 2, 3, 4, 9, 3, 2, 1, dtype="f32"),
        bn_training_case(rng, "bn_training", (2, 3, 5, 5), stats=False),
        bn_training_case(rng, "bn_training_stats_small", (2, 8, 7, 7), stats=True),
        bn_training_case(rng, "bn_training_stats_biased", (2, 8, 7, 7), stats=True,
                         biased=True),
        bn_grad_case(rng, "bn_grad_small", (2, 8, 7, 7)),
        pool_grad_case(rng, "pool_max_grad_small", (2, 3, 12, 12), 3, 2, 1),
        pool_grad_case(rng, "pool_max_grad_odd", (1, 2, 11, 11), 3, 2, 1),
        matmul_case(rng, "matmul_x_wT", (4, 512), (1000, 512), 1, 1, False),
        matmul_case(rng, "matmul_dy_w", (4, 1000), (1000, 512), 1, 0, False),
        matmul_case(rng, "matmul_outer", (1000, 1), (1, 512), 1, 0, False),
        matmul_case(rng, "matmul_f32", (3, 5), (5, 2), 1, 0, False, dtype="f32"),
        reduce_case(rng, "reduce_sum_rows", "Sum", (4, 1000), [1], "f16"),
        reduce_case(rng, "reduce_sum_f32_batch", "Sum", (1, 1000), [0], "f32"),
    ]
    return cases


# ----------------------------------------------------------------------------
# The test module
# ----------------------------------------------------------------------------


def tensor_type(shape, dtype):
    return "tensor<" + "".join(f"{d}x" for d in shape) + dtype + ">"


def dense(array, dtype):
    data = array.astype("<f2" if dtype == "f16" else "<f4").tobytes().hex().upper()
    return f'arith.constant dense<"0x{data}"> : {tensor_type(array.shape, dtype)}'


def identity_map(rank):
    dims = ", ".join(f"d{i}" for i in range(rank))
    return f"affine_map<({dims}) -> ({dims})>"


def emit_module(cases):
    decls, body = [], []
    for ci, case in enumerate(cases):
        in_types = [tensor_type(a.shape, "f16" if a.dtype == np.float16 else "f32")
                    for a in case.inputs]
        res_types = [tensor_type(s, t) for s, t in case.results]
        decl = f"k{ci}_{case.kernel}"
        decls.append(f"  func.func private @{decl}({', '.join(in_types + res_types)}) -> "
                     f"({', '.join(res_types)})")
        args = []
        for ai, (a, ty) in enumerate(zip(case.inputs, in_types)):
            body.append(f"    %c{ci}_a{ai} = {dense(a, ty[ty.rindex('x') + 1:-1])}")
            args.append(f"%c{ci}_a{ai}")
        for ri, ty in enumerate(res_types):
            body.append(f"    %c{ci}_d{ri} = tensor.empty() : {ty}")
            args.append(f"%c{ci}_d{ri}")
        n = len(res_types)
        body.append(f"    %c{ci}_r:{n} = call @{decl}({', '.join(args)}) "
                    f"{{byre_compute_name = \"{case.kernel}\", {case.attrs}}} : "
                    f"({', '.join(in_types + res_types)}) -> ({', '.join(res_types)})")
        for ri, (shape, dtype) in enumerate(case.results):
            rank = len(shape)
            src, bits = tensor_type(shape, dtype), tensor_type(shape, "i32")
            memref = "memref<" + "".join(f"{d}x" for d in shape) + "i32>"
            par = ", ".join(['"parallel"'] * rank)
            cast = ("%f = arith.extf %v : f16 to f32\n      %b = arith.bitcast %f : f32 to i32"
                    if dtype == "f16" else "%b = arith.bitcast %v : f32 to i32")
            v = f"%c{ci}_r#{ri}"
            body.append(f"    %c{ci}_e{ri} = tensor.empty() : {bits}")
            body.append(
                f"    %c{ci}_b{ri} = linalg.generic {{indexing_maps = [{identity_map(rank)}, "
                f"{identity_map(rank)}], iterator_types = [{par}]}} ins({v} : {src}) "
                f"outs(%c{ci}_e{ri} : {bits}) {{\n    ^bb0(%v: {dtype}, %o: i32):\n"
                f"      {cast}\n      linalg.yield %b : i32\n    }} -> {bits}")
            body.append(f"    %c{ci}_m{ri} = bufferization.to_buffer %c{ci}_b{ri} : {bits} to {memref}")
            body.append(f"    %c{ci}_u{ri} = memref.cast %c{ci}_m{ri} : {memref} to memref<*xi32>")
            body.append(f"    call @printMemrefI32(%c{ci}_u{ri}) : (memref<*xi32>) -> ()")
    return ("module {\n  func.func private @printMemrefI32(memref<*xi32>)\n" +
            "\n".join(decls) + "\n  func.func @main() {\n" + "\n".join(body) +
            "\n    return\n  }\n}\n")


# ----------------------------------------------------------------------------
# Running and comparing
# ----------------------------------------------------------------------------


def run(cases, options, lib_dir, work):
    src = os.path.join(work, "cases.mlir")
    lowered = os.path.join(work, "lowered.mlir")
    with open(src, "w") as f:
        f.write(emit_module(cases))
    convert = "--ckpt-convert-byteir-kernels" + (f"={options}" if options else "")
    subprocess.run(["ckpt-opt", src, convert, "--ckpt-lower-to-cpu=count-allocations=false",
                    "-o", lowered], check=True)
    libs = ",".join(os.path.join(lib_dir, l) for l in
                    ("libmlir_runner_utils.so", "libmlir_c_runner_utils.so"))
    out = subprocess.run(["mlir-runner", lowered, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={libs}"], check=True, capture_output=True,
                         text=True).stdout
    blocks = out.split("Unranked Memref")[1:]
    expected = sum(len(c.results) for c in cases)
    if len(blocks) != expected:
        sys.exit(f"kernel_check: expected {expected} printed results, got {len(blocks)}")
    values = []
    for block in blocks:
        data = block.split("data =", 1)[1]
        bits = np.array(re.findall(r"-?\d+", data), dtype=np.int64).astype(np.int32)
        values.append(bits.view(np.float32))
    return values


def f16_order(a):
    """f16 values as integers in value order (adjacent f16s differ by 1)."""
    i = a.astype(np.float16).view(np.int16).astype(np.int32)
    return np.where(i < 0, -(i & 0x7FFF), i)


def compare(got, ref, dtype):
    """(fraction of elements passing, a description of the worst ones)."""
    scale = np.abs(ref).max() if ref.size else 0.0
    err = np.abs(got.astype(np.float64) - ref)
    if dtype == "f16":
        ulps = np.abs(f16_order(got) - f16_order(ref.astype(np.float16)))
        worst = f"max {int(ulps.max())} ulp"
        beyond = ulps > 1
        if beyond.any():
            # f32 accumulation noise shows where the result nearly cancels:
            # its error is tiny against the result's scale.
            worst += (f"; beyond 1 ulp: {int(beyond.sum())}, largest error "
                      f"{err[beyond].max() / scale:.1e} x max|ref|")
        return float((ulps <= 1).mean()), worst
    ok = err <= 1e-5 * np.abs(ref) + 1e-7 * scale
    rel = err / np.maximum(np.abs(ref), 1e-30)
    return float(ok.mean()), f"max rel err {rel.max():.1e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", choices=["real", "small"], required=True)
    parser.add_argument("--lib-dir", help="folder of libmlir_c_runner_utils.so "
                        "(default: ../lib next to mlir-runner)")
    parser.add_argument("--keep", help="keep the generated modules in this folder")
    args = parser.parse_args()
    lib_dir = args.lib_dir or os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("mlir-runner")))), "lib")
    rng = np.random.default_rng(16)
    cases = real_cases(rng) if args.group == "real" else small_cases(rng)
    start = time.time()
    failures, results = 0, 0
    groups = {}
    for case in cases:
        groups.setdefault(case.options, []).append(case)
    for options, group in groups.items():
        work = args.keep or tempfile.mkdtemp(prefix="kernel_check_")
        os.makedirs(work, exist_ok=True)
        values = run(group, options, lib_dir, work)
        if not args.keep:
            shutil.rmtree(work)
        it = iter(values)
        for case in group:
            refs = case.reference(*[torch.from_numpy(a.astype(np.float64)) for a in case.inputs])
            for ri, ((shape, dtype), ref) in enumerate(zip(case.results, refs)):
                got = next(it)
                ref = ref.detach().numpy().astype(np.float64).ravel()
                fraction, worst = compare(got, ref, dtype)
                ok = fraction >= 0.999
                failures += not ok
                results += 1
                shape_text = "x".join(map(str, shape)) or "scalar"
                print(f"{case.name} result {ri} [{shape_text} {dtype}]: {got.size} elements, "
                      f"{fraction:.6f} within tolerance ({worst}): {'ok' if ok else 'FAIL'}")
    print(f"kernel_check --group {args.group}: {len(cases)} cases, {results} results, "
          f"{'all ok' if failures == 0 else f'{failures} FAILED'} ({time.time() - start:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
