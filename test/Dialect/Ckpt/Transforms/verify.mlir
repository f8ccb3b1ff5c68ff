// RUN: not ckpt-opt %s -split-input-file -ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=LEAK
// RUN: ckpt-opt %s -split-input-file -ckpt-strip-barriers=allow-tensors -mlir-print-debuginfo -mlir-print-local-scope 2>/dev/null | FileCheck %s --check-prefix=STRIP

// Tests that ckpt-verify names a dropped forward value that the backward
// uses, at the user, with a note at the dropped value (whose location keeps
// the trace that ckpt-rematerialize leaves).
// LEAK: [[FILE:.*]]verify.mlir:[[@LINE+6]]:8: error: operand #1 is a forward value that checkpointed region 'block0' dropped, but the backward part uses it; it should be recomputed
// LEAK: leak.py:3:4: note: dropped value defined here
// LEAK-NOT: error
func.func @leak(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = math.exp %x : tensor<8xf32> loc(fused<{ckpt.region = "block0", ckpt.dropped}>["leak.py":3:4])
  %y = math.sin %e : tensor<8xf32> loc(fused<{ckpt.region = "block0"}>["leak.py":4:4])
  %g = arith.mulf %dy, %e : tensor<8xf32>
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a recomputed value, a kept value and a forward use pass.
// STRIP-LABEL: func @negative_ok
// STRIP-NOT: ckpt.barrier
// STRIP-NOT: ckpt.region
// STRIP: math.exp %arg0 : tensor<8xf32> loc("ok.py":3:4)
// STRIP: math.sin %arg0 : tensor<8xf32> loc("ok.py":4:4)
// STRIP: math.exp %arg0 : tensor<8xf32> loc(
func.func @negative_ok(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = math.exp %x : tensor<8xf32> loc(fused<{ckpt.region = "block0", ckpt.dropped}>["ok.py":3:4])
  %k = math.sin %x : tensor<8xf32> loc(fused<{ckpt.region = "block0"}>["ok.py":4:4])
  %y = arith.addf %e, %k : tensor<8xf32>
  %b = ckpt.barrier %x after %dy : tensor<8xf32> after tensor<8xf32>
  %e2 = math.exp %b : tensor<8xf32>
  %g = arith.mulf %dy, %e2 : tensor<8xf32>
  %g2 = arith.mulf %g, %k : tensor<8xf32>
  return %y, %g2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a value computed from constants alone (a zero-filled
// accumulator that cse shared with the backward), also two ops away from the
// constants, is no dropped activation, but that the backward reading it is
// reported all the same: its buffer stays allocated into the backward (the
// rewrite gives the backward its own copy). One that reads an argument too
// is a dropped value.
// LEAK: verify.mlir:[[@LINE+11]]:8: error: operand #1 is a cheap forward value (computed from constants and shapes alone, 32 bytes) that the backward part reads, so its buffer stays allocated into the backward
// LEAK: c.py:2:1: note: shared value defined here
// LEAK: verify.mlir:[[@LINE+10]]:9: error: operand #1 is a forward value that checkpointed region 'block1' dropped
// LEAK-NOT: error
func.func @constant_rooted(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<8xf32>) -> tensor<8xf32> loc(fused<{ckpt.region = "block1", ckpt.dropped}>["c.py":1:1])
  %twice = arith.addf %fill, %fill : tensor<8xf32> loc(fused<{ckpt.region = "block1", ckpt.dropped}>["c.py":2:1])
  %mixed = arith.addf %twice, %x : tensor<8xf32> loc(fused<{ckpt.region = "block1", ckpt.dropped}>["c.py":3:1])
  %y = arith.addf %twice, %mixed : tensor<8xf32>
  %g = arith.mulf %dy, %twice : tensor<8xf32>
  %g2 = arith.mulf %g, %mixed : tensor<8xf32>
  return %y, %g2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that every leak of a function is reported, in program order, also
// one read from inside a nested region of a backward op.
// LEAK: verify.mlir:[[@LINE+9]]:9: error: operand #1 is a forward value that checkpointed region 'block2' dropped
// LEAK: verify.mlir:[[@LINE+10]]:10: error: operand #0 is a forward value that checkpointed region 'block3' dropped
// LEAK-NOT: error
func.func @two_leaks(%x: tensor<8xf32>, %dy: tensor<8xf32>, %n: index) -> (tensor<8xf32>, tensor<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = math.exp %x : tensor<8xf32> loc(fused<{ckpt.region = "block2", ckpt.dropped}>["t.py":1:1])
  %b = math.sin %a : tensor<8xf32> loc(fused<{ckpt.region = "block3", ckpt.dropped}>["t.py":2:1])
  %y = arith.addf %a, %b : tensor<8xf32>
  %g1 = arith.mulf %dy, %a : tensor<8xf32>
  %g2 = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %g1) -> tensor<8xf32> {
    %t = arith.mulf %b, %acc : tensor<8xf32>
    scf.yield %t : tensor<8xf32>
  }
  return %y, %g2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests a leak inside one backward op: a dropped value defined and read in
// the same top-level op (an scf.execute_region of the backward part).
// LEAK: verify.mlir:[[@LINE+6]]:10: error: operand #1 is a forward value that checkpointed region 'block4' dropped
// LEAK-NOT: error
func.func @leak_within_op(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %y = math.exp %x : tensor<8xf32>
  %g = scf.execute_region -> tensor<8xf32> {
    %a = math.sin %x : tensor<8xf32> loc(fused<{ckpt.region = "block4", ckpt.dropped}>["w.py":1:1])
    %t = arith.mulf %dy, %a : tensor<8xf32>
    scf.yield %t : tensor<8xf32>
  }
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}
