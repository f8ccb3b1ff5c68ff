// REQUIRES: torch
// Tests that bench/cpu_throughput.py runs end to end (--quick: tiny sizes,
// seconds): its generated residual MLP step, matmul and conv kernels compile
// and run through ckpt-run --time-step, PyTorch times the same work, and the
// table has a row for each. No figure is asserted (speed is not a test).
//
// RUN: python3 %ckpt_src_root/bench/cpu_throughput.py --quick --build %ckpt_obj_root 2>/dev/null | FileCheck %s

// CHECK: == CPU throughput: ckpt-run -O3 (step time from the runtime) vs PyTorch (CPU, median of 1)
// CHECK-NEXT: work GFLOP ckpt ms GFLOP/s torch ms GFLOP/s ckpt/torch
// CHECK-NEXT: matmul 64x16x16 {{.*[0-9]}}
// CHECK-NEXT: conv n2 c4 12x12 f4 k3 {{.*[0-9]}}
// CHECK-NEXT: resmlp step 2 blocks w16 b64 {{.*[0-9]}}
