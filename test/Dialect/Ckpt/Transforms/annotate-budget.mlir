// ckpt-annotate budget= on a generated 4-layer MLP without annotations
// (batch 64, width 32: an activation is 8192 bytes). Unannotated, the
// estimated peak is 73736 bytes; per-layer regions reach 49156 (the layer
// inputs, one layer's internals and the loss). Each layer's tanh'(a) is a
// backward op computed next to tanh(a): it joins the layer's region. The
// dynamic program's plan model gives the same peaks as the memory report
// after ckpt-rematerialize on this graph ("plan model" in the remark).
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py mlp --layers 4 --batch 64 --width 32 --no-regions > %t.mlir
// RUN: ckpt-opt %t.mlir --ckpt-annotate=budget=1M --ckpt-rematerialize --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROOMY
// RUN: ckpt-opt %t.mlir --ckpt-annotate=budget=60K --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=FITS
// RUN: ckpt-opt %t.mlir '--ckpt-annotate=budget=60K cuts=minima' --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=MINIMA
// RUN: ckpt-opt %t.mlir --ckpt-annotate=budget=50K --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=FIFTY
// RUN: ckpt-opt %t.mlir --ckpt-annotate=budget=40964 --ckpt-rematerialize --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: not ckpt-opt %t.mlir --ckpt-annotate=budget=40963 -o /dev/null 2>&1 | FileCheck %s --check-prefix=BELOW
// RUN: not ckpt-opt %t.mlir --ckpt-annotate=budget=40K -o /dev/null 2>&1 | FileCheck %s --check-prefix=TIGHT
// RUN: not ckpt-opt %t.mlir --ckpt-annotate=budget=lots -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD

// A budget the graph already fits needs no region and no recompute.
// (Peaks count each linalg.matmul as written in place into its dying
// zero-filled init, as One-Shot Bufferize does; ckpt-run measures each plan
// below at the estimate plus 512 bytes of buffer alignment.)
// ROOMY: created 0 regions
// ROOMY: peak live bytes 73732 73732
// ROOMY: recompute FLOPs 0 0
// 60K = 61440 bytes is met with the least recompute that fits: 57348 bytes
// for 36864 FLOPs, every cut a candidate (38 ops): regions that cut each
// layer after its matmul recompute only the tanh' (the search before issue
// 17 found 165888 FLOPs, recomputing the matmuls).
// FITS: remark: budget 61440 bytes: 11 regions, estimated peak 57348 bytes (plan model 57348), recompute 36864 FLOPs (plan model 36864 FLOPs, 98304 bytes moved, cost 36864 FLOPs on target 'flops')
// FITS: created 11 regions
// FITS: peak live bytes 73732 57348 x0.778
// FITS: recompute FLOPs 0 36864
// cuts=minima (two cuts per layer): the best plan over those cuts.
// MINIMA: estimated peak 57348 bytes (plan model 57348), recompute 165888 FLOPs
// MINIMA: recompute FLOPs 0 165888
// A lower budget costs more, never less (monotone): 38912 FLOPs at 50K,
// 169984 at exactly the least reachable peak.
// FIFTY: estimated peak 49156 bytes (plan model 49156), recompute 38912 FLOPs
// FIFTY: peak live bytes 73732 49156 x0.667
// FIFTY: recompute FLOPs 0 38912
// EXACT: estimated peak 40964 bytes (plan model 40964), recompute 169984 FLOPs
// EXACT: peak live bytes 73732 40964 x0.556
// EXACT: recompute FLOPs 0 169984
// BELOW: error: no region plan fits the budget of 40963 bytes; the least estimated peak reachable is 40964 bytes in the plan model (unannotated: 73732)
// TIGHT: error: no region plan fits the budget of 40960 bytes; the least estimated peak reachable is 40964 bytes in the plan model (unannotated: 73732)
// BAD: error: 'budget' must be a byte count with an optional K, M or G suffix, got 'lots'
