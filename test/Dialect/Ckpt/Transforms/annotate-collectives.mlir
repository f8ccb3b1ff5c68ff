// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="segments=2" -verify-diagnostics | FileCheck %s
// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="segments=2 collectives=nccl_.* assume-pure=nccl_.*" 2>/dev/null | FileCheck %s --check-prefix=CALL
// RUN: ckpt-opt %s -split-input-file -ckpt-annotate="segments=2 assume-pure=nccl_.*" 2>/dev/null | FileCheck %s --check-prefix=NOCUT
// RUN: not ckpt-opt %s -split-input-file -ckpt-annotate="segments=1" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not ckpt-opt %s -ckpt-annotate="segments=2 collectives=(" 2>&1 | FileCheck %s --check-prefix=REGEX

// Collectives cut the forward part like ops that must not run twice: each
// is a segment boundary, never inside a region (ckpt-rematerialize would
// keep its result anyway).

shard.grid @dp(shape = 2)

// Tests segments=2 on a chain with an all-reduce in the middle: one region
// on each side of it, the all-reduce between them. segments=1 is refused:
// the collective splits the forward part into two pieces.
// CHECK-LABEL: func @all_reduce_chain
// CHECK: ckpt.checkpoint "segment.0"
// CHECK-NOT: shard.all_reduce
// CHECK: ckpt.yield
// CHECK-NEXT: }
// CHECK-NEXT: shard.all_reduce
// CHECK-NEXT: ckpt.checkpoint "segment.1"
// CHECK-NOT: shard.all_reduce
// CHECK: return
// ONE: error: cannot cut the forward part into 1 segments: it has 4 ops that may be recomputed, in 2 pieces that regions cannot cross (at backward ops and ops that must not run twice)
// expected-remark @+1 {{created 2 regions}}
func.func @all_reduce_chain(%x: tensor<16xf32>, %dy: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %a = math.exp %x : tensor<16xf32>
  %b = math.sin %a : tensor<16xf32>
  %s = shard.all_reduce %b on @dp grid_axes = [0] : tensor<16xf32> -> tensor<16xf32>
  %c = math.tanh %s : tensor<16xf32>
  %loss = math.cos %c : tensor<16xf32>
  %g1 = arith.mulf %dy, %a : tensor<16xf32>
  %g2 = arith.mulf %g1, %b : tensor<16xf32>
  %g3 = arith.mulf %g2, %c : tensor<16xf32>
  return %loss, %g3 : tensor<16xf32>, tensor<16xf32>
}

// -----

// Tests an NCCL-style call that assume-pure declares free of effects: under
// collectives= it is a collective, a boundary between the segments (CALL);
// without, it is an ordinary pure call and may sit inside a region (NOCUT).
// CALL-LABEL: func @collective_call_chain
// CALL: ckpt.checkpoint "segment.0"
// CALL-NOT: call @nccl_all_reduce
// CALL: ckpt.yield
// CALL-NEXT: }
// CALL-NEXT: call @nccl_all_reduce
// CALL-NEXT: ckpt.checkpoint "segment.1"
// NOCUT-LABEL: func @collective_call_chain
// NOCUT: ckpt.checkpoint "segment.0"
// NOCUT: func.call @nccl_all_reduce
// NOCUT: ckpt.yield
func.func private @nccl_all_reduce(tensor<16xf32>) -> tensor<16xf32>
// expected-remark @+1 {{created 2 regions}}
func.func @collective_call_chain(%x: tensor<16xf32>, %dy: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %a = math.exp %x : tensor<16xf32>
  %b = math.sin %a : tensor<16xf32>
  %s = func.call @nccl_all_reduce(%b) : (tensor<16xf32>) -> tensor<16xf32>
  %c = math.tanh %s : tensor<16xf32>
  %loss = math.cos %c : tensor<16xf32>
  %g1 = arith.mulf %dy, %a : tensor<16xf32>
  %g2 = arith.mulf %g1, %b : tensor<16xf32>
  %g3 = arith.mulf %g2, %c : tensor<16xf32>
  return %loss, %g3 : tensor<16xf32>, tensor<16xf32>
}

// REGEX: error: invalid 'collectives' regex '('
