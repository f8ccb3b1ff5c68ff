#!/usr/bin/env python3
"""Measures the two figures of ckpt's `target=cpu` roofline on this machine
and prints them: the peak FLOP/s of an f32 matrix product (numpy's BLAS, all
threads) and the memory bandwidth of a large copy (bytes read + written per
second). Run with Debian's /usr/bin/python3 (numpy is installed there):

  /usr/bin/python3 bench/cpu_roofline.py [--size 2048] [--mib 512] [--repeat 5]

The best of `--repeat` runs counts. A measurement, not a test: the figures in
lib/Analysis/CostModel.cpp (CostTarget::get) and docs/guide.md come from one
run of this script, with its date.
"""
import argparse
import datetime
import os
import time

import numpy as np


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=2048, help="matrix size N (N x N f32)")
    ap.add_argument("--mib", type=int, default=512, help="MiB copied per run")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    n = args.size
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)
    a @ b  # warm up
    t = best(lambda: a @ b, args.repeat)
    flops = 2.0 * n * n * n / t
    m = args.mib * (1 << 20) // 4
    src = np.ones(m, dtype=np.float32)
    dst = np.empty_like(src)
    np.copyto(dst, src)
    t = best(lambda: np.copyto(dst, src), args.repeat)
    bandwidth = 2.0 * m * 4 / t  # read + write
    print(f"date {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"cpus {os.cpu_count()}")
    print(f"f32 matmul {n}x{n}: {flops:.3e} FLOP/s")
    print(f"copy {args.mib} MiB: {bandwidth:.3e} B/s (read + write)")


if __name__ == "__main__":
    main()
